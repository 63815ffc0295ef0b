/**
 * One wizard session against a file: open the profile (or start a new `.ifaxrc.yaml`), run
 * the wizard from its current values, and write the confirmed changes atomically (0600 for
 * a new file). The CLI checks for a terminal and passes the real prompts; tests pass
 * scripted ones.
 */
import path from 'node:path';
import { IfaxError } from '../../errors.js';
import { applyToRaw, checkChanges, commitChanges, fileKey, openForEdit, type Committed } from '../edit.js';
import { deepMerge, isPlainObject, setIn } from '../merge.js';
import { problemText, type Problem } from '../messages.js';
import { settingsObject } from '../schema.js';
import { envSecrets } from '../validate.js';
import type { WizardPrompts } from './prompts.js';
import { runWizard } from './run.js';
import { expandProfilePath, tlsFileProblem, tlsFileProblems } from '../tls-files.js';

export interface WizardSessionOptions {
  prompts: WizardPrompts;
  configPath?: string;
  profile?: string | null;
  cwd?: string;
  sections?: readonly string[];
  env?: Record<string, string | undefined>;
  /** The system profile's directory (load.ts). */
  systemConfigDir?: string;
  print: (line: string) => void;
}

export interface WizardSessionResult {
  /** The file written, or null when nothing was written. */
  written: Committed | null;
  filepath: string;
  changes: number;
  problems: Problem[];
}

/**
 * The settings the wizard starts from: defaults, the file's top level, the named profile.
 * Keys that fail their checks start from their defaults; the check at the end of the
 * wizard names them, and the wizard asks for them again.
 */
export function startingValues(raw: Record<string, unknown>, profile: string | null): Record<string, unknown> {
  const { profiles, ...top } = raw;
  let merged: Record<string, unknown> = top;
  if (profile !== null && isPlainObject(profiles) && isPlainObject(profiles[profile])) merged = deepMerge(top, profiles[profile]);
  for (let i = 0; i < 50; i++) {
    const r = settingsObject.safeParse(merged);
    if (r.success) return r.data as Record<string, unknown>;
    for (const issue of r.error.issues) {
      const path = issue.path.map(String);
      const cut = path.findIndex((p) => /^\d+$/.test(p));
      const leaf = cut >= 0 ? path.slice(0, cut) : path;
      if (issue.code === 'unrecognized_keys') for (const k of issue.keys) merged = setIn(merged, [...path, k], undefined);
      else if (leaf.length > 0) merged = setIn(merged, leaf, undefined);
      else merged = {};
    }
  }
  return settingsObject.parse({}) as Record<string, unknown>;
}

/** Open, ask, write. Throws IfaxError for files that cannot be edited; prompt errors (Ctrl-C) pass through. */
export async function runWizardSession(options: WizardSessionOptions): Promise<WizardSessionResult> {
  const env = options.env ?? process.env;
  const session = await openForEdit({ configPath: options.configPath, cwd: options.cwd, profile: options.profile ?? null, create: true, env, systemConfigDir: options.systemConfigDir });
  // Paths in a profile are relative to its folder (load.ts).
  const base = path.dirname(session.filepath);
  const target = session.profile ? `${session.filepath} (profile ${session.profile})` : session.filepath;
  options.print(session.exists ? `Editing ${target}` : `Creating ${session.filepath} (mode 0600)`);
  options.print('Enter keeps the value shown; passwords are masked and kept when left empty.');
  const result = await runWizard({
    prompts: options.prompts,
    current: startingValues(session.raw, session.profile),
    sections: options.sections,
    fromEnv: envSecrets(env).map((e) => e.key),
    print: options.print,
    target,
    fileKey: (k) => fileKey(session, k),
    check: (changes) => {
      const r = checkChanges(session, changes, env);
      if (!r.ok) return r.problems;
      return tlsFileProblems(applyToRaw(session.raw, changes), { profile: session.profile, base, env });
    },
    checkKey: (key, value) => {
      if ((key !== 'tls.caFile' && key !== 'tls.crlFile') || typeof value !== 'string' || value === '') return null;
      return tlsFileProblem(key, expandProfilePath(value, base, env), value)?.message ?? null;
    },
    warnings: (changes) => {
      const r = checkChanges(session, changes, env);
      return r.ok ? r.warnings : [];
    },
  });
  if (!result.confirmed) {
    if (result.problems.length > 0) {
      throw new IfaxError('CONFIG_INVALID', `config wizard failed: nothing written; the profile would not be valid:\n  ${result.problems.map(problemText).join('\n  ')}`, {
        hint: "run the wizard again, or fix the keys with 'ifax config set KEY VALUE'",
        context: { file: session.filepath, problems: result.problems },
      });
    }
    return { written: null, filepath: session.filepath, changes: 0, problems: [] };
  }
  const written = await commitChanges(session, result.changes);
  return { written, filepath: written.filepath, changes: result.changes.length, problems: [] };
}
