/**
 * Grey to bilevel for fax pages: a plain threshold (given, or Otsu's), Floyd–Steinberg error
 * diffusion, a clustered-dot ordered screen, and `auto`, which finds photo regions and
 * screens only those, so that text and line art keep the sharp edges of a threshold.
 *
 * Everything works on typed arrays with no allocation per pixel: a 1728 x 2292 fine page is a
 * few tens of milliseconds in any mode. Output is a Bitmap (1 = black, MSB first, rows padded).
 */

import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { findPhotoRegions, photoBands } from './photo-regions.js';
import type { HalftoneMode, Raster } from './types.js';

/** The threshold when the page is not two-toned (Otsu has nothing to split): 50% grey. */
export const DEFAULT_THRESHOLD = 128;

/**
 * Otsu's threshold is used only when the two classes it finds differ by at least this much in
 * mean grey level. A blank scan (paper noise 235-255) has no dark mode; Otsu would split the
 * noise and print half the paper grain as black speckles.
 */
const OTSU_MIN_SEPARATION = 48;

/**
 * Otsu's result is kept inside this range: a threshold at 20 drops all but the blackest ink,
 * one at 240 turns paper grain black. Pages needing that pass an explicit threshold.
 */
const OTSU_RANGE: readonly [number, number] = [40, 215];

/**
 * Adds the levels of grey[from, to) to `h4`: four partial histograms of 256 bins each (merge
 * with mergeHistogram), because runs of equal pixels (paper) would otherwise serialise on
 * one counter.
 */
function histogram4(grey: Uint8Array, h4: Uint32Array, from: number, to: number): void {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    h4[grey[i]]++;
    h4[256 + grey[i + 1]]++;
    h4[512 + grey[i + 2]]++;
    h4[768 + grey[i + 3]]++;
  }
  for (; i < to; i++) h4[grey[i]]++;
}

function mergeHistogram(h4: Uint32Array): Uint32Array {
  const hist = new Uint32Array(256);
  for (let v = 0; v < 256; v++) hist[v] = h4[v] + h4[256 + v] + h4[512 + v] + h4[768 + v];
  return hist;
}

/**
 * Otsu's threshold of a histogram (256 bins): the level t that maximises the between-class
 * variance of [0, t) and [t, 256). Returned in the sense of `toBilevel`: grey < t is black.
 * Falls back to DEFAULT_THRESHOLD when the page is not two-toned (see OTSU_MIN_SEPARATION).
 */
export function otsuFromHistogram(hist: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v];
    sumAll += v * hist[v];
  }
  if (total === 0) return DEFAULT_THRESHOLD;
  let w0 = 0;
  let sum0 = 0;
  let best = -1;
  let first = DEFAULT_THRESHOLD;
  let last = DEFAULT_THRESHOLD;
  let bestSep = 0;
  for (let t = 1; t < 256; t++) {
    // Class 0 = levels [0, t).
    w0 += hist[t - 1];
    sum0 += (t - 1) * hist[t - 1];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0;
    const m1 = (sumAll - sum0) / w1;
    const between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      bestSep = m1 - m0;
      first = last = t;
    } else if (between === best) {
      // Levels in an empty gap between two modes are equally good: remember the whole run.
      last = t;
    }
  }
  if (bestSep < OTSU_MIN_SEPARATION) return DEFAULT_THRESHOLD;
  // Cut midway through the gap, not at its dark end: fainter ink still counts as ink.
  const bestT = (first + last + 1) >> 1;
  return Math.min(OTSU_RANGE[1], Math.max(OTSU_RANGE[0], bestT));
}

/** Otsu's threshold of a grey image (see otsuFromHistogram). */
export function otsuThreshold(grey: Uint8Array): number {
  const h4 = new Uint32Array(1024);
  histogram4(grey, h4, 0, grey.length);
  return otsuFromHistogram(mergeHistogram(h4));
}

/**
 * A 45° clustered-dot screen in an 8 x 8 tile: two dots per tile, at 204 dpi a 36-lines-per-inch
 * screen with 65 grey levels. Clustered dots survive fax coding (long runs: a third of
 * the bytes of error diffusion with MH, PERFORMANCE.md) and printing on thermal paper, where
 * single dispersed pixels smear or vanish. Built from the spot function cos x · cos y, so a dot
 * grows round from its centre until it meets its neighbours at 50%.
 * Entry = the grey level below which the pixel is black.
 */
export const CLUSTERED_DOT_8: Uint8Array = (() => {
  const n = 8;
  const cells: { i: number; s: number }[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const s = Math.cos((2 * Math.PI * (x + 0.5)) / n) * Math.cos((2 * Math.PI * (y + 0.5)) / n);
      // Break ties between the two dots of the tile alternately, so both grow together.
      const tie = ((x < n / 2) === (y < n / 2) ? 1 : -1) * 1e-9 * (y * n + x);
      cells.push({ i: y * n + x, s: s + tie });
    }
  }
  // The highest spot values darken first: they get the highest thresholds.
  cells.sort((a, b) => b.s - a.s);
  const m = new Uint8Array(n * n);
  cells.forEach((c, rank) => {
    m[c.i] = Math.round(255 - ((rank + 0.5) * 255) / (n * n));
  });
  return m;
})();

function notGrey(grey: Raster): IfaxError {
  return new IfaxError('INTERNAL', `Halftoning failed: the raster has ${grey.channels} channels; halftoning takes grey (1 channel)`, {
    context: { channels: grey.channels },
  });
}

function checkThreshold(threshold: number | undefined): void {
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 0 && threshold <= 255)) {
    throw new IfaxError('USAGE', `Halftoning failed: threshold ${JSON.stringify(threshold)} is not a whole number from 0 to 255`, {
      context: { threshold },
    });
  }
}

/**
 * Row y, columns [a, b), into `out` (which starts white): black where grey < thr[x & 7]. A
 * constant `thr` is a threshold, a row of CLUSTERED_DOT_8 the screen. Bit k of each output byte
 * is x & 7 = k, so whole bytes are built in registers, 8 pixels at a time.
 */
function spanInto(data: Uint8Array, width: number, out: Uint8Array, stride: number, y: number, a: number, b: number, thr: Uint8Array): void {
  const src = y * width;
  const row = y * stride;
  let x = a;
  for (; x < b && (x & 7) !== 0; x++) if (data[src + x] < thr[x & 7]) out[row + (x >> 3)] |= 0x80 >> (x & 7);
  const t0 = thr[0];
  const t1 = thr[1];
  const t2 = thr[2];
  const t3 = thr[3];
  const t4 = thr[4];
  const t5 = thr[5];
  const t6 = thr[6];
  const t7 = thr[7];
  for (; x + 8 <= b; x += 8) {
    const p = src + x;
    out[row + (x >> 3)] =
      (data[p] < t0 ? 0x80 : 0) |
      (data[p + 1] < t1 ? 0x40 : 0) |
      (data[p + 2] < t2 ? 0x20 : 0) |
      (data[p + 3] < t3 ? 0x10 : 0) |
      (data[p + 4] < t4 ? 0x08 : 0) |
      (data[p + 5] < t5 ? 0x04 : 0) |
      (data[p + 6] < t6 ? 0x02 : 0) |
      (data[p + 7] < t7 ? 0x01 : 0);
  }
  for (; x < b; x++) if (data[src + x] < thr[x & 7]) out[row + (x >> 3)] |= 0x80 >> (x & 7);
}

/** The 8 entries of the screen for row y (a view, no copy). */
const screenRow = (y: number): Uint8Array => CLUSTERED_DOT_8.subarray((y & 7) << 3, ((y & 7) << 3) + 8);

/** A constant threshold as the 8 entries spanInto takes. */
const constRow = (t: number): Uint8Array => new Uint8Array(8).fill(t);

function thresholdAll(grey: Raster, out: Bitmap, t: number): void {
  const stride = (grey.width + 7) >> 3;
  const thr = constRow(t);
  for (let y = 0; y < grey.height; y++) spanInto(grey.data, grey.width, out.data, stride, y, 0, grey.width, thr);
}

function orderedAll(grey: Raster, out: Bitmap): void {
  const stride = (grey.width + 7) >> 3;
  for (let y = 0; y < grey.height; y++) spanInto(grey.data, grey.width, out.data, stride, y, 0, grey.width, screenRow(y));
}

/**
 * Floyd–Steinberg error diffusion (7/16 ahead, 3/16 5/16 1/16 below) with serpentine rows, which
 * avoids the diagonal "worms" of left-to-right-only scanning. Errors are kept ×16 in two Int32
 * rows; pixels are compared against 128.
 */
function diffuseInto(grey: Raster, out: Bitmap): void {
  const { width, height, data } = grey;
  const stride = (width + 7) >> 3;
  // Two error rows with a guard cell on each side, so x-1 and x+1 never need a bounds check.
  let cur = new Int32Array(width + 2);
  let next = new Int32Array(width + 2);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const row = y * stride;
    const ltr = (y & 1) === 0;
    const dir = ltr ? 1 : -1;
    let x = ltr ? 0 : width - 1;
    for (let i = 0; i < width; i++, x += dir) {
      const e = x + 1; // index in the error rows
      const v = data[src + x] * 16 + cur[e];
      let err: number;
      if (v < 128 * 16) {
        out.data[row + (x >> 3)] |= 0x80 >> (x & 7);
        err = v;
      } else {
        err = v - 255 * 16;
      }
      // err is in 1/16 units already; spread it as 7, 3, 5, 1 sixteenths.
      cur[e + dir] += (err * 7) >> 4;
      next[e - dir] += (err * 3) >> 4;
      next[e] += (err * 5) >> 4;
      next[e + dir] += err >> 4;
    }
    const t = cur;
    cur = next;
    next = t;
    next.fill(0);
  }
}

/**
 * A grey raster (channels 1; 0 black, 255 white) to a bilevel Bitmap.
 * - `threshold`: grey < `threshold` is black; without one, Otsu's threshold of the page
 *   (DEFAULT_THRESHOLD 128 when the page is not two-toned).
 * - `diffusion`: Floyd–Steinberg, serpentine; `threshold` is not used.
 * - `ordered`: the 8 x 8 clustered-dot screen CLUSTERED_DOT_8; `threshold` is not used.
 * - `auto`: photo regions (photo-regions.ts) get the clustered-dot screen, everything else the
 *   threshold (given, or Otsu's over the pixels outside the photos), so text stays sharp.
 * Throws USAGE for a threshold outside 0-255, INTERNAL for a raster
 * that is not grey.
 */
export function toBilevel(grey: Raster, mode: HalftoneMode, threshold?: number): Bitmap {
  if (grey.channels !== 1) throw notGrey(grey);
  checkThreshold(threshold);
  const { width, height } = grey;
  const out: Bitmap = { width, height, data: new Uint8Array(((width + 7) >> 3) * height) };
  switch (mode) {
    case 'threshold':
      thresholdAll(grey, out, threshold ?? otsuThreshold(grey.data));
      return out;
    case 'diffusion':
      diffuseInto(grey, out);
      return out;
    case 'ordered':
      orderedAll(grey, out);
      return out;
    case 'auto':
      return autoInto(grey, out, threshold);
    default:
      throw new IfaxError('USAGE', `Halftoning failed: ${JSON.stringify(mode)} is not a halftone mode`, {
        hint: 'Use auto, threshold, diffusion or ordered.',
      });
  }
}

function autoInto(grey: Raster, out: Bitmap, threshold: number | undefined): Bitmap {
  const { width, data } = grey;
  const bands = photoBands(findPhotoRegions(grey), grey.height);
  let t = threshold;
  if (t === undefined) {
    // Otsu over what is not photo: the photo's greys would pull the cut away from the ink.
    const h4 = new Uint32Array(1024);
    for (const band of bands) {
      for (let y = band.y0; y < band.y1; y++) {
        let x = 0;
        for (let i = 0; i < band.spans.length; i += 2) {
          histogram4(data, h4, y * width + x, y * width + band.spans[i]);
          x = band.spans[i + 1];
        }
        histogram4(data, h4, y * width + x, (y + 1) * width);
      }
    }
    t = otsuFromHistogram(mergeHistogram(h4));
  }
  const stride = (width + 7) >> 3;
  const thr = constRow(t);
  for (const band of bands) {
    for (let y = band.y0; y < band.y1; y++) {
      let x = 0;
      const screen = screenRow(y);
      for (let i = 0; i < band.spans.length; i += 2) {
        spanInto(data, width, out.data, stride, y, x, band.spans[i], thr);
        spanInto(data, width, out.data, stride, y, band.spans[i], band.spans[i + 1], screen);
        x = band.spans[i + 1];
      }
      spanInto(data, width, out.data, stride, y, x, width, thr);
    }
  }
  return out;
}
