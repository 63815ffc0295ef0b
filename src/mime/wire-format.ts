/**
 * RFC 5322 §2.1 and §2.1.1 (lines end in CRLF; at most 998 characters, 78 recommended) and
 * RFC 2045 §2.7 (7bit data: US-ASCII, no NUL, CR and LF only as CRLF): the wire form every
 * mail this module builds is checked against before it leaves, so a bug in a builder cannot
 * put 8-bit data or a bare LF on the wire. Also the few byte helpers the builders share.
 */

import { IfaxError } from '../errors.js';

/** RFC 5322 §2.1.1: a line holds at most 998 characters before its CRLF. */
export const MAX_LINE_LENGTH = 998;

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (the same bytes as US-ASCII for an ASCII string). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Joins byte arrays into one. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const n = needle.length;
  if (n === 0) return from;
  const first = needle[0];
  const last = hay.length - n;
  outer: for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let k = 1; k < n; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Throws unless `bytes` is a 7bit message: bytes 1-127, every CR followed by LF and every LF
 * preceded by CR, no line over `maxLine` characters, and ending in CRLF. `what` names the
 * mail in the message ("I-Fax mail", "fragment 2"); `code` is INTERNAL for what we built
 * (a bug) and DATA_INVALID for what we were given.
 */
export function assertSevenBit(bytes: Uint8Array, what: string, maxLine = MAX_LINE_LENGTH, code: 'INTERNAL' | 'DATA_INVALID' = 'INTERNAL'): void {
  const fail = (reason: string): IfaxError => new IfaxError(code, `build ${what} failed: ${reason}`);
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0 || b > 127) {
      throw fail(`byte ${b} at offset ${i} is not 7bit (RFC 2045 §2.7)`);
    }
    if (b === 13) {
      if (bytes[i + 1] !== 10) throw fail(`bare CR at offset ${i}`);
    } else if (b === 10) {
      if (bytes[i - 1] !== 13) throw fail(`bare LF at offset ${i}`);
      if (i - 1 - lineStart > maxLine) {
        throw fail(`line at offset ${lineStart} has ${i - 1 - lineStart} characters (at most ${maxLine})`);
      }
      lineStart = i + 1;
    }
  }
  if (lineStart !== bytes.length) throw fail('does not end in CRLF');
}
