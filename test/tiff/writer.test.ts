import { IfaxError } from '../../src/errors.js';
import {
  FaxTiffWriter,
  applyPatches,
  checkProfile,
  ifdEntries,
  pageStrips,
  readTiff,
  type FaxTiffPageInput,
} from '../../src/tiff/index.js';

function errorOf(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

/** A page with stand-in coded bytes: the writer never looks inside them. */
function sPage(height = 100, dataLength = 301, over: Partial<FaxTiffPageInput> = {}): FaxTiffPageInput {
  const data = new Uint8Array(dataLength);
  for (let i = 0; i < dataLength; i++) data[i] = (i * 37 + height) & 0xff;
  return { data, width: 1728, height, coding: 'MH', fillOrder: 2, eolFill: true, xResolution: 204, yResolution: 196, ...over };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

describe('FaxTiffWriter: profile S layout (RFC 3949 §3.5)', () => {
  const pages = [sPage(100, 301), sPage(2200, 4000), sPage(7, 9)];
  const w = new FaxTiffWriter({ profile: 'S', pageCount: 3 });
  const bytes = concat(pages.map((p) => w.addPage(p)));
  const patches = w.finish();
  const file = readTiff(bytes);

  it('needs no patches when the page count was given', () => {
    expect(patches).toEqual([]);
    expect(w.bytesWritten).toBe(bytes.length);
  });

  it('starts with "II", 42 and IFD 0 at offset 8', () => {
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  });

  it('writes each IFD, then its long values, then its strip, then the next IFD', () => {
    file.pages.forEach((p, i) => {
      const ifdEnd = p.ifd.offset + p.ifd.byteLength;
      const outOfLine = ifdEntries(file, i).filter((e) => !e.inline);
      expect(outOfLine.map((e) => e.tag)).toEqual([282, 283]);
      expect(outOfLine[0].valueOffset).toBe(ifdEnd);
      expect(outOfLine[1].valueOffset).toBe(ifdEnd + 8);
      expect(p.stripOffsets).toEqual([ifdEnd + 16]);
      const stripEnd = p.stripOffsets[0] + p.stripByteCounts[0];
      const next = i + 1 < file.pages.length ? file.pages[i + 1].ifd.offset : bytes.length;
      expect(next).toBe(stripEnd + (stripEnd & 1)); // word-aligned
      expect(p.ifd.nextOffset).toBe(i + 1 < file.pages.length ? next : 0);
    });
  });

  it('writes tags in ascending order with the profile S values', () => {
    const tags = ifdEntries(file, 0).map((e) => e.tag);
    expect(tags).toEqual([254, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 282, 283, 292, 296, 297]);
    const p = file.pages[1];
    expect({
      nst: p.newSubfileType,
      w: p.width,
      h: p.height,
      bps: p.bitsPerSample,
      c: p.compression,
      ph: p.photometric,
      fo: p.fillOrder,
      spp: p.samplesPerPixel,
      rps: p.rowsPerStrip,
      x: p.xResolution,
      y: p.yResolution,
      t4: p.t4Options,
      unit: p.resolutionUnit,
      pn: p.pageNumber,
    }).toEqual({ nst: 2, w: 1728, h: 2200, bps: 1, c: 3, ph: 0, fo: 2, spp: 1, rps: 2200, x: 204, y: 196, t4: 4, unit: 2, pn: [1, 3] });
  });

  it('stores each strip byte for byte', () => {
    file.pages.forEach((_, i) => expect(pageStrips(file, i)[0].data).toEqual(pages[i].data));
  });

  it('is profile S by our checker', () => {
    const report = checkProfile(file);
    expect(report.reasons).toEqual([]);
    expect(report.profile).toBe('S');
  });
});

describe('FaxTiffWriter: streaming with an unknown page count', () => {
  it('writes PageNumber totals 0 and returns patches for the totals and the last next-IFD offset', () => {
    const w = new FaxTiffWriter({ profile: 'S' });
    const bytes = concat([w.addPage(sPage(10, 20)), w.addPage(sPage(11, 21))]);
    expect(readTiff(bytes.slice()).pages.map((p) => p.pageNumber)).toEqual([
      [0, 0],
      [1, 0],
    ]);
    const patches = w.finish();
    expect(patches).toHaveLength(3);
    const file = readTiff(applyPatches(bytes, patches));
    expect(file.pages.map((p) => p.pageNumber)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(file.pages[1].ifd.nextOffset).toBe(0);
    expect(file.warnings).toEqual([]);
    expect(checkProfile(file).profile).toBe('S');
  });

  it('needs no next-IFD patch when the last page is marked', () => {
    const w = new FaxTiffWriter({ profile: 'F' });
    w.addPage(sPage(10, 20));
    w.addPage(sPage(10, 20), true);
    const patches = w.finish();
    expect(patches).toHaveLength(2); // the two PageNumber totals only
    expect(() => w.addPage(sPage())).toThrow(IfaxError);
  });
});

describe('FaxTiffWriter: refuses what the profile does not allow', () => {
  const cases: [string, Partial<FaxTiffPageInput>, RegExp][] = [
    ['a page wider than 1728', { width: 2048 }, /ImageWidth \(256\) is 2048/],
    ['MR coding', { coding: 'MR' }, /T4Options \(292\) is 5: bit 0/],
    ['MMR coding', { coding: 'MMR', eolFill: false }, /Compression \(259\) is 4/],
    ['FillOrder 1', { fillOrder: 1 }, /FillOrder \(266\) is 1/],
    ['300 dpi', { xResolution: 300, yResolution: 300 }, /XResolution \(282\) is 300/],
    ['BlackIsZero', { photometric: 1 }, /PhotometricInterpretation \(262\) is 1/],
    ['profile F fields', { software: 'x' }, /software are profile F fields/],
  ];
  it.each(cases)('profile S: %s', (_name, over, message) => {
    const err = errorOf(() => new FaxTiffWriter({ profile: 'S', pageCount: 1 }).addPage(sPage(10, 10, over)));
    expect(err.code).toBe('USAGE');
    expect(err.message).toMatch(message);
  });

  it('profile F: takes MMR at 300 dpi B4 and MR at 408 x 391, refuses 600 dpi unless allowed', () => {
    const f = new FaxTiffWriter({ profile: 'F' });
    f.addPage(sPage(10, 10, { coding: 'MMR', eolFill: false, width: 3072, xResolution: 300, yResolution: 300 }));
    f.addPage(sPage(10, 10, { coding: 'MR', width: 3456, xResolution: 408, yResolution: 391, fillOrder: 1 }));
    const big = sPage(10, 10, { coding: 'MMR', eolFill: false, width: 4960, xResolution: 600, yResolution: 600 });
    const err = errorOf(() => f.addPage(big));
    expect(err.message).toMatch(/XResolution \(282\) is 600 dpi/);
    new FaxTiffWriter({ profile: 'F', allowNonStandardSize: true }).addPage(big);
  });

  it('profile F: takes metric resolutions (80 x 77 pels/cm = 204 x 196 dpi)', () => {
    const w = new FaxTiffWriter({ profile: 'F', pageCount: 1 });
    const bytes = w.addPage(sPage(10, 10, { resolutionUnit: 3, xResolution: 80, yResolution: 77 }));
    const file = readTiff(bytes);
    expect([file.pages[0].xResolution, file.pages[0].yResolution, file.pages[0].resolutionUnit]).toEqual([80, 77, 3]);
    expect(checkProfile(file).profile).toBe('F');
  });

  it('refuses a wrong page count, no pages, and a finished writer', () => {
    const w = new FaxTiffWriter({ profile: 'S', pageCount: 2 });
    w.addPage(sPage());
    expect(errorOf(() => w.finish()).message).toMatch(/1 page\(s\) added, but pageCount is 2/);
    expect(errorOf(() => new FaxTiffWriter({ profile: 'S' }).finish()).message).toMatch(/no pages/);
    expect(errorOf(() => new FaxTiffWriter({ profile: 'X' as 'S' })).code).toBe('USAGE');
    expect(errorOf(() => new FaxTiffWriter({ profile: 'S', pageCount: 0 })).code).toBe('USAGE');
  });
});

describe('FaxTiffWriter: profile F fields', () => {
  it('writes page-quality and ASCII fields after the rationals, before the strip', () => {
    const w = new FaxTiffWriter({ profile: 'F', pageCount: 1 });
    const bytes = w.addPage(
      sPage(10, 33, { software: 'ifax 0.1.0', dateTime: '2025:01:02 03:04:05', badFaxLines: 2, cleanFaxData: 1, consecutiveBadFaxLines: 1 }),
    );
    const file = readTiff(bytes);
    const p = file.pages[0];
    expect([p.software, p.dateTime, p.badFaxLines, p.cleanFaxData, p.consecutiveBadFaxLines]).toEqual([
      'ifax 0.1.0',
      '2025:01:02 03:04:05',
      2,
      1,
      1,
    ]);
    for (const e of ifdEntries(file, 0).filter((x) => !x.inline)) {
      expect(e.valueOffset).toBeGreaterThanOrEqual(p.ifd.offset + p.ifd.byteLength);
      expect(e.valueOffset + e.byteLength).toBeLessThanOrEqual(p.stripOffsets[0]);
    }
    // RFC 3949 §2.2.3: profile S *writers* SHOULD NOT add these; a reader still sees profile S.
    expect(checkProfile(file).profile).toBe('S');
  });
});
