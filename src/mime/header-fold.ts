/**
 * RFC 5322 §2.2 (a field is a name, a colon and a body; the body holds no CR or LF),
 * §2.2.3 (folding: a CRLF may be inserted before any white space) and §2.1.1 (line length):
 * the one place header lines are put together. Every value goes through `assertFieldValue`
 * first, so no caller can smuggle a line break into a header (header injection: a CRLF in a
 * subject or a name would start a new header such as `Bcc:` or end the header block).
 */

import { IfaxError } from '../errors.js';
import { MAX_LINE_LENGTH } from './wire-format.js';

/**
 * Fold width: lines are folded to at most 76 characters. RFC 5322 §2.1.1 recommends 78; 76
 * is the base64 line of RFC 2045 and what fax devices with small line buffers were tested
 * with, so headers and bodies share one width.
 */
export const FOLD_WIDTH = 76;

/** RFC 5322 §3.6.8 ftext: printable US-ASCII except the colon. */
export const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Throws unless `name` is a legal field name. */
export function assertFieldName(name: string): void {
  if (!FIELD_NAME.test(name)) {
    throw new IfaxError('DATA_INVALID', `build mail failed: header name ${JSON.stringify(name)} is not a field name (RFC 5322 §3.6.8)`);
  }
}

/**
 * Throws DATA_INVALID naming the header when `value` holds CR, LF or NUL. Checked on every
 * value before anything is written: header injection must be impossible, not filtered.
 */
export function assertFieldValue(name: string, value: string): void {
  const bad = /[\r\n\0]/.exec(value);
  if (bad) {
    const what = bad[0] === '\0' ? 'NUL' : bad[0] === '\r' ? 'CR' : 'LF';
    throw new IfaxError('DATA_INVALID', `build mail failed: header ${JSON.stringify(name)} contains a ${what} character: ${JSON.stringify(value)}`, {
      hint: 'Header values are one line of text; line breaks and NUL are refused so that no header can be injected.',
      context: { header: name },
    });
  }
}

/**
 * Builds one header field from tokens, folding before the white space in front of a token
 * when the line would pass FOLD_WIDTH. Tokens hold no white space of their own, so a fold
 * never changes the unfolded value (RFC 5322 §2.2.3 unfolding removes only the CRLF).
 */
export class FieldWriter {
  readonly name: string;
  private readonly lines: string[] = [];
  private line: string;

  constructor(name: string) {
    assertFieldName(name);
    this.name = name;
    this.line = `${name}:`;
  }

  /** Characters on the current line. */
  get column(): number {
    return this.line.length;
  }

  /** True when nothing but the field name is on the first line. */
  private get atStart(): boolean {
    return this.lines.length === 0 && this.line.length === this.name.length + 1;
  }

  /** True when `ws + token` of `length` characters still fits on the current line. */
  fits(length: number, ws = ' '): boolean {
    return this.line.length + ws.length + length <= FOLD_WIDTH;
  }

  /**
   * Appends `ws` then `token`, folding first when they would not fit (never right after the
   * field name: a line holding only the name would gain nothing). `ws` is one or more
   * spaces or tabs; `token` does not start with white space (white space inside it, as in
   * a quoted parameter value, is never a fold point).
   */
  add(token: string, ws = ' '): this {
    if (!/^[ \t]+$/.test(ws) || /^[ \t]|[\r\n\0]/.test(token) || token === '') {
      throw new IfaxError('INTERNAL', `build mail failed: bad header token ${JSON.stringify(token)} after ${JSON.stringify(ws)}`);
    }
    if (!this.atStart && !this.fits(token.length, ws)) {
      this.lines.push(this.line);
      this.line = '';
    }
    this.line += ws + token;
    if (this.line.length > MAX_LINE_LENGTH) {
      throw new IfaxError('LIMIT_EXCEEDED', `build mail failed: header ${JSON.stringify(this.name)} has a word of ${token.length} characters that cannot be folded (at most ${MAX_LINE_LENGTH} per line, RFC 5322 §2.1.1)`);
    }
    return this;
  }

  /** The folded field with its final CRLF. */
  end(): string {
    return [...this.lines, this.line].join('\r\n') + '\r\n';
  }
}

/**
 * A structured field from a value whose white space may be folded: the value is split at
 * runs of spaces and tabs, which are kept as they are. For values that are already in wire
 * syntax (a media feature expression, a Disposition-Notification-Options value).
 */
export function foldedField(name: string, value: string): string {
  assertFieldValue(name, value);
  const w = new FieldWriter(name);
  const parts = value.trim().split(/([ \t]+)/);
  if (parts[0] === '') return w.end();
  w.add(parts[0]);
  for (let i = 1; i + 1 < parts.length; i += 2) w.add(parts[i + 1], parts[i]);
  return w.end();
}
