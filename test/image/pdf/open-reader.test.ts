import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { IfaxError } from '../../../src/errors.js';
import { openPdf } from '../../../src/image/pdf/open.js';
import { PdfObjects } from '../../../src/image/pdf/objects/document.js';
import { readPageTree } from '../../../src/image/pdf/objects/page-tree.js';
import { pageGeometry } from '../../../src/image/pdf/page-box.js';
import { memorySource } from '../../../src/image/pbm.js';
import { decimalOfFloat32 } from '../../../src/image/pdf/page-size.js';
import { openPdfJsDoc } from '../../../src/image/pdf/pdfjs.js';
import { pdfFixture } from './helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ifax-pdf-reader-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Pages whose boxes and rotations test the view-box rules: odd decimals, a crop box within and
 * across the media box, reversed corners, /Rotate inherited, negative, over 360 and not a
 * multiple of 90, and a crop box that misses the media box (pdf.js: the media box).
 */
async function boxesPdf(missedCrop = false): Promise<string> {
  const doc = await PDFDocument.create();
  const add = (media: number[], crop?: number[], rotate?: number): void => {
    const page = doc.addPage([100, 100]);
    page.node.set(PDFName.of('MediaBox'), doc.context.obj(media));
    if (crop) page.node.set(PDFName.of('CropBox'), doc.context.obj(crop));
    if (rotate !== undefined) page.node.set(PDFName.of('Rotate'), PDFNumber.of(rotate));
    page.drawText('x', { x: 30, y: 30, size: 12 });
  };
  add([0, 0, 595.2756, 841.8898]);
  add([0, 0, 595.276, 841.89], [10.5, 20.25, 600, 800.123], 90);
  add([612, 792, 0, 0], [-20, 700.7, 300.3, 10], -90);
  add([0, 0, 500, 700], undefined, 450);
  add([0, 0, 500, 700], undefined, 45);
  // Alone in its file: PDFium reports an empty box and pdf.js reads that file instead.
  if (missedCrop) add([0, 0, 500, 700], [600, 800, 900, 1000]);
  add([-100.5, -50.25, 400.125, 600.0625]);
  add([0, 0, 1190.551, 1683.78], undefined, 180);
  // /Rotate 270 on the page tree: inherited by the pages that do not set their own.
  doc.catalog.Pages().set(PDFName.of('Rotate'), PDFNumber.of(270));
  const file = path.join(tmp, missedCrop ? 'boxes-missed.pdf' : 'boxes.pdf');
  writeFileSync(file, await doc.save());
  return file;
}

describe('PDF input: PDFium reads the document as pdf.js did', () => {
  test('page sizes equal pdf.js viewport sizes, exactly, on every fixture and on odd boxes and rotations', async () => {
    const files = ['text-2p.pdf', 'mixed-rotate.pdf', 'scan-g4.pdf', 'raw-images.pdf', 'jpeg.pdf'].map(pdfFixture);
    files.push(await boxesPdf(), await boxesPdf(true));
    for (const file of files) {
      const name = path.basename(file);
      const ours = await openPdf(file, name);
      const theirs = await openPdfJsDoc(new Uint8Array(readFileSync(file)), name);
      try {
        expect(ours.pages.length).toBe(theirs.numPages);
        for (const page of ours.pages) {
          const vp = (await theirs.getPage(page.index + 1)).getViewport({ scale: 1 });
          expect({ name, index: page.index, w: page.widthPt, h: page.heightPt }).toEqual({ name, index: page.index, w: vp.width, h: vp.height });
        }
        expect(ours.warnings).toEqual([]);
      } finally {
        await ours.close();
        await theirs.destroy();
      }
    }
  });

  test('the fast path\'s view box and rotation from the object reader equal pdf.js\'s view and rotate', async () => {
    for (const file of [pdfFixture('mixed-rotate.pdf'), pdfFixture('scan-g4.pdf'), pdfFixture('raw-images.pdf'), await boxesPdf(), await boxesPdf(true)]) {
      const objects = PdfObjects.open(memorySource(new Uint8Array(readFileSync(file))));
      const theirs = await openPdfJsDoc(new Uint8Array(readFileSync(file)), path.basename(file));
      try {
        const { pages } = readPageTree(objects);
        expect(pages.length).toBe(theirs.numPages);
        for (const [i, page] of pages.entries()) {
          const proxy = await theirs.getPage(i + 1);
          const g = pageGeometry(objects, page);
          expect({ i, view: g.view, rotate: g.rotate }).toEqual({ i, view: proxy.view, rotate: proxy.rotate });
        }
      } finally {
        await theirs.destroy();
      }
    }
  });

  test('a float32 page coordinate reads back as the number written in the file', () => {
    for (const v of [0, 595.276, 841.89, 595.2756, 841.8898, 10.5, -50.25, 1190.551, 1683.78, 800.123, 612, 0.1]) {
      expect(decimalOfFloat32(Math.fround(v))).toBe(v);
    }
  });

  test('a file PDFium refuses, for a password, is refused with the same error and hint as before', async () => {
    const err = await openPdf(pdfFixture('encrypted.pdf'), 'encrypted.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IfaxError);
    expect(err).toMatchObject({
      code: 'UNSUPPORTED_INPUT',
      message: 'Reading PDF "encrypted.pdf" failed: it is encrypted with a password',
      hint: expect.stringContaining('qpdf'),
    });
  });

  test('garbage is classified by pdf.js after PDFium refuses it: not a valid PDF', async () => {
    await expect(openPdf(pdfFixture('garbage.pdf'), 'garbage.pdf')).rejects.toMatchObject({
      code: 'DATA_INVALID',
      message: expect.stringMatching(/^Reading PDF "garbage.pdf" failed: (it is not a valid PDF|it cannot be parsed|it has no pages)/),
    });
  });
});

describe('PDF input: what a conversion loads', () => {
  /** Runs `ifax convert` on `file` and returns the modules the ES loader loaded (by URL). */
  function loadedBy(file: string): string[] {
    const log = path.join(tmp, `loaded-${path.basename(file)}.txt`);
    const hooks = path.join(tmp, 'hooks.mjs');
    writeFileSync(hooks, "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.IFAX_LOAD_LOG, url + '\\n'); return next(url, context); }\n");
    const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(pathToFileURL(hooks).href)});`;
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--import', register, 'bin/ifax.js', 'convert', file, '-o', path.join(tmp, 'out.tif')], {
      env: { ...process.env, IFAX_LOAD_LOG: log },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    return readFileSync(log, 'utf8').split('\n');
  }
  const has = (urls: string[], pkg: string): boolean => urls.some((u) => u.includes(`/node_modules/${pkg}/`));

  test('a text PDF loads PDFium only: neither pdf.js, its canvas nor pdf-lib', () => {
    const urls = loadedBy(pdfFixture('text-2p.pdf'));
    expect(has(urls, '@embedpdf/pdfium')).toBe(true);
    expect([has(urls, 'pdfjs-dist'), has(urls, '@napi-rs/canvas'), has(urls, 'pdf-lib')]).toEqual([false, false, false]);
  });

  test('a scanned PDF loads our object reader for its image streams: neither pdf-lib nor pdf.js', () => {
    const urls = loadedBy(pdfFixture('scan-g4.pdf'));
    expect(urls.some((u) => u.includes('/image/pdf/objects/document.js'))).toBe(true);
    expect([has(urls, 'pdf-lib'), has(urls, 'pdfjs-dist'), has(urls, '@napi-rs/canvas')]).toEqual([false, false, false]);
  });
});
