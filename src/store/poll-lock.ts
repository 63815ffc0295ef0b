/**
 * The poll lock, stateDir/poll.lock: two polls never run at once (a second one is LOCK_HELD,
 * exit 75, so cron simply tries again next time).
 *
 * Why an SQLite EXCLUSIVE transaction and not a pid file: SQLite takes a POSIX advisory lock
 * (fcntl) on the file, and the kernel drops such locks when the process ends, however it ends
 * (kill -9, OOM killer, power cut). So a lock can never go stale, and there is no guessing
 * from a pid that may have been reused by another program since. A pid file with
 * process.kill(pid, 0) must guess exactly that. SQLite also coordinates two connections of one
 * process, so the lock holds between two polls in one Node process too.
 *
 * Who holds the lock is written beside it (poll.lock.owner: pid and start time), for the
 * message of the second poll only; the lock itself never depends on that file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { errorText, openSqlite, sqliteCode, type SqlDatabase } from './sqlite.js';

/** The lock file's name in stateDir. */
export const POLL_LOCK_FILE = 'poll.lock';

/** A held poll lock. */
export interface PollLock {
  /** Releases the lock (also released by the kernel if the process dies). */
  release(): void;
}

/** Takes the poll lock of `stateDir` at once, or throws LOCK_HELD (75) naming the holder. */
export function acquirePollLock(stateDir: string, now: Date = new Date()): PollLock {
  const file = path.join(stateDir, POLL_LOCK_FILE);
  const owner = `${file}.owner`;
  let db: SqlDatabase;
  try {
    // timeout 0: a held lock is answered at once with SQLITE_BUSY, not waited for.
    // The file stays in SQLite's default rollback-journal mode (never WAL), where BEGIN
    // EXCLUSIVE takes the file's exclusive lock at once.
    db = openSqlite(file, { timeout: 0 });
  } catch (err) {
    throw new IfaxError('STORE_FAILED', `taking the poll lock ${JSON.stringify(file)} failed: ${errorText(err)}`, { cause: err, context: { path: file } });
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    const code = sqliteCode(err);
    if (code === 'SQLITE_BUSY' || code?.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') {
      let holder = '';
      try {
        const o = JSON.parse(readFileSync(owner, 'utf8')) as { pid?: number; since?: string };
        holder = ` (process ${o.pid ?? '?'}, since ${o.since ?? '?'})`;
      } catch {
        /* the owner note is for people only */
      }
      throw new IfaxError('LOCK_HELD', `poll failed: another poll is running${holder}, holding ${JSON.stringify(file)}`, {
        context: { path: file },
        hint: 'Wait for it to finish; cron can simply run ifax poll again at the next interval.',
      });
    }
    throw new IfaxError('STORE_FAILED', `taking the poll lock ${JSON.stringify(file)} failed: ${errorText(err)}`, { cause: err, context: { path: file, sqlite: code } });
  }
  try {
    writeFileSync(owner, JSON.stringify({ pid: process.pid, since: now.toISOString() }) + '\n', { mode: 0o600 });
  } catch {
    /* the owner note is for people only */
  }
  let held = true;
  return {
    release(): void {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
