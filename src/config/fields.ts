/**
 * Building blocks of the profile schema: one builder per kind of setting (switch, number,
 * text, host, address, choice, list). Each builder attaches the key's metadata (one-line
 * comment, rule in words, deviation note, secret flag) to the zod schema it returns, in the
 * `keyMeta` registry, so that messages, `.ifaxrc.example`, `ifax config set` and the wizard
 * all read the same facts. Pure: no `node:` imports.
 */
import { z } from 'zod';
import { hostProblem, isAddrSpec } from './syntax.js';

export type KeyKind = 'boolean' | 'integer' | 'string' | 'enum' | 'list' | 'section' | 'profiles';

/** What the schema knows about one key besides its type and default. */
export interface KeyMeta {
  kind: KeyKind;
  /** The one-line comment of `.ifaxrc.example` and the wizard's prompt text. */
  description: string;
  /** The limit in words, the first half of every validation message ("a whole number 1-65535"). */
  rule?: string;
  /** Why ifax's default differs from the device's (SETTINGS.md "(deviation)"). */
  deviation?: string;
  /** Allowed values of a choice or of the entries of a list of choices. */
  values?: readonly string[];
  /** Besides `values`, a free form is allowed (envelopeFrom: an address). */
  freeForm?: string;
  /** The key may be null (SETTINGS.md default "none"). */
  nullable?: boolean;
  /** A password: never printed, masked as ******** wherever it is shown. */
  secret?: boolean;
  /** The environment variable that overrides the key. */
  env?: string;
  /** For lists: what one entry is called in messages ("method", "name"). */
  noun?: string;
  /** For lists of choices: entries of a list of strings (senderNames) are free text. */
  itemKind?: 'enum' | 'string';
}

/** The registry the schema's keys are described in; read it with `keyMeta.get(schema)`. */
export const keyMeta = z.registry<KeyMeta>();

/** Attach the description (zod's own `.describe`) and the ifax metadata to a key's schema. */
function key<T extends z.ZodType>(schema: T, meta: KeyMeta): T {
  const described = schema.describe(meta.description) as T;
  (described as z.ZodType).register(keyMeta, meta);
  return described;
}

interface Extra {
  deviation?: string;
  env?: string;
}

/** How a value is shown after "got" in a message: quoted, shortened, never a secret. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const short = [...value].slice(0, 60).join('');
    return JSON.stringify(short) + (short.length < value.length ? '…' : '');
  }
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section (key: value pairs)';
  return String(value);
}

/** What a secret value is, without its content. */
function secretGot(value: unknown): string {
  if (typeof value === 'string') return `${[...value].length} characters`;
  if (typeof value === 'number') return 'a number (quote it in YAML)';
  return typeof value;
}

/** Whether `s` holds a C0 control character or DEL (CR, LF, tab, NUL...). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A custom issue whose message is completed by messages.ts as "<rule>; got <got>". */
function fail(ctx: z.RefinementCtx, got: string): void {
  ctx.addIssue({ code: 'custom', message: got, params: { got } });
}

/** On/off switch. */
export function bool(def: boolean, description: string, extra: Extra = {}) {
  return key(z.boolean().default(def), { kind: 'boolean', rule: 'true or false', description, ...extra });
}

/** Whole number within [min, max]. */
export function int(min: number, max: number, def: number, description: string, extra: Extra = {}) {
  return key(z.number().int().min(min).max(max).default(def), {
    kind: 'integer',
    rule: `a whole number ${min}-${max}`,
    description,
    ...extra,
  });
}

/** Whole number within [min, max], or null. */
export function nullableInt(min: number, max: number, description: string, nullMeans: string) {
  return key(z.number().int().min(min).max(max).nullable().default(null), {
    kind: 'integer',
    rule: `a whole number ${min}-${max}, or null (${nullMeans})`,
    nullable: true,
    description,
  });
}

interface TextSpec {
  min?: number;
  max?: number;
  noSpace?: boolean;
  secret?: boolean;
  /** Extra syntax check: null when fine, else why not (shown after the value). */
  check?: (s: string) => string | null;
  /** The rule in words; made from min/max/noSpace when not given. */
  rule?: string;
}

function textRule(spec: TextSpec): string {
  const parts: string[] = [];
  const min = spec.min ?? 1;
  if (spec.max !== undefined) parts.push(`at most ${spec.max} characters`);
  else if (min > 0) parts.push('at least 1 character');
  if (spec.noSpace) parts.push('no white space');
  return parts.join(', ');
}

/** The string checks shared by every text key. Control characters are refused everywhere:
 * a CR or LF in a name, subject or password would inject a header line or a protocol command. */
function textSchema(spec: TextSpec) {
  const min = spec.min ?? 1;
  return z.string().superRefine((s, ctx) => {
    const len = [...s].length;
    const shown = (v: string) => (spec.secret ? secretGot(v) : quote(v));
    if (len < min) return fail(ctx, len === 0 ? 'an empty string (use null to unset)' : `${len}`);
    if (spec.max !== undefined && len > spec.max) return fail(ctx, `${len}`);
    if (hasControl(s)) return fail(ctx, 'a control character (line breaks and tabs are not allowed)');
    if (spec.noSpace && /\s/.test(s)) return fail(ctx, spec.secret ? 'white space' : quote(s));
    const why = spec.check?.(s);
    if (why) return fail(ctx, spec.secret ? why : `${shown(s)} (${why})`);
  });
}

/** Text with a default (possibly ""). */
export function text(def: string, description: string, spec: TextSpec = {}, extra: Extra = {}) {
  return key(textSchema(spec).default(def), {
    kind: 'string',
    rule: spec.rule ?? textRule(spec),
    description,
    ...(spec.secret ? { secret: true } : {}),
    ...extra,
  });
}

/** Text that defaults to null (SETTINGS.md "none"). */
export function optionalText(description: string, spec: TextSpec = {}, extra: Extra = {}) {
  return key(textSchema(spec).nullable().default(null), {
    kind: 'string',
    rule: spec.rule ?? textRule(spec),
    nullable: true,
    description,
    ...(spec.secret ? { secret: true } : {}),
    ...extra,
  });
}

/** A password: never echoed in any message, masked in all output, overridable from env. */
export function secret(description: string, env: string, max?: number) {
  return optionalText(description, { min: 1, ...(max !== undefined ? { max } : {}), secret: true }, { env });
}

/** A server: host name, IPv4 or IPv6 (SETTINGS.md §4), nothing else. */
export function host(description: string) {
  return optionalText(description, {
    max: 253,
    rule: 'a host name, IPv4 or IPv6 address (no URL, no port)',
    check: hostProblem,
  });
}

const ADDRESS_RULE = 'an e-mail address (local@domain), at most 320 characters, no white space';

/** An RFC 5322 addr-spec, 1-320 characters, no white space. */
export function address(description: string) {
  return optionalText(description, {
    max: 320,
    noSpace: true,
    rule: ADDRESS_RULE,
    check: (s) => (isAddrSpec(s) ? null : 'not an addr-spec'),
  });
}

/** One of a fixed set of words (a TLS mode, a resolution...). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, def: T[number], description: string, extra: Extra = {}) {
  return key(z.enum(values).default(def as never), {
    kind: 'enum',
    rule: `one of ${values.join(', ')}`,
    values,
    description,
    ...extra,
  });
}

/** Either one of `values` or a free-form value checked by `check` (envelopeFrom). */
export function oneOfOr(values: readonly string[], freeForm: string, def: string, check: (s: string) => boolean, description: string) {
  const rule = `${values.join(', ')} or ${freeForm}`;
  return key(
    z
      .string()
      .superRefine((s, ctx) => {
        if (!values.includes(s) && !check(s)) fail(ctx, quote(s));
      })
      .default(def),
    { kind: 'enum', rule, values, freeForm, description },
  );
}

interface ListSpec {
  noun: string;
  min?: number;
  max?: number;
}

function choiceList<const T extends readonly [string, ...string[]]>(values: T, min: number) {
  return z.array(z.enum(values)).superRefine((list, ctx) => {
    if (list.length < min) return fail(ctx, 'an empty list');
    const seen = new Set<string>();
    for (const v of list) {
      if (seen.has(v)) return fail(ctx, `${v} twice`);
      seen.add(v);
    }
  });
}

/** A list of distinct choices (auth methods, compressions, paper sizes...). */
export function listOf<const T extends readonly [string, ...string[]]>(values: T, def: T[number][], description: string, spec: ListSpec) {
  return key(choiceList(values, spec.min ?? 1).default(() => [...def]), {
    kind: 'list',
    itemKind: 'enum',
    rule: `a list of ${values.join(', ')}`,
    values,
    noun: spec.noun,
    description,
  });
}

/** A list of distinct choices, or null for a default that depends on other keys. */
export function nullableListOf<const T extends readonly [string, ...string[]]>(values: T, description: string, spec: ListSpec, nullMeans: string) {
  return key(choiceList(values, spec.min ?? 1).nullable().default(null), {
    kind: 'list',
    itemKind: 'enum',
    rule: `a list of ${values.join(', ')}, or null (${nullMeans})`,
    values,
    noun: spec.noun,
    nullable: true,
    description,
  });
}

/** A list of free-text entries (sender names). */
export function textList(description: string, spec: ListSpec & { itemMax: number }) {
  const rule = `at most ${spec.max} ${spec.noun}s, each 1-${spec.itemMax} characters`;
  const item = z.string().superRefine((s, ctx) => {
    const len = [...s].length;
    if (len === 0) return fail(ctx, 'an empty string');
    if (len > spec.itemMax) return fail(ctx, `${len} characters`);
    if (hasControl(s)) return fail(ctx, 'a control character (line breaks and tabs are not allowed)');
  });
  let arr = z.array(item);
  if (spec.max !== undefined) arr = arr.max(spec.max);
  return key(
    arr.default(() => []),
    { kind: 'list', itemKind: 'string', rule, noun: spec.noun, description },
  );
}

/** A group of keys. Missing groups take their keys' defaults; unknown keys are errors. */
export function section<T extends z.core.$ZodLooseShape>(description: string, shape: T) {
  const obj = z.strictObject(shape);
  obj.register(keyMeta, { kind: 'section', description });
  const wrapped = obj.prefault({} as never);
  wrapped.register(keyMeta, { kind: 'section', description });
  return wrapped;
}
