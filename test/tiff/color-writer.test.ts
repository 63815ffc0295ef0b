import { IfaxError } from '../../src/errors.js';
import { encodeJpeg } from '../../src/image/color/jpeg-encode.js';
import {
  FaxTiffWriter,
  applyPatches,
  checkProfile,
  colorPageFields,
  ifdEntries,
  readJpegMarkers,
  readTiff,
  spliceJpegTables,
  type ColorPageInput,
} from '../../src/tiff/index.js';
import { T, buildTiff, pageEntries } from './tiff-builder.js';

function errorOf(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

/** A real (small) JPEG stream of the right frame: the writer reads its markers. */
function colorPage(over: Partial<ColorPageInput> = {}, height = 16): ColorPageInput {
  const width = over.width ?? 1728;
  const spp = over.samplesPerPixel ?? 3;
  const sub = over.chromaSubsampling ?? [2, 2];
  const plane = new Uint8Array(width * height).fill(200);
  const data = encodeJpeg({
    width,
    height,
    components:
      spp === 1
        ? [{ plane, h: 1, v: 1, table: 0 }]
        : [
            { plane, h: sub[0], v: sub[1], table: 0 },
            { plane, h: 1, v: 1, table: 1 },
            { plane, h: 1, v: 1, table: 1 },
          ],
  });
  return { data, width, height, samplesPerPixel: spp, xResolution: 200, yResolution: 200, ...over };
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

describe('FaxTiffWriter.addColorPage: profile C layout (RFC 3949 §6, §3.5 order)', () => {
  const pages = [colorPage(), colorPage({ samplesPerPixel: 1 }), colorPage({ chromaSubsampling: [1, 1] })];
  const w = new FaxTiffWriter({ profile: 'C' });
  const chunks = pages.map((p, i) => w.addColorPage(p, i === pages.length - 1));
  const bytes = applyPatches(concat(chunks), w.finish());
  const file = readTiff(bytes);

  it('writes II, IFD 0 at 8, then each IFD, its long values and its strip in order', () => {
    expect([...bytes.subarray(0, 8)]).toEqual([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
    let end = 8;
    file.pages.forEach((p, i) => {
      expect(p.ifd.offset).toBe(end);
      const values = ifdEntries(file, i).filter((e) => !e.inline);
      for (const v of values) expect(v.valueOffset).toBeGreaterThanOrEqual(p.ifd.offset + p.ifd.byteLength);
      for (const v of values) expect(v.valueOffset + v.byteLength).toBeLessThanOrEqual(p.stripOffsets[0]);
      expect(p.stripOffsets).toHaveLength(1);
      expect(p.stripByteCounts[0]).toBe(pages[i].data.length);
      expect(bytes.subarray(p.stripOffsets[0], p.stripOffsets[0] + pages[i].data.length)).toEqual(pages[i].data);
      end = p.stripOffsets[0] + p.stripByteCounts[0] + (p.stripByteCounts[0] & 1);
    });
    expect(end).toBe(bytes.length);
  });

  it('writes the profile C fields: Compression 7, ITULAB, 8 bits per sample, PageNumber n/total', () => {
    file.pages.forEach((p, i) => {
      expect(p).toMatchObject({
        compression: 7,
        photometric: 10,
        bitsPerSample: 8,
        samplesPerPixel: pages[i].samplesPerPixel,
        newSubfileType: 2,
        pageNumber: [i, 3],
        rowsPerStrip: 16,
        xResolution: 200,
        yResolution: 200,
        resolutionUnit: 2,
        planarConfiguration: 1,
      });
    });
  });

  it('writes the default Decode (SRATIONAL) and, for L*a*b*, ChromaSubSampling and ChromaPositioning', () => {
    const lab = colorPageFields(file, 0);
    expect(lab.bitsPerSample).toEqual([8, 8, 8]);
    expect(lab.decode).toEqual([0, 100, -21760 / 255, 21590 / 255, -19200 / 255, 31800 / 255]);
    expect(lab.chromaSubsampling).toEqual([2, 2]);
    expect(lab.chromaPositioning).toBe(1);
    expect(lab.jpegTables).toBeUndefined();
    const grey = colorPageFields(file, 1);
    expect(grey.decode).toEqual([0, 100]);
    expect(grey.chromaSubsampling).toBeUndefined();
    expect(colorPageFields(file, 2).chromaSubsampling).toEqual([1, 1]);
    const decodeEntry = ifdEntries(file, 0).find((e) => e.tag === 433);
    expect(decodeEntry).toMatchObject({ type: 10, count: 6 });
  });

  it('is profile C for checkProfile', () => {
    const report = checkProfile(file);
    expect(report).toMatchObject({ profile: 'C', reasons: [] });
    expect(report.pages.map((p) => [p.profile, p.notC])).toEqual([
      ['C', []],
      ['C', []],
      ['C', []],
    ]);
  });

  it('fills in PageNumber totals by patch when the page count was not given', () => {
    const w2 = new FaxTiffWriter({ profile: 'C' });
    const out = [w2.addColorPage(colorPage()), w2.addColorPage(colorPage())];
    const f = readTiff(applyPatches(concat(out), w2.finish()));
    expect(f.pages.map((p) => p.pageNumber)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });
});

describe('FaxTiffWriter.addColorPage refuses what is not profile C', () => {
  const refuse = (page: ColorPageInput, opts: { allowNonStandardSize?: boolean } = {}) =>
    errorOf(() => new FaxTiffWriter({ profile: 'C', ...opts }).addColorPage(page));

  it('needs a profile C writer', () => {
    const e = errorOf(() => new FaxTiffWriter({ profile: 'F' }).addColorPage(colorPage()));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe('Writing TIFF failed: addColorPage needs a writer made with profile "C"; this one is profile "F"');
  });

  it('refuses 204 dpi and non-square resolutions', () => {
    expect(refuse(colorPage({ xResolution: 204, yResolution: 196 })).message).toMatch(
      /is not profile C: XResolution \(282\) is 204; profile C allows 100, 200, 300 or 400 dpi\. YResolution \(283\) is 196/,
    );
    expect(refuse(colorPage({ xResolution: 200, yResolution: 100 })).message).toContain('Resolution 200 x 100 dpi is not square');
  });

  it('refuses a width not in the table for the resolution, unless allowNonStandardSize', () => {
    const page = colorPage({ width: 1000 });
    const e = refuse(page);
    expect(e.message).toContain('ImageWidth (256) is 1000; at 200 dpi profile C allows 1728, 2048, 2432.');
    expect(e.context).toMatchObject({ profile: 'C', page: 1 });
    expect(() => new FaxTiffWriter({ profile: 'C', allowNonStandardSize: true }).addColorPage(page)).not.toThrow();
  });

  it('refuses a JPEG stream that disagrees with the fields', () => {
    const grey = colorPage({ samplesPerPixel: 1 });
    expect(refuse({ ...grey, samplesPerPixel: 3 }).message).toContain('The JPEG stream has 1 component(s), but SamplesPerPixel (277) is 3.');
    expect(refuse({ ...colorPage(), chromaSubsampling: [1, 1] }).message).toContain(
      'The JPEG stream samples L* 2x2, a* 1x1, b* 1x1, which does not match ChromaSubSampling (530) 1,1.',
    );
    expect(refuse({ ...colorPage(), height: 17 }).message).toContain('The JPEG frame is 1728 x 16, the page 1728 x 17.');
    const progressive = colorPage();
    const data = progressive.data.slice();
    const sof = data.findIndex((b, i) => b === 0xff && data[i + 1] === 0xc0);
    data[sof + 1] = 0xc2;
    expect(refuse({ ...progressive, data }).message).toContain("The strip's JPEG stream is SOF2 (progressive); profile C requires baseline JPEG (SOF0).");
    expect(refuse({ ...progressive, data: new Uint8Array([1, 2, 3]) }).message).toContain('The strip is not a JPEG stream');
  });

  it('keeps refusing unknown profiles', () => {
    expect(errorOf(() => new FaxTiffWriter({ profile: 'X' as 'S' })).message).toBe(
      'Writing TIFF failed: profile "X" is not "S", "F" or "C"',
    );
  });
});

describe('checkProfile on JPEG pages that are not profile C', () => {
  it('names the Photometric and resolution of a YCbCr JPEG page', () => {
    const jpeg = colorPage({ width: 16 }, 16).data;
    const entries = pageEntries({
      width: 16,
      height: 16,
      compression: 7,
      photometric: 6,
      extra: [
        { tag: 258, type: T.SHORT, values: [8, 8, 8] },
        { tag: 277, type: T.SHORT, values: [3] },
        { tag: 297, type: T.SHORT, values: [0, 1] },
      ],
      // pageEntries writes bilevel BitsPerSample / SamplesPerPixel; keep the 3-sample ones.
    })
      .filter((e) => e.tag !== 258 || (e.values as number[]).length === 3)
      .filter((e) => e.tag !== 277 || (e.values as number[])[0] === 3);
    const file = readTiff(buildTiff({ ifds: [{ entries, strips: [jpeg] }] }));
    const report = checkProfile(file);
    expect(report.profile).toBe('other');
    expect(report.reasons).toEqual([
      'Page 1: PhotometricInterpretation (262) is 6; profile C requires 10 (ITULAB, ITU-T T.42).',
      'Page 1: XResolution (282) is 204; profile C allows 100, 200, 300 or 400 dpi.',
      'Page 1: YResolution (283) is 196; profile C allows 100, 200, 300 or 400 dpi.',
    ]);
  });

  it('reports old-style JPEG (Compression 6) against profile C', () => {
    const entries = pageEntries({ width: 1728, height: 8, compression: 6, photometric: 10 });
    const report = checkProfile(readTiff(buildTiff({ ifds: [{ entries, strips: [new Uint8Array(8)] }] })));
    expect(report.profile).toBe('other');
    expect(report.reasons.join(' ')).toContain('Compression (259) is 6 (old-style JPEG); profile C requires 7');
  });
});

describe('JPEG markers (T.81 Annex B) and JPEGTables splicing (TTN2)', () => {
  it('reads the frame of our streams', () => {
    const info = readJpegMarkers(colorPage({ width: 24 }, 8).data);
    expect(info).toMatchObject({ sof: 0xc0, precision: 8, width: 24, height: 8, hasDqt: true, hasDht: true });
    expect(info?.components.map((c) => [c.id, c.h, c.v, c.tq])).toEqual([
      [1, 2, 2, 0],
      [2, 1, 1, 1],
      [3, 1, 1, 1],
    ]);
  });

  it('splices a tables-only stream in front of an abbreviated strip', () => {
    const tables = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0, 3, 7, 0xff, 0xd9]);
    const strip = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 2, 0xff, 0xd9]);
    expect([...spliceJpegTables(tables, strip)]).toEqual([0xff, 0xd8, 0xff, 0xdb, 0, 3, 7, 0xff, 0xc0, 0, 2, 0xff, 0xd9]);
    // A strip that is not a stream of its own is left alone.
    expect(spliceJpegTables(tables, new Uint8Array([1, 2]))).toEqual(new Uint8Array([1, 2]));
  });
});
