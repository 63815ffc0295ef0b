/**
 * Finding and reading the profile: `--config FILE`, else a cosmiconfig search (module `ifax`,
 * searchStrategy `project`: from the working directory up to the nearest package.json),
 * else the user's and the system's profile (search.ts), then the named profile, the password overrides from the environment, validation, and the
 * paths made absolute. Every password read is registered with secrets.ts before anything
 * can print it.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import YAML from 'yaml';
import { IfaxError } from '../errors.js';
import { MAX_CONFIG_BYTES } from '../limits.js';
import { registerSecret } from '../secrets.js';
import { SECRET_KEYS } from './keys.js';
import { getIn, isPlainObject } from './merge.js';
import { problemText } from './messages.js';
import type { IfaxConfig } from './schema.js';
import { tlsFileProblems } from './tls-files.js';
import { findOutsideProject, SEARCH_PLACES, searchDirs, searchOrder, type OutsideReason } from './search.js';
import { validateConfig, type ValidationResult } from './validate.js';

export { SEARCH_PLACES } from './search.js';

/** How the profile file was found. */
export type ConfigReason = 'config-option' | 'search' | 'package-json' | OutsideReason | 'defaults';

/** The formats a profile file can have; `js` profiles are read-only for ifax. */
export type ProfileFormat = 'yaml' | 'json' | 'js' | 'package-json';

export interface LoadOptions {
  /** An explicit profile file (`--config`); relative to `cwd`. */
  configPath?: string;
  /** A named profile inside the file (`--profile`). */
  profile?: string;
  /** Where the search starts and relative paths begin; default process.cwd(). */
  cwd?: string;
  /** Environment for the password overrides and XDG paths; default process.env. */
  env?: Record<string, string | undefined>;
  /** Without a profile file, return the defaults instead of failing (reason `defaults`). */
  allowMissing?: boolean;
  /** The system profile's directory; default IFAX_SYSTEM_CONFIG_DIR, else /etc/ifax. */
  systemConfigDir?: string;
}

export interface LocatedProfile {
  /** Absolute path of the file (package.json for the `ifax` key). */
  filepath: string;
  reason: Exclude<ConfigReason, 'defaults'>;
  format: ProfileFormat;
  /** The directory the search started from (cwd). */
  searchedFrom: string;
  /** The search order, in words (not used with --config). */
  searchOrder: string[];
}

export interface ReadProfile extends LocatedProfile {
  /** The file's content as parsed: the top-level settings and `profiles`. */
  raw: unknown;
  /** The file's text (not for js profiles). */
  text: string | null;
  /** File mode bits (0o600...). */
  mode: number;
}

export interface LoadedConfig {
  /** The effective settings: defaults, top-level, named profile, environment. */
  config: IfaxConfig;
  /** The profile file, or null when none was found and `allowMissing` was set. */
  filepath: string | null;
  /** Why this file: `--config`, found by the search, the `ifax` key of package.json, or none. */
  reason: ConfigReason;
  /** The human form of `reason`. */
  reasonText: string;
  /** The named profile in use, or null for the top-level settings. */
  profile: string | null;
  /** The named profiles of the file. */
  profiles: string[];
  /** Keys whose value came from the environment (IFAX_SMTP_PASSWORD...). */
  fromEnv: string[];
  /** File permissions, empty file, settings that are valid but probably unintended. */
  warnings: string[];
  format: ProfileFormat | null;
}

function formatOf(filepath: string): ProfileFormat {
  const base = path.basename(filepath);
  if (base === 'package.json') return 'package-json';
  const ext = path.extname(base).toLowerCase();
  if (ext === '.js' || ext === '.cjs' || ext === '.mjs') return 'js';
  if (ext === '.json') return 'json';
  return 'yaml';
}

function tooBig(filepath: string, size: number): IfaxError {
  return new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath} is ${size} bytes, more than MAX_CONFIG_BYTES (${MAX_CONFIG_BYTES}); a profile is a few KB`, {
    context: { file: filepath, size, limit: 'MAX_CONFIG_BYTES' },
  });
}

/** " (line L, column C)" of a JSON syntax error, from the position in V8's message, or "". */
function jsonErrorPlace(err: unknown, text: string): string {
  const m = /position (\d+)/.exec((err as Error).message ?? '');
  if (!m) return '';
  const lines = text.slice(0, Number(m[1])).split('\n');
  return ` (line ${lines.length}, column ${lines[lines.length - 1].length + 1})`;
}

/** Parse YAML (which covers JSON and `.ifaxrc` without extension) or JSON text. */
export function parseProfileText(text: string, filepath: string, format: 'yaml' | 'json'): unknown {
  if (text.length > MAX_CONFIG_BYTES) throw tooBig(filepath, text.length);
  if (text.trim() === '') return undefined;
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      // V8's message may quote the text around the error, which may be a password: say where only.
      throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath} is not valid JSON${jsonErrorPlace(err, text)}`, { context: { file: filepath } });
    }
  }
  // YAML 1.2 core schema: `yes`/`no` are strings, not booleans (the schema says so if used);
  // duplicate keys are errors, because the second one silently winning hides mistakes.
  const doc = YAML.parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath} is not valid YAML: ${first.message.split('\n')[0]}`, {
      cause: first,
      context: { file: filepath, line: first.linePos?.[0]?.line },
    });
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** cosmiconfig loaders: our parsers, with the size limit and without `$import`. */
function loader(format: 'yaml' | 'json'): Loader {
  return (filepath, content) => {
    const v = parseProfileText(content, filepath, format);
    const own = path.basename(filepath) === 'package.json' && isPlainObject(v) ? v.ifax : v;
    if (isPlainObject(own) && '$import' in own) {
      throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath}: $import is not supported; keep a profile in one file (use profiles: for variants)`);
    }
    return v ?? undefined;
  };
}

async function readJs(filepath: string, text: string): Promise<unknown> {
  const ext = path.extname(filepath) as '.js' | '.cjs' | '.mjs';
  try {
    return await defaultLoaders[ext](filepath, text);
  } catch (err) {
    throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath} could not be loaded: ${(err as Error).message}`, { cause: err, context: { file: filepath } });
  }
}

/**
 * Find the profile file without reading settings from it: `--config`, the project search,
 * then the user's and the system's profile. Returns null when the search finds nothing.
 */
export async function locateConfig(options: Pick<LoadOptions, 'configPath' | 'cwd' | 'env' | 'systemConfigDir'> = {}): Promise<LocatedProfile | null> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const dirs = searchDirs(options.env ?? process.env, options.systemConfigDir);
  const order = searchOrder(cwd, dirs).map((s) => s.text);
  if (options.configPath !== undefined) {
    const filepath = path.resolve(cwd, options.configPath);
    return { filepath, reason: 'config-option', format: formatOf(filepath), searchedFrom: cwd, searchOrder: order };
  }
  const explorer = cosmiconfig('ifax', {
    searchStrategy: 'project',
    searchPlaces: [...SEARCH_PLACES],
    cache: false,
    ignoreEmptySearchPlaces: false,
    loaders: {
      '.json': loader('json'),
      '.yaml': loader('yaml'),
      '.yml': loader('yaml'),
      noExt: loader('yaml'),
      '.js': (f, c) => readJs(f, c),
      '.cjs': (f, c) => readJs(f, c),
      '.mjs': (f, c) => readJs(f, c),
    },
  });
  const found = await explorer.search(cwd);
  if (!found) {
    const outside = findOutsideProject(dirs);
    return outside && { ...outside, format: formatOf(outside.filepath), searchedFrom: cwd, searchOrder: order };
  }
  const format = formatOf(found.filepath);
  return { filepath: found.filepath, reason: format === 'package-json' ? 'package-json' : 'search', format, searchedFrom: cwd, searchOrder: order };
}

/** Read and parse a located profile file (no validation). */
export async function readProfile(located: LocatedProfile): Promise<ReadProfile> {
  const { filepath } = located;
  if (/\.[cm]?ts$/i.test(filepath)) {
    throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath}: TypeScript profiles are not supported`, {
      hint: 'use .ifaxrc.yaml, .ifaxrc.json or .ifaxrc.js',
    });
  }
  let info;
  try {
    info = await stat(filepath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A file the user named with --config is an input: missing, it exits 66 (CLI.md), as a
    // missing FILE argument does; a file the search found and lost again stays a profile error.
    if (code === 'ENOENT' && located.reason === 'config-option') {
      throw new IfaxError('INPUT_NOT_FOUND', `reading profile failed: --config ${JSON.stringify(filepath)} does not exist`, {
        cause: err,
        hint: "check the path, or write one with 'ifax --config FILE config init'",
        context: { file: filepath, option: '--config' },
      });
    }
    throw new IfaxError('CONFIG_NOT_FOUND', `reading profile failed: ${filepath} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`, {
      cause: err,
      hint: code === 'ENOENT' ? "write one with 'ifax config init' (it takes --config FILE too)" : undefined,
      context: { file: filepath },
    });
  }
  if (!info.isFile()) throw new IfaxError('CONFIG_NOT_FOUND', `reading profile failed: ${filepath} is not a file`, { context: { file: filepath } });
  if (info.size > MAX_CONFIG_BYTES) throw tooBig(filepath, info.size);
  let text: string;
  try {
    text = await readFile(filepath, 'utf8');
  } catch (err) {
    throw new IfaxError('CONFIG_NOT_FOUND', `reading profile failed: ${filepath} cannot be read (${(err as NodeJS.ErrnoException).code})`, { cause: err, context: { file: filepath } });
  }
  let raw: unknown;
  if (located.format === 'js') {
    raw = await readJs(filepath, text);
  } else if (located.format === 'package-json') {
    const pkg = parseProfileText(text, filepath, 'json');
    raw = isPlainObject(pkg) ? pkg.ifax : undefined;
    if (raw === undefined) throw new IfaxError('CONFIG_NOT_FOUND', `reading profile failed: ${filepath} has no "ifax" key`, { context: { file: filepath } });
  } else {
    raw = parseProfileText(text, filepath, located.format === 'json' ? 'json' : 'yaml');
  }
  if (isPlainObject(raw) && '$import' in raw) {
    throw new IfaxError('CONFIG_INVALID', `reading profile failed: ${filepath}: $import is not supported; keep a profile in one file (use profiles: for variants)`);
  }
  return { ...located, raw, text: located.format === 'js' ? null : text, mode: info.mode & 0o7777 };
}

/** Register every password of the file (top-level and profiles) and of the environment. */
export function registerSecrets(raw: unknown, env: Record<string, string | undefined>): void {
  const roots = [raw, ...(isPlainObject(raw) && isPlainObject(raw.profiles) ? Object.values(raw.profiles) : [])];
  for (const root of roots) {
    for (const key of SECRET_KEYS) {
      const v = getIn(root, key.split('.'));
      if (typeof v === 'string') registerSecret(v);
      else if (typeof v === 'number') registerSecret(String(v));
    }
  }
  for (const name of ['IFAX_SMTP_PASSWORD', 'IFAX_POP_PASSWORD', 'IFAX_LDAP_PASSWORD', 'IFAX_PASSWORD']) registerSecret(env[name]);
}

/** Whether the file content holds a password anywhere. */
export function holdsSecret(raw: unknown): boolean {
  const roots = [raw, ...(isPlainObject(raw) && isPlainObject(raw.profiles) ? Object.values(raw.profiles) : [])];
  return roots.some((root) => SECRET_KEYS.some((key) => {
    const v = getIn(root, key.split('.'));
    return v !== undefined && v !== null && v !== '';
  }));
}

/** The warning for a password file others can read, or null. */
export function permissionWarning(filepath: string, mode: number, raw: unknown): string | null {
  if (process.platform === 'win32' || (mode & 0o077) === 0 || !holdsSecret(raw)) return null;
  return `${filepath} holds a password and is readable by ${mode & 0o070 ? 'group' : ''}${mode & 0o070 && mode & 0o007 ? ' and ' : ''}${mode & 0o007 ? 'others' : ''} (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${filepath}`;
}

export function reasonText(reason: ConfigReason, searchedFrom: string): string {
  switch (reason) {
    case 'config-option':
      return 'given with --config';
    case 'search':
      return `found searching up from ${searchedFrom}`;
    case 'package-json':
      return `the "ifax" key of package.json, found searching up from ${searchedFrom}`;
    case 'user':
      return `the user's profile ($XDG_CONFIG_HOME/ifax), found after searching up from ${searchedFrom}`;
    case 'home':
      return `the user's profile in the home directory, found after searching up from ${searchedFrom}`;
    case 'system':
      return `the system's profile, found after searching up from ${searchedFrom}`;
    default:
      return 'no profile file: defaults';
  }
}

function expandPath(p: string | null, base: string, env: Record<string, string | undefined>): string | null {
  if (p === null) return null;
  const home = env.HOME ?? homedir();
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(base, p);
}

/**
 * Paths in a profile are relative to the file's directory (cron runs commands from $HOME,
 * not from where the profile lives); `~/` is the home directory. stateDir null becomes
 * $XDG_STATE_HOME/ifax (default ~/.local/state/ifax).
 */
export function resolvePaths(c: IfaxConfig, base: string, env: Record<string, string | undefined>): IfaxConfig {
  const home = env.HOME ?? homedir();
  const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return {
    ...c,
    download: { ...c.download, dir: expandPath(c.download.dir, base, env) },
    tls: { ...c.tls, caFile: expandPath(c.tls.caFile, base, env), crlFile: expandPath(c.tls.crlFile, base, env) },
    stateDir: expandPath(c.stateDir, base, env) ?? path.join(xdg, 'ifax'),
  };
}

/** The "invalid profile" error: every problem on its own line. */
export function invalidError(result: Extract<ValidationResult, { ok: false }>, filepath: string | null, operation = 'loading profile'): IfaxError {
  const where = filepath ?? 'the profile';
  const unknownProfile = result.problems.length === 1 && result.problems[0].key === 'profiles' && result.problems[0].message.startsWith('no profile');
  if (unknownProfile) {
    return new IfaxError('CONFIG_INVALID', `${operation} failed: ${where}: ${result.problems[0].message}`, {
      hint: result.profiles.length > 0 ? `choose one with --profile NAME: ${result.profiles.join(', ')}` : 'add one under profiles: in the file, or leave out --profile',
      context: { file: filepath, profile: result.profile, profiles: result.profiles, problems: result.problems },
    });
  }
  const n = result.problems.length;
  return new IfaxError('CONFIG_INVALID', `${operation} failed: ${where} has ${n} problem${n === 1 ? '' : 's'}:\n  ${result.problems.map(problemText).join('\n  ')}`, {
    hint: "fix them in the file, or with 'ifax config set KEY VALUE'",
    context: { file: filepath, profile: result.profile, problems: result.problems },
  });
}

/** The search order from `cwd` in words, for the "not found" message and `config path`. */
export function searchedPlaces(cwd: string, env: Record<string, string | undefined>, systemConfigDir?: string): string[] {
  return searchOrder(cwd, searchDirs(env, systemConfigDir)).map((s) => s.text);
}

/** Not found: name the places searched, in order. */
export function notFoundError(cwd: string, order: readonly string[] = []): IfaxError {
  const places = order.length > 0 ? order.map((p, i) => `\n  ${i + 1}. ${p}`).join('') : ` (${SEARCH_PLACES.slice(0, -1).join(', ')}, or the "ifax" key of package.json)`;
  return new IfaxError('CONFIG_NOT_FOUND', `loading profile failed: no profile found searching up from ${cwd}${order.length > 0 ? ', nor outside the project; searched:' : ''}${places}`, {
    hint: "write one with 'ifax config init' (here) or 'ifax config init --global' (for cron: the user's), or name one with --config FILE",
    context: { cwd, searchPlaces: SEARCH_PLACES, searchOrder: order },
  });
}

/**
 * Load the effective settings: find the file, pick the named profile (top-level settings
 * merged deep under it), apply IFAX_*_PASSWORD, validate. Throws IfaxError CONFIG_NOT_FOUND
 * or CONFIG_INVALID (exit 78) naming every problem.
 */
export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const located = await locateConfig({ configPath: options.configPath, cwd, env, systemConfigDir: options.systemConfigDir });
  if (!located) {
    registerSecrets(undefined, env);
    if (!options.allowMissing) throw notFoundError(cwd, searchedPlaces(cwd, env, options.systemConfigDir));
    const result = validateConfig({}, { profile: options.profile ?? null, env });
    if (!result.ok) throw invalidError(result, null);
    return {
      config: resolvePaths(result.config, cwd, env),
      filepath: null,
      reason: 'defaults',
      reasonText: reasonText('defaults', cwd),
      profile: result.profile,
      profiles: [],
      fromEnv: result.fromEnv,
      warnings: result.warnings,
      format: null,
    };
  }
  const file = await readProfile(located);
  registerSecrets(file.raw, env);
  const warnings: string[] = [];
  if (file.raw === undefined) warnings.push(`${file.filepath} is empty: every setting takes its default`);
  const perm = permissionWarning(file.filepath, file.mode, file.raw);
  if (perm) warnings.push(perm);
  const result = validateConfig(file.raw, { profile: options.profile ?? null, env });
  // The TLS files the settings in use name must be there and hold what they should.
  const tlsFiles = tlsFileProblems(file.raw, { profile: result.profile, base: path.dirname(file.filepath), env });
  if (!result.ok || tlsFiles.length > 0) throw invalidError({ ...result, ok: false, problems: [...result.problems, ...tlsFiles] }, file.filepath);
  return {
    config: resolvePaths(result.config, path.dirname(file.filepath), env),
    filepath: file.filepath,
    reason: file.reason,
    reasonText: reasonText(file.reason, file.searchedFrom),
    profile: result.profile,
    profiles: result.profiles,
    fromEnv: result.fromEnv,
    warnings: [...warnings, ...result.warnings],
    format: file.format,
  };
}
