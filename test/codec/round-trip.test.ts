import {
  decodeFax,
  decodeFaxInto,
  decodeFaxStream,
  encodeFax,
  type Bitmap,
  type FaxCodecOptions,
} from '../../src/codec/index.js';
import { blank, checker, clearPad, filled, firstDifference, noise, prng, structured } from './helpers.js';

type Variant = Omit<FaxCodecOptions, 'width' | 'height'>;

const CODINGS: Variant[] = [
  { coding: 'MH' },
  { coding: 'MR', k: 2 },
  { coding: 'MR', k: 4 },
  { coding: 'MR', k: 'cost' },
  { coding: 'MMR' },
];

const OPTION_SETS: Partial<FaxCodecOptions>[] = [
  {},
  { fillOrder: 2 },
  { eolFill: true },
  { byteAlign: true },
  { endMarker: true },
  { blackIs1: false },
  { fillOrder: 2, eolFill: true, byteAlign: true, endMarker: true },
];

const WIDTHS = [1, 2, 7, 8, 9, 31, 33, 153, 1728, 1729, 2432, 4864, 5000];

function roundTrip(bm: Bitmap, variant: Variant): void {
  const opts: FaxCodecOptions = { ...variant, width: bm.width, height: bm.height };
  const coded = encodeFax(bm, opts);
  const r = decodeFax(coded, opts);
  const label = `${JSON.stringify(variant)} ${bm.width}x${bm.height}`;
  expect([label, firstDifference(r.bitmap, bm)]).toEqual([label, undefined]);
  expect([label, r.diagnostics]).toEqual([label, []]);
  expect(r.rowsDecoded).toBe(bm.height);
  expect(r.damagedRows).toBe(0);
  const marker = variant.endMarker === true && variant.eol !== false && bm.height > 0;
  expect([label, r.endMarkerSeen]).toEqual([label, marker]);
  if (marker) {
    // With an end marker the height is not needed.
    const s = decodeFaxStream(coded, opts);
    expect([label, firstDifference(s.bitmap, bm)]).toEqual([label, undefined]);
  }
}

function images(width: number, seed: number): Bitmap[] {
  const rnd = prng(seed);
  const h = width > 2000 ? 8 : width > 100 ? 24 : 40;
  return [
    clearPad(noise(width, h, 0.5, rnd)),
    clearPad(noise(width, h, 0.05, rnd)),
    structured(width, h, rnd),
    blank(width, 5),
    filled(width, 5),
    checker(width, 6),
  ];
}

describe('round trips: every coding x option set x width', () => {
  for (const coding of CODINGS) {
    for (const extra of OPTION_SETS) {
      const variant = { ...coding, ...extra } as Variant;
      test(`${JSON.stringify(variant)}`, () => {
        WIDTHS.forEach((width, i) => {
          for (const bm of images(width, 1000 + i)) roundTrip(bm, variant);
        });
      });
    }
  }
});

describe('round trips: MH without EOLs (TIFF Compression 2 style with byteAlign)', () => {
  for (const extra of [{}, { byteAlign: true }, { byteAlign: true, fillOrder: 2 as const }]) {
    test(JSON.stringify(extra), () => {
      WIDTHS.forEach((width, i) => {
        for (const bm of images(width, 2000 + i)) roundTrip(bm, { coding: 'MH', eol: false, ...extra });
      });
    });
  }
});

describe('round trips: shapes', () => {
  const rnd = prng(7);
  for (const coding of CODINGS) {
    test(`${JSON.stringify(coding)}: single row, tall and narrow, empty page`, () => {
      roundTrip(clearPad(noise(1728, 1, 0.3, rnd)), coding);
      roundTrip(clearPad(noise(8, 20000, 0.3, rnd)), coding);
      roundTrip(structured(8, 20000, rnd), coding);
      roundTrip(blank(1728, 0), coding);
      roundTrip(checker(1, 3), { ...coding, endMarker: true });
    });
  }
});

test('runs longer than 2623 use repeated 2560 make-up codes (T.4 §4.1.1.2)', () => {
  for (const width of [2560, 2623, 2624, 5120, 5183, 5184, 16384]) {
    const bm = blank(width, 4);
    const stride = (width + 7) >> 3;
    bm.data[stride + stride - 1] = 0x80 >> ((width - 1) & 7); // row 1: only the last pixel
    bm.data.fill(0xff, 2 * stride, 3 * stride); // row 2: all black
    clearPad(bm);
    for (const coding of CODINGS) roundTrip(bm, coding);
  }
});

test('k: cost codes no larger than K=4 and never more than 3 2-D rows in a row', () => {
  const rnd = prng(11);
  for (const bm of [structured(1728, 300, rnd), clearPad(noise(1728, 100, 0.1, rnd))]) {
    const cost = encodeFax(bm, { coding: 'MR', width: 1728, k: 'cost' });
    const k4 = encodeFax(bm, { coding: 'MR', width: 1728, k: 4 });
    expect(cost.length).toBeLessThanOrEqual(k4.length);
  }
  // Tag bits: with eolFill every EOL ends a byte, so each tag is the top bit of the next byte.
  const bm = structured(1728, 200, rnd);
  const coded = encodeFax(bm, { coding: 'MR', width: 1728, k: 'cost', eolFill: true });
  let run2D = 0;
  let rows = 0;
  for (let i = 1; i < coded.length; i++) {
    if (coded[i - 1] === 0x01 && (i < 2 || (coded[i - 2] & 0x0f) === 0)) {
      rows++;
      run2D = coded[i] & 0x80 ? 0 : run2D + 1;
      expect(run2D).toBeLessThanOrEqual(3);
    }
  }
  expect(rows).toBeGreaterThanOrEqual(200);
});

test('decodeFaxInto decodes strips into one page, each strip restarting with a white reference', () => {
  const rnd = prng(5);
  const page = structured(1728, 100, rnd);
  const stride = 1728 / 8;
  for (const coding of CODINGS) {
    const target = blank(1728, 100);
    target.data.fill(0x55);
    let row = 0;
    for (const rows of [37, 37, 26]) {
      const strip: Bitmap = { width: 1728, height: rows, data: page.data.slice(row * stride, (row + rows) * stride) };
      const opts = { ...coding, width: 1728, height: rows };
      const r = decodeFaxInto(encodeFax(strip, opts), opts, target, row);
      expect(r.rowsDecoded).toBe(rows);
      expect(r.diagnostics).toEqual([]);
      row += rows;
    }
    expect(firstDifference(target, page)).toBeUndefined();
  }
});

test('bw-gopher encodes byte for byte to the streams of the golang corpus (MH and MMR, aligned, inverted)', async () => {
  const { readFileSync } = await import('node:fs');
  const { CORPUS, readPbm } = await import('./helpers.js');
  const gopher = readPbm(`${CORPUS}/expected/golang/bw-gopher.png.pbm`);
  const dir = `${CORPUS}/tiff/golang`;
  const cases: [string, FaxCodecOptions][] = [
    ['bw-gopher.ccitt_group3', { coding: 'MH', width: 153, endMarker: true }],
    ['bw-gopher.ccitt_group4', { coding: 'MMR', width: 153, endMarker: true }],
    ['bw-gopher-aligned.ccitt_group3', { coding: 'MH', width: 153, endMarker: true, byteAlign: true }],
    ['bw-gopher-aligned.ccitt_group4', { coding: 'MMR', width: 153, endMarker: true, byteAlign: true }],
    ['bw-gopher-inverted.ccitt_group3', { coding: 'MH', width: 153, endMarker: true, blackIs1: false }],
    ['bw-gopher-inverted-aligned.ccitt_group4', { coding: 'MMR', width: 153, endMarker: true, byteAlign: true, blackIs1: false }],
    ['bw-gopher-truncated0.ccitt_group3', { coding: 'MH', width: 153 }],
    ['bw-gopher-truncated0.ccitt_group4', { coding: 'MMR', width: 153 }],
  ];
  for (const [name, opts] of cases) {
    expect([name, Buffer.from(encodeFax(gopher, opts)).equals(readFileSync(`${dir}/${name}`))]).toEqual([name, true]);
  }
});

test('encoder ignores pad bits and rejects bad input', () => {
  const bm = blank(9, 2);
  bm.data.set([0x00, 0x7f, 0xff, 0x80]); // row 0: pad bits set; row 1: 9 black pixels
  const coded = encodeFax(bm, { coding: 'MMR', width: 9 });
  const r = decodeFax(coded, { coding: 'MMR', width: 9, height: 2 });
  expect(Array.from(r.bitmap.data)).toEqual([0x00, 0x00, 0xff, 0x80]);
  expect(() => encodeFax(bm, { coding: 'MMR', width: 10 })).toThrow(/width/);
  expect(() => encodeFax({ width: 9, height: 3, data: bm.data }, { coding: 'MMR', width: 9 })).toThrow(/bytes/);
  expect(() => encodeFax(bm, { coding: 'MR', width: 9, k: 0 })).toThrow(/k must be/);
  expect(() => encodeFax(bm, { coding: 'MR', width: 9, eol: false })).toThrow(/EOL/);
});

test('the encoder reads bitmaps at any byte offset of their buffer (32-bit word scanning)', () => {
  const bm = structured(1731, 50, prng(17));
  const expected = encodeFax(bm, { coding: 'MMR', width: 1731 });
  for (let shift = 1; shift < 8; shift++) {
    const buffer = new Uint8Array(bm.data.length + 8);
    buffer.set(bm.data, shift);
    const moved: Bitmap = { width: 1731, height: 50, data: buffer.subarray(shift, shift + bm.data.length) };
    for (const coding of ['MH', 'MMR'] as const) {
      expect([shift, coding, Buffer.from(encodeFax(moved, { coding, width: 1731 })).equals(Buffer.from(encodeFax(bm, { coding, width: 1731 })))]).toEqual([shift, coding, true]);
    }
    expect(Buffer.from(encodeFax(moved, { coding: 'MMR', width: 1731 })).equals(Buffer.from(expected))).toBe(true);
  }
});
