/**
 * Built-in bitmap fonts for the fax header line (TTI): the data shape that scripts/gen-font.mjs
 * writes, and its decoding into glyph rows. Pure: no `node:` imports, no system fonts at run
 * time, so a header looks the same on every machine.
 */

import { IfaxError } from '../../errors.js';

/** A character-cell font as generated into this folder (see scripts/gen-font.mjs). */
export interface BitmapFontData {
  name: string;
  /** Pixels per character, across (every glyph has this advance). */
  cellWidth: number;
  /** Rows per character: ascent + descent. */
  cellHeight: number;
  /** Rows above the baseline. */
  ascent: number;
  /** Bytes per glyph row: ceil(cellWidth / 8). */
  bytesPerRow: number;
  /** Inclusive [first, last] code point ranges; glyphs are stored in this order. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** Base64 of all glyphs: cellHeight rows of bytesPerRow bytes each, MSB leftmost, 1 = ink. */
  glyphs: string;
}

/** A decoded font: glyph rows ready to draw. */
export interface BitmapFont {
  name: string;
  cellWidth: number;
  cellHeight: number;
  ascent: number;
  bytesPerRow: number;
  /** All glyphs, glyph i at i * cellHeight * bytesPerRow. */
  rows: Uint8Array;
  /** Glyph index of a code point, or -1 when the font has none. */
  glyphIndex(codePoint: number): number;
  /** Every code point the font has a glyph for, ascending. */
  codePoints(): number[];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (padding optional). Here rather than atob/Buffer to stay pure. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = BASE64.indexOf(clean[i]);
    if (v < 0) throw new IfaxError('INTERNAL', `Decoding base64 failed: invalid character ${JSON.stringify(clean[i])} at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Decodes generated font data; checks that the glyph data and the ranges agree. */
export function loadFont(data: BitmapFontData): BitmapFont {
  const rows = decodeBase64(data.glyphs);
  const index = new Map<number, number>();
  for (const [first, last] of data.ranges) {
    for (let cp = first; cp <= last; cp++) index.set(cp, index.size);
  }
  const glyphBytes = data.cellHeight * data.bytesPerRow;
  if (rows.length !== index.size * glyphBytes) {
    throw new IfaxError('INTERNAL', `Loading font ${JSON.stringify(data.name)} failed: ${rows.length} bytes of glyphs for ${index.size} code points`, {
      hint: 'Regenerate it: node scripts/gen-font.mjs',
    });
  }
  return {
    name: data.name,
    cellWidth: data.cellWidth,
    cellHeight: data.cellHeight,
    ascent: data.ascent,
    bytesPerRow: data.bytesPerRow,
    rows,
    glyphIndex: (codePoint) => index.get(codePoint) ?? -1,
    codePoints: () => [...index.keys()],
  };
}
