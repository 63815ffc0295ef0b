import { IfaxError } from '../../src/errors.js';
import { MAX_PAGES } from '../../src/limits.js';
import { ifdEntries, pageStrips, readTiff } from '../../src/tiff/index.js';
import { fixture } from './helpers.js';
import { T, buildTiff, pageEntries, type RawIfd } from './tiff-builder.js';

function errorOf(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

const strip = (n: number) => new Uint8Array(n).fill(0);

function onePage(extra: Partial<Parameters<typeof pageEntries>[0]> = {}, order: 'II' | 'MM' = 'II'): Uint8Array {
  return buildTiff({
    order,
    ifds: [{ entries: pageEntries({ width: 16, height: 4, ...extra }), strips: [strip(8)] }],
  });
}

describe('readTiff: header', () => {
  it('reads little-endian and big-endian files to the same fields', () => {
    for (const order of ['II', 'MM'] as const) {
      const f = readTiff(onePage({ width: 1728, height: 2 }, order));
      expect(f.byteOrder).toBe(order);
      expect(f.pages).toHaveLength(1);
      const p = f.pages[0];
      expect([p.width, p.height, p.compression, p.photometric, p.xResolution, p.yResolution]).toEqual([
        1728, 2, 1, 0, 204, 196,
      ]);
      expect(p.stripByteCounts).toEqual([8]);
    }
  });

  it('reads junk byte-order bytes from the version word, with a warning (RFC 3249 §5.2.1 b)', () => {
    const f = readTiff(buildTiff({ orderBytes: [0, 0], ifds: [{ entries: pageEntries({ width: 8, height: 1 }), strips: [strip(1)] }] }));
    expect(f.byteOrder).toBe('II');
    expect(f.warnings.join(' ')).toMatch(/neither "II" nor "MM"/);
  });

  it('refuses BigTIFF clearly', () => {
    const bytes = new Uint8Array([0x49, 0x49, 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const err = errorOf(() => readTiff(bytes));
    expect(err.code).toBe('UNSUPPORTED_INPUT');
    expect(err.message).toMatch(/BigTIFF/);
  });

  it('refuses non-TIFF bytes and files shorter than a header with TIFF_INVALID', () => {
    expect(errorOf(() => readTiff(new TextEncoder().encode('%PDF-1.4 hello'))).code).toBe('TIFF_INVALID');
    expect(errorOf(() => readTiff(new Uint8Array([0x49, 0x49, 42]))).code).toBe('TIFF_INVALID');
  });

  it('names the IFD when the first IFD offset is outside the file', () => {
    const bytes = onePage();
    new DataView(bytes.buffer).setUint32(4, 999999, true);
    const err = errorOf(() => readTiff(bytes));
    expect(err.code).toBe('TIFF_INVALID');
    expect(err.message).toMatch(/IFD 0 offset 999999 is outside the file/);
  });
});

describe('readTiff: fields', () => {
  it('reads tags in any order, with a warning', () => {
    const entries = pageEntries({ width: 40, height: 3 }).reverse();
    const f = readTiff(buildTiff({ ifds: [{ entries, strips: [strip(15)] }] }));
    expect(f.pages[0].width).toBe(40);
    expect(f.pages[0].warnings.join(' ')).toMatch(/not sorted/);
  });

  it('applies TIFF 6.0 defaults: BitsPerSample 1, Compression 1, FillOrder 1, RowsPerStrip 2^32-1', () => {
    const entries = pageEntries({ width: 8, height: 2 }).filter((e) => ![258, 259, 278].includes(e.tag));
    const p = readTiff(buildTiff({ ifds: [{ entries, strips: [strip(2)] }] })).pages[0];
    expect([p.bitsPerSample, p.compression, p.fillOrder, p.rowsPerStrip, p.samplesPerPixel, p.resolutionUnit]).toEqual([
      1, 1, 1, 0xffffffff, 1, 2,
    ]);
  });

  it('accepts SHORT where LONG is usual and reads arrays stored at offsets', () => {
    const entries = pageEntries({ width: 8, height: 6, rowsPerStrip: 2, extra: [{ tag: 297, type: T.SHORT, values: [3, 7] }] });
    const f = readTiff(buildTiff({ order: 'MM', ifds: [{ entries, strips: [strip(2), strip(2), strip(2)] }] }));
    const p = f.pages[0];
    expect(p.stripOffsets).toHaveLength(3);
    expect(p.stripByteCounts).toEqual([2, 2, 2]);
    expect(p.pageNumber).toEqual([3, 7]);
    expect(pageStrips(f, 0).map((s) => [s.firstRow, s.rows])).toEqual([
      [0, 2],
      [2, 2],
      [4, 2],
    ]);
  });

  it('reads ASCII, BYTE and the fax page-quality fields', () => {
    const extra = [
      { tag: 305, type: T.ASCII, values: 'ifax test software' },
      { tag: 326, type: T.SHORT, values: [5] },
      { tag: 327, type: T.SHORT, values: [1] },
      { tag: 328, type: T.BYTE, values: [3] },
    ];
    const p = readTiff(buildTiff({ ifds: [{ entries: pageEntries({ width: 8, height: 1, extra }), strips: [strip(1)] }] })).pages[0];
    expect(p.software).toBe('ifax test software');
    expect([p.badFaxLines, p.cleanFaxData, p.consecutiveBadFaxLines]).toEqual([5, 1, 3]);
  });

  it('names the tag when a value offset points outside the file', () => {
    const entries = pageEntries({ width: 8, height: 1 }).map((e) => (e.tag === 282 ? { ...e, offset: 123456 } : e));
    const err = errorOf(() => readTiff(buildTiff({ ifds: [{ entries, strips: [strip(1)] }] })));
    expect(err.code).toBe('TIFF_INVALID');
    expect(err.message).toMatch(/XResolution \(282\)/);
  });

  it('names the tag when a count makes the value run past the end of the file', () => {
    const entries = pageEntries({ width: 8, height: 1 }).map((e) => (e.tag === 273 ? { ...e, count: 5000 } : e));
    const err = errorOf(() => readTiff(buildTiff({ ifds: [{ entries, strips: [strip(1)] }] })));
    expect(err.code).toBe('TIFF_INVALID');
    expect(err.message).toMatch(/StripOffsets \(273\)/);
  });

  it('requires ImageWidth and ImageLength', () => {
    const entries = pageEntries({ width: 8, height: 1 }).filter((e) => e.tag !== 256);
    const err = errorOf(() => readTiff(buildTiff({ ifds: [{ entries, strips: [strip(1)] }] })));
    expect(err.code).toBe('TIFF_INVALID');
    expect(err.message).toMatch(/ImageWidth \(256\)/);
  });

  it('measures strips whose StripByteCounts is 0, missing or past the end of the file', () => {
    for (const variant of ['zero', 'missing', 'huge'] as const) {
      const entries = pageEntries({ width: 8, height: 4 })
        .filter((e) => variant !== 'missing' || e.tag !== 279)
        .map((e) => (e.tag === 279 ? { ...e, values: [variant === 'zero' ? 0 : 99999] } : e));
      const f = readTiff(buildTiff({ ifds: [{ entries, strips: [strip(4)] }] }));
      // The strip is at offset 8 and the IFD's values follow it: measured up to them or the IFD.
      const p = f.pages[0];
      expect(p.stripByteCounts[0]).toBeGreaterThanOrEqual(4);
      expect(8 + p.stripByteCounts[0]).toBeLessThanOrEqual(f.bytes.length);
      expect(p.warnings.join(' ')).toMatch(/StripByteCounts \(279\)/);
    }
  });

  it('treats RowsPerStrip 0 as one strip and a single strip with small RowsPerStrip as the whole page', () => {
    const a = readTiff(onePage({ rowsPerStrip: 0 }));
    expect(pageStrips(a, 0)).toHaveLength(1);
    const b = readTiff(onePage({ rowsPerStrip: 1 }));
    expect(pageStrips(b, 0)).toEqual([expect.objectContaining({ firstRow: 0, rows: 4 })]);
    expect(b.pages[0].warnings.join(' ')).toMatch(/RowsPerStrip/);
  });

  it('refuses a strip offset outside the file when the strips are asked for, naming StripOffsets', () => {
    const entries = pageEntries({ width: 8, height: 1 }).map((e) => (e.tag === 273 ? { ...e, values: [77777] } : e));
    const f = readTiff(buildTiff({ ifds: [{ entries, strips: [strip(1)] }] }));
    const err = errorOf(() => pageStrips(f, 0));
    expect(err.code).toBe('TIFF_INVALID');
    expect(err.message).toMatch(/StripOffsets \(273\) \[0\] is 77777/);
  });

  it('lists raw entries in file order', () => {
    const f = readTiff(onePage());
    expect(ifdEntries(f, 0).map((e) => e.tag)).toEqual(pageEntries({ width: 1, height: 1 }).map((e) => e.tag));
  });
});

describe('readTiff: IFD chain', () => {
  const page = (): RawIfd => ({ entries: pageEntries({ width: 8, height: 1 }), strips: [strip(1)] });

  it('reads every page of a multi-page file', () => {
    const f = readTiff(buildTiff({ ifds: [page(), page(), page()] }));
    expect(f.pages.map((p) => p.index)).toEqual([0, 1, 2]);
  });

  it('stops at an IFD loop with a warning instead of running forever', () => {
    const bytes = buildTiff({ ifds: [page(), page()] });
    const f0 = readTiff(bytes);
    // point IFD 1's next pointer back at IFD 0
    const ifd1 = f0.pages[1].ifd;
    new DataView(bytes.buffer).setUint32(ifd1.offset + ifd1.byteLength - 4, f0.firstIfdOffset, true);
    const f = readTiff(bytes);
    expect(f.pages).toHaveLength(2);
    expect(f.warnings.join(' ')).toMatch(/loop/);
  });

  it('keeps the pages before a next-IFD offset that points past the end (truncated file)', () => {
    const bytes = buildTiff({ ifds: [{ ...page(), next: 1 << 30 }] });
    const f = readTiff(bytes);
    expect(f.pages).toHaveLength(1);
    expect(f.warnings.join(' ')).toMatch(/outside the file/);
  });

  it('refuses more than MAX_PAGES pages with LIMIT_EXCEEDED', () => {
    const ifds = Array.from({ length: MAX_PAGES + 1 }, page);
    const err = errorOf(() => readTiff(buildTiff({ ifds })));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/MAX_PAGES/);
  });

  it('refuses an IFD with more than MAX_IFD_ENTRIES entries', () => {
    const bytes = onePage();
    const f = readTiff(bytes);
    new DataView(bytes.buffer).setUint16(f.firstIfdOffset, 60000, true);
    const err = errorOf(() => readTiff(bytes));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/MAX_IFD_ENTRIES/);
  });
});

describe('readTiff: corpus files', () => {
  it('g3aoe.tif: unsorted tags, no BitsPerSample (default 1)', () => {
    const p = readTiff(fixture('twelvemonkeys/g3aoe.tif')).pages[0];
    expect([p.width, p.height, p.bitsPerSample, p.compression, p.t4Options]).toEqual([1728, 2328, 1, 3, 4]);
    expect(p.warnings.join(' ')).toMatch(/not sorted/);
  });

  it('Cisco_fax.tif: SHORT sizes, RowsPerStrip 0xFFFFFFFF, page-quality fields', () => {
    const f = readTiff(fixture('cisco/Cisco_fax.tif'));
    const p = f.pages[0];
    expect([p.width, p.height, p.rowsPerStrip, p.pageNumber, p.badFaxLines, p.cleanFaxData]).toEqual([
      1728, 2270, 0xffffffff, [0, 0], 1, 1,
    ]);
    expect(pageStrips(f, 0)).toHaveLength(1);
  });

  it('G32DS.tif: big-endian, 17 strips of 200 rows', () => {
    const f = readTiff(fixture('twelvemonkeys/G32DS.tif'));
    expect(f.byteOrder).toBe('MM');
    const strips = pageStrips(f, 0);
    expect(strips).toHaveLength(17);
    expect(strips[16]).toEqual(expect.objectContaining({ firstRow: 3200, rows: 48 }));
  });

  it('CCITT-G4-300dpi-StripByteCounts0.tif: the strip is read to the end of the file', () => {
    const f = readTiff(fixture('twelvemonkeys/CCITT-G4-300dpi-StripByteCounts0.tif'));
    const p = f.pages[0];
    expect(p.stripByteCountsTag).toEqual([0]);
    expect(p.stripOffsets[0] + p.stripByteCounts[0]).toBe(f.bytes.length);
  });

  it('g4-multi.tiff: three pages, two strips each', () => {
    const f = readTiff(fixture('pillow/g4-multi.tiff'));
    expect(f.pages).toHaveLength(3);
    expect(f.pages.map((p) => p.pageNumber)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(pageStrips(f, 2)).toHaveLength(2);
  });

  it('incorrect-compression-rle-as-g3.tif: PageNumber with one value is read with a warning', () => {
    const p = readTiff(fixture('twelvemonkeys/incorrect-compression-rle-as-g3.tif')).pages[0];
    expect(p.pageNumber).toEqual([0, 0]);
    expect(p.warnings.join(' ')).toMatch(/PageNumber/);
  });
});
