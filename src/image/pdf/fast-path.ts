/**
 * The scanned-page fast path: a page whose content draws one image XObject over the whole
 * page is taken as that image, decoded directly (or passed on as CCITT data) instead of being
 * rendered. pdf-lib reads the raw objects (neither PDFium nor pdf.js has a raw-stream API) and
 * the page's view box and rotation, with pdf.js's semantics (page-box.ts). pdf.js is loaded
 * only to decode an image format we do not (pdfjs-image.ts).
 */

import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, ParseSpeeds, decodePDFRawStream, type PDFPage as LibPage } from 'pdf-lib';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { findSingleDo, type Matrix } from './content.js';
import { collectConsole, libraryNote } from './library-output.js';
import { planImage } from './image-stream.js';
import { pageGeometry } from './page-box.js';
import { pdfjsImagePixels } from './pdfjs-image.js';
import type { FastImage } from './types.js';

/** pdf-lib's view of the document, or why there is none. */
export interface RawDoc {
  pages: LibPage[];
}

/**
 * Content bytes (raw, before inflating) above which a page is not looked at: a scan's content
 * is a line or two ("q 612 0 0 792 0 0 cm /Im0 Do Q"); a text page's is kilobytes.
 */
const MAX_SCAN_CONTENT_BYTES = 4096;

/**
 * How far the image's edges may lie from the page's, as a fraction of the page's side: scanners
 * and converters round the page size to points (tiff2pdf: 609.88 x 872.82).
 */
const EDGE_TOLERANCE = 0.02;

const q = (s: string): string => JSON.stringify(s);

/**
 * pdf-lib's EncryptedPDFError, known by its message: pdf-lib is compiled to ES5, where an
 * Error subclass loses its prototype, so `instanceof EncryptedPDFError` is false.
 */
const isEncryptedError = (err: unknown): boolean => err instanceof Error && /^Input document to `PDFDocument\.load` is encrypted/.test(err.message);

/** What reading the raw objects is, in notes. */
const READING = 'reading the raw objects for the scanned-page fast path';

/**
 * Parses the file with pdf-lib for the fast path. A file pdf-lib cannot read (damaged, a page
 * tree `counter` (the reader that opened the file: PDFium or pdf.js) counts differently) has
 * no fast path: a warning says so and every page is rendered. One encrypted with only an owner
 * password opens for reading and rendering, but its streams are encrypted: it is rendered, said
 * at debug level. What pdf-lib prints (objects it skips in a damaged file) and its own words
 * go to `notes` (debug level), never to the console.
 */
export async function loadRawDoc(bytes: Uint8Array, pageCount: number, warnings: string[], notes: string[], counter: string): Promise<RawDoc | undefined> {
  const lines: string[] = [];
  try {
    // Fastest: the parse does not yield to the event loop, so the console is collected only while it runs.
    const doc = await collectConsole(lines, () => PDFDocument.load(bytes, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: false, parseSpeed: ParseSpeeds.Fastest }));
    const pages = doc.getPages();
    if (pages.length !== pageCount) {
      warnings.push(`the page tree reads as ${pages.length} pages by pdf-lib and ${pageCount} by ${counter}; all pages are rendered`);
      return undefined;
    }
    return { pages };
  } catch (err) {
    if (isEncryptedError(err)) {
      notes.push('it is encrypted (with an owner password only: it opens without one), so its images cannot be taken as they are; all pages are rendered');
    } else {
      warnings.push('its raw objects cannot be read (the file is damaged), so no page is taken as a scanned image; all pages are rendered');
      notes.push(`pdf-lib, ${READING}: ${(err as Error).message}`);
    }
    return undefined;
  } finally {
    const note = libraryNote('pdf-lib', READING, lines);
    if (note !== undefined) notes.push(note);
  }
}

/**
 * The page's single full-page image, or undefined when the page must be rendered. `pdfjsPage`
 * gives pdf.js's page, asked for only when pdf.js must decode the image. Throws
 * LIMIT_EXCEEDED for an image over MAX_PIXELS_PER_PAGE; decoding errors surface from pixels().
 */
export async function findFastImage(doc: RawDoc, index: number, name: string, pdfjsPage: () => Promise<PDFPageProxy>): Promise<FastImage | undefined> {
  const where = `Reading page ${index + 1} of PDF ${q(name)}`;
  const node = doc.pages[index].node;
  if (!annotationsAllowFastPath(node.Annots())) return undefined;
  const content = contentBytes(node.Contents());
  if (content === undefined) return undefined;
  const drawn = findSingleDo(content);
  if (drawn === undefined) return undefined;
  const xobjects = node.Resources()?.lookup(PDFName.of('XObject'));
  const image = xobjects instanceof PDFDict ? xobjects.lookup(PDFName.of(drawn.name)) : undefined;
  if (!(image instanceof PDFRawStream) || image.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) return undefined;
  const { view, rotate } = pageGeometry(node);
  const placed = placement(drawn.ctm, view, rotate);
  if (placed === undefined) return undefined;

  const plan = planImage(image, where);
  if (plan === undefined) return undefined;
  let width: number;
  let height: number;
  let pixels: FastImage['pixels'];
  let ccitt: FastImage['ccitt'];
  if (plan === 'pdfjs') {
    const grey = isGreyImage(image);
    const decoded = await pdfjsImagePixels(await pdfjsPage(), grey);
    if (decoded === undefined) return undefined;
    const size = decoded.kind === 'bitmap' ? decoded.bitmap : decoded.raster;
    ({ width, height } = size);
    pixels = async () => decoded;
  } else {
    ({ width, height, ccitt } = plan);
    pixels = () => plan.pixels();
  }
  // Resolution along the image's own axes: its pixels over the page side they span.
  const [x0, y0, x1, y1] = view;
  const across = placed.imageXHorizontal ? x1 - x0 : y1 - y0;
  const along = placed.imageXHorizontal ? y1 - y0 : x1 - x0;
  const fast: FastImage = { path: 'fast-path', width, height, xRes: (width * 72) / across, yRes: (height * 72) / along, rotation: placed.rotation, pixels };
  if (ccitt !== undefined) fast.ccitt = ccitt;
  return fast;
}

/** Link and Popup annotations draw nothing; any other (stamps, notes, form fields) would be lost. */
function annotationsAllowFastPath(annots: PDFArray | undefined): boolean {
  if (annots === undefined) return true;
  return annots.asArray().every((_, i) => {
    const a = annots.lookup(i);
    const subtype = a instanceof PDFDict ? a.lookup(PDFName.of('Subtype')) : undefined;
    return subtype === PDFName.of('Link') || subtype === PDFName.of('Popup');
  });
}

/** The page's content streams, inflated and joined, or undefined when too big or unreadable. */
function contentBytes(contents: ReturnType<LibPage['node']['Contents']>): Uint8Array | undefined {
  if (contents === undefined) return undefined;
  const streams = contents instanceof PDFArray ? contents.asArray().map((_, i) => contents.lookup(i)) : [contents];
  let raw = 0;
  const parts: Uint8Array[] = [];
  for (const s of streams) {
    if (!(s instanceof PDFRawStream)) return undefined;
    raw += s.contents.length;
    if (raw > MAX_SCAN_CONTENT_BYTES) return undefined;
    try {
      parts.push(decodePDFRawStream(s).decode(), new Uint8Array([0x0a]));
    } catch {
      return undefined;
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Where the image lands: it must cover the view box (within EDGE_TOLERANCE) and be turned by
 * a multiple of 90 degrees without mirroring. Returns the clockwise turn from the stored image
 * to the displayed page, and whether the image's rows run along the page's x axis.
 */
function placement(ctm: Matrix, view: number[], pageRotate: number): { rotation: FastImage['rotation']; imageXHorizontal: boolean } | undefined {
  const [a, b, c, d, e, f] = ctm;
  const [vx0, vy0, vx1, vy1] = view;
  const xs = [e, a + e, c + e, a + c + e];
  const ys = [f, b + f, d + f, b + d + f];
  const tolX = (vx1 - vx0) * EDGE_TOLERANCE;
  const tolY = (vy1 - vy0) * EDGE_TOLERANCE;
  const near = (v: number, target: number, tol: number): boolean => Math.abs(v - target) <= tol;
  if (!near(Math.min(...xs), vx0, tolX) || !near(Math.max(...xs), vx1, tolX) || !near(Math.min(...ys), vy0, tolY) || !near(Math.max(...ys), vy1, tolY)) {
    return undefined;
  }
  // Image columns run along (a, b) and rows downwards along (-c, -d), in PDF space (y up).
  // On screen (y down) that is (a, -b) and (-c, d).
  const dir = (x: number, y: number): number | undefined => {
    const len = Math.hypot(x, y);
    if (len === 0) return undefined;
    if (Math.abs(y) / len < 1e-3) return x > 0 ? 0 : 180; // right / left
    if (Math.abs(x) / len < 1e-3) return y > 0 ? 90 : 270; // down / up (screen)
    return undefined;
  };
  const col = dir(a, -b);
  const row = dir(-c, d);
  if (col === undefined || row === undefined || (row - col + 360) % 360 !== 90) return undefined; // skewed or mirrored
  const rotate = (((pageRotate % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  return { rotation: ((col + rotate) % 360) as FastImage['rotation'], imageXHorizontal: col === 0 || col === 180 };
}

/** Whether the image's colour space is grey (pdf.js hands grey images back as RGB). */
function isGreyImage(image: PDFRawStream): boolean {
  const cs = image.dict.lookup(PDFName.of('ColorSpace'));
  return cs === PDFName.of('DeviceGray') || cs === PDFName.of('CalGray') || (cs instanceof PDFArray && cs.lookup(0) === PDFName.of('CalGray'));
}
