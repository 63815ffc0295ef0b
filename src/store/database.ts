/**
 * Opening the job store: one SQLite file in the state directory, in WAL mode.
 *
 * - WAL: readers (`ifax jobs`) never block the writer (a poll matching an MDN) and vice versa.
 * - busy_timeout: two writers at once (a poll and a send) wait for each other instead of
 *   failing with SQLITE_BUSY; every write is an immediate transaction (the lock is taken at
 *   BEGIN), so a writer never has to give up half-way on a lock upgrade.
 * - synchronous=FULL: in WAL mode NORMAL syncs only at checkpoints, so after a power cut or
 *   an OS crash the last commits can roll back. A job is recorded `queued` BEFORE its mail is
 *   handed to the server; if that record could vanish after the server accepted the mail, the
 *   MDN or DSN that comes back would match no job, and a retry could not know the fax was
 *   already sent. FULL makes every commit durable (one fsync of the WAL per commit: jobs are
 *   few, the cost is nothing next to an SMTP session).
 * - foreign_keys: a destination or report row never outlives its job.
 * - application_id 'IFAX': a SQLite file made by something else is refused, not written into.
 */
import { IfaxError } from '../errors.js';
import { migrate, newerSchemaError, schemaVersion, SCHEMA_VERSION } from './migrations/index.js';
import { errorText, openSqlite, sqliteCode, type SqlDatabase } from './sqlite.js';
import { createPrivateFile, DATABASE_FILE, ensureStateDir } from './state-dir.js';
import path from 'node:path';

/** How long a write waits for another process's write to finish: 15 s, many times the longest transaction of ours (they hold no network I/O). */
export const STORE_BUSY_TIMEOUT_MS = 15_000;

/** PRAGMA application_id of an ifax store: "IFAX" in ASCII. */
export const APPLICATION_ID = 0x49464158;

/** An open job store database. */
export interface StoreDatabase {
  /** The connection (the typed subset of better-sqlite3 in sqlite.ts). */
  readonly db: SqlDatabase;
  /** The database file. */
  readonly file: string;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

export interface OpenDatabaseOptions {
  /** Busy timeout, ms (default STORE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** Stop at this schema version instead of the latest (tests of migrations). */
  schemaVersion?: number;
}

/** STORE_FAILED naming `file`, with a hint chosen from what SQLite or the system said. */
export function storeFailed(file: string, operation: string, err: unknown): IfaxError {
  if (err instanceof IfaxError) return err;
  const sqlite = sqliteCode(err);
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = errorText(err);
  const dir = JSON.stringify(path.dirname(file));
  let hint: string | undefined;
  if (sqlite === 'SQLITE_NOTADB' || sqlite === 'SQLITE_CORRUPT' || sqlite?.startsWith('SQLITE_CORRUPT')) {
    hint = `The file is damaged or not an ifax job store. Move it aside (mv ${JSON.stringify(file)} ${JSON.stringify(file + '.broken')}) and ifax starts a new one.`;
  } else if (sqlite === 'SQLITE_READONLY' || sqlite?.startsWith('SQLITE_READONLY') || sqlite?.startsWith('SQLITE_CANTOPEN') || errno === 'EACCES' || errno === 'EROFS') {
    hint = `The store needs to write the file and its -wal/-shm companions in ${dir}: check that you own that directory and can write it, or set stateDir elsewhere.`;
  } else if (sqlite === 'SQLITE_BUSY' || sqlite?.startsWith('SQLITE_BUSY') || sqlite === 'SQLITE_LOCKED') {
    hint = 'Another ifax process held the store for too long; try again.';
  } else if (sqlite === 'SQLITE_FULL' || sqlite === 'SQLITE_IOERR' || sqlite?.startsWith('SQLITE_IOERR')) {
    hint = 'The disk is full or failing; nothing of this change was kept.';
  }
  return new IfaxError('STORE_FAILED', `${operation} the job store ${JSON.stringify(file)} failed: ${detail}${sqlite ? ` (${sqlite})` : ''}`, {
    cause: err,
    context: { path: file, sqlite, errno },
    ...(hint ? { hint } : {}),
  });
}

/**
 * Opens (creating when missing) the job store of `stateDir`, brings its schema up to date and
 * returns it. STORE_FAILED (73) naming the file when it cannot be opened: a read-only
 * directory, a damaged file, a file that is not ifax's, a store from a newer ifax.
 */
export function openStore(stateDir: string, opts: OpenDatabaseOptions = {}): StoreDatabase {
  const dir = ensureStateDir(stateDir);
  return openDatabase(path.join(dir, DATABASE_FILE), opts);
}

/** Opens the database file `file` itself (its directory must exist). */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): StoreDatabase {
  createPrivateFile(file);
  let db: SqlDatabase;
  try {
    db = openSqlite(file, { timeout: opts.busyTimeoutMs ?? STORE_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw storeFailed(file, 'opening', err);
  }
  try {
    // The first read of the header: a file that is not SQLite fails here (SQLITE_NOTADB).
    const appId = Number(db.pragma('application_id', { simple: true }));
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchemaError(file, version, SCHEMA_VERSION);
    if (appId !== APPLICATION_ID && !(appId === 0 && version === 0 && isEmpty(db))) {
      throw new IfaxError('STORE_FAILED', `opening the job store ${JSON.stringify(file)} failed: it is a SQLite database of another program${appId !== 0 ? ` (application_id ${appId})` : ''}`, {
        context: { path: file, applicationId: appId },
        hint: 'Set stateDir to a directory of its own for ifax. The file is left as it is.',
      });
    }
    const mode = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
    if (mode !== 'wal') {
      throw new IfaxError('STORE_FAILED', `opening the job store ${JSON.stringify(file)} failed: the file system does not support WAL mode (journal_mode is ${JSON.stringify(mode)})`, {
        context: { path: file },
        hint: 'Put stateDir on a local file system (WAL needs shared memory; network file systems often lack it).',
      });
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (appId === 0) db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    migrate(db, file, opts.schemaVersion);
  } catch (err) {
    try {
      db.close();
    } catch {
      /* the first error is the one to report */
    }
    throw storeFailed(file, 'opening', err);
  }
  return {
    db,
    file,
    close(): void {
      if (db.open) db.close();
    },
  };
}

/** A file with no tables yet: a store being created (by us, or by a process racing us). */
function isEmpty(db: SqlDatabase): boolean {
  return (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0;
}
