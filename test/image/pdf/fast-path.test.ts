import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeFax } from '../../../src/codec/index.js';
import { openPdf, type PdfDoc } from '../../../src/image/pdf/open.js';
import { toolOk } from '../oracles.js';
import { bitmapOf, gsRender, itu1, maxDiff, pbmFixture, pdfFixture, rasterOf, rotateBitmap, sameBitmap, thresholdRaster } from './helpers.js';

async function withDoc<T>(name: string, fn: (doc: PdfDoc) => Promise<T>): Promise<T> {
  const doc = await openPdf(pdfFixture(name), name);
  try {
    return await fn(doc);
  } finally {
    await doc.close();
  }
}

/** The single strip of a TIFF, by libtiff's own account (tiffinfo -s). */
function tiffStrip(file: string): Uint8Array {
  const m = /0: \[\s*(\d+),\s*(\d+)\]/.exec(toolOk('tiffinfo', ['-s', file]).toString('utf8'));
  if (!m) throw new Error('no strip');
  return new Uint8Array(readFileSync(file).subarray(Number(m[1]), Number(m[1]) + Number(m[2])));
}

describe('PDF input: scanned-page fast path', () => {
  test('a tiff2pdf G4 scan hands out the TIFF strip unchanged, and decodes to the source PBM exactly', async () => {
    await withDoc('scan-g4.pdf', async (doc) => {
      const page = doc.pages[0];
      const t0 = performance.now();
      const fast = await page.fastPath();
      const found = performance.now() - t0;
      expect(fast).toBeDefined();
      const t1 = performance.now();
      const pixels = await fast!.pixels();
      const decoded = performance.now() - t1;
      console.log(`fast path G4 page 1728x2376: found in ${found.toFixed(1)} ms, decoded in ${decoded.toFixed(1)} ms`);
      expect(fast).toMatchObject({ path: 'fast-path', width: 1728, height: 2376, rotation: 0 });
      expect(fast!.xRes).toBeCloseTo(204, 1);
      expect(fast!.yRes).toBeCloseTo(196, 1);
      expect(fast!.ccitt).toMatchObject({ k: -1, columns: 1728, rows: 2376, blackIs1: false, encodedByteAlign: false });
      expect(Buffer.from(fast!.ccitt!.data).equals(Buffer.from(tiffStrip(pdfFixture('itu1-g4.tif'))))).toBe(true);
      expect(sameBitmap(bitmapOf(pixels), itu1())).toBe(0);
    });
  });

  test('a second fast path on a warm document is quick (timing printed, not asserted)', async () => {
    await withDoc('scan-g4.pdf', async (doc) => {
      await doc.pages[0].fastPath();
      const t0 = performance.now();
      const fast = await doc.pages[0].fastPath();
      await fast!.pixels();
      console.log(`fast path G4 page, warm document: ${(performance.now() - t0).toFixed(1)} ms (find + decode)`);
    });
  });

  test('JPEG pages give exactly the pixels sharp decodes from the same JPEG (RGB and grey)', async () => {
    await withDoc('jpeg.pdf', async (doc) => {
      for (const [i, jpg, channels] of [[0, 'photo-rgb.jpg', 3], [1, 'photo-grey.jpg', 1]] as const) {
        const fast = await doc.pages[i].fastPath();
        expect(fast).toMatchObject({ path: 'fast-path', rotation: 0 });
        expect(fast!.ccitt).toBeUndefined();
        expect(fast!.xRes).toBeCloseTo(100, 6);
        const r = rasterOf(await fast!.pixels());
        const img = sharp(readFileSync(pdfFixture(jpg)));
        const ref = await (channels === 1 ? img.toColourspace('b-w') : img).raw().toBuffer({ resolveWithObject: true });
        expect([r.width, r.height, r.channels]).toEqual([ref.info.width, ref.info.height, channels]);
        expect(Buffer.from(r.data).equals(ref.data)).toBe(true);
      }
    });
  });

  test('a text page, and a scan with text drawn over it, are not taken', async () => {
    await withDoc('text-2p.pdf', async (doc) => expect(await doc.pages[0].fastPath()).toBeUndefined());
    await withDoc('mixed-rotate.pdf', async (doc) => {
      expect(await doc.pages[0].fastPath()).toBeUndefined();
      expect(await doc.pages[1].fastPath()).toBeUndefined();
    });
  });
});

describe('PDF input: image kinds of the fast path, against Ghostscript renders at one pixel per sample', () => {
  let doc: PdfDoc;
  const file = pdfFixture('raw-images.pdf');
  const source = (): ReturnType<typeof pbmFixture> => pbmFixture('bilevel.pbm');
  beforeAll(async () => {
    doc = await openPdf(file, 'raw-images.pdf');
  });
  afterAll(() => doc.close());
  const fastAt = async (page: number) => {
    const fast = await doc.pages[page - 1].fastPath();
    expect(fast).toBeDefined();
    return fast!;
  };

  test.each([
    [1, 'Flate 1-bit DeviceGray'],
    [2, 'Flate 1-bit with /Decode [1 0]'],
    [6, 'an ImageMask'],
    [11, 'CCITT MH with BlackIs1 true and /Decode [1 0]'],
    [12, 'CCITT MR (K 4)'],
  ])('page %i, %s, is a bitmap equal to the source picture and to Ghostscript', async (page) => {
    const fast = await fastAt(page);
    const b = bitmapOf(await fast.pixels());
    expect(sameBitmap(b, source())).toBe(0);
    expect(sameBitmap(b, thresholdRaster(gsRender(file, page, '72')))).toBe(0);
  });

  test('the CCITT pages expose their parameters; decoding the data as told gives the picture', async () => {
    const mh = (await fastAt(11)).ccitt!;
    expect(mh).toMatchObject({ k: 0, columns: 300, rows: 200, blackIs1: false, encodedByteAlign: false });
    expect(sameBitmap(decodeFax(mh.data, { coding: 'MH', width: 300, height: 200, blackIs1: !mh.blackIs1 }).bitmap, source())).toBe(0);
    expect((await fastAt(12)).ccitt).toMatchObject({ k: 4, blackIs1: false });
  });

  test.each([
    [3, 'grey with the PNG predictor', 1],
    [4, 'RGB with the TIFF predictor', 3],
    [5, 'Indexed, 2 bits per sample', 3],
    [9, 'grey under ASCIIHexDecode (decoded by pdf.js)', 1],
    [10, 'ICCBased N=3', 3],
  ])('page %i, %s, equals Ghostscript\'s render', async (page, _what, channels) => {
    const r = rasterOf(await (await fastAt(page)).pixels());
    expect(r.channels).toBe(channels);
    const gs = gsRender(file, page, '72', channels === 3 ? 'ppmraw' : 'pgmraw');
    expect(maxDiff(r, gs)).toBeLessThanOrEqual(1);
  });

  test('page 7, DeviceCMYK, is converted to RGB close to Ghostscript\'s', async () => {
    const r = rasterOf(await (await fastAt(7)).pixels());
    const gs = gsRender(file, 7, '72', 'ppmraw');
    expect([r.width, r.height, r.channels]).toEqual([gs.width, gs.height, 3]);
    let sum = 0;
    for (let i = 0; i < r.data.length; i++) sum += Math.abs(r.data[i] - gs.data[i]);
    // Ghostscript converts CMYK through an ICC profile; the fast path uses the naive formula.
    expect(sum / r.data.length).toBeLessThan(40);
  });

  test('page 8, an image with an SMask, is left to rendering', async () => {
    expect(await doc.pages[7].fastPath()).toBeUndefined();
  });

  test('page 13, drawn turned by its cm, reports rotation 270, and turned so it is Ghostscript\'s page', async () => {
    const fast = await fastAt(13);
    expect(fast).toMatchObject({ width: 300, height: 200, rotation: 270, xRes: 72, yRes: 72 });
    const b = bitmapOf(await fast.pixels());
    expect(sameBitmap(b, source())).toBe(0);
    expect(sameBitmap(rotateBitmap(b, 270), thresholdRaster(gsRender(file, 13, '72')))).toBe(0);
  });

  test('page 14, with /Rotate 180, reports rotation 180', async () => {
    const fast = await fastAt(14);
    expect(fast.rotation).toBe(180);
    expect([doc.pages[13].widthPt, doc.pages[13].heightPt]).toEqual([300, 200]);
    expect(sameBitmap(rotateBitmap(bitmapOf(await fast.pixels()), 180), thresholdRaster(gsRender(file, 14, '72')))).toBe(0);
  });
});
