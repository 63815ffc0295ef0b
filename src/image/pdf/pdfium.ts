/**
 * Rendering PDF pages with PDFium (Chrome's PDF engine, as WebAssembly from @embedpdf/pdfium):
 * about ten times faster than pdf.js drawing on a canvas for a text page, because PDFium draws
 * straight into a grey or RGB bitmap in its own memory and we copy the rows out once. pdf.js
 * stays the fallback for files PDFium refuses (open.ts).
 *
 * The module (~4.6 MB of wasm, ~30 ms to start) is imported on the first render only, once per
 * process, and shared by every document. A file is opened with FPDF_LoadCustomDocument and a
 * read callback (a JavaScript function put in the module's function table with Emscripten's
 * addFunction): PDFium reads the blocks it needs from the file, so the file is not copied into
 * the module's heap, whose memory would otherwise grow with the file and never shrink. Bytes
 * already in memory (openPdfiumReader) are copied there and freed on close.
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { IfaxError } from '../../errors.js';
import type { Raster } from '../types.js';
import type { ByteSource } from '../pbm.js';

/** An open PDFium document: renders pages at a pixel size; close() frees it. */
export interface PdfiumDoc {
  pageCount: number;
  /**
   * Renders page `index` (0-based) on white, scaled to exactly width x height pixels (the
   * caller has checked the size against the limits). Throws when PDFium cannot.
   */
  render(index: number, width: number, height: number, colour: 'gray' | 'rgb'): Raster;
  close(): void;
}

/** Opens `bytes` as a PDFium document; `name` for messages. */
export type PdfiumOpener = (bytes: Uint8Array, name: string) => Promise<PdfiumDoc>;

/** What PDFium reads of a page without rendering it (page-info.ts turns it into points). */
export interface PdfiumPageInfo {
  /** FPDF_GetPageBoundingBox: CropBox within MediaBox, [left, bottom, right, top], float32. */
  box: [number, number, number, number];
  /** FPDFPage_GetRotation: /Rotate in quarter turns clockwise, 0-3. */
  quarterTurns: number;
  /** The page draws exactly one page object and it is an image: it may be a scan. */
  singleImage: boolean;
}

/** A PDFium document that also reads its pages' boxes (the default opener's kind). */
export interface PdfiumReader extends PdfiumDoc {
  /** Loads page `index` (0-based), reads it and closes it. Throws DATA_INVALID when PDFium cannot. */
  pageInfo(index: number): PdfiumPageInfo;
}

// fpdfview.h: FPDFBitmap_* formats, FPDF_RenderPageBitmap flags, FPDF_GetLastError codes.
const FPDFBitmap_Gray = 1;
const FPDFBitmap_BGR = 2;
const FPDF_ANNOT = 0x01;
const FPDF_REVERSE_BYTE_ORDER = 0x10;
const FPDF_PRINTING = 0x800;
// fpdf_edit.h: FPDFPageObj_GetType.
const FPDF_PAGEOBJ_IMAGE = 3;
const LAST_ERRORS: Record<number, string> = {
  1: 'unknown error',
  2: 'file not found or could not be opened',
  3: 'not a PDF or corrupted',
  4: 'password required or incorrect',
  5: 'unsupported security scheme',
  6: 'page not found or content error',
};

/**
 * Annotations drawn as a printed page shows them: a fax is a print-out. FPDF_PRINTING honours
 * the annotations' Print/NoView flags and the print variant of optional content.
 */
const RENDER_FLAGS = FPDF_ANNOT | FPDF_PRINTING;

const q = (s: string): string => JSON.stringify(s);

/** The wrapped module; Emscripten's HEAPU8 (the instance's memory) is there but not in its types. */
type Pdfium = WrappedPdfiumModule & {
  pdfium: {
    HEAPU8: Uint8Array;
    addFunction(fn: (...args: number[]) => number, signature: string): number;
    removeFunction(index: number): void;
  };
};

let loaded: Promise<Pdfium> | undefined;

/** The PDFium module, started once on first use and shared; a failed start is retried next time. */
function loadPdfium(): Promise<Pdfium> {
  loaded ??= startPdfium().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

async function startPdfium(): Promise<Pdfium> {
  const { init } = await import('@embedpdf/pdfium');
  // The wasm is read from node_modules, never fetched (the package's default is a CDN address).
  const require = createRequire(import.meta.url);
  const wasmBinary = await readFile(require.resolve('@embedpdf/pdfium/pdfium.wasm'));
  // PDFium's own messages would go to stdout/stderr through console: library code prints nothing.
  const quiet = (): void => undefined;
  const module = await init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength), print: quiet, printErr: quiet });
  module.PDFiumExt_Init();
  return module as Pdfium;
}

/**
 * A trap (out of bounds, unreachable) leaves the instance's memory in an unknown state: the
 * next document gets a fresh instance, and this one's handles are never used again.
 */
function isTrap(err: unknown): boolean {
  // WebAssembly.RuntimeError, by name: Node's types do not declare the WebAssembly global.
  return err instanceof Error && (err.name === 'RuntimeError' || /^Aborted\(/.test(err.message));
}

/**
 * Opens `bytes` in PDFium. Throws DATA_INVALID with PDFium's reason when it refuses the file,
 * its FPDF_GetLastError code in `context.pdfiumError` (4: a password is needed).
 */
export async function openPdfiumReader(bytes: Uint8Array, name: string): Promise<PdfiumReader> {
  const m = await loadPdfium();
  const where = `Opening PDF ${q(name)} with PDFium`;
  const ptr = m.pdfium.wasmExports.malloc(bytes.length);
  if (ptr === 0) throw new IfaxError('DATA_INVALID', `${where} failed: no memory for ${bytes.length} bytes`, { context: { file: name } });
  let doc = 0;
  try {
    m.pdfium.HEAPU8.set(bytes, ptr);
    doc = m.FPDF_LoadMemDocument(ptr, bytes.length, '');
    if (doc === 0) {
      const code = m.FPDF_GetLastError();
      throw new IfaxError('DATA_INVALID', `${where} failed: ${LAST_ERRORS[code] ?? `error ${code}`}`, { context: { file: name, pdfiumError: code } });
    }
  } catch (err) {
    if (isTrap(err)) loaded = undefined;
    else m.pdfium.wasmExports.free(ptr);
    throw err;
  }
  return pdfiumDoc(m, doc, () => m.pdfium.wasmExports.free(ptr), name);
}

/** FPDF_FILEACCESS (fpdfview.h): m_FileLen, m_GetBlock, m_Param; three 32-bit fields in wasm32. */
const FILE_ACCESS_BYTES = 12;

/**
 * Opens the file behind `source` in PDFium without copying it into the module's heap: PDFium
 * calls back for each block it reads. `source` must stay readable until close(). Throws as
 * openPdfiumReader does.
 */
export async function openPdfiumSource(source: ByteSource, name: string): Promise<PdfiumReader> {
  const m = await loadPdfium();
  const where = `Opening PDF ${q(name)} with PDFium`;
  // m_GetBlock(param, position, pBuf, size): non-zero on success. A short or failed read is a
  // failure: PDFium then reports the file as damaged rather than parsing zeros.
  const getBlock = (_param: number, position: number, buf: number, size: number): number => {
    try {
      const target = m.pdfium.HEAPU8.subarray(buf >>> 0, (buf >>> 0) + (size >>> 0));
      if (source.readInto) return source.readInto(position >>> 0, target) === target.length ? 1 : 0;
      const got = source.read(position >>> 0, target.length);
      target.set(got);
      return got.length === target.length ? 1 : 0;
    } catch {
      return 0;
    }
  };
  const fn = m.pdfium.addFunction(getBlock, 'iiiii');
  const access = m.pdfium.wasmExports.malloc(FILE_ACCESS_BYTES);
  const release = (): void => {
    if (access !== 0) m.pdfium.wasmExports.free(access);
    m.pdfium.removeFunction(fn);
  };
  let doc = 0;
  try {
    if (access === 0) throw new IfaxError('DATA_INVALID', `${where} failed: no memory`, { context: { file: name } });
    const view = new DataView(m.pdfium.HEAPU8.buffer, access, FILE_ACCESS_BYTES);
    view.setUint32(0, source.size, true);
    view.setUint32(4, fn, true);
    view.setUint32(8, 0, true);
    doc = m.FPDF_LoadCustomDocument(access, '');
    if (doc === 0) {
      const code = m.FPDF_GetLastError();
      throw new IfaxError('DATA_INVALID', `${where} failed: ${LAST_ERRORS[code] ?? `error ${code}`}`, { context: { file: name, pdfiumError: code } });
    }
  } catch (err) {
    if (isTrap(err)) loaded = undefined;
    else release();
    throw err;
  }
  return pdfiumDoc(m, doc, release, name);
}

/**
 * Pages read by pageInfo that stay loaded for their render: loading parses the page's content,
 * ~3 ms for a letter page, which rendering would do again. Pages are read in order and
 * rendered in order, so the first ones are kept; a bound, because a loaded page holds its
 * parsed content (a few hundred KB for text) and a document may have MAX_PAGES.
 */
const KEEP_LOADED_PAGES = 16;

function pdfiumDoc(m: Pdfium, doc: number, release: () => void, name: string): PdfiumReader {
  let dead = false;
  /** FPDF_PAGE handles by page index, loaded by pageInfo, closed by render or close. */
  const kept = new Map<number, number>();
  /** Runs `fn` on the live document; a trap retires the document and the module. */
  const guarded = <T>(fn: () => T): T => {
    if (dead) throw new IfaxError('DATA_INVALID', `Rendering PDF ${q(name)} with PDFium failed: it stopped on an earlier page`, { context: { file: name } });
    try {
      return fn();
    } catch (err) {
      if (isTrap(err)) {
        dead = true;
        loaded = undefined;
      }
      throw err;
    }
  };
  return {
    pageCount: m.FPDF_GetPageCount(doc),
    render(index, width, height, colour) {
      return guarded(() => {
        const page = kept.get(index) ?? loadPage(m, doc, index, `Rendering page ${index + 1} of ${q(name)} with PDFium`, name);
        kept.delete(index);
        return renderPage(m, page, index, width, height, colour, name);
      });
    },
    pageInfo(index) {
      return guarded(() => {
        const page = kept.get(index) ?? loadPage(m, doc, index, `Reading page ${index + 1} of ${q(name)} with PDFium`, name);
        let keep = false;
        try {
          const info = readPage(m, page, index, name);
          keep = kept.has(index) || kept.size < KEEP_LOADED_PAGES;
          if (keep) kept.set(index, page);
          return info;
        } finally {
          if (!keep) {
            // A kept page that failed to read is closed here: it must not be closed again by close().
            kept.delete(index);
            m.FPDF_ClosePage(page);
          }
        }
      });
    },
    close() {
      if (dead) return;
      dead = true;
      // The document reads its bytes (or calls back) until it is closed: close pages and document first.
      try {
        for (const page of kept.values()) m.FPDF_ClosePage(page);
        kept.clear();
        m.FPDF_CloseDocument(doc);
      } finally {
        release();
      }
    },
  };
}

/** FPDF_LoadPage (it parses the page's content); DATA_INVALID with `where` when PDFium cannot. */
function loadPage(m: Pdfium, doc: number, index: number, where: string, name: string): number {
  const page = m.FPDF_LoadPage(doc, index);
  if (page === 0) {
    const code = m.FPDF_GetLastError();
    throw new IfaxError('DATA_INVALID', `${where} failed: ${LAST_ERRORS[code] ?? `error ${code}`}`, { context: { file: name, page: index + 1 } });
  }
  return page;
}

function readPage(m: Pdfium, page: number, index: number, name: string): PdfiumPageInfo {
  const rect = m.pdfium.wasmExports.malloc(16);
  try {
    if (rect === 0 || !m.FPDF_GetPageBoundingBox(page, rect)) {
      throw new IfaxError('DATA_INVALID', `Reading page ${index + 1} of ${q(name)} with PDFium failed: no page box`, { context: { file: name, page: index + 1 } });
    }
    // FS_RECTF is { left, top, right, bottom }, little-endian float32 (wasm).
    const view = new DataView(m.pdfium.HEAPU8.buffer, rect, 16);
    const [left, top, right, bottom] = [0, 4, 8, 12].map((o) => view.getFloat32(o, true));
    const objects = m.FPDFPage_CountObjects(page);
    return {
      box: [left, bottom, right, top],
      quarterTurns: m.FPDFPage_GetRotation(page),
      singleImage: objects === 1 && m.FPDFPageObj_GetType(m.FPDFPage_GetObject(page, 0)) === FPDF_PAGEOBJ_IMAGE,
    };
  } finally {
    if (rect !== 0) m.pdfium.wasmExports.free(rect);
  }
}

/** Renders the loaded `page` and closes it. */
function renderPage(m: Pdfium, page: number, index: number, width: number, height: number, colour: 'gray' | 'rgb', name: string): Raster {
  const where = `Rendering page ${index + 1} of ${q(name)} with PDFium`;
  try {
    const channels = colour === 'gray' ? 1 : 3;
    // A grey bitmap is PDFium's own luma (0.30 R + 0.59 G + 0.11 B, within one level of greyOf's
    // Rec. 601): no RGB render and conversion for the usual black-and-white fax.
    const bitmap = m.FPDFBitmap_CreateEx(width, height, channels === 1 ? FPDFBitmap_Gray : FPDFBitmap_BGR, 0, 0);
    if (bitmap === 0) throw new IfaxError('DATA_INVALID', `${where} failed: no memory for ${width} x ${height} pixels`, { context: { file: name, page: index + 1, width, height } });
    try {
      // Paper is white: PDFium leaves the bitmap's (zeroed) memory where the page draws nothing.
      m.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
      // REVERSE_BYTE_ORDER makes PDFium write RGB where BGR is its native order.
      m.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_FLAGS | (channels === 3 ? FPDF_REVERSE_BYTE_ORDER : 0));
      const stride = m.FPDFBitmap_GetStride(bitmap);
      const buffer = m.FPDFBitmap_GetBuffer(bitmap);
      // Read HEAPU8 only now: rendering may have grown the memory, which replaces the array.
      const heap = m.pdfium.HEAPU8;
      const row = width * channels;
      let data: Uint8Array;
      if (stride === row) {
        data = heap.slice(buffer, buffer + row * height);
      } else {
        // Rows are padded to 4 bytes: copy each without its padding.
        data = new Uint8Array(row * height);
        for (let y = 0; y < height; y++) data.set(heap.subarray(buffer + y * stride, buffer + y * stride + row), y * row);
      }
      return { width, height, channels, data };
    } finally {
      m.FPDFBitmap_Destroy(bitmap);
    }
  } finally {
    m.FPDF_ClosePage(page);
  }
}
