/**
 * The job store's schema, one numbered step per file (001-jobs.ts, 002-...). A database's
 * version is its PRAGMA user_version; `migrate` runs the steps it lacks, each in one
 * immediate transaction together with its user_version bump, so a crash or a second process
 * never sees half a step, and two processes opening a new store at once apply each step once.
 * A database newer than this ifax is refused, never downgraded: its data would be read wrong.
 */
import { IfaxError } from '../../errors.js';
import { errorText, type SqlDatabase } from '../sqlite.js';
import type { Migration } from './types.js';
import { migration as m001 } from './001-jobs.js';
import { migration as m002 } from './002-destinations.js';
import { migration as m003 } from './003-poll-journal.js';

export type { Migration } from './types.js';

/** Every step, in order; step i brings the database to version i + 1. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003];

/** The schema version this ifax writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new IfaxError('INTERNAL', `store schema failed: migration ${i + 1} says it is version ${m.version}`);
});

/** The database's schema version (0 for a new, empty file). */
export function schemaVersion(db: SqlDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** A database made by a newer ifax: refused, since this one would read its data wrong. */
export function newerSchemaError(file: string, found: number, known: number): IfaxError {
  return new IfaxError('STORE_FAILED', `opening the job store ${JSON.stringify(file)} failed: it was written by a newer ifax (schema version ${found}; this ifax knows up to ${known})`, {
    context: { path: file, schemaVersion: found, supported: known },
    hint: 'Run the newer ifax that wrote it, or set stateDir to another directory. The file is left as it is.',
  });
}

/**
 * Brings `db` to `target` (default: the latest). Returns the versions applied. `file` names
 * the database in errors.
 */
export function migrate(db: SqlDatabase, file: string, target: number = SCHEMA_VERSION, steps: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  const found = schemaVersion(db);
  if (found > SCHEMA_VERSION) throw newerSchemaError(file, found, SCHEMA_VERSION);
  for (const m of steps) {
    if (m.version > target) break;
    // Up to date: no write lock taken (every open of the store passes here).
    if (m.version <= found) continue;
    const step = db.transaction(() => {
      // Read again inside the write lock: another process may have applied it meanwhile.
      const now = schemaVersion(db);
      if (now > SCHEMA_VERSION) throw newerSchemaError(file, now, SCHEMA_VERSION);
      if (now >= m.version) return false;
      if (now !== m.version - 1) throw new IfaxError('INTERNAL', `store schema failed: ${JSON.stringify(file)} is at version ${now}, step ${m.version} needs ${m.version - 1}`);
      db.exec(m.sql);
      // PRAGMA takes no bound parameters; m.version is a number of our own.
      db.exec(`PRAGMA user_version = ${m.version}`);
      return true;
    });
    try {
      if (step.immediate()) applied.push(m.version);
    } catch (err) {
      if (err instanceof IfaxError) throw err;
      throw new IfaxError('STORE_FAILED', `updating the job store ${JSON.stringify(file)} to schema version ${m.version} failed: ${errorText(err)}`, {
        cause: err,
        context: { path: file, step: m.version, why: m.why },
        hint: 'Nothing of this step was kept (it runs in one transaction). Check the disk and the file, then run ifax again.',
      });
    }
  }
  return applied;
}
