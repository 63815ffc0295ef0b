import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { IfaxError } from '../../../src/errors.js';
import { decodeColorPage, encodeColorPage, itulabToRaster, rasterToItulab, srgbToLab } from '../../../src/image/color/index.js';
import type { Raster } from '../../../src/image/types.js';
import {
  FaxTiffWriter,
  applyPatches,
  checkProfile,
  decodePage,
  encodeFaxTiffPage,
  pageStrips,
  readTiff,
  type ColorPageInput,
} from '../../../src/tiff/index.js';
import { FIXTURES, mustRun, run, tempDir, writeBytes } from '../../tiff/helpers.js';
import { T, buildTiff, pageEntries } from '../../tiff/tiff-builder.js';

const COLOR = join(FIXTURES, 'color');

async function chart(): Promise<Raster> {
  const { data, info } = await sharp(join(COLOR, 'chart.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** The 216 x 144 chart tiled 8 times across a 1728-pixel (A4 at 200 dpi) page. */
function tileToA4(c: Raster): Raster {
  const width = 1728;
  const data = new Uint8Array(width * c.height * 3);
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * c.width + (x % c.width)) * 3;
      data.set(c.data.subarray(s, s + 3), (y * width + x) * 3);
    }
  }
  return { width, height: c.height, channels: 3, data };
}

function grey(c: Raster): Raster {
  const data = new Uint8Array(c.width * c.height);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.round(0.2126 * c.data[3 * i] + 0.7152 * c.data[3 * i + 1] + 0.0722 * c.data[3 * i + 2]);
  }
  return { width: c.width, height: c.height, channels: 1, data };
}

/** The page as 8-bit ITULAB (default ranges) holds it: the reference for the JPEG loss. */
function gamutMapped(r: Raster): Raster {
  return itulabToRaster(rasterToItulab(r)) as Raster;
}

function writeFile(pages: ColorPageInput[]): Uint8Array {
  const w = new FaxTiffWriter({ profile: 'C' });
  const chunks = pages.map((p) => w.addColorPage(p));
  return applyPatches(Buffer.concat(chunks), w.finish());
}

interface ColourError {
  meanChannel: number;
  maxChannel: number;
  meanDeltaE: number;
  p99DeltaE: number;
}

/** Per-channel sRGB error and CIE76 delta E between two rasters of the same size. */
function colourError(a: Raster, b: Raster): ColourError {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const e = Math.abs(a.data[i] - b.data[i]);
    sum += e;
    if (e > max) max = e;
  }
  const n = a.width * a.height;
  const de: number[] = [];
  const ch = a.channels;
  for (let i = 0; i < n; i++) {
    const pa = ch === 3 ? [a.data[3 * i], a.data[3 * i + 1], a.data[3 * i + 2]] : [a.data[i], a.data[i], a.data[i]];
    const pb = ch === 3 ? [b.data[3 * i], b.data[3 * i + 1], b.data[3 * i + 2]] : [b.data[i], b.data[i], b.data[i]];
    const la = srgbToLab(pa[0], pa[1], pa[2]);
    const lb = srgbToLab(pb[0], pb[1], pb[2]);
    de.push(Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]));
  }
  de.sort((x, y) => x - y);
  return {
    meanChannel: sum / a.data.length,
    maxChannel: max,
    meanDeltaE: de.reduce((s, v) => s + v, 0) / n,
    p99DeltaE: de[Math.floor(n * 0.99)],
  };
}

describe('profile C round trip: sRGB -> ITULAB JPEG TIFF -> sRGB', () => {
  it('a colour page (chroma 2x2, quality 75) comes back within a small colour error', async () => {
    const page = tileToA4(await chart());
    const bytes = writeFile([encodeColorPage(page, { xRes: 200, yRes: 200 })]);
    const file = readTiff(bytes);
    expect(checkProfile(file)).toMatchObject({ profile: 'C', reasons: [] });
    const back = decodeColorPage(file, 0);
    // The JPEG loss alone: against the page as 8-bit ITULAB can hold it.
    const e = colourError(back, gamutMapped(page));
    expect(e.meanChannel).toBeLessThan(4);
    expect(e.meanDeltaE).toBeLessThan(3);
    expect(e.p99DeltaE).toBeLessThan(25);
    // Against the original: the chart's saturated blues and magentas lie outside the T.42
    // default gamut (b* >= -75.3, a* <= 84.7) and lose chroma on the way in.
    const all = colourError(back, page);
    expect(all.meanChannel).toBeLessThan(6);
    expect(all.meanDeltaE).toBeLessThan(4);
  });

  it('no chroma subsampling and quality 95 come back closer', async () => {
    const page = tileToA4(await chart());
    const bytes = writeFile([encodeColorPage(page, { xRes: 200, yRes: 200, quality: 95, chromaSubsampling: [1, 1] })]);
    const e = colourError(decodeColorPage(readTiff(bytes), 0), gamutMapped(page));
    expect(e.meanChannel).toBeLessThan(1.5);
    expect(e.meanDeltaE).toBeLessThan(1.5);
    expect(e.p99DeltaE).toBeLessThan(8);
  });

  it('a grey page is L* only (SamplesPerPixel 1) and comes back as grey', async () => {
    const page = grey(tileToA4(await chart()));
    const input = encodeColorPage(page, { xRes: 200, yRes: 200 });
    expect(input.samplesPerPixel).toBe(1);
    const file = readTiff(writeFile([input]));
    expect(file.pages[0].samplesPerPixel).toBe(1);
    expect(checkProfile(file).profile).toBe('C');
    const back = decodeColorPage(file, 0);
    expect(back.channels).toBe(1);
    expect(colourError(back, page).meanChannel).toBeLessThan(2);
  });

  it('a colour raster can be sent as a grey page (compression.color: jpeg-gray)', async () => {
    const colour = tileToA4(await chart());
    const file = readTiff(writeFile([encodeColorPage(colour, { xRes: 200, yRes: 200, samplesPerPixel: 1 })]));
    const back = decodeColorPage(file, 0);
    expect(back.channels).toBe(1);
    // L* of the colour is the grey's L*: compare with the neutral of the same luminance.
    const want = decodeColorPage(readTiff(writeFile([encodeColorPage(colour, { xRes: 200, yRes: 200, samplesPerPixel: 1, quality: 100 })])), 0);
    expect(colourError(back, want).meanChannel).toBeLessThan(2);
  });

  it('one document holds a bilevel MH page and a colour page', async () => {
    const colour = tileToA4(await chart());
    const bitmap = { width: 1728, height: 20, data: new Uint8Array((1728 / 8) * 20).fill(0x0f) };
    const w = new FaxTiffWriter({ profile: 'C', pageCount: 2 });
    const chunks = [
      w.addPage(encodeFaxTiffPage(bitmap, { profile: 'F', compression: 'MH', xRes: 204, yRes: 196 })),
      w.addColorPage(encodeColorPage(colour, { xRes: 200, yRes: 200 })),
    ];
    expect(w.finish()).toEqual([]);
    const file = readTiff(Buffer.concat(chunks));
    const report = checkProfile(file);
    expect(report.profile).toBe('C');
    expect(report.pages.map((p) => p.profile)).toEqual(['S', 'C']);
    expect(decodePage(file, 0).bitmap.data).toEqual(bitmap.data);
    expect(colourError(decodeColorPage(file, 1), gamutMapped(colour)).meanDeltaE).toBeLessThan(3);
  });
});

describe('profile C files in libtiff', () => {
  it('tiffinfo reads our colour and grey pages without warnings: ITU L*a*b*, JPEG, Decode', async () => {
    const page = tileToA4(await chart());
    const t = tempDir();
    try {
      writeBytes(t.path('c.tif'), writeFile([encodeColorPage(page, { xRes: 200, yRes: 200 }), encodeColorPage(grey(page), { xRes: 200, yRes: 200 })]));
      const r = run('tiffinfo', [t.path('c.tif')]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Photometric Interpretation: ITU L*a*b*');
      expect(r.stdout).toContain('Compression Scheme: JPEG');
      expect(r.stdout).toContain('YCbCr Subsampling: 2, 2'); // libtiff's name for ChromaSubSampling
      expect(r.stdout).toContain('Decode: 0.000000,100.000000,-85.333336,84.666664,-75.294121,124.705879');
      expect(r.stdout).toContain('Decode: 0.000000,100.000000\n');
      expect(r.stdout).toContain('Page Number: 1-2');
      expect(r.stdout).toContain('Resolution: 200, 200 pixels/inch');
    } finally {
      t.cleanup();
    }
  });

  it('libjpeg inside libtiff decodes a 1x1-sampled page to the ITULAB samples jpeg-js finds (within 2)', async () => {
    const page = tileToA4(await chart());
    const input = encodeColorPage(page, { xRes: 200, yRes: 200, chromaSubsampling: [1, 1] });
    const t = tempDir();
    try {
      writeBytes(t.path('c.tif'), writeFile([input]));
      mustRun('tiffcp', ['-c', 'none', t.path('c.tif'), t.path('raw.tif')]);
      const raw = readTiff(new Uint8Array(readFileSync(t.path('raw.tif'))));
      // tiffcp labels the uncompressed copy RGB (2), but libtiff hands libjpeg's components
      // through untransformed for anything but YCbCr: the samples are ITULAB.
      expect(raw.pages[0].compression).toBe(1);
      const samples = Buffer.concat(pageStrips(raw, 0).map((s) => s.data));
      const js = jpeg.decode(input.data, { useTArray: true, colorTransform: false, formatAsRGBA: false });
      expect(samples.length).toBe(js.data.length);
      let max = 0;
      for (let i = 0; i < samples.length; i++) max = Math.max(max, Math.abs(samples[i] - js.data[i]));
      expect(max).toBeLessThanOrEqual(2);
    } finally {
      t.cleanup();
    }
  });

  it('libtiff 4.5 refuses to decode 2x2-sampled ITULAB (it honours subsampling for YCbCr only)', async () => {
    // Recorded so a libtiff upgrade that fixes it shows up; the page itself is valid profile C.
    const page = tileToA4(await chart());
    const t = tempDir();
    try {
      writeBytes(t.path('c.tif'), writeFile([encodeColorPage(page, { xRes: 200, yRes: 200 })]));
      const r = run('tiffcp', ['-c', 'none', t.path('c.tif'), t.path('raw.tif')]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('Improper JPEG sampling factors 2,2');
    } finally {
      t.cleanup();
    }
  });
});

describe('decodeColorPage: JPEG TIFFs written by libtiff (test/fixtures/color/make-fixtures.js)', () => {
  const load = (name: string) => readTiff(new Uint8Array(readFileSync(join(COLOR, name))));

  it('reads ITULAB + JPEG by tiffcp (9 strips sharing JPEGTables) as the chart', async () => {
    const file = load('chart-itulab-jpeg.tif');
    expect(file.pages[0].photometric).toBe(10);
    expect(file.pages[0].stripOffsets.length).toBe(9);
    // The fixture's ITULAB was made with plain clipping (make-fixtures.js), our reference
    // shrinks chroma: compare where both agree, i.e. against the ITULAB samples' own colours.
    const e = colourError(decodeColorPage(file, 0), gamutMapped(await chart()));
    expect(e.meanChannel).toBeLessThan(3);
    expect(e.meanDeltaE).toBeLessThan(3);
  });

  it('says why the tiffcp ITULAB page is not profile C (no page fields, no resolution)', () => {
    const report = checkProfile(load('chart-itulab-jpeg.tif'));
    expect(report.profile).toBe('other');
    expect(report.reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining('NewSubfileType (254) is missing'),
        expect.stringContaining('XResolution (282) is missing'),
        expect.stringContaining('PageNumber (297) is missing'),
        // libtiff samples ITULAB 1x1 but writes no ChromaSubSampling, whose default is 2,2.
        expect.stringContaining('The JPEG stream samples L* 1x1, a* 1x1, b* 1x1, which does not match ChromaSubSampling (530) 2,2'),
      ]),
    );
    expect(report.reasons.join(' ')).not.toMatch(/Compression|Photometric|baseline/);
  });

  it.each([
    ['chart-ycbcr-jpeg.tif', 6],
    ['chart-rgb-jpeg.tif', 2],
  ])('reads %s (Photometric %d) as the chart', async (name, photometric) => {
    const file = load(name);
    expect(file.pages[0].photometric).toBe(photometric);
    const back = decodeColorPage(file, 0);
    expect(back.channels).toBe(3);
    const e = colourError(back, await chart());
    // libjpeg quality 75; YCbCr also subsamples chroma 2x2.
    expect(e.meanChannel).toBeLessThan(photometric === 6 ? 3.5 : 3);
    expect(e.meanDeltaE).toBeLessThan(3);
  });

  it('reads the grey JPEG page (Photometric 1) as grey', async () => {
    const back = decodeColorPage(load('chart-grey-jpeg.tif'), 0);
    expect(back.channels).toBe(1);
    expect(colourError(back, grey(await chart())).meanChannel).toBeLessThan(2);
  });
});

describe('decodeColorPage refuses what it cannot read', () => {
  function codeOf(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      if (err instanceof IfaxError) return `${err.code}: ${err.message}`;
      throw err;
    }
    throw new Error('expected an IfaxError');
  }

  it('old-style JPEG (Compression 6) is UNSUPPORTED_INPUT with a tiffcp hint', () => {
    const bytes = buildTiff({ ifds: [{ entries: pageEntries({ width: 8, height: 8, compression: 6, photometric: 6 }), strips: [new Uint8Array(16)] }] });
    expect(codeOf(() => decodeColorPage(readTiff(bytes), 0))).toMatch(/^UNSUPPORTED_INPUT: Reading TIFF page 1 failed: the page is old-style JPEG \(Compression 6/);
  });

  it('a bilevel page is UNSUPPORTED_INPUT naming its compression', () => {
    const bytes = buildTiff({ ifds: [{ entries: pageEntries({ width: 8, height: 8, compression: 4 }), strips: [new Uint8Array(4)] }] });
    expect(codeOf(() => decodeColorPage(readTiff(bytes), 0))).toMatch(/UNSUPPORTED_INPUT: .*Compression 7.*CCITT T\.6 \(4\)/);
  });

  it('CMYK JPEG is UNSUPPORTED_INPUT', () => {
    const bytes = buildTiff({ ifds: [{ entries: pageEntries({ width: 8, height: 8, compression: 7, photometric: 5 }), strips: [new Uint8Array(4)] }] });
    expect(codeOf(() => decodeColorPage(readTiff(bytes), 0))).toMatch(/UNSUPPORTED_INPUT: .*PhotometricInterpretation 5 \(separated \(CMYK\)\)/);
  });

  it('a strip that is not JPEG is DATA_INVALID', () => {
    const entries = pageEntries({ width: 8, height: 8, compression: 7, photometric: 10, extra: [{ tag: 258, type: T.SHORT, values: [8] }] });
    const bytes = buildTiff({ ifds: [{ entries, strips: [new Uint8Array([1, 2, 3, 4])] }] });
    expect(codeOf(() => decodeColorPage(readTiff(bytes), 0))).toMatch(/^DATA_INVALID: .*not a JPEG stream/);
  });
});
