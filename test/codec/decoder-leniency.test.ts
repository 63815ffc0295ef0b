/**
 * Decoder behaviour on imperfect data: hand-made bit streams and damaged encoder output.
 * What is repaired, how, and that it is reported (decoder.ts describes the choices).
 */

import { MAX_DIAGNOSTICS_PER_PAGE } from '../../src/limits.js';
import { decodeFax, decodeFaxInto, decodeFaxStream, encodeFax, type Bitmap, type FaxCodecOptions } from '../../src/codec/index.js';
import { blank, firstDifference, getPixel, prng, structured } from './helpers.js';

/** Bytes from a bit string ('0'/'1', anything else ignored), zero-padded to a byte. */
function bits(s: string): Uint8Array {
  const clean = s.replace(/[^01]/g, '');
  const out = new Uint8Array(Math.ceil(clean.length / 8));
  for (let i = 0; i < clean.length; i++) if (clean[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const EOL = '000000000001';
const rowOf = (bm: Bitmap, y: number): Bitmap => {
  const stride = (bm.width + 7) >> 3;
  return { width: bm.width, height: 1, data: bm.data.slice(y * stride, (y + 1) * stride) };
};
const rowBytes = (bm: Bitmap, y: number): number[] => Array.from(rowOf(bm, y).data);

describe('uncompressed mode (T.4 Annex A, T.6 Table 5) is decoded', () => {
  test('2-D: entered with 0000001111, pixels one code each, exit with tag bit', () => {
    // B | WB | WWWWW | exit(T=0) | V0 to the end: 1 0 1 0 0 0 0 0 then white.
    const data = bits('0000001111 1 01 000001 0000001 0 1');
    const r = decodeFax(data, { coding: 'MMR', width: 16, height: 1 });
    expect(Array.from(r.bitmap.data)).toEqual([0xa0, 0x00]);
    expect(r.diagnostics).toEqual([]);
  });

  test('1-D: entered with 000000001111 in place of a run, then runs again in the tag colour', () => {
    // WWB | B | W exit(T=1) | black run of 11 (0000101).
    const data = bits(`${EOL} 000000001111 001 1 00000001 1 0000101`);
    const r = decodeFax(data, { coding: 'MH', width: 16, height: 1 });
    expect(Array.from(r.bitmap.data)).toEqual([0x37, 0xff]);
    expect(r.diagnostics).toEqual([]);
  });

  test('an unknown extension is a bad code, not a crash', () => {
    const good = encodeFax(blank(16, 1), { coding: 'MH', width: 16 });
    const r = decodeFax(concat(good, bits(`${EOL} 0111 000000001000 1111`), good, good), { coding: 'MH', width: 16, height: 4 });
    expect(r.diagnostics).toEqual([expect.objectContaining({ row: 1, code: 'BAD_CODE' })]);
    expect(r.damagedRows).toBe(1);
  });
});

describe('damaged rows', () => {
  const page = structured(256, 30, prng(99));
  const opts = (coding: 'MH' | 'MR'): FaxCodecOptions => ({ coding, width: 256, height: 30 });

  for (const coding of ['MH', 'MR'] as const) {
    test(`${coding}: a bad code damages one row, concealed by the row above; decoding resumes at the next EOL`, () => {
      // One stream per row (each starts with its EOL; the zero padding between is T.4 fill).
      const pieces = Array.from({ length: 30 }, (_, y) => encodeFax(rowOf(page, y), { coding, width: 256 }));
      pieces[12] = bits(`${EOL}${coding === 'MR' ? '1' : ''} 0111 000000001000 10101010`);
      pieces[20] = bits(`${EOL}${coding === 'MR' ? '1' : ''} 0111 000000001000 10101010`);
      pieces[21] = bits(`${EOL}${coding === 'MR' ? '1' : ''} 0111 000000001000 10101010`);
      const r = decodeFax(concat(...pieces), opts(coding));
      expect(r.damagedRows).toBe(3);
      expect(r.consecutiveDamagedRows).toBe(2);
      expect(r.rowsDecoded).toBe(30);
      expect(r.diagnostics.map((d) => [d.code, d.row])).toEqual([
        ['BAD_CODE', 12],
        ['BAD_CODE', 20],
        ['BAD_CODE', 21],
      ]);
      for (let y = 0; y < 30; y++) {
        const from = y === 12 ? 11 : y === 20 || y === 21 ? 19 : y;
        expect([y, rowBytes(r.bitmap, y)]).toEqual([y, rowBytes(page, from)]);
      }
    });
  }

  test('MMR: after a bad code the row is concealed and the rest of the strip is white, reported', () => {
    const coded = encodeFax(page, { coding: 'MMR', width: 256 });
    const cut = Math.floor(coded.length / 2);
    // Six zero bits then 1000: not a mode code (0000001000 is an unknown extension).
    const damaged = concat(coded.subarray(0, cut), bits('00000010 00111111'), coded.subarray(cut + 2));
    const r = decodeFax(damaged, { coding: 'MMR', width: 256, height: 30 });
    const bad = r.diagnostics.find((d) => d.code === 'BAD_CODE');
    expect(bad).toBeDefined();
    const row = bad!.row;
    expect(r.damagedRows).toBe(1);
    expect(r.rowsDecoded).toBe(row + 1);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BAD_CODE', 'MISSING_ROWS']);
    for (let y = 0; y < row; y++) expect(rowBytes(r.bitmap, y)).toEqual(rowBytes(page, y));
    expect(rowBytes(r.bitmap, row)).toEqual(rowBytes(r.bitmap, row - 1));
    for (let y = row + 1; y < 30; y++) expect(rowBytes(r.bitmap, y).every((b) => b === 0)).toBe(true);
  });

  test('more changes than columns (zero-length runs forever) ends the row as bad, bounded', () => {
    // Horizontal mode with runs 0 and 0, over and over: a0 never moves.
    const data = bits(`1 ${'001 00110101 0000110111 '.repeat(200)}`); // a white row (V0), then the loop
    const r = decodeFax(data, { coding: 'MMR', width: 24, height: 2 });
    expect(r.diagnostics[0]).toMatchObject({ row: 1, code: 'BAD_CODE' });
    expect(r.diagnostics[0].message).toMatch(/more than \d+ changes/);
  });

  test('diagnostics stop at MAX_DIAGNOSTICS_PER_PAGE on a page of bad rows', () => {
    const bad = bits(`${EOL} 0111 000000001000 10101010`);
    const rows = MAX_DIAGNOSTICS_PER_PAGE + 500;
    const data = concat(encodeFax(blank(64, 1), { coding: 'MH', width: 64 }), ...Array.from({ length: rows }, () => bad));
    const r = decodeFax(data, { coding: 'MH', width: 64, height: rows + 1 });
    expect(r.damagedRows).toBe(rows);
    expect(r.consecutiveDamagedRows).toBe(rows);
    expect(r.diagnostics.length).toBe(MAX_DIAGNOSTICS_PER_PAGE);
  });
});

describe('row length mismatches', () => {
  test('an EOL before the width pads the row white (ROW_TOO_SHORT)', () => {
    // Row 1: white 4 (1011), black 3 (10), EOL: 7 of 16 columns. Rows 0 and 2: white 4,
    // black 3, white 9 (10100).
    const data = bits(`${EOL} 1011 10 10100 ${EOL} 1011 10 ${EOL} 1011 10 10100`);
    const r = decodeFax(data, { coding: 'MH', width: 16, height: 3 });
    expect(rowBytes(r.bitmap, 1)).toEqual([0x0e, 0x00]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ row: 1, code: 'ROW_TOO_SHORT' })]);
    expect(r.damagedRows).toBe(1);
    expect(rowBytes(r.bitmap, 2)).toEqual([0x0e, 0x00]);
  });

  test('runs past the width are clipped (ROW_TOO_LONG) and the next row is found at its EOL', () => {
    // Row 0: white 4, black 20 (00001101000) on a 16-wide row, then an extra white 7 (1111)
    // before the EOL. Rows 1 and 2: white 2 (0111), black 2 (11), white 12 (001000).
    const good = `${EOL} 0111 11 001000`;
    const data = bits(`${EOL} 1011 00001101000 1111 ${good} ${good}`);
    const r = decodeFax(data, { coding: 'MH', width: 16, height: 3 });
    expect(rowBytes(r.bitmap, 0)).toEqual([0x0f, 0xff]);
    expect(rowBytes(r.bitmap, 1)).toEqual([0x30, 0x00]);
    expect(rowBytes(r.bitmap, 2)).toEqual([0x30, 0x00]);
    expect(r.diagnostics.map((d) => [d.code, d.row])).toEqual([
      ['ROW_TOO_LONG', 0],
      ['ROW_TOO_LONG', 0],
    ]);
    expect(r.damagedRows).toBe(1);
    expect(r.consecutiveDamagedRows).toBe(1);
  });

  test('a make-up code without its terminating code before an EOL counts as run + 0', () => {
    // white 0, black 64 (make-up 0000001111) with no terminating code, EOL.
    const data = bits(`${EOL} 00110101 0000001111 ${EOL}`);
    const r = decodeFax(data, { coding: 'MH', width: 64, height: 1 });
    expect(Array.from(r.bitmap.data)).toEqual(new Array(8).fill(0xff));
    expect(r.diagnostics).toEqual([]);
  });
});

describe('framing', () => {
  const page = structured(200, 20, prng(5));

  test('long T.4 fill before EOLs, stray double EOLs mid-page, RTC then garbage', () => {
    const pieces: Uint8Array[] = [];
    for (let y = 0; y < 20; y++) {
      pieces.push(new Uint8Array(y % 3)); // zero fill bytes
      if (y === 7) pieces.push(bits(EOL)); // a stray extra EOL
      pieces.push(encodeFax(rowOf(page, y), { coding: 'MH', width: 200 }));
    }
    pieces.push(bits(EOL.repeat(6)), new TextEncoder().encode('garbage after RTC'));
    const data = concat(...pieces);
    const r = decodeFax(data, { coding: 'MH', width: 200, height: 20 });
    expect(firstDifference(r.bitmap, page)).toBeUndefined();
    expect(r.endMarkerSeen).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TRAILING_DATA']);
    const s = decodeFaxStream(data, { coding: 'MH', width: 200 });
    expect(s.bitmap.height).toBe(20);
  });

  test('fewer rows than the height: the rest is white and MISSING_ROWS is reported, also with blackIs1 false', () => {
    for (const blackIs1 of [true, false]) {
      const coded = encodeFax(rowOf(page, 3), { coding: 'MR', width: 200, blackIs1 });
      const r = decodeFax(coded, { coding: 'MR', width: 200, height: 5, blackIs1 });
      expect(rowBytes(r.bitmap, 0)).toEqual(rowBytes(page, 3));
      for (let y = 1; y < 5; y++) expect(rowBytes(r.bitmap, y).every((b) => b === 0)).toBe(true);
      expect(r.diagnostics.map((d) => [d.code, d.row])).toEqual([['MISSING_ROWS', 1]]);
    }
  });

  test('zero padding after the last row of a short strip is not a row', () => {
    const coded = concat(encodeFax(rowOf(page, 4), { coding: 'MMR', width: 200 }), new Uint8Array(64));
    const r = decodeFax(coded, { coding: 'MMR', width: 200, height: 3 });
    expect(r.rowsDecoded).toBe(1);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MISSING_ROWS']);
  });

  test('MH data without any EOL (libtiff #54 style) decodes row after row', () => {
    const coded = encodeFax(page, { coding: 'MH', width: 200, eol: false });
    const r = decodeFax(coded, { coding: 'MH', width: 200, height: 20 });
    expect(firstDifference(r.bitmap, page)).toBeUndefined();
    expect(r.diagnostics).toEqual([]);
  });

  test('blackIs1: false decodes coded white as 1', () => {
    const coded = encodeFax(page, { coding: 'MMR', width: 200 });
    const r = decodeFax(coded, { coding: 'MMR', width: 200, height: 20, blackIs1: false });
    for (const [x, y] of [[0, 0], [57, 3], [199, 19], [100, 10]]) {
      expect(getPixel(r.bitmap, x, y)).toBe(1 - getPixel(page, x, y));
    }
    expect(r.bitmap.data[24] & 0xff).toBe((~page.data[24] & 0xff) & 0xff); // 200 px = 25 bytes, no pad
  });
});

describe('decodeFaxInto', () => {
  test('strips decoded out of order do not touch each other, even with widths that are not a multiple of 32', () => {
    const page = structured(203, 40, prng(8));
    const stride = 26;
    const target = blank(203, 40);
    for (const first of [20, 0]) {
      const strip: Bitmap = { width: 203, height: 20, data: page.data.slice(first * stride, (first + 20) * stride) };
      const opts: FaxCodecOptions = { coding: 'MMR', width: 203, height: 20 };
      decodeFaxInto(encodeFax(strip, opts), opts, target, first);
    }
    expect(firstDifference(target, page)).toBeUndefined();
  });

  test('never writes past the target, and checks its arguments', () => {
    const target = blank(16, 4);
    const coded = encodeFax(blank(16, 10), { coding: 'MMR', width: 16 });
    const r = decodeFaxInto(coded, { coding: 'MMR', width: 16, height: 10 }, target, 2);
    expect(r.rowsDecoded).toBe(2);
    expect(() => decodeFaxInto(coded, { coding: 'MMR', width: 16 }, target, 5)).toThrow(/rowOffset/);
    expect(() => decodeFaxInto(coded, { coding: 'MMR', width: 8 }, target, 0)).toThrow(/width/);
  });
});
