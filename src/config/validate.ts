/**
 * Validation of a whole profile file: the top-level settings, every named profile merged
 * deep over them, and the passwords from the environment. Reports every problem at once,
 * each naming its key. Pure: no `node:` imports (the environment comes in as an object).
 *
 * Which settings must pass the rules between keys (rules.ts):
 * - with a profile chosen (`--profile NAME`): the top-level settings merged with that profile;
 * - without: the top-level settings alone (that is what a command without --profile uses),
 *   and each named profile merged over them.
 * Every key's own checks apply to the whole file in both cases, except named profiles other
 * than the chosen one, which are not looked at when one is chosen.
 */
import type { z } from 'zod';
import { SECRET_ENV, configSchema, fileObject, type IfaxConfig } from './schema.js';
import { keyInfo } from './keys.js';
import { clone, deepMerge, getIn, isPlainObject, setIn } from './merge.js';
import { problemsFromIssues, problemText, type Problem } from './messages.js';
import { incompleteFunctions } from './readiness.js';
import { configWarnings } from './warnings.js';

export interface ValidateOptions {
  /** The named profile to check and return (profiles.NAME); none = the top-level settings. */
  profile?: string | null;
  /** Environment with the password overrides (IFAX_SMTP_PASSWORD...); none = no overrides. */
  env?: Record<string, string | undefined>;
}

interface Common {
  /** The profile that was checked (null = top-level). */
  profile: string | null;
  /** Names of the profiles of the file. */
  profiles: string[];
  /** Keys whose value came from the environment. */
  fromEnv: string[];
  /** Valid but probably unintended settings. */
  warnings: string[];
  /** Keys that functions switched on lack (readiness.ts): warnings, errors with `config validate --strict`. */
  incomplete: Problem[];
}

export type ValidationResult = (Common & { ok: true; config: IfaxConfig; problems: [] }) | (Common & { ok: false; problems: Problem[] });

/** The password overrides present in `env` (empty values count as absent). */
export function envSecrets(env: Record<string, string | undefined> | undefined): Array<{ key: string; env: string; value: string }> {
  if (!env) return [];
  const out: Array<{ key: string; env: string; value: string }> = [];
  for (const [key, name] of Object.entries(SECRET_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') out.push({ key, env: name, value });
  }
  return out;
}

/**
 * Problems the rules between keys find even while some keys fail their own checks: the
 * failing keys are put back to their defaults and the rules run on the rest. Problems on a
 * key that already has one are left out.
 */
function crossProblemsDespite(input: Record<string, unknown>, issues: readonly z.core.$ZodIssue[], known: Set<string>, prefix: string): Problem[] {
  let repaired = clone(input);
  for (const issue of issues) {
    const path = issue.path.map(String);
    const cut = path.findIndex((p) => /^\d+$/.test(p));
    const leaf = cut >= 0 ? path.slice(0, cut) : path;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) repaired = setIn(repaired, [...path, k], undefined);
    } else if (leaf.length > 0) {
      repaired = setIn(repaired, leaf, undefined);
    } else {
      return [];
    }
  }
  const again = configSchema.safeParse(repaired);
  if (again.success) return [];
  return problemsFromIssues(again.error.issues, repaired, prefix).filter((p) => !known.has(p.key));
}

/**
 * Validate a profile file's content (as parsed from YAML/JSON/JS). Returns the effective
 * settings of the chosen profile, or every problem of the file.
 */
export function validateConfig(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const chosen = options.profile ?? null;
  const fromEnv = envSecrets(options.env);
  const base: Common = { profile: chosen, profiles: [], fromEnv: fromEnv.map((e) => e.key), warnings: [], incomplete: [] };
  const doc = input === undefined || input === null ? {} : input;
  if (!isPlainObject(doc)) {
    return { ...base, ok: false, problems: problemsFromIssues(fileObject.safeParse(doc).error?.issues ?? [], doc) };
  }
  const profilesRaw = isPlainObject(doc.profiles) ? doc.profiles : {};
  base.profiles = Object.keys(profilesRaw);
  if (chosen !== null && !Object.prototype.hasOwnProperty.call(profilesRaw, chosen)) {
    const known = base.profiles.length > 0 ? `known: ${base.profiles.join(', ')}` : 'the file has no profiles';
    return { ...base, ok: false, problems: [{ key: 'profiles', message: `no profile ${JSON.stringify(chosen)}; ${known}` }] };
  }

  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (list: Problem[]) => {
    for (const p of list) {
      const t = problemText(p);
      if (!seen.has(t)) {
        seen.add(t);
        problems.push(p);
      }
    }
  };

  // Passwords from the environment are checked on their own, so the message can say where
  // the bad value came from; a bad one is not applied.
  const goodEnv: typeof fromEnv = [];
  for (const e of fromEnv) {
    const r = keyInfo(e.key)!.schema.safeParse(e.value);
    if (r.success) goodEnv.push(e);
    else add(problemsFromIssues(r.error.issues.map((i) => ({ ...i, path: e.key.split('.') })), {}, '').map((p) => ({ ...p, message: `${p.message} (from ${e.env})` })));
  }

  // 1. Every key's own checks, whole file.
  const structure = fileObject.safeParse(doc);
  const topProblems = structure.success ? [] : problemsFromIssues(structure.error.issues, doc);
  add(topProblems);
  const topTexts = new Set(topProblems.map(problemText));

  // 2. The effective settings: top-level alone and/or each profile merged over it.
  const { profiles: _drop, ...top } = doc;
  const targets: Array<string | null> = chosen !== null ? [chosen] : [null, ...base.profiles];
  let config: IfaxConfig | undefined;
  let effectiveRaw: Record<string, unknown> = top;
  for (const name of targets) {
    const prefix = name === null ? '' : `profiles.${name}.`;
    let raw: Record<string, unknown> = top;
    if (name !== null) {
      const own = profilesRaw[name];
      if (!isPlainObject(own)) continue; // reported by step 1
      const { profiles: nested, ...rest } = own;
      if (nested !== undefined) add([{ key: `${prefix}profiles`, message: 'profiles do not nest: a named profile holds settings only' }]);
      raw = deepMerge(top, rest);
    }
    let eff = raw;
    for (const e of goodEnv) eff = setIn(eff, e.key.split('.'), e.value);
    const parsed = configSchema.safeParse(eff);
    if (parsed.success) {
      if (name === chosen) {
        const { profiles: _p, ...settings } = parsed.data;
        config = settings;
        effectiveRaw = raw;
      }
      continue;
    }
    // What the top-level settings already showed is not repeated for each profile, unless
    // the profile sets that key itself.
    const own = name === null ? {} : (profilesRaw[name] as Record<string, unknown>);
    const fresh = (p: Problem) => !topTexts.has(problemText(p)) || getIn(own, p.key.split('.')) !== undefined;
    const found = problemsFromIssues(parsed.error.issues, eff).filter(fresh);
    const known = new Set(problems.map((p) => p.key).concat(found.map((p) => prefix + p.key)));
    const cross = crossProblemsDespite(eff, parsed.error.issues, known, '').filter((p) => !known.has(prefix + p.key)).filter(fresh);
    if (name === null) for (const p of [...found, ...cross]) topTexts.add(problemText(p));
    add([...found, ...cross].map((p) => ({ ...p, key: prefix + p.key })));
  }

  if (problems.length > 0 || config === undefined) {
    return { ...base, ok: false, problems };
  }
  const incomplete = incompleteFunctions(config).flatMap((f) => f.problems);
  return { ...base, ok: true, config, problems: [], warnings: configWarnings(config, effectiveRaw), incomplete };
}

/** The effective settings of an empty profile: every default. */
export function defaultConfig(): IfaxConfig {
  const { profiles: _p, ...settings } = configSchema.parse({});
  return settings;
}
