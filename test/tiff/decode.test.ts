import { IfaxError } from '../../src/errors.js';
import { decodePage, faxOptionsForPage, readTiff, reversedBitsCopy } from '../../src/tiff/index.js';
import type { Bitmap } from '../../src/codec/types.js';
import { bitmapDiff, fixture, parsePbm, stride } from './helpers.js';
import { T, buildTiff, pageEntries, type RawEntry } from './tiff-builder.js';

function errorOf(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

/** 13 x 5 test pattern: width not a multiple of 8, so each row has 3 pad bits. */
const pattern: Bitmap = {
  width: 13,
  height: 5,
  data: new Uint8Array([0xff, 0xf8, 0x80, 0x08, 0xaa, 0xa8, 0x00, 0x00, 0x12, 0x30]),
};

/** Stores `b` uncompressed as the TIFF would: inverted for BlackIsZero, reversed for FillOrder 2, junk pad bits. */
function uncompressed(b: Bitmap, photometric: 0 | 1, fillOrder: 1 | 2, rowsPerStrip = b.height): Uint8Array {
  const s = stride(b.width);
  const stored = b.data.map((v, i) => {
    let x = photometric === 1 ? v ^ 0xff : v;
    if (i % s === s - 1) x |= 0x07; // junk in the pad bits: the reader must clear them
    return x;
  });
  const data = fillOrder === 2 ? reversedBitsCopy(stored) : stored;
  const strips: Uint8Array[] = [];
  for (let y = 0; y < b.height; y += rowsPerStrip) strips.push(data.slice(y * s, Math.min(b.height, y + rowsPerStrip) * s));
  const entries = pageEntries({ width: b.width, height: b.height, photometric, fillOrder, rowsPerStrip });
  return buildTiff({ ifds: [{ entries, strips }] });
}

describe('decodePage: Compression 1 (uncompressed)', () => {
  it.each([
    [0, 1],
    [1, 1],
    [0, 2],
    [1, 2],
  ] as const)('Photometric %d, FillOrder %d decode to what the page looks like, pad bits cleared', (photometric, fillOrder) => {
    const d = decodePage(readTiff(uncompressed(pattern, photometric, fillOrder)), 0);
    expect(bitmapDiff(d.bitmap, pattern)).toBeUndefined();
    expect(d.rowsDecoded).toBe(5);
    expect(d.diagnostics).toEqual([]);
  });

  it('puts each strip at its row offset', () => {
    const d = decodePage(readTiff(uncompressed(pattern, 0, 1, 2)), 0);
    expect(readTiff(uncompressed(pattern, 0, 1, 2)).pages[0].stripOffsets).toHaveLength(3);
    expect(bitmapDiff(d.bitmap, pattern)).toBeUndefined();
  });

  it('pads a short strip with white rows and says so', () => {
    const s = stride(pattern.width);
    const entries = pageEntries({ width: 13, height: 5 });
    const file = readTiff(buildTiff({ ifds: [{ entries, strips: [pattern.data.slice(0, 3 * s)] }] }));
    const d = decodePage(file, 0);
    expect(d.rowsDecoded).toBe(3);
    expect(d.diagnostics).toEqual([expect.objectContaining({ row: 3, code: 'MISSING_ROWS' })]);
    expect(Array.from(d.bitmap.data.subarray(3 * s))).toEqual([0, 0, 0, 0]);
  });

  it('decodes libtiff miniswhite-1c-1b.tiff (big-endian) to miniswhite-1c-1b.pbm', () => {
    const d = decodePage(readTiff(fixture('libtiff/miniswhite-1c-1b.tiff')), 0);
    expect(bitmapDiff(d.bitmap, parsePbm(fixture('libtiff/miniswhite-1c-1b.pbm')))).toBeUndefined();
  });
});

describe('decodePage: refuses what it does not decode, naming it', () => {
  const page = (over: Partial<Parameters<typeof pageEntries>[0]>, extra: RawEntry[] = []) =>
    readTiff(buildTiff({ ifds: [{ entries: pageEntries({ width: 8, height: 2, ...over, extra }), strips: [new Uint8Array(2)] }] }));

  it.each([
    [5, /LZW \(5\)/],
    [7, /JPEG \(7\)/],
    [32773, /PackBits \(32773\)/],
    [8, /Deflate \(8\)/],
    [60000, /unknown \(60000\)/],
  ])('compression %d -> UNSUPPORTED_INPUT', (compression, name) => {
    const err = errorOf(() => decodePage(page({ compression }), 0));
    expect(err.code).toBe('UNSUPPORTED_INPUT');
    expect(err.message).toMatch(name);
    expect(err.hint).toMatch(/image converter/);
  });

  it('8-bit greyscale -> UNSUPPORTED_INPUT naming the depth', () => {
    const f = readTiff(
      buildTiff({
        ifds: [{ entries: pageEntries({ width: 2, height: 1 }).map((e) => (e.tag === 258 ? { ...e, values: [8] } : e)), strips: [new Uint8Array(2)] }],
      }),
    );
    const err = errorOf(() => decodePage(f, 0));
    expect(err.code).toBe('UNSUPPORTED_INPUT');
    expect(err.message).toMatch(/1 sample\(s\) of 8 bit\(s\)/);
  });

  it('RGB photometric and tiled pages -> UNSUPPORTED_INPUT', () => {
    expect(errorOf(() => decodePage(page({ photometric: 2 }), 0)).message).toMatch(/PhotometricInterpretation \(262\) is 2/);
    expect(errorOf(() => decodePage(page({}, [{ tag: 322, type: T.LONG, values: [16] }]), 0)).message).toMatch(/tiled/);
  });

  it.each([
    [{ width: 20000, height: 10 }, /MAX_WIDTH/],
    [{ width: 100, height: 70000 }, /MAX_HEIGHT/],
    [{ width: 16000, height: 16000 }, /MAX_PIXELS_PER_PAGE/],
  ])('checks size limits before allocating: %j', (size, limit) => {
    const err = errorOf(() => decodePage(page({ ...size, compression: 4 }), 0));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(limit);
  });

  it('a 0-pixel page is TIFF_INVALID; asking for a page the file lacks is USAGE', () => {
    expect(errorOf(() => decodePage(page({ width: 0 }), 0)).code).toBe('TIFF_INVALID');
    const missing = errorOf(() => decodePage(page({}), 3));
    expect(missing.code).toBe('USAGE');
    expect(missing.message).toMatch(/page index 3 \(counted from 0\) does not exist; the file has 1 page/);
  });
});

describe('faxOptionsForPage: codec options from the tags', () => {
  const p = (compression: number, t4 = 0, photometric = 0, fillOrder = 1) =>
    readTiff(
      buildTiff({ ifds: [{ entries: pageEntries({ width: 1728, height: 10, compression, t4, photometric, fillOrder }), strips: [new Uint8Array(2)] }] }),
    ).pages[0];

  it('Compression 2 is MH without EOLs, byte-aligned rows', () => {
    expect(faxOptionsForPage(p(2), 10)).toEqual(expect.objectContaining({ coding: 'MH', byteAlign: true, eol: false, width: 1728, height: 10 }));
  });
  it('Compression 3: T4Options bit 0 -> MR, bit 2 -> eolFill', () => {
    expect(faxOptionsForPage(p(3, 0), 10)).toEqual(expect.objectContaining({ coding: 'MH', eolFill: false }));
    expect(faxOptionsForPage(p(3, 4), 10)).toEqual(expect.objectContaining({ coding: 'MH', eolFill: true }));
    expect(faxOptionsForPage(p(3, 5), 10)).toEqual(expect.objectContaining({ coding: 'MR', eolFill: true }));
  });
  it('Compression 4 is MMR; Photometric 1 -> blackIs1 false; FillOrder 2 passed on', () => {
    expect(faxOptionsForPage(p(4, 0, 1, 2), 7)).toEqual(
      expect.objectContaining({ coding: 'MMR', blackIs1: false, fillOrder: 2, height: 7 }),
    );
  });
});
