/**
 * Where ifax keeps its state (SETTINGS.md §10): the job store, later the address book, the
 * inbox and the poll state. Profiles hold settings, never state, so state lives apart:
 * `stateDir` of the profile (relative to the profile file, `~/` = home), else
 * `$XDG_STATE_HOME/ifax` (XDG Base Directory: an absolute path only), else
 * `~/.local/state/ifax`. The directory is private (0700) and the database file 0600: jobs
 * name the addresses a user faxes, which other local users have no business reading.
 * Passwords never go there.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { IfaxError } from '../errors.js';

/** Mode of a state directory that ifax creates. */
export const STATE_DIR_MODE = 0o700;
/** Mode of a database file that ifax creates. */
export const DATABASE_MODE = 0o600;
/** The job store's file name inside the state directory. */
export const DATABASE_FILE = 'ifax.db';

export interface StateDirOptions {
  /** The profile file the setting came from: a relative `stateDir` is relative to its folder. */
  profileFile?: string | null;
  /** Environment (HOME, XDG_STATE_HOME); default process.env. */
  env?: Record<string, string | undefined>;
  /** Base of a relative `stateDir` without a profile file; default process.cwd(). */
  cwd?: string;
}

/** `$XDG_STATE_HOME/ifax`, or `~/.local/state/ifax` (a relative XDG_STATE_HOME is ignored, as the spec says). */
export function defaultStateDir(env: Record<string, string | undefined> = process.env): string {
  const home = env.HOME || homedir();
  const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(xdg, 'ifax');
}

/**
 * The state directory for a `stateDir` setting. The profile loader already resolves it
 * (config/load.ts resolvePaths), so for a loaded profile this returns it unchanged; library
 * users with settings of their own get the same rules here.
 */
export function resolveStateDir(setting: string | null | undefined, opts: StateDirOptions = {}): string {
  const env = opts.env ?? process.env;
  if (setting === null || setting === undefined || setting === '') return defaultStateDir(env);
  const home = env.HOME || homedir();
  if (setting === '~') return home;
  if (setting.startsWith('~/')) return path.join(home, setting.slice(2));
  const base = opts.profileFile ? path.dirname(path.resolve(opts.profileFile)) : path.resolve(opts.cwd ?? process.cwd());
  return path.resolve(base, setting);
}

function storeError(operation: string, reason: string, dir: string, err: unknown, hint: string): IfaxError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new IfaxError('STORE_FAILED', `${operation} failed: ${reason}${code ? ` (${code})` : ''}`, {
    cause: err,
    context: { path: dir, errno: code },
    hint,
  });
}

/**
 * Creates `dir` (and its parents) when missing, the directory itself with mode 0700 whatever
 * the umask; an existing directory keeps its mode (an administrator may have shared it on
 * purpose). STORE_FAILED (73) naming the directory when it cannot be made or is not one.
 * The state directory and every folder in it (inbox/, outbox/, spool/, other/, partials/)
 * are made here; `operation` names what needed a folder ("storing a received fax"), by
 * default the opening of the state directory itself.
 */
export function ensureStateDir(dir: string, operation?: string): string {
  const abs = path.resolve(dir);
  const op = operation ?? `opening the state directory ${JSON.stringify(abs)}`;
  const it = operation ? JSON.stringify(abs) : 'it';
  let created: string | undefined;
  try {
    created = mkdirSync(abs, { recursive: true, mode: STATE_DIR_MODE });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `A file is in the way: ${JSON.stringify(abs)} or a folder above it is not a directory. Move it, or set stateDir elsewhere.`
        : `Create it by hand (mkdir -m 700 ${JSON.stringify(abs)}), or set stateDir in the profile to a directory you can write.`;
    throw storeError(op, `${it} cannot be created`, abs, err, hint);
  }
  try {
    if (created !== undefined) chmodSync(abs, STATE_DIR_MODE);
    if (!statSync(abs).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw storeError(op, `${it} is not a usable directory`, abs, err, 'Set stateDir in the profile to a directory you own.');
  }
  return abs;
}

/**
 * Creates the database file with mode 0600 before SQLite does (SQLite would apply the umask,
 * typically 0644); its -wal and -shm files take the same mode from it. An existing file is
 * left as it is. Errors surface when the database is opened, which names the file.
 */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', DATABASE_MODE);
  } catch {
    return; // exists, or cannot be made: openDatabase reports it with the file's name
  }
  try {
    chmodSync(file, DATABASE_MODE);
  } finally {
    closeSync(fd);
  }
}
