/**
 * Editing a profile file, shared by `ifax config set` and the wizard: open the file (or a
 * new one), apply changes to its parsed content to validate the result as a whole, apply the
 * same changes to its text (keeping format and comments), and write it atomically.
 */
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { renderExample } from './example.js';
import { SECRET_KEYS, splitProfileKey } from './keys.js';
import { getIn, isPlainObject, setIn } from './merge.js';
import { holdsSecret, locateConfig, notFoundError, searchedPlaces, parseProfileText, readProfile, registerSecrets, type ProfileFormat, type ReadProfile } from './load.js';
import { validateConfig, type ValidationResult } from './validate.js';
import { atomicWrite, editProfileText, PROFILE_MODE } from './write.js';

/** One change: a key of the file (`smtp.host` or `profiles.office.smtp.host`) and its new value (undefined removes it). */
export interface Change {
  key: string;
  value: unknown;
}

export interface EditSession {
  filepath: string;
  /** False when the file is to be created (wizard, first run). */
  exists: boolean;
  format: ProfileFormat;
  /** The file's text (a new file starts as the starter profile of `ifax config init`). */
  text: string;
  /** The parsed content. */
  raw: Record<string, unknown>;
  /** Mode of the existing file. */
  mode: number | null;
  /** The named profile edited (changes go under profiles.NAME), or null. */
  profile: string | null;
  file: ReadProfile | null;
}

export interface OpenOptions {
  configPath?: string;
  cwd?: string;
  profile?: string | null;
  /** Without a file: start a new one (`--config` path or ./.ifaxrc.yaml) instead of failing. */
  create?: boolean;
  env?: Record<string, string | undefined>;
  /** The system profile's directory (load.ts). */
  systemConfigDir?: string;
}

/** The default file a first wizard run creates. */
export const DEFAULT_PROFILE_FILE = '.ifaxrc.yaml';

/** Open the profile for editing. `.js` profiles are refused here, before any question is asked. */
export async function openForEdit(options: OpenOptions): Promise<EditSession> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const located = await locateConfig({ configPath: options.configPath, cwd, env, systemConfigDir: options.systemConfigDir });
  const profile = options.profile ?? null;
  let file: ReadProfile | null = null;
  if (located) {
    try {
      file = await readProfile(located);
    } catch (err) {
      if (!(err instanceof IfaxError && (err.code === 'INPUT_NOT_FOUND' || err.code === 'CONFIG_NOT_FOUND') && options.create && located.reason === 'config-option')) throw err;
    }
  }
  if (!file) {
    if (!options.create) throw located ? new IfaxError(located.reason === 'config-option' ? 'INPUT_NOT_FOUND' : 'CONFIG_NOT_FOUND', `editing profile failed: ${JSON.stringify(located.filepath)} does not exist`) : notFoundError(cwd, searchedPlaces(cwd, env, options.systemConfigDir));
    const filepath = located?.filepath ?? path.join(cwd, DEFAULT_PROFILE_FILE);
    const format = located?.format ?? 'yaml';
    if (format === 'js' || format === 'package-json') throw cannotEdit(filepath, format);
    const text = format === 'json' ? '{}\n' : renderExample({ starter: true });
    const raw = (parseProfileText(text, filepath, format === 'json' ? 'json' : 'yaml') ?? {}) as Record<string, unknown>;
    if (profile !== null) throw unknownProfile(filepath, profile, []);
    return { filepath, exists: false, format, text, raw, mode: null, profile, file: null };
  }
  if (file.format === 'js') throw cannotEdit(file.filepath, 'js');
  registerSecrets(file.raw, env);
  const raw = file.raw === undefined || file.raw === null ? {} : file.raw;
  if (!isPlainObject(raw)) throw new IfaxError('CONFIG_INVALID', `editing profile failed: ${file.filepath} does not hold a map of settings (key: value)`);
  if (profile !== null) {
    const names = isPlainObject(raw.profiles) ? Object.keys(raw.profiles) : [];
    if (!names.includes(profile)) throw unknownProfile(file.filepath, profile, names);
  }
  return { filepath: file.filepath, exists: true, format: file.format, text: file.text ?? '', raw, mode: file.mode & 0o777, profile, file };
}

function cannotEdit(filepath: string, format: ProfileFormat): IfaxError {
  return new IfaxError('OUTPUT_FAILED', `editing profile failed: ${filepath} is ${format === 'js' ? 'JavaScript' : 'package.json'}, which ifax cannot ${format === 'js' ? 'edit' : 'create'}`, {
    hint: 'change it by hand, or move the settings to .ifaxrc.yaml and use --config .ifaxrc.yaml',
    context: { file: filepath },
  });
}

function unknownProfile(filepath: string, name: string, names: string[]): IfaxError {
  return new IfaxError('CONFIG_INVALID', `editing profile failed: ${filepath} has no profile ${JSON.stringify(name)}; ${names.length ? `known: ${names.join(', ')}` : 'the file has no profiles'}`, {
    hint: `create it with 'ifax config set profiles.${name}.KEY VALUE' (without --profile)`,
    context: { file: filepath, profile: name, profiles: names },
  });
}

/** The key of the file a setting is written to: under profiles.NAME when a profile is edited. */
export function fileKey(session: EditSession, key: string): string {
  if (session.profile === null || key.startsWith('profiles.')) return key;
  return `profiles.${session.profile}.${key}`;
}

/** The parsed content with `changes` applied (nothing written). */
export function applyToRaw(raw: Record<string, unknown>, changes: readonly Change[]): Record<string, unknown> {
  let out = raw;
  for (const c of changes) out = setIn(out, c.key.split('.'), c.value);
  return out;
}

/** Validate the whole file as it would be after `changes`. */
export function checkChanges(session: EditSession, changes: readonly Change[], env: Record<string, string | undefined>): ValidationResult {
  return validateConfig(applyToRaw(session.raw, changes), { profile: session.profile, env });
}

export interface Committed {
  filepath: string;
  mode: number;
  /** The mode was narrowed to 0600 because the file now holds a password. */
  tightened: boolean;
}

/**
 * Write the file with `changes` applied to its text. New files are 0600; an existing file
 * keeps its mode, except that group/other access is removed when the file now holds a password.
 */
export async function commitChanges(session: EditSession, changes: readonly Change[]): Promise<Committed> {
  let text = session.text;
  for (const c of changes) text = editProfileText(text, session.format, c.key.split('.'), c.value, session.filepath);
  const after = applyToRaw(session.raw, changes);
  let mode = session.mode ?? PROFILE_MODE;
  let tightened = false;
  if (holdsSecret(after) && (mode & 0o077) !== 0 && process.platform !== 'win32') {
    mode &= ~0o077;
    tightened = true;
  }
  const filepath = await atomicWrite(session.filepath, text, { mode, exclusive: !session.exists });
  return { filepath, mode, tightened };
}

/** The current value of a setting in the session (file values only, no defaults), or undefined. */
export function fileValue(session: EditSession, key: string): unknown {
  return getIn(session.raw, fileKey(session, key).split('.'));
}

/** Whether `key` (any form) names a password. */
export function isPasswordKey(key: string): boolean {
  return (SECRET_KEYS as readonly string[]).includes(splitProfileKey(key).key);
}
