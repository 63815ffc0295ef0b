/**
 * The poll spool, stateDir/spool/: each mail RETR gives is streamed into a temp file there and
 * renamed to its final name only after fsync (AtomicFile: write, fsync, rename, fsync of the
 * directory), so a name in the spool is always a whole mail that survives a power cut. Names
 * sort in fetch order (a millisecond time, a per-process counter, random bits), so a spool
 * left by a crashed poll is processed in the order the mails were fetched.
 *
 * A mail whose processing failed for good goes to stateDir/other/ with a note beside it
 * (`NAME.eml.json`: why, when, its Message-ID), never deleted: a person can look at it.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { MAX_MAIL_HEADER_BYTES } from '../limits.js';
import { firstField, parseHeaderBlock } from '../mime/parse/index.js';
import { AtomicFile, fsyncDir, renameDurably, writeFileAtomic } from './atomic-file.js';
import { normalizeMessageId } from './job-ids.js';
import { ensureStateDir } from './state-dir.js';

/** The spool directory's name in stateDir. */
export const SPOOL_DIR = 'spool';
/** Where permanently failed mails go, in stateDir. */
export const OTHER_DIR = 'other';

/** Header bytes read to find a Message-ID: the most a header block may hold (the parser's limit). */
const HEADER_SCAN_BYTES = MAX_MAIL_HEADER_BYTES;

const SPOOL_NAME = /^\d{13}-\d{6}-[0-9a-f]{8}\.eml$/;

let counter = 0;

/** A new spool file name: sortable by fetch time, unique across processes. */
export function newSpoolName(now: Date = new Date()): string {
  counter = (counter + 1) % 1_000_000;
  return `${String(now.getTime()).padStart(13, '0')}-${String(counter).padStart(6, '0')}-${randomBytes(4).toString('hex')}.eml`;
}

/** The spool of a state directory. */
export class Spool {
  readonly dir: string;
  readonly otherDir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, SPOOL_DIR);
    this.otherDir = path.join(stateDir, OTHER_DIR);
    ensureStateDir(this.dir, 'creating the poll spool');
  }

  /** The full path of spool file `name`. */
  path(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * Writes spool file `name` from `fill`, which passes the mail's octets to `write` as they
   * arrive. The name exists only once the whole mail is on disk; on any failure nothing is
   * left (the temp file is removed). Returns the octets written.
   */
  async write(name: string, fill: (write: (chunk: Buffer) => Promise<void>) => Promise<unknown>): Promise<number> {
    const file = await AtomicFile.create(this.path(name), { defaultMode: 0o600, exclusive: true, what: 'Spooling the mail to' });
    try {
      await fill((chunk) => file.write(chunk));
      await file.commit();
    } catch (err) {
      await file.abort();
      throw err;
    }
    return file.bytes;
  }

  /** The spool's mails, in fetch order (temp files of an interrupted write are not listed). */
  list(): string[] {
    return readdirSync(this.dir)
      .filter((n) => SPOOL_NAME.test(n))
      .sort();
  }

  /**
   * Removes temp files left by a poll killed during a RETR. Only under the poll lock: no
   * other poll writes here then.
   */
  async removeTemps(): Promise<number> {
    let n = 0;
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        await unlink(path.join(this.dir, name)).catch(() => undefined);
        n++;
      }
    }
    return n;
  }

  /** Removes spool file `name` once processed (durably: the directory is synced). */
  async remove(name: string): Promise<void> {
    try {
      await unlink(this.path(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw spoolFailed(this.path(name), 'removing', err);
    }
    await fsyncDir(this.dir);
  }

  /**
   * Moves spool file `name` to stateDir/other/ with a note `NAME.json` beside it; returns the
   * new path. The note is written first: a crash between the two leaves the mail in the spool.
   */
  async moveToOther(name: string, note: Record<string, unknown>): Promise<string> {
    const target = path.join(this.otherDir, name);
    try {
      ensureStateDir(this.otherDir, 'moving a mail to other/');
      await writeFileAtomic(`${target}.json`, JSON.stringify(note, null, 2) + '\n', { defaultMode: 0o600 });
      await renameDurably(this.path(name), target);
    } catch (err) {
      throw spoolFailed(target, 'moving a mail to', err);
    }
    return target;
  }
}

function spoolFailed(file: string, operation: string, err: unknown): IfaxError {
  if (err instanceof IfaxError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new IfaxError('STORE_FAILED', `${operation} ${JSON.stringify(file)} failed: ${code ?? String(err)}`, { cause: err, context: { path: file, errno: code } });
}

/**
 * The Message-ID of a mail file (RFC 5322 §3.6.4), "<...>" as written, or null: read from the
 * header block only (the first HEADER_SCAN_BYTES).
 */
export async function readMessageId(file: string): Promise<string | null> {
  const fh = await open(file, 'r');
  let head: Uint8Array;
  try {
    const buf = Buffer.alloc(HEADER_SCAN_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  return messageIdOfHeader(head);
}

/**
 * The Message-ID in a header block (the rest of the mail may follow), "<id>", or null when
 * there is none in angle brackets. The header is read by the MIME layer's parser and the id
 * normalised as the job store compares ids (job-ids.ts normalizeMessageId), so the spool, the
 * poll journal and the store agree on what an id is. A header too large to read has none.
 */
export function messageIdOfHeader(head: string | Uint8Array): string | null {
  const bytes = typeof head === 'string' ? Buffer.from(head, 'latin1') : head;
  let value: string | undefined;
  try {
    value = firstField(parseHeaderBlock(bytes, 0, bytes.length, 'a spooled mail').fields, 'message-id');
  } catch {
    return null; // LIMIT_EXCEEDED: a malformed header; the mail is still processed, by bytes
  }
  if (value === undefined || !value.includes('<')) return null;
  const id = normalizeMessageId(value);
  return id === undefined ? null : `<${id}>`;
}
