/**
 * The `ifax config` subcommands as library functions: resolving a typed key (with the nearest
 * key as a suggestion), init, show, get, set, validate and path. Each takes its I/O as
 * options (the working directory, the environment, a stdin reader) and returns what happened
 * (the values, the file written, the warnings in the order to print them); none prints or
 * exits, so src/cli/commands/config.ts only parses flags and prints, and other front ends can
 * do the same.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { registerSecret, SECRET_MASK } from '../secrets.js';
import { applyToRaw, checkChanges, commitChanges, fileKey, openForEdit } from './edit.js';
import { renderExample } from './example.js';
import { keyInfo, listKeys, rawDefaults, suggestKey, type KeyInfo } from './keys.js';
import {
  invalidError,
  loadConfig,
  locateConfig,
  notFoundError,
  permissionWarning,
  readProfile,
  reasonText,
  registerSecrets,
  searchedPlaces,
  type ConfigReason,
  type ProfileFormat,
} from './load.js';
import { maskSecrets } from './mask.js';
import { getIn } from './merge.js';
import { problemText, type Problem } from './messages.js';
import { PROFILE_NAME, type IfaxConfig } from './schema.js';
import { searchDirs, USER_CONFIG_FILE } from './search.js';
import { nearest } from './suggest.js';
import { tlsFileProblems } from './tls-files.js';
import { validateConfig } from './validate.js';
import { parseValue } from './value.js';
import { SECTION_IDS } from './wizard/sections.js';
import { atomicWrite, PROFILE_MODE } from './write.js';

/** Where a subcommand looks: the global `--config` and `--profile`, the working directory and the environment. */
export interface ConfigCommandOptions {
  /** `--config FILE`, relative to `cwd`. */
  configPath?: string;
  /** `--profile NAME`: a named profile inside the file. */
  profile?: string | null;
  /** Default process.cwd(). */
  cwd?: string;
  /** Default process.env (password overrides, permission checks, HOME and XDG_CONFIG_HOME for the search). */
  env?: Record<string, string | undefined>;
  /** The system profile's directory; default IFAX_SYSTEM_CONFIG_DIR, else /etc/ifax. */
  systemConfigDir?: string;
}

const cwdOf = (o: ConfigCommandOptions): string => path.resolve(o.cwd ?? process.cwd());
const envOf = (o: ConfigCommandOptions): Record<string, string | undefined> => o.env ?? process.env;

/** A key typed on the command line, resolved. */
export interface ResolvedKey {
  info: KeyInfo;
  /** The profile named in the key (`profiles.NAME.smtp.host`), or null. */
  profile: string | null;
  /** The key without `profiles.NAME.`. */
  bare: string;
}

/**
 * Resolve a key typed on the command line: a setting, or profiles.NAME.setting. Throws USAGE
 * for a bad profile name, `profiles` itself, an unknown key (naming the nearest one), or a
 * group of settings where one setting is needed (`allowSection` false), naming its keys.
 */
export function resolveKey(key: string, operation: string, allowSection: boolean): ResolvedKey {
  let profile: string | null = null;
  let bare = key;
  const m = /^profiles\.([^.]+)\.(.+)$/.exec(key);
  if (m) {
    if (!PROFILE_NAME.test(m[1])) throw new IfaxError('USAGE', `${operation} failed: ${JSON.stringify(m[1])} is not a profile name (letters, digits, "-", "_", ".")`);
    profile = m[1];
    bare = m[2];
  }
  if (key === 'profiles' || (key.startsWith('profiles.') && !m)) {
    throw new IfaxError('USAGE', `${operation} failed: ${JSON.stringify(key)} is not a setting; name one inside a profile, e.g. profiles.office.smtp.host`, {
      hint: "'ifax --profile NAME config show' prints a named profile's settings",
    });
  }
  const info = keyInfo(bare);
  if (!info) {
    const hint = suggestKey(key);
    throw new IfaxError('USAGE', `${operation} failed: unknown key ${JSON.stringify(key)}${hint ? `; did you mean ${hint}?` : ''}`, {
      hint: "'ifax config show' lists every key with its value; .ifaxrc.example describes them",
      context: { key, suggestion: hint },
    });
  }
  if (info.meta.kind === 'section' && !allowSection) {
    const inside = listKeys().filter((k) => k.key.startsWith(`${bare}.`)).map((k) => k.key);
    throw new IfaxError('USAGE', `${operation} failed: ${key} is a group of settings; name one of them: ${inside.slice(0, 8).join(', ')}${inside.length > 8 ? ', ...' : ''}`);
  }
  return { info, profile, bare };
}

/**
 * `config init`: write a starter profile (every setting with its default and a comment; a
 * `.json` target gets the defaults as JSON) with mode 0600. The target is `--config`, else
 * ./.ifaxrc.yaml, or with `global` the user's profile `$XDG_CONFIG_HOME/ifax/config.yaml`
 * (what cron finds; its directory is made 0700). Refuses `.js`/`.ts` targets, and an
 * existing file unless `force`. Returns the path written.
 */
export async function initProfile(options: ConfigCommandOptions & { force?: boolean; global?: boolean }): Promise<{ written: string; mode: number }> {
  if (options.global && options.configPath !== undefined) {
    throw new IfaxError('USAGE', 'config init failed: --global and --config name two different files', { hint: 'use one of them' });
  }
  let target: string;
  if (options.global) {
    const dir = searchDirs(envOf(options), options.systemConfigDir).userDir;
    target = path.join(dir, USER_CONFIG_FILE);
    try {
      // 0700: the directory of a file that may hold passwords (only new directories get it).
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new IfaxError('OUTPUT_FAILED', `config init failed: cannot create ${dir} (${(err as NodeJS.ErrnoException).code})`, { cause: err, context: { dir } });
    }
  } else {
    target = path.resolve(cwdOf(options), options.configPath ?? '.ifaxrc.yaml');
  }
  if (/\.(?:[cm]?js|[cm]?ts)$/i.test(target)) {
    throw new IfaxError('USAGE', `config init failed: ${target}: init writes YAML or JSON profiles`, { hint: 'name a .yaml, .yml or .json file' });
  }
  if (existsSync(target) && !options.force) {
    throw new IfaxError('OUTPUT_FAILED', `config init failed: ${target} exists`, {
      hint: "use --force to overwrite it, or change single settings with 'ifax config set KEY VALUE'",
      context: { file: target },
    });
  }
  const text = /\.json$/i.test(target) ? JSON.stringify(rawDefaults(), null, 2) + '\n' : renderExample({ starter: true });
  const written = await atomicWrite(target, text, { mode: PROFILE_MODE, exclusive: !options.force });
  return { written, mode: PROFILE_MODE };
}

/** The effective profile, passwords masked, as `config show` prints it. */
export interface ShownSettings {
  filepath: string;
  /** The named profile shown, or null. */
  profile: string | null;
  /** How the file was found, in words. */
  reasonText: string;
  /** Keys whose value came from the environment. */
  fromEnv: string[];
  warnings: string[];
  /** The settings with every password as ********. */
  settings: IfaxConfig;
}

/** `config show`: load the effective settings (defaults, file, profile, environment) and mask the passwords. */
export async function showSettings(options: ConfigCommandOptions): Promise<ShownSettings> {
  const loaded = await loadConfig({ configPath: options.configPath, profile: options.profile ?? undefined, cwd: cwdOf(options), env: envOf(options), systemConfigDir: options.systemConfigDir });
  return {
    filepath: loaded.filepath ?? '',
    profile: loaded.profile,
    reasonText: loaded.reasonText,
    fromEnv: loaded.fromEnv,
    warnings: loaded.warnings,
    settings: maskSecrets(loaded.config),
  };
}

/** One setting's effective value (a password as ********). */
export interface GotSetting {
  key: string;
  value: unknown;
  /** The key names a group of settings: `value` is an object. */
  isSection: boolean;
  warnings: string[];
}

/** `config get`: the effective value of a key (a setting, a group, or profiles.NAME.KEY). */
export async function getSetting(options: ConfigCommandOptions & { key: string }): Promise<GotSetting> {
  const { info, profile } = resolveKey(options.key, 'config get', true);
  const loaded = await loadConfig({ configPath: options.configPath, profile: profile ?? options.profile ?? undefined, cwd: cwdOf(options), env: envOf(options), systemConfigDir: options.systemConfigDir });
  return {
    key: options.key,
    value: getIn(maskSecrets(loaded.config), info.path),
    isSection: info.meta.kind === 'section',
    warnings: loaded.warnings,
  };
}

/** What `config set` did. */
export interface SetResult {
  file: string;
  /** The key written in the file (under profiles.NAME when a profile was edited). */
  key: string;
  /** The value written; a password as ********. */
  value: unknown;
  /** Warnings to print before the result: a password on the command line, the mode narrowed. */
  warnings: string[];
}

/**
 * `config set`: parse `valueText` by the key's type ('-' reads it with `readStdin`), validate
 * the whole file as it would be, and only then write it (atomically, keeping its format and
 * comments). Throws CONFIG_INVALID listing every problem when the result would be invalid.
 */
export async function setSetting(options: ConfigCommandOptions & { key: string; valueText: string; readStdin: () => string }): Promise<SetResult> {
  const { info, profile: keyProfile } = resolveKey(options.key, 'config set', false);
  const secret = info.meta.secret === true;
  const fromStdin = options.valueText === '-';
  const text = fromStdin ? options.readStdin() : options.valueText;
  // Registered before anything can fail, so that no message or error can print it.
  if (secret) registerSecret(text);
  const value = parseValue(info.meta, text);
  const env = envOf(options);
  const session = await openForEdit({ configPath: options.configPath, cwd: cwdOf(options), env, systemConfigDir: options.systemConfigDir, profile: keyProfile !== null ? null : (options.profile ?? null) });
  const target = fileKey(session, options.key);
  const changes = [{ key: target, value }];
  const check = checkChanges(session, changes, env);
  // Nothing is written unless the whole file would be valid: the key's own rules first, then a TLS file it names.
  const refuse = (problems: Problem[], hint: string): IfaxError =>
    new IfaxError('CONFIG_INVALID', `config set failed: ${session.filepath} would not be valid; nothing written:\n  ${problems.map(problemText).join('\n  ')}`, {
      hint,
      context: { file: session.filepath, key: target, problems },
    });
  if (!check.ok) throw refuse(check.problems, `'${info.key}' and its limit are described in .ifaxrc.example (and 'ifax config set --help')`);
  const tlsFiles = /^tls\.(caFile|crlFile)$/.test(info.key)
    ? tlsFileProblems(applyToRaw(session.raw, changes), { profile: session.profile ?? keyProfile, base: path.dirname(session.filepath), env }).filter((p) => p.key === target)
    : [];
  if (tlsFiles.length > 0) throw refuse(tlsFiles, "name a file that holds the PEM (or DER) certificates or CRL; a relative path is relative to the profile's folder");
  const done = await commitChanges(session, changes);
  const warnings: string[] = [];
  if (secret && !fromStdin) warnings.push(`a password on the command line shows in ps and shell history; prefer ${info.meta.env ?? 'the environment'} or '-' (read from stdin)`);
  if (done.tightened) warnings.push(`${done.filepath} now holds a password: its mode is now ${done.mode.toString(8).padStart(4, '0')}`);
  return { file: done.filepath, key: target, value: secret && value !== null ? SECRET_MASK : value, warnings };
}

/** What `config validate` found. */
export type ValidateReport =
  | {
      ok: true;
      file: string;
      /** The named profile checked (`--profile`), or null: then the top level and every profile. */
      profile: string | null;
      profiles: string[];
      warnings: string[];
    }
  | {
      ok: false;
      file: string;
      /** Warnings worth printing even so (a password file others can read). */
      warnings: string[];
      problems: Problem[];
      /** The CONFIG_INVALID error naming every problem, for the caller to throw. */
      error: IfaxError;
    };

/**
 * `config validate`: check the file as it is (every key, every named profile, or the one
 * named), with the environment's password overrides, and the TLS files it names. With
 * `strict`, functions switched on that cannot work (POP without pop.host, alerts without
 * notify.adminEmail) are problems too, not warnings: for scripts that deploy profiles.
 * Throws CONFIG_NOT_FOUND when there is no file; an invalid file is a report with `ok:
 * false` and the error to throw.
 */
export async function validateProfile(options: ConfigCommandOptions & { strict?: boolean }): Promise<ValidateReport> {
  const cwd = cwdOf(options);
  const env = envOf(options);
  const located = await locateConfig({ configPath: options.configPath, cwd, env, systemConfigDir: options.systemConfigDir });
  if (!located) throw notFoundError(cwd, searchedPlaces(cwd, env, options.systemConfigDir));
  const file = await readProfile(located);
  registerSecrets(file.raw, env);
  const result = validateConfig(file.raw, { profile: options.profile ?? null, env });
  const perm = permissionWarning(file.filepath, file.mode, file.raw);
  const tlsFiles = tlsFileProblems(file.raw, { profile: options.profile ?? null, everyProfile: true, base: path.dirname(file.filepath), env });
  const strictProblems = options.strict && result.ok ? result.incomplete : [];
  if (!result.ok || tlsFiles.length > 0 || strictProblems.length > 0) {
    const problems = [...result.problems, ...tlsFiles, ...strictProblems];
    const error = invalidError({ ...result, ok: false, problems }, file.filepath, options.strict ? 'config validate --strict' : 'config validate');
    // What --strict adds is said as such: the file is valid, the functions it turns on are not complete.
    const warnings = [...(perm ? [perm] : []), ...(result.ok ? result.warnings.filter((w) => !strictProblems.some((p) => w.includes(problemText(p)))) : [])];
    return { ok: false, file: file.filepath, warnings, problems, error };
  }
  const warnings = [...(file.raw === undefined ? [`${file.filepath} is empty: every setting takes its default`] : []), ...(perm ? [perm] : []), ...result.warnings];
  return { ok: true, file: file.filepath, profile: result.profile, profiles: result.profiles, warnings };
}

/** Which profile file is used, and why. */
export interface LocatedReport {
  file: string;
  reason: Exclude<ConfigReason, 'defaults'>;
  reasonText: string;
  format: ProfileFormat;
  searchedFrom: string;
  /** Where the search looks, in order (it does not run with --config). */
  searchOrder: string[];
}

/** `config path`: the profile file, how it was found and the search order. Throws CONFIG_NOT_FOUND when there is none (or `--config` names a missing file). */
export async function locateProfile(options: ConfigCommandOptions): Promise<LocatedReport> {
  const cwd = cwdOf(options);
  const env = envOf(options);
  const located = await locateConfig({ configPath: options.configPath, cwd, env, systemConfigDir: options.systemConfigDir });
  if (!located) throw notFoundError(cwd, searchedPlaces(cwd, env, options.systemConfigDir));
  if (!existsSync(located.filepath)) {
    throw new IfaxError('INPUT_NOT_FOUND', `config path failed: ${JSON.stringify(located.filepath)} (given with --config) does not exist`, { hint: "write it with 'ifax config init'" });
  }
  return {
    file: located.filepath,
    reason: located.reason,
    reasonText: reasonText(located.reason, located.searchedFrom),
    format: located.format,
    searchedFrom: located.searchedFrom,
    searchOrder: located.searchOrder,
  };
}

/** The wizard's `--section a,b`: the section ids, each checked (USAGE naming the nearest one). */
export function parseSections(text: string): string[] {
  const sections = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sections) {
    if (!SECTION_IDS.includes(s)) {
      const near = nearest(s, SECTION_IDS);
      throw new IfaxError('USAGE', `config wizard failed: unknown section ${JSON.stringify(s)}${near ? `; did you mean ${near}?` : ''}`, { hint: `sections: ${SECTION_IDS.join(', ')}` });
    }
  }
  return sections;
}
