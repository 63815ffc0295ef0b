/**
 * Grey and colour pixels to black and white at their own size: Rec. 601 luma (what a fax
 * scanner's grey channel is), then the halftone the page asks for (halftone.ts).
 */

import type { Bitmap } from '../codec/types.js';
import { toBilevel } from './halftone.js';
import type { BilevelOptions } from './source-page.js';
import type { PagePixels, Raster } from './types.js';

/** Rec. 601 luma. Grey rasters are returned as they are. */
export function greyOf(r: Raster): Raster {
  if (r.channels === 1) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n);
  const d = r.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (d[j] * 299 + d[j + 1] * 587 + d[j + 2] * 114 + 500) / 1000;
  return { width: r.width, height: r.height, channels: 1, data: out };
}

/** Pixels as a bitmap at their own size: halftoned (auto unless told) when grey or colour. */
export function bilevelOf(p: PagePixels, opts: BilevelOptions = {}): Bitmap {
  return p.kind === 'bitmap' ? p.bitmap : toBilevel(greyOf(p.raster), opts.halftone ?? 'auto', opts.threshold);
}
