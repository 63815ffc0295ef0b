import { jest } from '@jest/globals';
import { exitCodeOf, IfaxError } from '../../../src/errors.js';
import { openPdf, type PdfDoc } from '../../../src/image/pdf/open.js';
import { agreement, gsRender, pdfFixture } from './helpers.js';

async function expectRefused(file: string, code: string, why: RegExp): Promise<void> {
  const err = await openPdf(pdfFixture(file), file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).code).toBe(code);
  expect(exitCodeOf(err)).toBe(65);
  expect((err as IfaxError).message).toContain(JSON.stringify(file));
  expect((err as IfaxError).message).toMatch(why);
}

describe('PDF input: opening and rendering', () => {
  let doc: PdfDoc;
  beforeAll(async () => {
    doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf');
  });
  afterAll(() => doc.close());

  test('a ps2pdf document has its two pages with their sizes in points (A4, then letter)', () => {
    expect(doc.pages.map((p) => [p.index, p.widthPt, p.heightPt])).toEqual([
      [0, 595, 842],
      [1, 612, 792],
    ]);
    expect(doc.warnings).toEqual([]);
  });

  test('a text page rendered at 204 x 196 dpi is black where Ghostscript draws black', async () => {
    for (const page of doc.pages) {
      const t0 = performance.now();
      const r = await page.render(204, 196, 'gray');
      const ms = performance.now() - t0;
      console.log(`render page ${page.index + 1} at 204x196: ${r.width}x${r.height} in ${ms.toFixed(0)} ms`);
      const gs = gsRender(pdfFixture('text-2p.pdf'), page.index + 1, '204x196');
      expect(r.channels).toBe(1);
      expect(r.data.length).toBe(r.width * r.height);
      expect(Math.abs(r.width - gs.width)).toBeLessThanOrEqual(1);
      expect(Math.abs(r.height - gs.height)).toBeLessThanOrEqual(1);
      const a = agreement(r, gs);
      // PDFium and Ghostscript centre pixels half a column apart: glyph edges fall on the
      // neighbouring column, which the exact count (all) sees and the 1-px one (black) does not.
      expect(a.all).toBeGreaterThanOrEqual(0.97);
      expect(a.black).toBeGreaterThanOrEqual(0.95);
    }
    expect([doc.pages[0].widthPt, (await doc.pages[0].render(204, 196, 'gray')).width]).toEqual([595, 1686]);
  });

  test('the fax standard resolution (204 x 98) halves the rows, not the columns', async () => {
    const r = await doc.pages[0].render(204, 98, 'gray');
    expect([r.width, r.height]).toEqual([1686, 1146]);
    const gs = gsRender(pdfFixture('text-2p.pdf'), 1, '204x98');
    expect(agreement(r, gs).all).toBeGreaterThanOrEqual(0.97);
  });

  test('an RGB render of a white page with black text has three equal channels, white background', async () => {
    const r = await doc.pages[1].render(72, 72, 'rgb');
    expect([r.width, r.height, r.channels]).toEqual([612, 792, 3]);
    expect(Array.from(r.data.subarray(0, 6))).toEqual([255, 255, 255, 255, 255, 255]);
    let unequal = 0;
    let dark = 0;
    for (let i = 0; i < r.data.length; i += 3) {
      if (r.data[i] !== r.data[i + 1] || r.data[i] !== r.data[i + 2]) unequal++;
      if (r.data[i] < 128) dark++;
    }
    expect(unequal).toBe(0);
    expect(dark).toBeGreaterThan(1000);
  });

  test('rendering a warm page again (timing printed, not asserted), and pdf.js prints nothing', async () => {
    const log = jest.spyOn(console, 'log');
    const warn = jest.spyOn(console, 'warn');
    try {
      const t0 = performance.now();
      await doc.pages[0].render(204, 196, 'gray');
      console.info(`render text page 1 at 204x196, warm: ${(performance.now() - t0).toFixed(0)} ms`);
      const raw = await openPdf(pdfFixture('raw-images.pdf'), 'raw-images.pdf');
      for (const p of raw.pages) await p.render(72, 72, 'gray');
      await raw.close();
      expect(log).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  test('a render over MAX_PIXELS_PER_PAGE is refused before allocating', async () => {
    await expect(doc.pages[0].render(2400, 2400, 'gray')).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  test('a page with /Rotate 90 is reported with width and height swapped and renders landscape', async () => {
    const rot = await openPdf(pdfFixture('mixed-rotate.pdf'), 'mixed-rotate.pdf');
    try {
      expect([rot.pages[1].widthPt, rot.pages[1].heightPt]).toEqual([842, 595]);
      const r = await rot.pages[1].render(72, 72, 'gray');
      expect([r.width, r.height]).toEqual([842, 595]);
      const gs = gsRender(pdfFixture('mixed-rotate.pdf'), 2, '72');
      expect([gs.width, gs.height]).toEqual([842, 595]);
      expect(agreement(r, gs).black).toBeGreaterThanOrEqual(0.9);
    } finally {
      await rot.close();
    }
  });
});

describe('PDF input: broken files are refused with the file named (exit 65)', () => {
  test('a truncated PDF', () => expectRefused('truncated.pdf', 'DATA_INVALID', /PDF/));
  test('garbage after a PDF header', () => expectRefused('garbage.pdf', 'DATA_INVALID', /not a valid PDF|cannot be parsed|no pages/));
  test('an empty file', () => expectRefused('empty.pdf', 'DATA_INVALID', /empty/));
  test('a PDF encrypted with a user password', () => expectRefused('encrypted.pdf', 'UNSUPPORTED_INPUT', /encrypted with a password/));
});
