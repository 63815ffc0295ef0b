/**
 * Asking for one setting: the prompt that fits its kind (confirm, input, select, checkbox,
 * masked password), the current value as default, and the schema's own message as the
 * prompt's validation, so a wrong answer is corrected in place. Pure: no `node:` imports.
 */
import { SECRET_MASK } from '../../secrets.js';
import { RESOLUTIONS } from '../enums.js';
import { keyInfo, type KeyInfo } from '../keys.js';
import { problemsFromIssues } from '../messages.js';
import { formatValue, parseValue } from '../value.js';
import type { WizardPrompts } from './prompts.js';
import type { Get } from './sections.js';

export interface AskContext {
  prompts: WizardPrompts;
  get: Get;
  /** Keys whose value the environment overrides (passwords). */
  fromEnv: readonly string[];
  print: (line: string) => void;
  /** A check beyond the schema for one answer (a TLS file that must exist): null when fine, else the message. */
  checkKey?: (key: string, value: unknown) => string | null;
}

/** The prompt text of a key: its description, and the key itself (for people who edit files). */
export function label(info: KeyInfo): string {
  return `${info.meta.description} [${info.key}]`;
}

/** The schema's verdict on one value of `info`: true, or the message (rule; got ...). */
export function checkValue(info: KeyInfo, value: unknown): true | string {
  const r = info.schema.safeParse(value);
  if (r.success) return true;
  const issues = r.error.issues.map((i) => ({ ...i, path: [...info.path, ...i.path] }));
  const p = problemsFromIssues(issues, setAt(info.path, value))[0];
  return p ? p.message : 'not a valid value';
}

function setAt(path: string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let cur = root;
  path.forEach((p, i) => {
    if (i === path.length - 1) cur[p] = value;
    else cur = cur[p] = {} as Record<string, unknown>;
  });
  return root;
}

/** A validate function for a text prompt: parse as the key's type, then the schema. `required` refuses "not set". */
export function textValidator(info: KeyInfo, required?: string, checkKey?: AskContext['checkKey']) {
  return (text: string): true | string => {
    const value = answerValue(info, text);
    if (required && (value === null || value === '')) return required;
    const own = checkValue(info, value);
    if (own !== true || !checkKey) return own;
    return checkKey(info.key, value) ?? true;
  };
}

/** The value an answer stands for: an empty answer clears a key that may be null. */
function answerValue(info: KeyInfo, text: string): unknown {
  if (text.trim() === '' && info.meta.nullable) return null;
  return parseValue(info.meta, text);
}

/**
 * Ask for `key`; resolves to the new value (or the current one when kept). `required`
 * (a message) makes "not set" an invalid answer: used when fixing a rule between keys.
 */
export async function askKey(key: string, ctx: AskContext, required?: string): Promise<unknown> {
  const info = keyInfo(key);
  if (!info) throw new Error(`wizard asks for unknown key ${key}`);
  const { prompts } = ctx;
  const current = ctx.get(key);
  const meta = info.meta;
  if (meta.secret) {
    const env = meta.env && ctx.fromEnv.includes(key) ? meta.env : undefined;
    if (env) ctx.print(`  (${env} is set: it overrides what is entered here)`);
    const hasOne = typeof current === 'string' && current !== '';
    const answer = await prompts.password({
      message: `${label(info)}${hasOne ? ` (${SECRET_MASK} kept when left empty)` : ''}`,
      mask: '*',
      validate: (text) => {
        if (text === '') return hasOne || env || !required ? true : required;
        return checkValue(info, text);
      },
    });
    return answer === '' ? current : answer;
  }
  switch (meta.kind) {
    case 'boolean':
      return prompts.confirm({ message: label(info), default: current === true });
    case 'enum':
      return prompts.select({
        message: label(info),
        choices: (meta.values ?? []).map((v) => ({ name: v, value: v })),
        default: current as string,
        pageSize: 10,
      });
    case 'list': {
      if (meta.itemKind !== 'enum') throw new Error(`wizard cannot ask list ${key}`);
      const chosen = (current as string[] | null) ?? [];
      return prompts.checkbox({
        message: label(info),
        choices: (meta.values ?? []).map((v) => ({ name: v, value: v, checked: chosen.includes(v) })),
        validate: (items) => checkValue(info, items.map((i) => i.value)),
      });
    }
    default: {
      const nullable = meta.nullable === true;
      const hasValue = current !== null && current !== undefined;
      const answer = await prompts.input({
        message: `${label(info)}${nullable && hasValue ? ' (null clears it)' : ''}`,
        ...(hasValue ? { default: formatValue(current) } : {}),
        validate: textValidator(info, required, ctx.checkKey),
        // A rejected answer is cleared: the message says what is wanted, the line is free to type it.
        theme: { validationFailureMode: 'clear' },
      });
      return answerValue(info, answer);
    }
  }
}

/** envelopeFrom: device, admin, or an address typed in. */
export async function askEnvelopeFrom(ctx: AskContext): Promise<unknown> {
  const info = keyInfo('smtp.envelopeFrom')!;
  const current = String(ctx.get('smtp.envelopeFrom'));
  const fixed = current === 'device' || current === 'admin';
  const choice = await ctx.prompts.select({
    message: label(info),
    choices: [
      { name: 'device (device.email)', value: 'device' },
      { name: 'admin (notify.adminEmail)', value: 'admin' },
      { name: 'another address', value: 'address' },
    ],
    default: fixed ? current : 'address',
  });
  if (choice !== 'address') return choice;
  return ctx.prompts.input({
    message: 'Envelope sender address [smtp.envelopeFrom]',
    ...(fixed ? {} : { default: current }),
    validate: (t) => (t.trim() === 'device' || t.trim() === 'admin' ? 'an e-mail address here (device and admin are in the list above)' : checkValue(info, t.trim())),
  }).then((t) => t.trim());
}

/** receiveCaps.resolutions: only those up to maxResolution are offered; "all of them" stays null. */
export async function askResolutions(ctx: AskContext): Promise<unknown> {
  const info = keyInfo('receiveCaps.resolutions')!;
  const max = RESOLUTIONS.indexOf(ctx.get('ifaxAdvanced.maxResolution') as (typeof RESOLUTIONS)[number]);
  const offered = RESOLUTIONS.slice(0, max + 1);
  const current = ctx.get('receiveCaps.resolutions') as string[] | null;
  const chosen = current ?? offered;
  const picked = await ctx.prompts.checkbox({
    message: label(info),
    choices: offered.map((v) => ({ name: v, value: v as string, checked: chosen.includes(v) })),
    validate: (items) => checkValue(info, items.map((i) => i.value)),
  });
  // All of them (in order) while the key was null: keep null, so it follows maxResolution.
  if (current === null && picked.length === offered.length) return null;
  return RESOLUTIONS.filter((r) => picked.includes(r));
}
