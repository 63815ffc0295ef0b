/**
 * Fax paper sizes in pixels at a fax resolution (ITU-T T.4 §2.2; RFC 3949 §4.2.1 widths table;
 * STANDARDS.md "TIFF for fax"), for fitting pages. The papers and the scan width table are
 * src/fax/vocabulary.ts; this file adds the usage errors and the row count policy.
 *
 * Widths are T.4 scan-line widths, not sheet widths: A4, letter and legal share one scan line
 * (1728 px at 204 dpi = 215 mm, wide enough for letter's 216 mm), B4 and A3 have their own.
 * Heights are the sheet's height at the vertical resolution: A4 (297 mm) at 196 lpi is the
 * 2292 rows of STANDARDS.md, and every other size is derived the same way.
 */

import { IfaxError } from '../errors.js';
import { PAPER_NAMES, PAPERS, isPaperName, scanWidth, type PaperName, type PaperSheet } from '../fax/vocabulary.js';

export { PAPERS, PAPER_NAMES } from '../fax/vocabulary.js';
/** A paper size: its sheet in millimetres, and its T.4 scan width class (the vocabulary's PaperSheet). */
export type PaperSize = PaperSheet;

function paperOf(paper: PaperName): PaperSheet {
  if (!isPaperName(paper)) {
    throw new IfaxError('USAGE', `Choosing the paper failed: ${JSON.stringify(paper)} is not a paper size`, {
      hint: `Use one of ${PAPER_NAMES.join(', ')}.`,
      context: { paper },
    });
  }
  return PAPERS[paper];
}

/**
 * The page width in pixels of `paper` at horizontal resolution `xDpi`: the T.4 scan width
 * (1728 / 2048 / 2432 at 200-204 dpi, 2592 / 3072 / 3648 at 300, 3456 / 4096 / 4864 at
 * 400-408, 4960 / 6071 / 7016 at 600; src/fax/vocabulary.ts SCAN_WIDTHS). Throws USAGE for
 * any other resolution: fax pages have no other widths, and a made-up width would be refused
 * by the receiving device.
 */
export function paperWidthPx(paper: PaperName, xDpi: number): number {
  paperOf(paper);
  const width = scanWidth(paper, xDpi);
  if (width === undefined) {
    throw new IfaxError('USAGE', `Choosing the page width failed: ${JSON.stringify(xDpi)} dpi is not a fax horizontal resolution`, {
      hint: 'Fax pages are 200/204, 300, 400/408 or 600 dpi wide.',
      context: { paper, xDpi },
    });
  }
  return width;
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
