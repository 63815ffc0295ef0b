/**
 * Decoder state reuse (decode-state.ts) and FaxStripDecoder: strips decoded one after
 * another share one working state per width, so nothing of one strip, page or width may
 * show in the next one's output or diagnostics, clean data or damaged.
 */

import { IfaxError } from '../../src/errors.js';
import {
  decodeFax,
  decodeFaxInto,
  encodeFax,
  FaxStripDecoder,
  type Bitmap,
  type FaxCodecOptions,
  type FaxCoding,
} from '../../src/codec/index.js';
import { blank, firstDifference, noise, prng, structured } from './helpers.js';

const CODINGS: [FaxCoding, Partial<FaxCodecOptions>][] = [
  ['MH', {}],
  ['MR', { k: 4 }],
  ['MMR', {}],
];

/** Rows [from, to) of a bitmap as a bitmap of their own. */
function rowsOf(b: Bitmap, from: number, to: number): Bitmap {
  const s = (b.width + 7) >> 3;
  return { width: b.width, height: to - from, data: b.data.slice(from * s, to * s) };
}

/** Decodes one width, returning the result or the error's code, to compare outcomes. */
function outcome(data: Uint8Array, opts: FaxCodecOptions): unknown {
  try {
    return decodeFax(data, opts);
  } catch (err) {
    if (err instanceof IfaxError) return { error: err.code, message: err.message };
    throw err;
  }
}

/** Leaves the shared state dirty: a dense page of this width decoded to its end. */
function dirty(width: number): void {
  const page = noise(width, 40, 0.5, prng(width));
  decodeFax(encodeFax(page, { coding: 'MMR', width, height: 40 }), { coding: 'MMR', width, height: 40 });
}

/** Makes the next decode of `width` start from a new state: the spare is of another width. */
function fresh(width: number): void {
  dirty(width + 1);
}

describe('decoder state reused across strips', () => {
  it.each(CODINGS)('%s: a page cut into 13-row strips decodes strip by strip into the page', (coding, extra) => {
    const width = 1728;
    const page = structured(width, 300, prng(11));
    const target = blank(width, page.height);
    const decoder = new FaxStripDecoder({ coding, width, ...extra });
    for (let row = 0; row < page.height; row += 13) {
      const rows = Math.min(13, page.height - row);
      const strip = encodeFax(rowsOf(page, row, row + rows), { coding, width, height: rows, ...extra });
      const r = decoder.decodeInto(strip, target, row, rows);
      expect(r.diagnostics).toEqual([]);
      expect(r.rowsDecoded).toBe(rows);
    }
    expect(firstDifference(target, page)).toBeUndefined();
  });

  it('strips of different widths, interleaved, each decode as on their own', () => {
    const widths = [1728, 2453, 7, 1728, 4960, 2453, 1728];
    const pages = widths.map((w, i) => structured(w, 30, prng(100 + i)));
    const streams = pages.map((p) => encodeFax(p, { coding: 'MMR', width: p.width, height: p.height }));
    for (let i = 0; i < pages.length; i++) {
      const r = decodeFax(streams[i], { coding: 'MMR', width: pages[i].width, height: pages[i].height });
      expect(r.diagnostics).toEqual([]);
      expect(firstDifference(r.bitmap, pages[i])).toBeUndefined();
    }
  });

  it('a white first row after a dense strip of the same width: the reference is reset', () => {
    const width = 1728;
    // All-white MMR rows are one V0 code each against the white reference row: any change
    // left in the reference from the previous strip would paint black.
    const white = blank(width, 20);
    const stream = encodeFax(white, { coding: 'MMR', width, height: 20 });
    dirty(width);
    const r = decodeFax(stream, { coding: 'MMR', width, height: 20 });
    expect(r.diagnostics).toEqual([]);
    expect(r.bitmap.data.every((b) => b === 0)).toBe(true);
  });

  it.each(CODINGS)('%s: damaged streams decode the same after a dirty state as from a new one', (coding, extra) => {
    const width = 1728;
    const rnd = prng(coding.length * 31 + 7);
    const page = structured(width, 60, prng(5));
    const opts = { coding, width, height: 60, ...extra } as FaxCodecOptions;
    const clean = encodeFax(page, opts);
    for (let i = 0; i < 40; i++) {
      const data = Uint8Array.from(clean);
      for (let f = 0; f < 1 + i % 5; f++) data[Math.floor(rnd() * data.length)] ^= 1 << Math.floor(rnd() * 8);
      const cut = i % 3 === 0 ? data.subarray(0, Math.floor(rnd() * data.length)) : data;
      fresh(width);
      const expected = outcome(cut, opts);
      dirty(width);
      expect(outcome(cut, opts)).toEqual(expected);
    }
  });

  it('a strip that throws leaves no trace in the next one', () => {
    const width = 1728;
    // 0000001 100...: an extension code that is not uncompressed mode, the first row is bad
    expect(() => decodeFax(new Uint8Array(64).fill(0x03), { coding: 'MMR', width, height: 10 })).toThrow(IfaxError);
    const page = structured(width, 30, prng(9));
    const r = decodeFax(encodeFax(page, { coding: 'MMR', width, height: 30 }), { coding: 'MMR', width, height: 30 });
    expect(r.diagnostics).toEqual([]);
    expect(firstDifference(r.bitmap, page)).toBeUndefined();
  });

  it('FillOrder 2 strips and FillOrder 1 strips in turn', () => {
    const width = 1728;
    const page = structured(width, 40, prng(21));
    for (const fillOrder of [2, 1, 2] as const) {
      const opts: FaxCodecOptions = { coding: 'MR', k: 4, width, height: 40, fillOrder };
      const r = decodeFax(encodeFax(page, opts), opts);
      expect(r.diagnostics).toEqual([]);
      expect(firstDifference(r.bitmap, page)).toBeUndefined();
    }
  });
});

describe('FaxStripDecoder', () => {
  it('checks its options once, when made', () => {
    expect(() => new FaxStripDecoder({ coding: 'MMR', width: 0 })).toThrow(IfaxError);
    expect(() => new FaxStripDecoder({ coding: 'XX' as FaxCoding, width: 8 })).toThrow(/coding must be MH, MR or MMR/);
  });

  it('refuses a target of another width and a row offset outside the target', () => {
    const decoder = new FaxStripDecoder({ coding: 'MMR', width: 16 });
    expect(() => decoder.decodeInto(new Uint8Array(0), blank(8, 4), 0)).toThrow(/target width 8 differs/);
    expect(() => decoder.decodeInto(new Uint8Array(0), blank(16, 4), 5)).toThrow(/rowOffset 5 outside/);
  });

  it('decodes like decodeFaxInto, never past the options height or the target', () => {
    const width = 64;
    const page = structured(width, 12, prng(2));
    const stream = encodeFax(page, { coding: 'MMR', width, height: 12 });
    const a = blank(width, 20);
    const b = blank(width, 20);
    const ra = decodeFaxInto(stream, { coding: 'MMR', width, height: 12 }, a, 3);
    const rb = new FaxStripDecoder({ coding: 'MMR', width, height: 12 }).decodeInto(stream, b, 3);
    expect(rb).toEqual(ra);
    expect(b.data).toEqual(a.data);
    const c = blank(width, 8);
    const rc = new FaxStripDecoder({ coding: 'MMR', width }).decodeInto(stream, c, 2);
    expect(rc.rowsDecoded).toBe(6);
  });

  it('serves a new target after the first', () => {
    const width = 40;
    const page = structured(width, 10, prng(4));
    const stream = encodeFax(page, { coding: 'MH', width, height: 10 });
    const decoder = new FaxStripDecoder({ coding: 'MH', width, height: 10 });
    for (let i = 0; i < 2; i++) {
      const target = blank(width, 10);
      decoder.decodeInto(stream, target, 0);
      expect(firstDifference(target, page)).toBeUndefined();
    }
  });
});
