/**
 * Validation messages: every zod issue becomes one line that names the key with its path,
 * the rule, and what was found ("device.name: at most 80 characters, no white space; got 81").
 * A password's value never appears: only its length or type. Pure: no `node:` imports.
 */
import type { z } from 'zod';
import { quote } from './fields.js';
import { isSecretKey, keyInfo, profilesInfo, splitProfileKey, suggestKey } from './keys.js';
import { getIn } from './merge.js';
import { nearest } from './suggest.js';

/** One thing wrong with a profile. */
export interface Problem {
  /** Dotted key, `profiles.NAME.` first for a named profile's key. */
  key: string;
  /** The rule and what was found, without the key. */
  message: string;
}

/** "key: message", the form every command prints. */
export function problemText(p: Problem): string {
  return p.key === '' ? p.message : `${p.key}: ${p.message}`;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a section (key: value pairs)';
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

/** What a secret value is, without its content. */
function secretGot(v: unknown): string {
  if (typeof v === 'string') return `${[...v].length} characters`;
  if (typeof v === 'number') return 'a number (quote it in YAML)';
  return describeType(v);
}

/** "got ..." for a non-secret value: the value itself, with a note when the type is off. */
function gotValue(v: unknown, kind: string | undefined): string {
  if (typeof v === 'number' && (kind === 'string' || kind === 'enum')) return `${v} (a number: quote it)`;
  // The note only where quotes turned a number or a switch into text ("25", "true"): after
  // a typed word like `abc` it would send the admin looking for quotes that are not there.
  if (typeof v === 'string' && kind === 'integer' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return `${quote(v)} (a string: no quotes)`;
  if (typeof v === 'string' && kind === 'boolean' && /^\s*(true|false)\s*$/i.test(v)) return `${quote(v)} (a string: no quotes)`;
  if (Array.isArray(v)) return `${v.length} ${v.length === 1 ? 'entry' : 'entries'}`;
  return quote(v);
}

/**
 * Turn zod issues into problems. `input` is what was validated (to quote the bad values);
 * `prefix` (`profiles.office.`) is put before every key.
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix = ''): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const key = prefix + [...path, k].join('.');
        const hint = suggestKey(key);
        out.push({ key, message: hint ? `unknown key; did you mean ${hint}?` : 'unknown key' });
      }
      continue;
    }
    // A list entry: report on the list, say which entry.
    let entry: number | undefined;
    let keyPath = path;
    const numeric = keyPath.findIndex((p) => /^\d+$/.test(p));
    if (numeric >= 0 && keyPath[0] !== 'profiles') {
      entry = Number(keyPath[numeric]);
      keyPath = keyPath.slice(0, numeric);
    }
    const bare = keyPath.join('.');
    const key = prefix + bare;
    const value = getIn(input, issue.path as Array<string | number>);
    const info = keyPath[0] === 'profiles' && keyPath.length <= 2 ? profilesInfo() : keyInfo(bare);
    const params = (issue as { params?: { rule?: string; got?: string } }).params;
    if (keyPath.length === 0) {
      out.push({ key: '', message: `a profile is a map of settings (key: value); got ${describeType(value)}` });
      continue;
    }
    const secret = isSecretKey(splitProfileKey(key).key) || isSecretKey(bare);
    const meta = info?.meta;
    const rule = params?.rule ?? meta?.rule ?? (meta?.kind === 'section' ? 'a section of settings (key: value)' : 'a valid value');
    let got: string;
    if (params?.got !== undefined) got = params.got;
    else if (meta?.kind === 'section' || keyPath[0] === 'profiles') got = describeType(value);
    else if (secret) got = secretGot(value);
    else if (entry !== undefined && meta?.itemKind === 'enum' && typeof value === 'string') got = `unknown ${meta.noun ?? 'entry'} ${quote(value)}`;
    else got = gotValue(value, entry !== undefined ? meta?.itemKind : meta?.kind);
    if (entry !== undefined && !(meta?.itemKind === 'enum' && typeof value === 'string')) got += ` (entry ${entry + 1})`;
    let message = `${rule}; got ${got}`;
    // A close miss of a choice: say which one was meant (`plain` → PLAIN, `startls` → starttls).
    if (!secret && typeof value === 'string' && meta?.values && !meta.values.includes(value)) {
      const near = nearest(value, meta.values);
      if (near !== undefined) message += `; did you mean ${near}?`;
    }
    out.push({ key, message });
  }
  return dedupe(out);
}

function dedupe(list: Problem[]): Problem[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const t = problemText(p);
    if (seen.has(t)) return false;
    seen.add(t);
    return true;
  });
}
