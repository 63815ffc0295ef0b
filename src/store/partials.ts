/**
 * Pending message/partial fragments (RFC 2046 §5.2.2): each set waits in
 * `stateDir/partials/<key>/` (key: SHA-256 of the partial id, which may hold any character)
 * as `<number>.eml` with `set.json` (the id and when its first fragment came), across runs,
 * in any order, until every number up to the total is there. A fragment already held is not
 * stored again (an MTA retry, a resend). Once the set is reassembled and stored, its id is
 * remembered in `partials/done/<key>.json` for PARTIAL_DONE_KEEP_DAYS, so the same fragments
 * delivered again do not make the fax twice. Sets older than PARTIAL_EXPIRY_DAYS are moved
 * to other/ with a note (other-mail.ts).
 *
 * Concurrency: an MTA delivers mails in parallel, so the fragments of one set may arrive in
 * two processes at once. A set is handled under a lock file (`.lock`, created exclusively);
 * a process that finds it held gets LOCK_HELD (exit 75: the MTA tries again later). A lock
 * older than STALE_LOCK_MS is taken to be left by a crash.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { MAX_PARTIAL_FRAGMENTS, PARTIAL_DONE_KEEP_DAYS, PARTIAL_EXPIRY_DAYS } from '../limits.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import { ensureStateDir } from './state-dir.js';

const DAY_MS = 24 * 3600 * 1000;

/** A lock this old is left by a crash (a set is reassembled and stored in seconds). */
const STALE_LOCK_MS = 10 * 60 * 1000;

/** set.json of a pending set. */
export interface PendingSet {
  id: string;
  /** ISO 8601 UTC: when its first fragment came (expiry counts from here). */
  firstSeen: string;
  /** The total, once a fragment stated it. */
  total?: number;
}

/** What adding a fragment did. */
export type FragmentResult =
  | { state: 'waiting'; have: number; total?: number }
  | { state: 'duplicate'; have: number; total?: number }
  | { state: 'complete'; fragments: Uint8Array[]; total: number }
  /** The set was reassembled before (the fragment came again): nothing to do. */
  | { state: 'done-before'; doneAt: string };

/** The partials folder of a state directory. */
export function partialsDir(stateDir: string): string {
  return path.join(stateDir, 'partials');
}

function keyOf(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 40);
}

function setDir(stateDir: string, id: string): string {
  return path.join(partialsDir(stateDir), keyOf(id));
}

function doneFile(stateDir: string, id: string): string {
  return path.join(partialsDir(stateDir), 'done', `${keyOf(id)}.json`);
}

function ensure(dir: string): void {
  ensureStateDir(dir, 'keeping a fragment');
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Numbers of the fragments held for a set folder. */
function heldNumbers(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => /^(\d+)\.eml$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * Runs `fn` holding the lock of set `id`. LOCK_HELD (75) when another process holds it.
 */
export async function withSetLock<T>(stateDir: string, id: string, now: Date, fn: () => Promise<T>): Promise<T> {
  const dir = setDir(stateDir, id);
  ensure(dir);
  const lock = path.join(dir, '.lock');
  const take = async (): Promise<boolean> => {
    try {
      const fh = await open(lock, 'wx', 0o600);
      await fh.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new IfaxError('STORE_FAILED', `keeping a fragment failed: cannot create ${JSON.stringify(lock)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
  };
  let held = await take();
  if (!held) {
    let age = 0;
    try {
      age = now.getTime() - statSync(lock).mtimeMs;
    } catch {
      age = Infinity; // removed meanwhile
    }
    if (age > STALE_LOCK_MS) {
      await unlink(lock).catch(() => undefined);
      held = await take();
    }
  }
  if (!held) {
    throw new IfaxError('LOCK_HELD', `keeping fragment of message/partial ${JSON.stringify(id)} failed: another ifax receive is handling this set now`, { hint: 'Temporary: the mail system delivers it again later.' });
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * Keeps fragment `number` of set `id` (call inside withSetLock). Returns the whole set, in
 * number order, once every fragment up to the total is held.
 */
export async function addFragment(stateDir: string, info: { id: string; number: number; total?: number }, bytes: Uint8Array, now: Date): Promise<FragmentResult> {
  if (!Number.isInteger(info.number) || info.number < 1 || info.number > MAX_PARTIAL_FRAGMENTS || (info.total !== undefined && (info.total < info.number || info.total > MAX_PARTIAL_FRAGMENTS))) {
    throw new IfaxError('LIMIT_EXCEEDED', `keeping a fragment failed: number ${info.number}${info.total !== undefined ? ` of ${info.total}` : ''} is outside 1-${MAX_PARTIAL_FRAGMENTS} or beyond the total (MAX_PARTIAL_FRAGMENTS)`);
  }
  const done = readJson<{ doneAt: string }>(doneFile(stateDir, info.id));
  if (done) return { state: 'done-before', doneAt: done.doneAt };
  const dir = setDir(stateDir, info.id);
  ensure(dir);
  const setFile = path.join(dir, 'set.json');
  const set: PendingSet = readJson<PendingSet>(setFile) ?? { id: info.id, firstSeen: now.toISOString() };
  let duplicate = false;
  const file = path.join(dir, `${info.number}.eml`);
  if (existsSync(file)) duplicate = true;
  else await writeFileAtomic(file, bytes, { mode: 0o600, exclusive: true, what: 'keeping a fragment in' });
  if (info.total !== undefined && set.total === undefined) set.total = info.total;
  await writeFileAtomic(setFile, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600, what: 'keeping a fragment in' });
  const have = heldNumbers(dir);
  const total = set.total;
  if (total !== undefined && have.length >= total && have.slice(0, total).every((n, i) => n === i + 1)) {
    const fragments = have.slice(0, total).map((n) => new Uint8Array(readFileSync(path.join(dir, `${n}.eml`))));
    return { state: 'complete', fragments, total };
  }
  const base = { have: have.length, ...(total !== undefined ? { total } : {}) };
  return duplicate ? { state: 'duplicate', ...base } : { state: 'waiting', ...base };
}

/** Marks set `id` as reassembled (remembered PARTIAL_DONE_KEEP_DAYS) and removes its fragments. */
export async function finishSet(stateDir: string, id: string, now: Date, inboxId: string | null): Promise<void> {
  const doneDir = path.join(partialsDir(stateDir), 'done');
  ensure(doneDir);
  await writeFileAtomic(doneFile(stateDir, id), `${JSON.stringify({ id, doneAt: now.toISOString(), inboxId })}\n`, { mode: 0o600, what: 'keeping a fragment in' });
  const dir = setDir(stateDir, id);
  for (const n of heldNumbers(dir)) await unlink(path.join(dir, `${n}.eml`)).catch(() => undefined);
  await unlink(path.join(dir, 'set.json')).catch(() => undefined);
  await fsyncDir(dir);
}

/** A set found expired: its id, the fragments held, and its age. */
export interface ExpiredSet {
  id: string;
  firstSeen: string;
  total?: number;
  fragments: Array<{ number: number; bytes: Uint8Array }>;
}

/**
 * Expires sets whose first fragment came PARTIAL_EXPIRY_DAYS or more before `now`: `keep`
 * is called with each (to put it in other/), then its folder is removed. Done markers older
 * than PARTIAL_DONE_KEEP_DAYS are dropped. A set locked by another process is left alone.
 */
export async function expireSets(stateDir: string, now: Date, keep: (set: ExpiredSet) => Promise<void>): Promise<ExpiredSet[]> {
  const root = partialsDir(stateDir);
  if (!existsSync(root)) return [];
  const expired: ExpiredSet[] = [];
  for (const name of readdirSync(root)) {
    if (!/^[0-9a-f]{40}$/.test(name)) continue;
    const dir = path.join(root, name);
    const set = readJson<PendingSet>(path.join(dir, 'set.json'));
    if (!set) {
      // An empty folder of a finished set: removed when no one holds it.
      if (heldNumbers(dir).length === 0 && !existsSync(path.join(dir, '.lock'))) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      continue;
    }
    if (now.getTime() - Date.parse(set.firstSeen) < PARTIAL_EXPIRY_DAYS * DAY_MS) continue;
    try {
      await withSetLock(stateDir, set.id, now, async () => {
        const fragments = heldNumbers(dir).map((n) => ({ number: n, bytes: new Uint8Array(readFileSync(path.join(dir, `${n}.eml`))) }));
        const e: ExpiredSet = { id: set.id, firstSeen: set.firstSeen, ...(set.total !== undefined ? { total: set.total } : {}), fragments };
        await keep(e);
        expired.push(e);
        for (const f of fragments) await unlink(path.join(dir, `${f.number}.eml`)).catch(() => undefined);
        await unlink(path.join(dir, 'set.json')).catch(() => undefined);
      });
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    } catch (err) {
      if (err instanceof IfaxError && err.code === 'LOCK_HELD') continue;
      throw err;
    }
  }
  const doneDir = path.join(root, 'done');
  if (existsSync(doneDir)) {
    for (const name of readdirSync(doneDir)) {
      const d = readJson<{ doneAt: string }>(path.join(doneDir, name));
      if (d && now.getTime() - Date.parse(d.doneAt) >= PARTIAL_DONE_KEEP_DAYS * DAY_MS) await unlink(path.join(doneDir, name)).catch(() => undefined);
    }
  }
  return expired;
}
