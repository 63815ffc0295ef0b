/**
 * Fax paper sizes and their size in pixels at a fax resolution (ITU-T T.4 §2.2; RFC 3949 §4.2.1
 * widths table; STANDARDS.md "TIFF for fax").
 *
 * Widths are T.4 scan-line widths, not sheet widths: A4, letter and legal share one scan line
 * (1728 px at 204 dpi = 215 mm, wide enough for letter's 216 mm), B4 and A3 have their own.
 * Heights are the sheet's height at the vertical resolution: A4 (297 mm) at 196 lpi is the
 * 2292 rows of STANDARDS.md, and every other size is derived the same way.
 */

import { IfaxError } from '../errors.js';
import type { PaperName } from './types.js';

/** A paper size: its sheet in millimetres, and its T.4 scan width class. */
export interface PaperSize {
  /** Sheet width in millimetres. */
  widthMm: number;
  /** Sheet height in millimetres. */
  heightMm: number;
  /** Which T.4 scan width the paper uses: 0 = A4/letter/legal, 1 = B4, 2 = A3. */
  widthClass: 0 | 1 | 2;
}

/**
 * The papers of T.4 §2.2. B4 is JIS B4 (257 x 364 mm), the B4 of fax machines (T.4's 255 mm
 * B4 scan line is JIS B4 less its margin), not ISO B4 (250 x 353 mm).
 */
export const PAPERS: Readonly<Record<PaperName, PaperSize>> = {
  A4: { widthMm: 210, heightMm: 297, widthClass: 0 },
  letter: { widthMm: 215.9, heightMm: 279.4, widthClass: 0 },
  legal: { widthMm: 215.9, heightMm: 355.6, widthClass: 0 },
  B4: { widthMm: 257, heightMm: 364, widthClass: 1 },
  A3: { widthMm: 297, heightMm: 420, widthClass: 2 },
};

/** Every paper name, for option parsing and messages. */
export const PAPER_NAMES = Object.keys(PAPERS) as PaperName[];

/**
 * Scan widths in pixels by horizontal resolution, indexed by width class (A4, B4, A3).
 * 200-408 dpi: T.4 / RFC 3949 §4.2.1. 600 dpi is outside both; real devices send the full
 * sheet, as scanners do (A4 210 mm = 4960 px), so B4 and A3 are their full sheets likewise
 * (JIS B4 257 mm = 6071 px, A3 297 mm = 7016 px, the A3 figure of src/limits.ts MAX_WIDTH).
 */
const SCAN_WIDTHS: ReadonlyArray<{ dpi: readonly number[]; widths: readonly [number, number, number] }> = [
  { dpi: [200, 204], widths: [1728, 2048, 2432] },
  { dpi: [300], widths: [2592, 3072, 3648] },
  { dpi: [400, 408], widths: [3456, 4096, 4864] },
  { dpi: [600], widths: [4960, 6071, 7016] },
];

/** A stated resolution counts as a fax resolution within 1% (203.2 = 80 pels/cm is 204). */
const near = (a: number, b: number): boolean => Math.abs(a - b) <= b * 0.01;

function paperOf(paper: PaperName): PaperSize {
  const size = PAPERS[paper];
  if (size === undefined) {
    throw new IfaxError('USAGE', `Choosing the paper failed: ${JSON.stringify(paper)} is not a paper size`, {
      hint: `Use one of ${PAPER_NAMES.join(', ')}.`,
      context: { paper },
    });
  }
  return size;
}

/**
 * The page width in pixels of `paper` at horizontal resolution `xDpi`: the T.4 scan width
 * (1728 / 2048 / 2432 at 200-204 dpi, 2592 / 3072 / 3648 at 300, 3456 / 4096 / 4864 at
 * 400-408, 4960 / 6071 / 7016 at 600). Throws USAGE for any other resolution: fax pages have
 * no other widths, and a made-up width would be refused by the receiving device.
 */
export function paperWidthPx(paper: PaperName, xDpi: number): number {
  const size = paperOf(paper);
  const row = SCAN_WIDTHS.find((r) => r.dpi.some((d) => near(xDpi, d)));
  if (row === undefined) {
    throw new IfaxError('USAGE', `Choosing the page width failed: ${JSON.stringify(xDpi)} dpi is not a fax horizontal resolution`, {
      hint: 'Fax pages are 200/204, 300, 400/408 or 600 dpi wide.',
      context: { paper, xDpi },
    });
  }
  return row.widths[size.widthClass];
}

/**
 * The page height in rows of `paper` at vertical resolution `yDpi`: the most whole rows that
 * fit the sheet (A4 at 196 lpi = 2291, at 98 lpi = 1145). Rounded down, not to the nearest:
 * HylaFAX's tiffcheck (and the devices it stands for) takes a 2292-row page as longer than
 * A4 (297.02 mm) and resizes it. Any positive resolution is accepted: heights have no fixed
 * table in T.4.
 */
export function paperHeightPx(paper: PaperName, yDpi: number): number {
  const size = paperOf(paper);
  if (!(yDpi > 0) || !Number.isFinite(yDpi)) {
    throw new IfaxError('USAGE', `Choosing the page height failed: ${JSON.stringify(yDpi)} lpi is not a resolution`, { context: { paper, yDpi } });
  }
  // The small epsilon keeps exact products (297 mm at 25.4 dpi...) from losing a row to rounding.
  return Math.floor((size.heightMm / 25.4) * yDpi + 1e-9);
}
