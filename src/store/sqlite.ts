/**
 * The part of better-sqlite3 the job store uses, typed here. The package ships no types and
 * @types/better-sqlite3 is not a dependency, so this narrow interface is the contract: only
 * what is declared here may be called, and the store's tests exercise every member of it.
 * The native module is loaded on first use (createRequire: it is CommonJS), so a command that
 * never opens the store never loads it.
 */
import { createRequire } from 'node:module';

/** A value SQLite stores or binds. */
export type SqlValue = string | number | bigint | null | Uint8Array;
/** Named parameters (`@name` in the SQL). */
export type SqlParams = Record<string, SqlValue | undefined>;

/** A prepared statement. */
export interface SqlStatement {
  run(params?: SqlParams | SqlValue, ...more: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  get(params?: SqlParams | SqlValue, ...more: SqlValue[]): unknown;
  all(params?: SqlParams | SqlValue, ...more: SqlValue[]): unknown[];
}

/** A function wrapped in a transaction; `.immediate` takes the write lock at BEGIN. */
export interface SqlTransaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
  deferred(...args: A): R;
}

/** An open database connection. */
export interface SqlDatabase {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  pragma(source: string, options: { simple: true }): unknown;
  pragma(source: string): unknown[];
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqlTransaction<A, R>;
  close(): void;
}

interface SqlOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Busy timeout in milliseconds (sqlite3_busy_timeout). */
  timeout?: number;
}

type SqlConstructor = new (file: string, options?: SqlOpenOptions) => SqlDatabase;

let ctor: SqlConstructor | undefined;

/** Opens `file` with better-sqlite3 (loads the native module on first call). */
export function openSqlite(file: string, options: SqlOpenOptions): SqlDatabase {
  ctor ??= createRequire(import.meta.url)('better-sqlite3') as SqlConstructor;
  return new ctor(file, options);
}

/** The SQLite error code of a better-sqlite3 error (`SQLITE_BUSY`, `SQLITE_NOTADB`...). */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * The message of a thrown value. Read as a property, not through `instanceof Error`: the
 * native module keeps the error class of the first module instance that loaded it, which is
 * not this realm's Error under a test runner's VM contexts.
 */
export function errorText(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
