/**
 * Finding the photos on a grey page, for `auto` halftoning (halftone.ts): photos are screened,
 * everything else is thresholded so that text keeps sharp edges. A block classifier, not a
 * layout analysis: cheap (one pass over the page). Known limits: a mid-grey tint behind text
 * (a shaded table header of 12 mm or more) counts as a photo, so its text is screened; a photo
 * that is almost all near-white or near-black is not found and is thresholded.
 */

import { IfaxError } from '../errors.js';
import type { Raster } from './types.js';

/** A rectangle in pixels, [x0, x1) x [y0, y1). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Block size of the photo finder: 16 px is 2 mm at 204 dpi, smaller than a photo, larger than a letter stroke. */
const BLOCK_SHIFT = 4;
const BLOCK = 1 << BLOCK_SHIFT;
/** Grey levels counted as mid-grey: neither ink nor paper. */
const MID_LO = 48;
const MID_HI = 208;
/**
 * A block is photo-like when this share of its pixels is mid-grey. Text, even anti-aliased or
 * scaled down, has mid-grey only along stroke edges (under a third of a block); photos and
 * tints are mostly mid-grey.
 */
const PHOTO_MID_SHARE = 0.5;
/**
 * Smallest photo region, in blocks (6 x 6 blocks = 96 px, 12 mm at 204 dpi): smaller clusters
 * are grey logos, thick anti-aliased headings or scanner dirt, which read better thresholded.
 */
const MIN_PHOTO_BLOCKS = 36;

/**
 * The photo regions of a grey page: blocks of BLOCK px whose pixels are mostly mid-grey,
 * joined into 8-connected clusters; each cluster of at least MIN_PHOTO_BLOCKS blocks becomes
 * its bounding rectangle (photos are rectangles, and their light or dark parts, which are not
 * mid-grey, lie inside the rectangle). Overlapping rectangles are left overlapping.
 */
export function findPhotoRegions(grey: Raster): PixelRect[] {
  if (grey.channels !== 1) {
    throw new IfaxError('INTERNAL', `Finding photo regions failed: the raster has ${grey.channels} channels; it takes grey (1 channel)`, {
      context: { channels: grey.channels },
    });
  }
  const { width, height, data } = grey;
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const mid = new Uint32Array(bw * bh);
  for (let y = 0; y < height; y++) {
    // One flat loop with two comparisons: measured faster than a table lookup or a loop per block.
    const rowBase = (y >> BLOCK_SHIFT) * bw;
    let p = y * width;
    for (let x = 0; x < width; x++, p++) {
      const v = data[p];
      if (v >= MID_LO && v <= MID_HI) mid[rowBase + (x >> BLOCK_SHIFT)]++;
    }
  }
  const photo = new Uint8Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    const rows = Math.min(BLOCK, height - (by << BLOCK_SHIFT));
    for (let bx = 0; bx < bw; bx++) {
      const pixels = rows * Math.min(BLOCK, width - (bx << BLOCK_SHIFT));
      photo[by * bw + bx] = mid[by * bw + bx] >= pixels * PHOTO_MID_SHARE ? 1 : 0;
    }
  }

  // 8-connected components by an explicit stack (no recursion: a full-page photo is 20k blocks).
  const seen = new Uint8Array(bw * bh);
  const stack = new Int32Array(bw * bh);
  const rects: PixelRect[] = [];
  for (let start = 0; start < photo.length; start++) {
    if (!photo[start] || seen[start]) continue;
    let sp = 0;
    stack[sp++] = start;
    seen[start] = 1;
    let n = 0;
    let bx0 = bw;
    let by0 = bh;
    let bx1 = -1;
    let by1 = -1;
    while (sp > 0) {
      const b = stack[--sp];
      n++;
      const bx = b % bw;
      const by = (b / bw) | 0;
      if (bx < bx0) bx0 = bx;
      if (bx > bx1) bx1 = bx;
      if (by < by0) by0 = by;
      if (by > by1) by1 = by;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = by + dy;
        if (ny < 0 || ny >= bh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = bx + dx;
          if (nx < 0 || nx >= bw) continue;
          const nb = ny * bw + nx;
          if (photo[nb] && !seen[nb]) {
            seen[nb] = 1;
            stack[sp++] = nb;
          }
        }
      }
    }
    if (n >= MIN_PHOTO_BLOCKS) {
      rects.push({ x0: bx0 * BLOCK, y0: by0 * BLOCK, x1: Math.min(width, (bx1 + 1) * BLOCK), y1: Math.min(height, (by1 + 1) * BLOCK) });
    }
  }
  return rects;
}

/**
 * The photo spans of each row, by bands of rows with the same spans: [y0, y1) and sorted,
 * merged [x0, x1) pairs. Rectangles may overlap; bands keep the per-row work to a few spans.
 */
export function photoBands(rects: PixelRect[], height: number): Array<{ y0: number; y1: number; spans: number[] }> {
  const cuts = [...new Set([0, height, ...rects.flatMap((r) => [r.y0, r.y1])])].sort((a, b) => a - b);
  const bands: Array<{ y0: number; y1: number; spans: number[] }> = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const y0 = cuts[i];
    const y1 = cuts[i + 1];
    const hits = rects.filter((r) => r.y0 <= y0 && r.y1 >= y1).sort((a, b) => a.x0 - b.x0);
    const spans: number[] = [];
    for (const r of hits) {
      if (spans.length > 0 && r.x0 <= spans[spans.length - 1]) spans[spans.length - 1] = Math.max(spans[spans.length - 1], r.x1);
      else spans.push(r.x0, r.x1);
    }
    bands.push({ y0, y1, spans });
  }
  return bands;
}
