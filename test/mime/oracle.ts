/**
 * The Python `email` oracle (mail_oracle.py, policy.default) called from the tests: an
 * independent parser decodes what we built, and reassembles message/partial fragments by
 * its own reading of RFC 2046 §5.2.2.1.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve('test/mime/mail_oracle.py');

export interface OraclePart {
  index: number;
  content_type: string;
  params: Record<string, string>;
  defects: string[];
  headers: [string, string][];
  boundary?: string;
  cte?: string | null;
  filename?: string | null;
  disposition?: string | null;
  charset?: string | null;
  payload_sha256?: string;
  payload_len?: number;
  text?: string;
}

export interface OracleMessage {
  headers: [string, string][];
  /**
   * getaddresses() of From, To, Disposition-Notification-To (policy.default decoding);
   * 'From/parsed' from the header object; 'From/rfc2047' and 'To/rfc2047' with display names
   * decoded from the raw field per RFC 2047 §6.2.
   */
  addresses: Record<string, [string, string][]>;
  /** The Date header as an ISO date-time with its offset. */
  date: string | null;
  defects: string[];
  parts: OraclePart[];
  raw?: { sha256: string; max_line: number; bare_lf: number; bare_cr: number };
  enclosed_sha256?: string;
}

function run(args: string[], input?: Uint8Array): OracleMessage {
  const r = spawnSync('python3', [SCRIPT, ...args], { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`mail_oracle.py ${args[0]} failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as OracleMessage;
}

/** Python's reading of a message. */
export function pythonParse(message: Uint8Array): OracleMessage {
  return run(['parse'], message);
}

/** Python's reassembly of message/partial fragments (written to a temporary directory). */
export function pythonReassemble(fragments: readonly Uint8Array[]): OracleMessage {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-partial-'));
  try {
    const files = fragments.map((f, i) => {
      const p = path.join(dir, `f${i}.eml`);
      writeFileSync(p, f);
      return p;
    });
    // Given in reverse: the oracle must order them by number itself.
    return run(['reassemble', ...files.reverse()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The decoded value of the first header `name` (case-insensitive). */
export function header(msg: { headers: [string, string][] }, name: string): string | undefined {
  return msg.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** Every defect Python reported anywhere in the message. */
export function allDefects(msg: OracleMessage): string[] {
  return [...msg.defects, ...msg.parts.flatMap((p) => p.defects.map((d) => `part ${p.index}: ${d}`))];
}
