/**
 * The scanned-page fast path: a page whose content draws one image XObject over the whole
 * page is taken as that image, decoded directly (or passed on as CCITT data) instead of being
 * rendered. Our own object reader (objects/: neither PDFium nor pdf.js has a raw-stream API)
 * reads the page tree, the raw objects and the page's view box and rotation, with pdf.js's
 * semantics (page-box.ts), from the file as it needs them: a page's image data is read when
 * that page is converted, never the whole file. pdf.js is loaded only to decode an image
 * format we do not (pdfjs-image.ts).
 */

import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ByteSource } from '../pbm.js';
import { findSingleDo, type Matrix } from './content.js';
import { planImage } from './image-stream.js';
import { PdfObjects } from './objects/document.js';
import { PdfDict, PdfStream, nameOf, type PdfObject } from './objects/model.js';
import { readPageTree, type PageNode } from './objects/page-tree.js';
import { pageGeometry } from './page-box.js';
import { pdfjsImagePixels } from './pdfjs-image.js';
import type { FastImage } from './types.js';

/** The object reader's view of the document: its objects and pages. */
export interface RawDoc {
  objects: PdfObjects;
  pages: PageNode[];
}

/**
 * Content bytes (raw, before inflating) above which a page is not looked at: a scan's content
 * is a line or two ("q 612 0 0 792 0 0 cm /Im0 Do Q"); a text page's is kilobytes.
 */
const MAX_SCAN_CONTENT_BYTES = 4096;

/** Bytes a scan's content may inflate to: its few operators, with room for a generous writer. */
const MAX_SCAN_CONTENT_DECODED = 64 * 1024;

/**
 * How far the image's edges may lie from the page's, as a fraction of the page's side: scanners
 * and converters round the page size to points (tiff2pdf: 609.88 x 872.82).
 */
const EDGE_TOLERANCE = 0.02;

const q = (s: string): string => JSON.stringify(s);

/** What reading the raw objects is, in notes. */
const READING = 'reading the raw objects for the scanned-page fast path';

/**
 * Reads the file's xref and page tree for the fast path, through `source` (the file, read by
 * offset). A file whose objects cannot be read (damaged past rebuilding, a page tree that
 * `counter` (the reader that opened the file: PDFium or pdf.js) counts differently) has no
 * fast path: a warning says so and every page is rendered. One encrypted with only an owner
 * password opens for reading and rendering, but its streams are encrypted: it is rendered,
 * said at debug level. A rebuilt xref is said at debug level too.
 */
export function loadRawDoc(source: ByteSource, pageCount: number, warnings: string[], notes: string[], counter: string): RawDoc | undefined {
  try {
    const objects = PdfObjects.open(source);
    if (objects.encrypted) {
      notes.push('it is encrypted (with an owner password only: it opens without one), so its images cannot be taken as they are; all pages are rendered');
      return undefined;
    }
    const { pages } = readPageTree(objects);
    if (objects.rebuilt) notes.push(`its cross-reference table was rebuilt by a scan of the file, ${READING} (${objects.rebuildReason ?? 'unreadable'})`);
    if (pages.length !== pageCount) {
      warnings.push(`the page tree reads as ${pages.length} pages by ifax's object reader and ${pageCount} by ${counter}; all pages are rendered`);
      return undefined;
    }
    return { objects, pages };
  } catch (err) {
    warnings.push('its raw objects cannot be read (the file is damaged), so no page is taken as a scanned image; all pages are rendered');
    notes.push(`${READING}: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Whether page `index` may be a scan: its content draws one image XObject and nothing else
 * (the first checks of findFastImage, without placing or planning the image). With its size
 * in points after /Rotate (pdf.js's view box, page-box.ts). Asked before PDFium looks at the
 * page: PDFium loading a scanned page reads its image into its heap, which then grows with
 * the file (1000 pages of 100 KB: +90 MB); a page that may be a scan is not loaded by PDFium.
 */
export function scanCandidate(doc: RawDoc, index: number): { widthPt: number; heightPt: number } | undefined {
  const { objects } = doc;
  const node = doc.pages[index];
  try {
    const content = contentBytes(objects, objects.get(node.dict, 'Contents'));
    const drawn = content && findSingleDo(content);
    if (drawn === undefined) return undefined;
    const resources = objects.resolve(node.inherited.Resources);
    const xobjects = resources instanceof PdfDict ? objects.get(resources, 'XObject') : undefined;
    const image = xobjects instanceof PdfDict ? objects.get(xobjects, drawn.name) : undefined;
    if (!(image instanceof PdfStream) || nameOf(objects.get(image.dict, 'Subtype')) !== 'Image') return undefined;
    const { view, rotate } = pageGeometry(objects, node);
    const [w, h] = [view[2] - view[0], view[3] - view[1]];
    return rotate % 180 === 0 ? { widthPt: w, heightPt: h } : { widthPt: h, heightPt: w };
  } catch {
    return undefined;
  }
}

/**
 * The page's single full-page image, or undefined when the page must be rendered. `pdfjsPage`
 * gives pdf.js's page, asked for only when pdf.js must decode the image. Throws
 * LIMIT_EXCEEDED for an image over MAX_PIXELS_PER_PAGE; decoding errors surface from pixels().
 */
export async function findFastImage(doc: RawDoc, index: number, name: string, pdfjsPage: () => Promise<PDFPageProxy>): Promise<FastImage | undefined> {
  const where = `Reading page ${index + 1} of PDF ${q(name)}`;
  const { objects } = doc;
  const node = doc.pages[index];
  if (!annotationsAllowFastPath(objects, objects.get(node.dict, 'Annots'))) return undefined;
  const content = contentBytes(objects, objects.get(node.dict, 'Contents'));
  if (content === undefined) return undefined;
  const drawn = findSingleDo(content);
  if (drawn === undefined) return undefined;
  const resources = objects.resolve(node.inherited.Resources);
  const xobjects = resources instanceof PdfDict ? objects.get(resources, 'XObject') : undefined;
  const image = xobjects instanceof PdfDict ? objects.get(xobjects, drawn.name) : undefined;
  if (!(image instanceof PdfStream) || nameOf(objects.get(image.dict, 'Subtype')) !== 'Image') return undefined;
  const { view, rotate } = pageGeometry(objects, node);
  const placed = placement(drawn.ctm, view, rotate);
  if (placed === undefined) return undefined;

  const plan = planImage(objects, image, where);
  if (plan === undefined) return undefined;
  let width: number;
  let height: number;
  let pixels: FastImage['pixels'];
  let ccitt: FastImage['ccitt'];
  if (plan === 'pdfjs') {
    const grey = isGreyImage(objects, image);
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
function annotationsAllowFastPath(objects: PdfObjects, annots: PdfObject | undefined): boolean {
  if (!Array.isArray(annots)) return true;
  return annots.every((ref) => {
    const a = objects.resolve(ref);
    const subtype = a instanceof PdfDict ? nameOf(objects.get(a, 'Subtype')) : undefined;
    return subtype === 'Link' || subtype === 'Popup';
  });
}

/** The page's content streams, inflated and joined, or undefined when too big or unreadable. */
function contentBytes(objects: PdfObjects, contents: PdfObject | undefined): Uint8Array | undefined {
  if (contents === undefined || contents === null) return undefined;
  const streams = Array.isArray(contents) ? contents.map((c) => objects.resolve(c)) : [contents];
  let raw = 0;
  const parts: Uint8Array[] = [];
  for (const s of streams) {
    if (!(s instanceof PdfStream)) return undefined;
    try {
      // A text page's content (kilobytes) is not read at all when its /Length says it is too long.
      const length = objects.get(s.dict, 'Length');
      if (typeof length === 'number' && raw + length > MAX_SCAN_CONTENT_BYTES) return undefined;
      const bytes = objects.streamBytes(s);
      raw += bytes.length;
      if (raw > MAX_SCAN_CONTENT_BYTES) return undefined;
      parts.push(objects.decodeStream(s, MAX_SCAN_CONTENT_DECODED), new Uint8Array([0x0a]));
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
function isGreyImage(objects: PdfObjects, image: PdfStream): boolean {
  const cs = objects.get(image.dict, 'ColorSpace');
  const name = nameOf(cs);
  return name === 'DeviceGray' || name === 'CalGray' || (Array.isArray(cs) && nameOf(objects.resolve(cs[0])) === 'CalGray');
}
