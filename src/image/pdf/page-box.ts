/**
 * A page's view box and rotation from the raw objects (objects/page-tree.ts), with pdf.js's semantics (its
 * src/core/document.js `view`, `rotate`): the scanned-page fast path places the
 * image against them, and they must equal what pdf.js read before PDFium opened documents.
 * PDF 32000-1 §14.11.2 (page boundaries), §7.7.3.3 (Rotate, inheritable).
 */

import type { PdfObjects } from './objects/document.js';
import type { PageNode } from './objects/page-tree.js';

/** [x0, y0, x1, y1] in default user space, x0 < x1 and y0 < y1. */
export type ViewBox = [number, number, number, number];

/** What pdf.js reports of a page: its view box and rotation. */
export interface PageGeometry {
  /** CropBox within MediaBox, normalised; the MediaBox when they do not overlap. */
  view: ViewBox;
  /** /Rotate (inherited) as 0, 90, 180 or 270; not a multiple of 90 counts as 0. */
  rotate: 0 | 90 | 180 | 270;
}

/** pdf.js's LETTER_SIZE_MEDIABOX: a page without a usable MediaBox is US letter. */
const LETTER: ViewBox = [0, 0, 612, 792];

/** The page's geometry as pdf.js computes it. */
export function pageGeometry(doc: PdfObjects, node: PageNode): PageGeometry {
  const mediaBox = boundingBox(doc, node, 'MediaBox') ?? LETTER;
  const cropBox = boundingBox(doc, node, 'CropBox') ?? mediaBox;
  let view = mediaBox;
  if (cropBox !== mediaBox && !cropBox.every((v, i) => v === mediaBox[i])) {
    const box = intersect(cropBox, mediaBox);
    // An empty intersection falls back to the media box, as pdf.js does.
    if (box !== undefined && box[2] - box[0] > 0 && box[3] - box[1] > 0) view = box;
  }
  return { view, rotate: normalRotate(doc, node) };
}

function boundingBox(doc: PdfObjects, node: PageNode, key: 'MediaBox' | 'CropBox'): ViewBox | undefined {
  const arr = doc.resolve(node.inherited[key]);
  if (!Array.isArray(arr) || arr.length !== 4) return undefined;
  const nums: number[] = [];
  for (let i = 0; i < 4; i++) {
    const n = doc.resolve(arr[i]);
    if (typeof n !== 'number') return undefined;
    nums.push(n);
  }
  const [a, b, c, d] = nums;
  const box: ViewBox = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  return box[2] - box[0] > 0 && box[3] - box[1] > 0 ? box : undefined;
}

function intersect(r1: ViewBox, r2: ViewBox): ViewBox | undefined {
  const xLow = Math.max(r1[0], r2[0]);
  const xHigh = Math.min(r1[2], r2[2]);
  const yLow = Math.max(r1[1], r2[1]);
  const yHigh = Math.min(r1[3], r2[3]);
  return xLow > xHigh || yLow > yHigh ? undefined : [xLow, yLow, xHigh, yHigh];
}

function normalRotate(doc: PdfObjects, node: PageNode): PageGeometry['rotate'] {
  const value = doc.resolve(node.inherited.Rotate);
  const rotate = typeof value === 'number' ? value : 0;
  if (rotate % 90 !== 0) return 0;
  return ((((rotate % 360) + 360) % 360) as PageGeometry['rotate']);
}
