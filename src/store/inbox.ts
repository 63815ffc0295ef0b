/**
 * The inbox: each received fax in a folder of its own, `stateDir/inbox/<id>/` (ids sortable by
 * arrival, with a random part, as job ids: job-ids.ts): `original.eml` (the mail as received),
 * the TIFF(s) as received (`fax.tif`, or `fax-1.tif`... when the mail held several),
 * `fax.pdf` for people, and `meta.json`. A fax is built in `inbox/.incoming-<id>/` and renamed
 * into place when complete (the folder fsynced after): a crash or a full disk leaves either
 * the whole fax or none of it under `inbox/<id>`, never half of one. Every file goes through
 * writeFileAtomic (temp file, fsync, rename, fsync of the folder). Mode 0700/0600: a fax is
 * private.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { renameDurably, writeFileAtomic } from './atomic-file.js';
import { JOB_ID_PATTERN, JOB_ID_RANDOM_AT, newJobId } from './job-ids.js';
import { MIN_ID_PREFIX } from './jobs.js';
import { ensureStateDir, STATE_DIR_MODE } from './state-dir.js';

/** One page of a received fax, as read by the page pipeline. */
export interface InboxPage {
  /** 1-based, over all TIFFs of the fax in order. */
  page: number;
  /** The TIFF file in the folder it comes from, and its 1-based page there. */
  file: string;
  filePage: number;
  width: number;
  height: number;
  /** Dots per inch; null when the TIFF states none. */
  xRes: number | null;
  yRes: number | null;
  /** The fax resolution name (standard, fine, superfine, ultrafine) or null when it is none of them. */
  resolution: string | null;
  /** As stored in the TIFF: MH, MR, MMR, JPEG, none... */
  compression: string;
  /** Rows the decoder concealed, padded or clipped (as `convert --info` counts them). */
  damagedRows: number;
  /** Rows not in the data, left white. */
  missingRows: number;
}

/** A mailbox as received. */
export interface InboxAddress {
  name?: string;
  address: string;
}

/** meta.json of a received fax. */
export interface InboxMeta {
  id: string;
  /** ISO 8601 UTC. */
  receivedAt: string;
  from: InboxAddress | null;
  to: InboxAddress[];
  subject: string | null;
  /** The Date field as written by the sender. */
  date: string | null;
  messageId: string | null;
  /** The text/plain part, when the mail had one. */
  note: string | null;
  /** The TIFF files in the folder, with the names and types the mail gave them. */
  tiffs: Array<{ file: string; name: string; contentType: string; bytes: number }>;
  pages: InboxPage[];
  /** What did not stop reading (mail defects, damaged pages...). */
  warnings: string[];
  /** Set when the message was reassembled from message/partial fragments. */
  reassembledFrom?: { id: string; fragments: number };
}

/** A stored fax: its metadata and where its folder is. */
export interface InboxEntry extends InboxMeta {
  dir: string;
}

/** The inbox folder of a state directory. */
export function inboxDir(stateDir: string): string {
  return path.join(stateDir, 'inbox');
}

/** A new inbox id (as job ids: `YYYYMMDD-HHMMSS-xxxxxxxx`). */
export function newInboxId(now: Date): string {
  return newJobId(now);
}

/** The file name the n-th (0-based) of `count` TIFFs is stored as. */
export function tiffFileName(n: number, count: number): string {
  return count === 1 ? 'fax.tif' : `fax-${n + 1}.tif`;
}

/** What an inbox entry is written with: files put in its (temporary) folder. */
export interface InboxWriter {
  /** The folder being filled (not yet visible as `inbox/<id>`). */
  dir: string;
  /** Writes `name` in the folder atomically, mode 0600. */
  write(name: string, bytes: Uint8Array | string): Promise<string>;
}

/**
 * Creates folder `id` under `root`: `fill` writes its files into a temporary folder
 * (`root/.incoming-<id>`), which is renamed to `root/<id>` when `fill` has finished and `root`
 * fsynced (renameDurably); on any error the temporary folder is removed and the error thrown (nothing
 * half-written stays). Returns the final folder. Used for the inbox and for other/.
 */
export async function createStoredFolder(root: string, id: string, what: string, fill: (w: InboxWriter) => Promise<void>): Promise<string> {
  if (!JOB_ID_PATTERN.test(id)) throw new IfaxError('INTERNAL', `${what} failed: ${JSON.stringify(id)} is not an id`);
  ensureStateDir(root, what);
  const temp = path.join(root, `.incoming-${id}`);
  const final = path.join(root, id);
  try {
    await mkdir(temp, { mode: STATE_DIR_MODE });
    await fill({
      dir: temp,
      write: (name, bytes) => writeFileAtomic(path.join(temp, name), bytes, { mode: 0o600, what }),
    });
    await renameDurably(temp, final);
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  return final;
}

/** Creates inbox entry `id` (createStoredFolder under `inbox/`). */
export function createInboxEntry(stateDir: string, id: string, fill: (w: InboxWriter) => Promise<void>): Promise<string> {
  return createStoredFolder(inboxDir(stateDir), id, 'storing a received fax', fill);
}

/** meta.json text. */
export function metaJson(meta: InboxMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

function readMeta(dir: string): InboxMeta | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as InboxMeta;
  } catch {
    return undefined;
  }
}

/** The ids in the inbox, newest first (temporary folders of faxes being stored are skipped). */
export function inboxIds(stateDir: string): string[] {
  const root = inboxDir(stateDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => JOB_ID_PATTERN.test(n))
    .sort()
    .reverse();
}

/** The received faxes, newest first; at most `limit`. */
export function listInbox(stateDir: string, limit = 50): InboxEntry[] {
  const out: InboxEntry[] = [];
  for (const id of inboxIds(stateDir)) {
    if (out.length >= limit) break;
    const dir = path.join(inboxDir(stateDir), id);
    const meta = readMeta(dir);
    if (meta) out.push({ ...meta, dir });
  }
  return out;
}

/**
 * The fax `ref` names: its id, or a unique prefix of the id or of its random part (at least
 * MIN_ID_PREFIX characters), as `ifax jobs` finds jobs. JOB_NOT_FOUND / USAGE (64) otherwise.
 */
export function getInbox(stateDir: string, ref: string): InboxEntry {
  const text = ref.trim().toLowerCase();
  const ids = inboxIds(stateDir);
  let matches = ids.filter((id) => id === text);
  if (matches.length === 0 && text.length >= MIN_ID_PREFIX) matches = ids.filter((id) => id.startsWith(text) || id.slice(JOB_ID_RANDOM_AT).startsWith(text));
  if (matches.length === 0) {
    throw new IfaxError('JOB_NOT_FOUND', `finding received fax ${JSON.stringify(ref)} failed: no such fax in the inbox`, { hint: "'ifax inbox' lists the received faxes.", context: { ref } });
  }
  if (matches.length > 1) {
    throw new IfaxError('USAGE', `finding received fax ${JSON.stringify(ref)} failed: it matches several: ${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}`, { hint: 'Give more characters of the id.' });
  }
  const dir = path.join(inboxDir(stateDir), matches[0]);
  const meta = readMeta(dir);
  if (!meta) throw new IfaxError('STORE_FAILED', `reading received fax ${matches[0]} failed: ${JSON.stringify(path.join(dir, 'meta.json'))} is missing or not JSON`);
  return { ...meta, dir };
}

/** Age after which a temporary folder is taken as left by a crash: no store takes an hour. */
const STALE_INCOMING_MS = 60 * 60 * 1000;

/**
 * Removes temporary folders under `root` left by a crash while a fax was being stored (never a
 * finished fax, never one younger than an hour: another receive may be writing it now).
 */
export function removeStaleIncoming(root: string, now: Date): number {
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const name of readdirSync(root)) {
    if (!name.startsWith('.incoming-')) continue;
    const dir = path.join(root, name);
    try {
      if (now.getTime() - statSync(dir).mtimeMs < STALE_INCOMING_MS) continue;
      rmSync(dir, { recursive: true, force: true });
      n++;
    } catch {
      /* gone already, or not ours to remove: left for the next run */
    }
  }
  return n;
}

/**
 * The fax a mail of these exact bytes was stored as before, or undefined. An MTA delivers a
 * mail again when it did not see our exit (a crash, a timeout after the fax was safe); the
 * same bytes then must not make a second fax (nor a second MDN). Keyed by the SHA-256 of the
 * whole mail, not its Message-ID: gateways reuse ids, never bytes.
 */
export function seenBefore(stateDir: string, digest: string): string | undefined {
  if (!/^[0-9a-f]{64}$/.test(digest)) return undefined;
  try {
    const id = readFileSync(path.join(inboxDir(stateDir), '.seen', digest), 'utf8').trim();
    return JOB_ID_PATTERN.test(id) && existsSync(path.join(inboxDir(stateDir), id)) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Records that the mail of `digest` was stored as fax `id` (seenBefore). */
export async function markSeen(stateDir: string, digest: string, id: string): Promise<void> {
  const dir = path.join(inboxDir(stateDir), '.seen');
  ensureStateDir(dir, 'storing a received fax');
  await writeFileAtomic(path.join(dir, digest), `${id}\n`, { mode: 0o600, what: 'storing a received fax in' });
}
