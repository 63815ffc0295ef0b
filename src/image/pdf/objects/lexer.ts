/**
 * The PDF lexical conventions of PDF 32000-1 §7.2: character classes (§7.2.2: white-space and
 * delimiters, Tables 1 and 2), comments (§7.2.3), and the regular-character runs that make
 * numbers (§7.3.3) and keywords. Works on Bytes by absolute offset (byte-window.ts). Pure.
 */

import type { Bytes } from './byte-window.js';

/** White-space characters (Table 1): NUL, HT, LF, FF, CR, SP. */
export const isWhite = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** Delimiters (Table 2): ( ) < > [ ] { } / %. */
export const isDelim = (c: number): boolean =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;

/** Regular characters: neither white-space, delimiter nor past the end (-1). */
export const isRegular = (c: number): boolean => c >= 0 && !isWhite(c) && !isDelim(c);

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** The offset of the next byte that is neither white-space nor in a comment. */
export function skipSpace(b: Bytes, pos: number): number {
  for (;;) {
    const c = b.at(pos);
    if (c === 0x25) {
      while (b.at(pos) >= 0 && b.at(pos) !== 0x0a && b.at(pos) !== 0x0d) pos++;
    } else if (c >= 0 && isWhite(c)) pos++;
    else return pos;
  }
}

/** The run of regular characters at `pos` (a number or keyword), as latin1 text, and its end. */
export function regularRun(b: Bytes, pos: number, max: number): { word: string; end: number } {
  let word = '';
  let i = pos;
  while (isRegular(b.at(i)) && i - pos < max) word += String.fromCharCode(b.at(i++));
  return { word, end: i };
}

/** Whether the keyword `word` is at `pos`, followed by a non-regular character. */
export function keywordAt(b: Bytes, pos: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (b.at(pos + i) !== word.charCodeAt(i)) return false;
  return !isRegular(b.at(pos + word.length));
}

/**
 * A number token's value (§7.3.3), or undefined when `word` is not one. Lenient as viewers
 * are: a doubled sign ("--5") and a trailing point ("4.") are accepted.
 */
export function numberValue(word: string): number | undefined {
  if (!/^[+-]{0,2}(\d+\.?\d*|\.\d+)$/.test(word)) return undefined;
  const v = Number(word.replace(/^([+-])[+-]/, '$1'));
  return Number.isFinite(v) ? v : undefined;
}
