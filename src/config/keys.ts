/**
 * The keys of the profile, read from the schema: their dotted names, metadata and defaults.
 * `ifax config get/set`, the messages, the example file and the wizard all ask here, so a
 * key added to schema.ts appears everywhere at once. Pure: no `node:` imports.
 */
import type { z } from 'zod';
import { keyMeta, type KeyMeta } from './fields.js';
import { getIn } from './merge.js';
import { SECRET_ENV, configSchema, settingsObject, settingsShape } from './schema.js';
import { nearest } from './suggest.js';

/** One key of the profile. */
export interface KeyInfo {
  /** Dotted name: `smtp.auth.password`. */
  key: string;
  path: string[];
  meta: KeyMeta;
  /** The key's own schema (with its default), for checking one value alone. */
  schema: z.ZodType;
  /** The default, as `.ifaxrc.example` shows it (null for "none"). */
  default: unknown;
}

let leaves: KeyInfo[] | undefined;
let sections: KeyInfo[] | undefined;
let defaults: Record<string, unknown> | undefined;

/** The settings with every default and nothing derived (receiveCaps.resolutions stays null). */
export function rawDefaults(): Record<string, unknown> {
  defaults ??= settingsObject.parse({}) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(defaults)) as Record<string, unknown>;
}

function walk(shape: Record<string, z.ZodType>, prefix: string[]): void {
  for (const [name, schema] of Object.entries(shape)) {
    const meta = keyMeta.get(schema);
    if (!meta) throw new Error(`schema key ${[...prefix, name].join('.')} has no metadata`);
    const path = [...prefix, name];
    const info: KeyInfo = { key: path.join('.'), path, meta, schema, default: getIn(rawDefaults(), path) };
    if (meta.kind === 'section') {
      sections!.push(info);
      const inner = (schema as unknown as z.ZodPrefault<z.ZodObject>).unwrap();
      walk(inner.shape as Record<string, z.ZodType>, path);
    } else {
      leaves!.push(info);
    }
  }
}

function load(): void {
  if (leaves) return;
  leaves = [];
  sections = [];
  walk(settingsShape as unknown as Record<string, z.ZodType>, []);
}

/** Every setting (leaf key), in the order of SETTINGS.md. */
export function listKeys(): KeyInfo[] {
  load();
  return leaves!;
}

/** Every group of settings (`smtp`, `smtp.auth`...), in schema order. */
export function listSections(): KeyInfo[] {
  load();
  return sections!;
}

/** The key or section named `key`, or undefined. */
export function keyInfo(key: string): KeyInfo | undefined {
  load();
  return leaves!.find((k) => k.key === key) ?? sections!.find((k) => k.key === key);
}

/** The passwords of the profile: never printed, masked wherever shown. */
export const SECRET_KEYS = Object.keys(SECRET_ENV) as Array<keyof typeof SECRET_ENV>;

/**
 * Strip `profiles.NAME.` from a key: the part that names a setting. Returns the profile
 * name too, or null for a top-level key.
 */
export function splitProfileKey(key: string): { profile: string | null; key: string } {
  const m = /^profiles\.([^.]+)\.(.+)$/.exec(key);
  return m ? { profile: m[1], key: m[2] } : { profile: null, key };
}

/** Whether `key` (top-level or `profiles.NAME.` form) holds a password. */
export function isSecretKey(key: string): boolean {
  return (SECRET_KEYS as readonly string[]).includes(splitProfileKey(key).key);
}

/** The file-level keys besides the settings. */
export const FILE_KEYS = ['profiles'] as const;

/** The schema of the `profiles` key (for its metadata). */
export function profilesInfo(): KeyInfo {
  const schema = configSchema.in.shape.profiles as z.ZodType;
  return { key: 'profiles', path: ['profiles'], meta: keyMeta.get(schema)!, schema, default: {} };
}

/**
 * The known key nearest to an unknown one: a misspelling (`smtp.hots` → `smtp.host`), a
 * wrong case, or the right name in the wrong section (`smtp.leaveOnServer` →
 * `pop.leaveOnServer`). Undefined when nothing is near.
 */
export function suggestKey(key: string): string | undefined {
  const { profile, key: bare } = splitProfileKey(key);
  const prefix = profile === null ? '' : `profiles.${profile}.`;
  load();
  const all = [...leaves!.map((k) => k.key), ...sections!.map((k) => k.key), ...(profile === null ? FILE_KEYS : [])];
  const parts = bare.split('.');
  const parent = parts.slice(0, -1).join('.');
  const last = parts[parts.length - 1];
  // 1. a sibling in the same section (the common typo)
  const siblings = all.filter((k) => k.startsWith(parent ? parent + '.' : '') && k.split('.').length === parts.length);
  const sib = nearest(last, siblings.map((k) => k.split('.').pop()!));
  if (sib !== undefined) return prefix + (parent ? `${parent}.${sib}` : sib);
  // 2. the same name one level deeper or higher in the same section (smtp.password →
  //    smtp.auth.password): closer in meaning than a lookalike in another section
  const top = parts[0];
  const sameName = all.find(
    (k) => k !== bare && k.startsWith(top + '.') && k.split('.').pop()!.toLowerCase() === last.toLowerCase(),
  );
  if (parts.length > 1 && sameName !== undefined) return prefix + sameName;
  // 3. the whole dotted name (a typo in the section part)
  const whole = nearest(bare, all);
  if (whole !== undefined) return prefix + whole;
  // 4. the same name in another section
  const moved = all.find((k) => k.split('.').pop()!.toLowerCase() === last.toLowerCase());
  return moved === undefined ? undefined : prefix + moved;
}
