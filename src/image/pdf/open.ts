/**
 * Opening a PDF input. PDFium (pdfium.ts) reads the document (page count, each page's box and
 * rotation, whether it may be a scan) and renders its pages. pdf.js, the slow part to load
 * (~0.4 s with its canvas), is loaded only when needed: to open a file PDFium refuses (pdf.js
 * repairs some), to render a page PDFium fails on (render.ts), or to decode a scan's image in a
 * format we do not. Our object reader (fast-path.ts, objects/, imported dynamically) is loaded
 * only when a page may be a scan, to read its raw image stream. The file is read by offset
 * through one open descriptor, by PDFium and by the object reader alike: neither holds the
 * whole file, so memory does not grow with it (only pdf.js, when it is needed, reads it all).
 * Broken, encrypted and empty files are refused here, with the file named, before any page is
 * converted.
 */

import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { IfaxError } from '../../errors.js';
import { MAX_PAGES } from '../../limits.js';
import { checkFile, fdSource } from '../input-file.js';
import type { ByteSource } from '../pbm.js';
import type { RawDoc } from './fast-path.js';
import { pdfiumPageSize } from './page-size.js';
import { openPdfiumSource, type PdfiumDoc, type PdfiumOpener, type PdfiumReader } from './pdfium.js';
import { encryptedError, openPdfJsDoc, pdfJsPage } from './pdfjs.js';
import { checkedRenderSize, renderPage } from './render.js';
import type { PdfDoc, PdfPage } from './types.js';
import type { Raster } from '../types.js';

export type { FastImage, PdfCcittImage, PdfDoc, PdfPage } from './types.js';

const q = (s: string): string => JSON.stringify(s);

/** FPDF_GetLastError's FPDF_ERR_PASSWORD: the file needs a user password. */
const PDFIUM_ERR_PASSWORD = 4;

/** How openPdf renders. */
export interface OpenPdfOptions {
  /**
   * Opens the document for rendering (default: the PDFium document that read the file). Tests
   * pass a failing one to reach the pdf.js fallback.
   */
  openRenderer?: PdfiumOpener;
}

/** Renders page `index` with PDFium, or returns undefined when pdf.js must (the reason is in warnings). */
type FastRender = (index: number, width: number, height: number, colour: 'gray' | 'rgb') => Promise<Raster | undefined>;

/** One page as the reader saw it: its displayed size and whether it may be a scan. */
interface PageFacts {
  widthPt: number;
  heightPt: number;
  /** False when PDFium saw anything but one image: no fast path is looked for. */
  mayBeScan: boolean;
}

/** The object reader's document, or undefined, and what it said (handed on when a page may be a scan). */
interface RawRead {
  doc: RawDoc | undefined;
  warnings: string[];
  notes: string[];
}

async function loadRaw(source: ByteSource, pageCount: number, counter: string): Promise<RawRead> {
  const m = await import('./fast-path.js');
  const r: RawRead = { doc: undefined, warnings: [], notes: [] };
  r.doc = m.loadRawDoc(source, pageCount, r.warnings, r.notes, counter);
  return r;
}

/** The document as read: by PDFium, or by pdf.js when PDFium refused it (`refusal`). */
interface ReadDoc {
  /** The object reader's view, read with PDFium's (pages it sees as scans are not loaded by PDFium). */
  raw?: Promise<RawRead>;
  pages: PageFacts[];
  reader: 'PDFium' | 'pdf.js';
  pdfium?: PdfiumReader;
  pdfjs?: PDFDocumentProxy;
  refusal?: unknown;
}

/**
 * Opens the PDF `file` (`name` for messages). Reads the page tree and every page's size;
 * decodes nothing. Throws INPUT_NOT_FOUND (66); DATA_INVALID for empty, truncated or
 * malformed files, UNSUPPORTED_INPUT for password-protected ones, LIMIT_EXCEEDED for more
 * than MAX_PAGES pages or MAX_INPUT_BYTES (all 65).
 */
export async function openPdf(file: string, name: string, options: OpenPdfOptions = {}): Promise<PdfDoc> {
  checkFile(file, name);
  const opened = openSource(file, name);
  try {
    return await openFrom(opened.source, file, name, options, opened.close);
  } catch (err) {
    opened.close();
    throw err;
  }
}

/** The file opened for reading by offset; reads after close() or past a shrunk end fail, naming it. */
function openSource(file: string, name: string): { source: ByteSource; close(): void } {
  let fd: number | undefined;
  let size: number;
  try {
    fd = openSync(file, 'r');
    size = fstatSync(fd).size;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: ${(err as Error).message}`, { cause: err, context: { file: name } });
  }
  const inner = fdSource(fd, size);
  let open = true;
  const changed = (): IfaxError => new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: the file changed while it was being converted`, { context: { file: name } });
  const live = (): void => {
    if (!open) throw new IfaxError('INTERNAL', `Reading PDF ${q(name)} failed: it was read after it was closed`, { context: { file: name } });
  };
  return {
    source: {
      size,
      read(offset, length) {
        live();
        const got = inner.read(offset, length);
        if (got.length < Math.min(length, size - offset)) throw changed();
        return got;
      },
      readInto(offset, target) {
        live();
        const n = (inner.readInto as NonNullable<ByteSource['readInto']>)(offset, target);
        if (n < Math.min(target.length, size - offset)) throw changed();
        return n;
      },
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd as number);
    },
  };
}

async function openFrom(source: ByteSource, file: string, name: string, options: OpenPdfOptions, closeFile: () => void): Promise<PdfDoc> {
  if (source.size === 0) {
    throw new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: the file is empty`, { context: { file: name } });
  }
  // The file's bytes are not held: PDFium and the object reader read blocks by offset. Only
  // pdf.js, opened when needed, reads the whole file.
  const size = source.size;
  const bytes = (): Uint8Array => {
    const b = readBytes(file, name);
    if (b.length !== size) throw new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: the file changed while it was being converted`, { context: { file: name } });
    return b;
  };
  const notes: string[] = [];
  const read = await readDoc(source, bytes, name);
  const warnings: string[] = [];
  // pdf.js's document: the one that read the file, or opened on first need.
  let pdfjsDoc: Promise<PDFDocumentProxy> | undefined = read.pdfjs && Promise.resolve(read.pdfjs);
  const pdfjs = (): Promise<PDFDocumentProxy> => (pdfjsDoc ??= openPdfJsDoc(bytes(), name));
  // The object reader's document, read with the file (read.raw); what it said is handed on when
  // the first page that may be a scan is looked at, as when it was read then.
  let raw: Promise<RawDoc | undefined> | undefined;
  const rawDoc = (): Promise<RawDoc | undefined> =>
    (raw ??= (read.raw ?? loadRaw(source, read.pages.length, read.reader)).then((r) => {
      warnings.push(...r.warnings);
      notes.push(...r.notes);
      return r.doc;
    }));
  const custom = options.openRenderer;
  const openRenderer = custom ? () => custom(bytes(), name) : async () => read.pdfium ?? Promise.reject(read.refusal);
  const renderer = pdfiumRenderer(warnings, openRenderer);
  const pages = read.pages.map((facts, i) => makePage(facts, i, name, { rawDoc, pdfjs, fastRender: renderer.render }));
  return {
    pages,
    warnings,
    notes,
    async close() {
      try {
        await renderer.close();
        read.pdfium?.close();
      } finally {
        try {
          if (pdfjsDoc !== undefined) await (await pdfjsDoc.catch(() => undefined))?.destroy();
        } finally {
          closeFile();
        }
      }
    },
  };
}

/** The file's bytes; INPUT_NOT_FOUND (66) naming it when it cannot be read. */
function readBytes(file: string, name: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: ${(err as Error).message}`, { cause: err, context: { file: name } });
  }
}

/**
 * Reads the document with PDFium; a file PDFium refuses for any reason but a password is read
 * by pdf.js, whose errors then classify it (not a PDF, cannot be parsed, password).
 */
async function readDoc(source: ByteSource, bytes: () => Uint8Array, name: string): Promise<ReadDoc> {
  let pdfium: PdfiumReader | undefined;
  let refusal: unknown;
  try {
    pdfium = await openPdfiumSource(source, name);
  } catch (err) {
    if ((err as IfaxError).context?.pdfiumError === PDFIUM_ERR_PASSWORD) throw encryptedError(name, err);
    refusal = err;
  }
  if (pdfium !== undefined) {
    try {
      checkCount(pdfium.pageCount, name);
      const raw = pdfium.pageCount === 0 ? undefined : await loadRaw(source, pdfium.pageCount, 'PDFium');
      const candidate = raw?.doc && (await import('./fast-path.js')).scanCandidate;
      const pages = pdfium.pageCount === 0 ? undefined : pdfiumPages(pdfium, candidate && raw.doc ? (i) => candidate(raw.doc as RawDoc, i) : undefined);
      if (pages !== undefined) return { pages, reader: 'PDFium', pdfium, ...(raw ? { raw: Promise.resolve(raw) } : {}) };
      // No pages, or a page box PDFium leaves empty: pdf.js reads the file (its repair and its
      // media-box fallback); PDFium still renders.
    } catch (err) {
      pdfium.close();
      if (err instanceof IfaxError && err.code === 'LIMIT_EXCEEDED') throw err;
      refusal = err;
      pdfium = undefined;
    }
  }
  let doc: PDFDocumentProxy;
  try {
    doc = await openPdfJsDoc(bytes(), name);
  } catch (err) {
    // PDFium opened it but found no pages: its document goes too, not only pdf.js's failure.
    pdfium?.close();
    throw err;
  }
  try {
    checkCount(doc.numPages, name);
    if (doc.numPages === 0) throw new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: it has no pages`, { context: { file: name } });
    const pages: PageFacts[] = [];
    for (let i = 0; i < doc.numPages; i++) {
      // The viewport at scale 1 is the crop box (clipped to the media box) turned by /Rotate, in points.
      const viewport = (await pdfJsPage(doc, i, name)).getViewport({ scale: 1 });
      pages.push({ widthPt: viewport.width, heightPt: viewport.height, mayBeScan: true });
    }
    return { pages, reader: 'pdf.js', pdfjs: doc, ...(pdfium ? { pdfium } : { refusal }) };
  } catch (err) {
    pdfium?.close();
    await doc.destroy();
    throw err;
  }
}

function checkCount(count: number, name: string): void {
  if (count > MAX_PAGES) {
    throw new IfaxError('LIMIT_EXCEEDED', `Reading PDF ${q(name)} failed: it has ${count} pages, over MAX_PAGES (${MAX_PAGES})`, {
      context: { file: name, limit: 'MAX_PAGES', max: MAX_PAGES, value: count },
    });
  }
}

/** Every page's facts from PDFium, or undefined when one has an empty box. */
function pdfiumPages(pdfium: PdfiumReader, scan?: (index: number) => { widthPt: number; heightPt: number } | undefined): PageFacts[] | undefined {
  const pages: PageFacts[] = [];
  for (let i = 0; i < pdfium.pageCount; i++) {
    // A page that may be a scan is sized by the object reader (pdf.js's rules, as PDFium's
    // sizes are made to match, page-size.ts): PDFium loading it would read its image.
    const scanned = scan?.(i);
    if (scanned !== undefined) {
      pages.push({ ...scanned, mayBeScan: true });
      continue;
    }
    const info = pdfium.pageInfo(i);
    const size = pdfiumPageSize(info);
    if (size === undefined) return undefined;
    pages.push({ ...size, mayBeScan: info.singleImage });
  }
  return pages;
}

/**
 * PDFium for rendering this document, opened on the first render. A file PDFium refuses, or a
 * page it fails on, is rendered by pdf.js, with a warning: pdf.js repairs some files PDFium
 * gives up on.
 */
function pdfiumRenderer(warnings: string[], open: () => Promise<PdfiumDoc>): { render: FastRender; close(): Promise<void> } {
  let opened: Promise<PdfiumDoc | undefined> | undefined;
  const doc = (): Promise<PdfiumDoc | undefined> =>
    (opened ??= Promise.resolve()
      .then(open)
      .catch((err: unknown) => {
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

/** What a page reaches lazily: the raw object reader, pdf.js's document, PDFium's renderer. */
interface PageHooks {
  rawDoc: () => Promise<RawDoc | undefined>;
  pdfjs: () => Promise<PDFDocumentProxy>;
  fastRender: FastRender;
}

function makePage(facts: PageFacts, index: number, name: string, hooks: PageHooks): PdfPage {
  const { widthPt, heightPt } = facts;
  const pdfjsPage = async (): Promise<PDFPageProxy> => pdfJsPage(await hooks.pdfjs(), index, name);
  return {
    index,
    widthPt,
    heightPt,
    async render(xDpi, yDpi, colour) {
      // Limits first: neither renderer allocates a page over them.
      const { width, height } = checkedRenderSize(index + 1, name, widthPt, heightPt, xDpi, yDpi);
      const raster = await hooks.fastRender(index, width, height, colour);
      if (raster !== undefined) return raster;
      const proxy = await pdfjsPage();
      try {
        return await renderPage(proxy, name, xDpi, yDpi, colour);
      } finally {
        // Drops the operator list and decoded images: pages are converted one at a time.
        proxy.cleanup();
      }
    },
    async fastPath() {
      if (!facts.mayBeScan) return undefined;
      const doc = await hooks.rawDoc();
      if (doc === undefined) return undefined;
      const { findFastImage } = await import('./fast-path.js');
      return findFastImage(doc, index, name, pdfjsPage);
    },
  };
}
