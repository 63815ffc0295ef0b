/**
 * Text typed on the command line or into the wizard, turned into the value a key holds:
 * `ifax config set smtp.port 587` stores the number 587, `... ifax.enabled yes` true,
 * `... smtp.auth.methods CRAM-MD5,PLAIN` a list. What does not parse stays text, so the
 * schema's message (with the rule) is what the user sees. Pure: no `node:` imports.
 */
import type { KeyMeta } from './fields.js';

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** The value `text` stands for, for a key described by `meta`. */
export function parseValue(meta: KeyMeta, text: string): unknown {
  const t = text.trim();
  // A JSON string forces text: set device.name '"null"' stores the word null.
  if (/^".*"$/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      /* not JSON: fall through */
    }
  }
  if (meta.nullable && (t === 'null' || t === '~')) return null;
  switch (meta.kind) {
    case 'boolean':
      if (TRUE.has(t.toLowerCase())) return true;
      if (FALSE.has(t.toLowerCase())) return false;
      return t;
    case 'integer':
      return /^[+-]?\d+$/.test(t) ? Number(t) : t;
    case 'list': {
      if (t.startsWith('[')) {
        try {
          return JSON.parse(t) as unknown;
        } catch {
          return t;
        }
      }
      return t === '' ? [] : t.split(',').map((s) => s.trim()).filter((s) => s !== '');
    }
    case 'enum':
      return t;
    default:
      // Free text keeps its inner spaces; only the ends are trimmed for non-secrets.
      return meta.secret ? text : t;
  }
}

/** A value as one line of text, for `config get` and the wizard's defaults. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
