/**
 * RFC 2045 §5.1 (Content-Type syntax: type/subtype; parameters as token or quoted-string),
 * RFC 2183 §2 (Content-Disposition) and RFC 2231 §3-4 (parameter value continuations
 * `name*0=`, and charset-tagged, percent-encoded values `name*=utf-8''...` for anything
 * beyond printable ASCII): fields whose values are parameters, folded between parameters
 * and, for long values, split into continuations so no line passes FOLD_WIDTH.
 */

import { IfaxError } from '../errors.js';
import { assertFieldValue, FieldWriter, FOLD_WIDTH } from './header-fold.js';
import { utf8 } from './wire-format.js';

/** RFC 2045 §5.1 token: printable ASCII except tspecials and space. */
const TOKEN = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+$/;

/** RFC 2231 §7 attribute-char: token characters except `*`, `'` and `%`. */
function attributeChar(b: number): boolean {
  return b < 128 && TOKEN.test(String.fromCharCode(b)) && b !== 0x2a && b !== 0x27 && b !== 0x25;
}

/** A parameter: name and value (any Unicode; the encoding is chosen here). */
export type Param = readonly [name: string, value: string];

function quoted(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Parameters written quoted even when they are tokens: simple parsers in fax devices and
 * mail filters look for `name="` and `filename="` (the form every mail client writes), and
 * RFC 2046 §5.2.2 shows the partial id quoted.
 */
const ALWAYS_QUOTED = new Set(['name', 'filename', 'boundary', 'id']);

/** Room for a parameter on a continuation line: a leading space and a trailing `;`. */
const ROOM = FOLD_WIDTH - 2;

/**
 * The `name=value` tokens for one parameter: one token when it fits a line, else RFC 2231
 * continuations. Printable ASCII stays readable (quoted sections); other values are
 * percent-encoded UTF-8, split between characters.
 */
function paramTokens(name: string, value: string): string[] {
  if (TOKEN.test(value) && !ALWAYS_QUOTED.has(name) && name.length + 1 + value.length <= ROOM) return [`${name}=${value}`];
  const ascii = /^[\x20-\x7e]*$/.test(value);
  if (ascii && name.length + 1 + quoted(value).length <= ROOM) return [`${name}=${quoted(value)}`];
  if (ascii) {
    const out: string[] = [];
    let rest = value;
    for (let n = 0; rest.length > 0; n++) {
      const head = `${name}*${n}=`;
      let take = Math.min(rest.length, ROOM - head.length - 2);
      while (quoted(rest.slice(0, take)).length > ROOM - head.length) take--;
      out.push(head + quoted(rest.slice(0, take)));
      rest = rest.slice(take);
    }
    return out;
  }
  const pieces = Array.from(value, (c) => {
    let s = '';
    for (const b of utf8(c)) s += attributeChar(b) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0');
    return s;
  });
  const single = `${name}*=utf-8''${pieces.join('')}`;
  if (single.length <= ROOM) return [single];
  const out: string[] = [];
  let i = 0;
  for (let n = 0; i < pieces.length; n++) {
    let token = `${name}*${n}*=${n === 0 ? "utf-8''" : ''}`;
    const start = i;
    while (i < pieces.length && (token.length + pieces[i].length <= ROOM || i === start)) token += pieces[i++];
    out.push(token);
  }
  return out;
}

/**
 * A field of the form `value; p1=v1; p2=v2` (Content-Type, Content-Disposition). `value`
 * is a type/subtype or disposition type in token syntax.
 */
export function paramField(header: string, value: string, params: readonly Param[]): string {
  assertFieldValue(header, value);
  if (!/^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+(\/[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+)?$/.test(value)) {
    throw new IfaxError('DATA_INVALID', `build mail failed: header ${JSON.stringify(header)} value ${JSON.stringify(value)} is not a MIME token (RFC 2045 §5.1)`, { context: { header } });
  }
  const tokens = [value];
  for (const [name, v] of params) {
    assertFieldValue(header, v);
    if (!TOKEN.test(name) || name.includes('*')) throw new IfaxError('INTERNAL', `build mail failed: bad parameter name ${JSON.stringify(name)}`);
    tokens.push(...paramTokens(name, v));
  }
  const w = new FieldWriter(header);
  tokens.forEach((t, i) => w.add(i < tokens.length - 1 ? `${t};` : t));
  return w.end();
}
