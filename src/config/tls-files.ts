/**
 * The files a profile names for TLS, checked when the profile is loaded: `tls.caFile` must
 * hold a certificate (PEM, or one DER certificate) and `tls.crlFile` a CRL (PEM, or DER).
 * A wrong path would otherwise surface only at the first connection, as a certificate
 * rejection that looks like the server's fault; checked here, `config validate` and every
 * command say which key and which file (exit 78). Messages never quote the file's content.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { getIn, isPlainObject } from './merge.js';
import type { Problem } from './messages.js';

/**
 * The largest CA or CRL file read. A system CA bundle is about 250 KB; the CRLs of big public
 * CAs reach tens of MB. Beyond this the file is almost surely not what was meant, and reading
 * it at every start would be slow.
 */
export const MAX_TLS_FILE_BYTES = 64 * 1024 * 1024;

export type TlsFileKey = 'tls.caFile' | 'tls.crlFile';

const PEM_CERT = '-----BEGIN CERTIFICATE-----';
const PEM_CRL = '-----BEGIN X509 CRL-----';

/** What is wrong with the file at `filepath` for `key`, or null. `shown` is the path as written in the profile. */
export function tlsFileProblem(key: TlsFileKey, filepath: string, shown = filepath): Problem | null {
  const what = key === 'tls.caFile' ? 'a PEM or DER file of CA certificates' : 'a PEM or DER certificate revocation list';
  const named = shown === filepath ? JSON.stringify(filepath) : `${JSON.stringify(shown)} (${filepath})`;
  let size: number;
  try {
    const info = statSync(filepath);
    if (!info.isFile()) return { key, message: `${what}; got ${named}, which is not a file` };
    size = info.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { key, message: `${what}; got ${named}, which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}` };
  }
  if (size > MAX_TLS_FILE_BYTES) return { key, message: `${what} of at most MAX_TLS_FILE_BYTES (${MAX_TLS_FILE_BYTES}); got ${named}, ${size} bytes` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(filepath);
  } catch (err) {
    return { key, message: `${what}; got ${named}, which cannot be read (${(err as NodeJS.ErrnoException).code})` };
  }
  const ok = key === 'tls.caFile' ? holdsCertificate(bytes) : holdsCrl(bytes);
  return ok ? null : { key, message: `${what}; got ${named}, which holds no ${key === 'tls.caFile' ? 'certificate' : 'CRL'}` };
}

/** A PEM certificate block that parses, or a DER certificate. */
function holdsCertificate(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  const at = text.indexOf(PEM_CERT);
  if (at >= 0) {
    const end = text.indexOf('-----END CERTIFICATE-----', at);
    if (end < 0) return false;
    return parses(text.slice(at, end + 25));
  }
  return parses(bytes);
}

function parses(data: string | Buffer): boolean {
  try {
    new X509Certificate(data);
    return true;
  } catch {
    return false;
  }
}

/** The DER header at `at`: tag, where the content starts, its length; null when cut short. */
function derHeader(bytes: Buffer, at: number): { tag: number; start: number; length: number } | null {
  if (bytes.length < at + 2) return null;
  let length = bytes[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || bytes.length < start + n) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[start + i];
    start += n;
  }
  return { tag: bytes[at], start, length };
}

/**
 * A PEM CRL block, or DER shaped as a CRL (RFC 5280 §5.1): a SEQUENCE covering the file
 * whose tbsCertList, a SEQUENCE, begins with the version (INTEGER) or, in a v1 CRL, the
 * signature algorithm (SEQUENCE); a certificate's begins with [0] (its version). node:crypto
 * has no CRL parser; TLS itself reads the whole CRL when it connects.
 */
function holdsCrl(bytes: Buffer): boolean {
  if (bytes.toString('latin1').includes(PEM_CRL)) return true;
  const outer = derHeader(bytes, 0);
  if (!outer || outer.tag !== 0x30 || outer.start + outer.length !== bytes.length) return false;
  const tbs = derHeader(bytes, outer.start);
  if (!tbs || tbs.tag !== 0x30) return false;
  const first = bytes[tbs.start];
  return (first === 0x02 || first === 0x30) && !parses(bytes);
}

/** A path of a profile as a file path: relative to `base` (the profile's folder), `~/` the home directory. */
export function expandProfilePath(p: string, base: string, env: Record<string, string | undefined>): string {
  const home = env.HOME || homedir();
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(base, p);
}

/**
 * The problems of the TLS files a profile file names: with `profile`, those that named
 * profile uses; without, those of the top level, and with `everyProfile` (config validate)
 * those of every named profile too. A command checks only the settings it runs with: a
 * profile for another host may name files this one does not have. Paths are relative to
 * `base` (the profile's folder), `~/` is the home directory. A value that is not text is
 * left to validation.
 */
export function tlsFileProblems(
  raw: unknown,
  options: { profile?: string | null; everyProfile?: boolean; base: string; env: Record<string, string | undefined> },
): Problem[] {
  const doc = isPlainObject(raw) ? raw : {};
  const profiles = isPlainObject(doc.profiles) ? doc.profiles : {};
  const chosen = options.profile ?? null;
  const roots: Array<[string, unknown]> = [['', doc]];
  for (const [name, own] of Object.entries(profiles)) if (name === chosen || (chosen === null && options.everyProfile)) roots.push([`profiles.${name}.`, own]);
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const key of ['tls.caFile', 'tls.crlFile'] as const) {
    for (const [prefix, root] of roots) {
      // With a profile chosen, the top level's file counts only where the profile keeps it.
      if (prefix === '' && chosen !== null && getIn(profiles[chosen], key.split('.')) !== undefined) continue;
      const value = getIn(root, key.split('.'));
      if (typeof value !== 'string' || value === '') continue;
      const full = expandProfilePath(value, options.base, options.env);
      if (seen.has(`${key} ${full}`)) continue;
      seen.add(`${key} ${full}`);
      const p = tlsFileProblem(key, full, value);
      if (p) out.push({ ...p, key: prefix + key });
    }
  }
  return out;
}
