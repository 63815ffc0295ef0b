import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { openPdf } from '../../../src/image/pdf/open.js';
import { openPdfiumReader as openPdfiumDoc, type PdfiumDoc, type PdfiumOpener } from '../../../src/image/pdf/pdfium.js';
import { renderSize } from '../../../src/image/pdf/render.js';
import { agreement, gsRender, pdfFixture } from './helpers.js';

/** PDFium through a recorder: which documents were opened, rendered and closed. */
function recording(): { open: PdfiumOpener; renders: number[][]; closed: () => number; opened: () => number } {
  const renders: number[][] = [];
  let opened = 0;
  let closed = 0;
  const open: PdfiumOpener = async (bytes, name) => {
    const doc = await openPdfiumDoc(bytes, name);
    opened++;
    const rec: PdfiumDoc = {
      pageCount: doc.pageCount,
      render(index, width, height, colour) {
        renders.push([index, width, height]);
        return doc.render(index, width, height, colour);
      },
      close() {
        closed++;
        doc.close();
      },
    };
    return rec;
  };
  return { open, renders, closed: () => closed, opened: () => opened };
}

/** Rec. 601 luma as src/image/sources.ts greyOf weighs it (kept here: that file is not PDF code). */
const luma = (d: Uint8Array, j: number): number => Math.floor((d[j] * 299 + d[j + 1] * 587 + d[j + 2] * 114 + 500) / 1000);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ifax-pdfium-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('PDF rendering with PDFium', () => {
  test('a text page at 204 x 196 is PDFium\'s, at renderSize, black where Ghostscript draws black', async () => {
    const rec = recording();
    const doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf', { openRenderer: rec.open });
    try {
      for (const page of doc.pages) {
        const r = await page.render(204, 196, 'gray');
        expect({ width: r.width, height: r.height }).toEqual(renderSize(page.widthPt, page.heightPt, 204, 196));
        expect([r.channels, r.data.length]).toEqual([1, r.width * r.height]);
        const a = agreement(r, gsRender(pdfFixture('text-2p.pdf'), page.index + 1, '204x196'));
        // Measured 0.999: anti-aliased glyph edges differ, glyph shapes do not.
        expect(a.black).toBeGreaterThanOrEqual(0.98);
        expect(a.all).toBeGreaterThanOrEqual(0.97);
      }
      expect(rec.renders).toEqual([
        [0, 1686, 2292],
        [1, 1734, 2156],
      ]);
      expect(doc.warnings).toEqual([]);
    } finally {
      await doc.close();
    }
    expect([rec.opened(), rec.closed()]).toEqual([1, 1]);
  });

  test('the module starts once and serves every document; renders are timed (printed, not asserted)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf');
      const t0 = performance.now();
      await doc.pages[0].render(204, 196, 'gray');
      times.push(performance.now() - t0);
      await doc.close();
    }
    console.info(`PDFium text page at 204x196: ${times.map((t) => t.toFixed(0)).join(', ')} ms (document open + render)`);
  });

  test('an RGB render matches Ghostscript\'s colours, and the grey render is its Rec. 601 luma within 2 levels off the glyph edges', async () => {
    const doc = await openPdf(pdfFixture('mixed-rotate.pdf'), 'mixed-rotate.pdf');
    try {
      // Page 1: a colour photo with text drawn over it, so it is rendered, not taken as an image.
      const rgb = await doc.pages[0].render(72, 72, 'rgb');
      const gs = gsRender(pdfFixture('mixed-rotate.pdf'), 1, '72', 'ppmraw');
      expect([rgb.width, rgb.height, rgb.channels]).toEqual([gs.width, gs.height, 3]);
      let sum = 0;
      for (let i = 0; i < rgb.data.length; i++) sum += Math.abs(rgb.data[i] - gs.data[i]);
      expect(sum / rgb.data.length).toBeLessThan(8);
      const grey = await doc.pages[0].render(72, 72, 'gray');
      // PDFium's grey bitmap anti-aliases glyph edges its own way (the text over the photo differs
      // there, measured 2% of pixels); everywhere else it is the luma of its RGB render.
      let within2 = 0;
      let sumDiff = 0;
      for (let i = 0; i < grey.data.length; i++) {
        const d = Math.abs(grey.data[i] - luma(rgb.data, i * 3));
        sumDiff += d;
        if (d <= 2) within2++;
      }
      expect(within2 / grey.data.length).toBeGreaterThanOrEqual(0.97);
      expect(sumDiff / grey.data.length).toBeLessThan(2);
    } finally {
      await doc.close();
    }
  });

  test('a page over MAX_PIXELS_PER_PAGE is refused before PDFium is opened or allocates', async () => {
    const rec = recording();
    const doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf', { openRenderer: rec.open });
    try {
      await expect(doc.pages[0].render(2400, 2400, 'gray')).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining('"text-2p.pdf"') });
      await expect(doc.pages[0].render(5, 196, 'gray')).rejects.toMatchObject({ code: 'UNSUPPORTED_INPUT' });
      expect([rec.opened(), rec.renders.length]).toEqual([0, 0]);
    } finally {
      await doc.close();
    }
    expect(rec.closed()).toBe(0);
  });

  test('PDFium prints nothing, even on a file it refuses', async () => {
    const spies = (['log', 'warn', 'error', 'info'] as const).map((k) => jest.spyOn(console, k));
    const write = jest.spyOn(process.stderr, 'write');
    try {
      await expect(openPdfiumDoc(readFileSync(pdfFixture('garbage.pdf')), 'garbage.pdf')).rejects.toMatchObject({ code: 'DATA_INVALID' });
      const doc = await openPdfiumDoc(readFileSync(pdfFixture('raw-images.pdf')), 'raw-images.pdf');
      try {
        for (let i = 0; i < doc.pageCount; i++) doc.render(i, 100, 100, 'gray');
        expect(() => doc.render(doc.pageCount, 10, 10, 'gray')).toThrow(/Rendering page \d+ of "raw-images.pdf" with PDFium failed/);
      } finally {
        doc.close();
      }
      for (const s of spies) expect(s).not.toHaveBeenCalled();
      expect(write).not.toHaveBeenCalled();
    } finally {
      for (const s of spies) s.mockRestore();
      write.mockRestore();
    }
  });
});

describe('PDF rendering: pdf.js is the fallback', () => {
  test('a file PDFium refuses (its header past the first 1 KiB) is rendered by pdf.js, with a warning', async () => {
    // PDFium looks for "%PDF-" in the first 1024 bytes only; pdf.js reads on and repairs the offsets.
    const file = path.join(tmp, 'late-header.pdf');
    writeFileSync(file, Buffer.concat([Buffer.alloc(2048, 0x20), readFileSync(pdfFixture('text-2p.pdf'))]));
    const doc = await openPdf(file, 'late-header.pdf');
    try {
      expect(doc.pages.length).toBe(2);
      const r = await doc.pages[0].render(204, 196, 'gray');
      expect([r.width, r.height]).toEqual([1686, 2292]);
      expect(agreement(r, gsRender(pdfFixture('text-2p.pdf'), 1, '204x196')).black).toBeGreaterThanOrEqual(0.95);
      expect(doc.warnings).toEqual([expect.stringMatching(/^Opening PDF "late-header.pdf" with PDFium failed: .*; its pages are rendered by pdf\.js$/)]);
    } finally {
      await doc.close();
    }
  });

  test('a page PDFium fails on is rendered by pdf.js; the other pages stay PDFium\'s', async () => {
    const failing: PdfiumOpener = async (bytes, name) => {
      const doc = await openPdfiumDoc(bytes, name);
      return {
        pageCount: doc.pageCount,
        render(index, width, height, colour) {
          if (index === 1) throw new Error(`Rendering page 2 of "${name}" with PDFium failed: injected`);
          return doc.render(index, width, height, colour);
        },
        close: () => doc.close(),
      };
    };
    const doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf', { openRenderer: failing });
    try {
      for (const page of doc.pages) {
        const r = await page.render(204, 196, 'gray');
        expect(agreement(r, gsRender(pdfFixture('text-2p.pdf'), page.index + 1, '204x196')).black).toBeGreaterThanOrEqual(0.95);
      }
      expect(doc.warnings).toEqual(['Rendering page 2 of "text-2p.pdf" with PDFium failed: injected; the page is rendered by pdf.js']);
    } finally {
      await doc.close();
    }
  });

  test('an opener that fails sends every page to pdf.js, once', async () => {
    let calls = 0;
    const refusing: PdfiumOpener = async () => {
      calls++;
      throw new Error('Opening PDF "text-2p.pdf" with PDFium failed: injected');
    };
    const doc = await openPdf(pdfFixture('text-2p.pdf'), 'text-2p.pdf', { openRenderer: refusing });
    try {
      const r = await doc.pages[1].render(72, 72, 'rgb');
      expect([r.width, r.height, r.channels]).toEqual([612, 792, 3]);
      await doc.pages[0].render(72, 72, 'gray');
      expect(calls).toBe(1);
      expect(doc.warnings).toHaveLength(1);
    } finally {
      await doc.close();
    }
  });
});
