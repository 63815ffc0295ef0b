/**
 * RFC 2047 §2 (an encoded-word is at most 75 characters), §4.1 ("B"), §4.2 and §5(3) ("Q",
 * with the character set allowed in a phrase so one encoder serves Subject text and display
 * names), §5 (each encoded-word holds whole characters: a multi-octet character is never
 * split between two words). The charset is always utf-8.
 */

import { base64String } from './base64.js';
import { utf8 } from './wire-format.js';

/** RFC 2047 §2: "An 'encoded-word' may not be more than 75 characters long". */
export const MAX_ENCODED_WORD = 75;

/** `=?utf-8?X?` and `?=`. */
const OVERHEAD = 12;

/** Longest encoding of one character: 4 UTF-8 octets as B (8 chars) or Q (12 chars). */
export const MIN_ENCODED_WORD_ROOM = OVERHEAD + 12;

export type WordEncoding = 'B' | 'Q';

/** RFC 2047 §5(3): characters a "Q" word in a phrase may carry as they are. */
function qSafe(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x21 || b === 0x2a || b === 0x2b || b === 0x2d || b === 0x2f;
}

function qLength(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n += qSafe(b) || b === 0x20 ? 1 : 3;
  return n;
}

function qText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x20) s += '_';
    else if (qSafe(b)) s += String.fromCharCode(b);
    else s += '=' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

function encodedLength(bytes: number, qLen: number, enc: WordEncoding): number {
  return OVERHEAD + (enc === 'B' ? Math.ceil(bytes / 3) * 4 : qLen);
}

/** The shorter encoding for `text` ("Q" on a tie: it stays readable). */
export function pickEncoding(text: string): WordEncoding {
  const bytes = utf8(text);
  return qLength(bytes) <= Math.ceil(bytes.length / 3) * 4 ? 'Q' : 'B';
}

/** The UTF-8 bytes of each character (code point) of `text`: the units a word never splits. */
export function characters(text: string): Uint8Array[] {
  return Array.from(text, (c) => utf8(c));
}

/**
 * One encoded-word holding as many characters from `chars[start]` on as fit in `max`
 * characters (capped at 75; at least one character is always taken, so callers give at
 * least MIN_ENCODED_WORD_ROOM). Returns the word and the index of the next character.
 */
export function encodeWord(chars: readonly Uint8Array[], start: number, enc: WordEncoding, max: number): { word: string; next: number } {
  const limit = Math.min(MAX_ENCODED_WORD, Math.max(MIN_ENCODED_WORD_ROOM, max));
  let bytes = 0;
  let qLen = 0;
  let j = start;
  while (j < chars.length) {
    const nb = bytes + chars[j].length;
    const nq = qLen + qLength(chars[j]);
    if (encodedLength(nb, nq, enc) > limit) break;
    bytes = nb;
    qLen = nq;
    j++;
  }
  const slice = new Uint8Array(bytes);
  let at = 0;
  for (let k = start; k < j; k++) {
    slice.set(chars[k], at);
    at += chars[k].length;
  }
  return { word: `=?utf-8?${enc}?${enc === 'B' ? base64String(slice) : qText(slice)}?=`, next: j };
}
