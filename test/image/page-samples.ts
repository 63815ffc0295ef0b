/**
 * Deterministic sample pages for the page tests, computed (never downloaded): a seeded
 * "plasma" (octaves of value noise, photo-like smooth grey) and bitmap measurements.
 */
import type { Bitmap } from '../../src/codec/types.js';
import type { Raster } from '../../src/image/types.js';

import { prng } from '../helpers/prng.js';

export { prng };

/** A photo-like grey raster: 5 octaves of bilinear value noise, scaled to grey levels 25..230. */
export function plasma(width: number, height: number, seed = 1): Raster {
  const rnd = prng(seed);
  const acc = new Float32Array(width * height);
  let amp = 1;
  let total = 0;
  for (let cell = Math.max(width, height) / 3; cell >= 8; cell /= 2, amp /= 2) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = new Float32Array(gw * gh).map(() => rnd());
    for (let y = 0; y < height; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      for (let x = 0; x < width; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const a = grid[y0 * gw + x0] * (1 - fx) + grid[y0 * gw + x0 + 1] * fx;
        const b = grid[(y0 + 1) * gw + x0] * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1] * fx;
        acc[y * width + x] += amp * (a * (1 - fy) + b * fy);
      }
    }
    total += amp;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of acc) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(25 + (205 * (acc[i] - lo)) / (hi - lo || total));
  return { width, height, channels: 1, data };
}

/** A white grey raster. */
export function whiteRaster(width: number, height: number, channels: 1 | 3 = 1): Raster {
  return { width, height, channels, data: new Uint8Array(width * height * channels).fill(255) };
}

/** Copies grey `src` into grey `dst` at (x, y). */
export function blit(dst: Raster, src: Raster, x: number, y: number): void {
  for (let r = 0; r < src.height; r++) dst.data.set(src.data.subarray(r * src.width, (r + 1) * src.width), (y + r) * dst.width + x);
}

/** Fills a rectangle of a raster (any channels) with one grey level. */
export function fillRect(r: Raster, x0: number, y0: number, x1: number, y1: number, v: number): void {
  for (let y = y0; y < y1; y++) r.data.fill(v, (y * r.width + x0) * r.channels, (y * r.width + x1) * r.channels);
}

/** Pixel (x, y) of a bitmap: 1 = black. */
export function bitAt(b: Bitmap, x: number, y: number): number {
  return (b.data[y * ((b.width + 7) >> 3) + (x >> 3)] >> (7 - (x & 7))) & 1;
}

/** Black pixels in a rectangle of a bitmap. */
export function blackIn(b: Bitmap, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += bitAt(b, x, y);
  return n;
}

/** Colour changes along row y between x0 and x1 (a halftone has many, a blob none). */
export function transitions(b: Bitmap, y: number, x0: number, x1: number): number {
  let n = 0;
  for (let x = x0 + 1; x < x1; x++) if (bitAt(b, x, y) !== bitAt(b, x - 1, y)) n++;
  return n;
}

/** A bitmap from a predicate. */
export function bitmapOf(width: number, height: number, black: (x: number, y: number) => boolean): Bitmap {
  const stride = (width + 7) >> 3;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (black(x, y)) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  return { width, height, data };
}
