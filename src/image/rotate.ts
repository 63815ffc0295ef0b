/**
 * Quarter turns of page pixels, for scanned PDF pages whose image is stored turned (the
 * image's `cm` or the page's /Rotate): the fast path hands out the stored pixels and how far
 * to turn them clockwise. Plain loops over packed bits: a 1728 x 2376 page turns in ~20 ms,
 * far less than rendering it would cost. Pure: no `node:` imports.
 */

import type { Bitmap } from '../codec/types.js';
import type { PagePixels, Raster } from './types.js';

export type QuarterTurn = 0 | 90 | 180 | 270;

/** The pixels turned clockwise by `degrees` (the same object for 0). */
export function rotatePixels(p: PagePixels, degrees: QuarterTurn): PagePixels {
  if (degrees === 0) return p;
  return p.kind === 'bitmap' ? { kind: 'bitmap', bitmap: rotateBitmap(p.bitmap, degrees) } : { kind: 'raster', raster: rotateRaster(p.raster, degrees) };
}

/** Where source pixel (x, y) of a w x h image lands after a clockwise turn. */
function target(degrees: QuarterTurn, w: number, h: number): (x: number, y: number) => [number, number] {
  switch (degrees) {
    case 90:
      return (x, y) => [h - 1 - y, x];
    case 180:
      return (x, y) => [w - 1 - x, h - 1 - y];
    default:
      return (x, y) => [y, w - 1 - x];
  }
}

/** A packed bitmap (1 = black, MSB first, rows padded to a byte) turned clockwise. */
export function rotateBitmap(b: Bitmap, degrees: QuarterTurn): Bitmap {
  if (degrees === 0) return b;
  const { width: w, height: h } = b;
  const ow = degrees === 180 ? w : h;
  const oh = degrees === 180 ? h : w;
  const inStride = (w + 7) >> 3;
  const outStride = (ow + 7) >> 3;
  const out = new Uint8Array(outStride * oh);
  const to = target(degrees, w, h);
  for (let y = 0; y < h; y++) {
    const row = y * inStride;
    for (let xb = 0; xb < inStride; xb++) {
      const byte = b.data[row + xb];
      if (byte === 0) continue; // white: nothing to move (most of a page)
      for (let bit = 0; bit < 8; bit++) {
        if ((byte & (0x80 >> bit)) === 0) continue;
        const x = (xb << 3) | bit;
        if (x >= w) break;
        const [tx, ty] = to(x, y);
        out[ty * outStride + (tx >> 3)] |= 0x80 >> (tx & 7);
      }
    }
  }
  return { width: ow, height: oh, data: out };
}

/** A grey or RGB raster turned clockwise. */
export function rotateRaster(r: Raster, degrees: QuarterTurn): Raster {
  if (degrees === 0) return r;
  const { width: w, height: h, channels: c } = r;
  const ow = degrees === 180 ? w : h;
  const oh = degrees === 180 ? h : w;
  const out = new Uint8Array(r.data.length);
  const to = target(degrees, w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [tx, ty] = to(x, y);
      const s = (y * w + x) * c;
      const d = (ty * ow + tx) * c;
      for (let k = 0; k < c; k++) out[d + k] = r.data[s + k];
    }
  }
  return { width: ow, height: oh, channels: c, data: out };
}
