/**
 * Opening a PDF input: pdf.js reads the document (page count, displayed sizes); PDFium renders
 * the pages (pdfium.ts), opened on the first render, with pdf.js rendering (render.ts) as the
 * fallback for a file or page PDFium refuses; pdf-lib (fast-path.ts, imported dynamically) is
 * loaded only when a page's fast path is asked for, to read the raw image streams of scanned
 * pages. Broken, encrypted and empty files are refused here, with the file named, before any
 * page is converted.
 */

import { readFileSync } from 'node:fs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { IfaxError, isIfaxError } from '../../errors.js';
import { MAX_PAGES } from '../../limits.js';
import { checkFile } from '../input-file.js';
import type { RawDoc } from './fast-path.js';
import { openPdfiumDoc, type PdfiumDoc, type PdfiumOpener } from './pdfium.js';
import { documentOptions, loadPdfJs } from './pdfjs.js';
import { checkedRenderSize, renderPage } from './render.js';
import type { PdfDoc, PdfPage } from './types.js';
import type { Raster } from '../types.js';

export type { FastImage, PdfCcittImage, PdfDoc, PdfPage } from './types.js';

const q = (s: string): string => JSON.stringify(s);

/** How openPdf renders. */
export interface OpenPdfOptions {
  /** Opens the document for rendering (default: PDFium). Tests pass a failing one to reach the pdf.js fallback. */
  openRenderer?: PdfiumOpener;
}

/** Renders page `index` with PDFium, or returns undefined when pdf.js must (the reason is in warnings). */
type FastRender = (index: number, width: number, height: number, colour: 'gray' | 'rgb') => Promise<Raster | undefined>;

/**
 * Opens the PDF `file` (`name` for messages). Reads the page tree and every page's size;
 * decodes nothing. Throws INPUT_NOT_FOUND (66); DATA_INVALID for empty, truncated or
 * malformed files, UNSUPPORTED_INPUT for password-protected ones, LIMIT_EXCEEDED for more
 * than MAX_PAGES pages or MAX_INPUT_BYTES (all 65).
 */
export async function openPdf(file: string, name: string, options: OpenPdfOptions = {}): Promise<PdfDoc> {
  checkFile(file, name);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: ${(err as Error).message}`, { cause: err, context: { file: name } });
  }
  if (bytes.length === 0) {
    throw new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: the file is empty`, { context: { file: name } });
  }
  const pdfjs = await loadPdfJs();
  let doc: PDFDocumentProxy;
  try {
    // pdf.js may keep or transfer the buffer it is given; the fast path needs the bytes too.
    doc = await pdfjs.getDocument(documentOptions(pdfjs, bytes.slice())).promise;
  } catch (err) {
    throw openError(err, name);
  }
  try {
    const count = doc.numPages;
    if (count === 0) throw new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: it has no pages`, { context: { file: name } });
    if (count > MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading PDF ${q(name)} failed: it has ${count} pages, over MAX_PAGES (${MAX_PAGES})`, {
        context: { file: name, limit: 'MAX_PAGES', max: MAX_PAGES, value: count },
      });
    }
    const warnings: string[] = [];
    let raw: Promise<RawDoc | undefined> | undefined;
    // pdf-lib parses the whole file: only when the first fast path is asked for.
    const rawDoc = (): Promise<RawDoc | undefined> => (raw ??= import('./fast-path.js').then((m) => m.loadRawDoc(bytes, count, name, warnings)));
    const renderer = pdfiumRenderer(bytes, name, warnings, options.openRenderer ?? openPdfiumDoc);
    const pages: PdfPage[] = [];
    for (let i = 0; i < count; i++) {
      const proxy = await getPage(doc, i, name);
      pages.push(makePage(proxy, i, name, rawDoc, renderer.render));
    }
    return {
      pages,
      warnings,
      async close() {
        try {
          await renderer.close();
        } finally {
          await doc.destroy();
        }
      },
    };
  } catch (err) {
    await doc.destroy();
    throw err;
  }
}

async function getPage(doc: PDFDocumentProxy, index: number, name: string): Promise<PDFPageProxy> {
  try {
    return await doc.getPage(index + 1);
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `Reading page ${index + 1} of PDF ${q(name)} failed: ${(err as Error).message}`, {
      cause: err,
      context: { file: name, page: index + 1 },
    });
  }
}

/**
 * PDFium for this document, opened on the first render (a PDF whose pages all take the fast
 * path never starts it). A file PDFium refuses, or a page it fails on, is rendered by pdf.js,
 * with a warning: pdf.js repairs some files PDFium gives up on.
 */
function pdfiumRenderer(bytes: Uint8Array, name: string, warnings: string[], open: PdfiumOpener): { render: FastRender; close(): Promise<void> } {
  let opened: Promise<PdfiumDoc | undefined> | undefined;
  const doc = (): Promise<PdfiumDoc | undefined> =>
    (opened ??= open(bytes, name).catch((err: unknown) => {
      warnings.push(`${(err as Error).message}; its pages are rendered by pdf.js`);
      return undefined;
    }));
  return {
    async render(index, width, height, colour) {
      const pdfium = await doc();
      if (pdfium === undefined) return undefined;
      try {
        return pdfium.render(index, width, height, colour);
      } catch (err) {
        warnings.push(`${(err as Error).message}; the page is rendered by pdf.js`);
        return undefined;
      }
    },
    async close() {
      if (opened === undefined) return;
      (await opened)?.close();
    },
  };
}

function makePage(proxy: PDFPageProxy, index: number, name: string, rawDoc: () => Promise<RawDoc | undefined>, fastRender: FastRender): PdfPage {
  // The viewport at scale 1 is the crop box (clipped to the media box) turned by /Rotate, in points.
  const viewport = proxy.getViewport({ scale: 1 });
  return {
    index,
    widthPt: viewport.width,
    heightPt: viewport.height,
    async render(xDpi, yDpi, colour) {
      // Limits first: neither renderer allocates a page over them.
      const { width, height } = checkedRenderSize(index + 1, name, viewport.width, viewport.height, xDpi, yDpi);
      const raster = await fastRender(index, width, height, colour);
      if (raster !== undefined) return raster;
      try {
        return await renderPage(proxy, name, xDpi, yDpi, colour);
      } finally {
        // Drops the operator list and decoded images: pages are converted one at a time.
        proxy.cleanup();
      }
    },
    async fastPath() {
      const doc = await rawDoc();
      if (doc === undefined) return undefined;
      const { findFastImage } = await import('./fast-path.js');
      return findFastImage(doc, proxy, index, name);
    },
  };
}

/** pdf.js's exceptions (by name: they are not exported as classes of a stable identity) to IfaxError. */
function openError(err: unknown, name: string): IfaxError {
  if (isIfaxError(err)) return err;
  const e = err as { name?: string; message?: string };
  if (e.name === 'PasswordException') {
    return new IfaxError('UNSUPPORTED_INPUT', `Reading PDF ${q(name)} failed: it is encrypted with a password`, {
      cause: err,
      context: { file: name },
      hint: 'Remove the password first (e.g. "qpdf --password=... --decrypt in.pdf out.pdf").',
    });
  }
  const why = e.name === 'InvalidPDFException' ? 'it is not a valid PDF' : 'it cannot be parsed';
  return new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: ${why} (${e.message ?? String(err)})`, {
    cause: err,
    context: { file: name },
  });
}
