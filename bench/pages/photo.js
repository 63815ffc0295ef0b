// The "photo" test pages of PERFORMANCE.md: a photo-like grey page (a seeded plasma fractal),
// made bilevel two ways: an 8x8 clustered-dot halftone (photo-ht) and Floyd-Steinberg error
// diffusion (photo-fs, the worst case for fax coding: almost no long runs, little vertical
// correlation). Deterministic: a seeded PRNG and only + - * / on doubles.

/** mulberry32: tiny, seedable, good enough for terrain. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GRID_LOG2 = 11;
const GRID = (1 << GRID_LOG2) + 1; // 2049 x 2049 samples
/** Grid units per inch: the page's 11.7 inches span the grid at every resolution. */
const UNITS_PER_INCH = (GRID - 1) / 11.7;

/** Diamond-square plasma, normalised to 0 (black) .. 1 (white). */
export function plasma(seed = 20240314, roughness = 0.55) {
  const rnd = mulberry32(seed);
  const n = GRID;
  const g = new Float32Array(n * n);
  const at = (x, y) => g[y * n + x];
  g[0] = rnd();
  g[n - 1] = rnd();
  g[(n - 1) * n] = rnd();
  g[n * n - 1] = rnd();
  let amp = 1;
  const decay = Math.pow(2, -roughness);
  for (let step = n - 1; step > 1; step >>= 1) {
    const half = step >> 1;
    // diamond: centres of squares
    for (let y = half; y < n; y += step) {
      for (let x = half; x < n; x += step) {
        const avg = (at(x - half, y - half) + at(x + half, y - half) + at(x - half, y + half) + at(x + half, y + half)) / 4;
        g[y * n + x] = avg + (rnd() - 0.5) * amp;
      }
    }
    // square: edge midpoints
    for (let y = 0; y < n; y += half) {
      for (let x = (y / half) % 2 === 0 ? half : 0; x < n; x += step) {
        let sum = 0;
        let cnt = 0;
        if (x >= half) { sum += at(x - half, y); cnt++; }
        if (x + half < n) { sum += at(x + half, y); cnt++; }
        if (y >= half) { sum += at(x, y - half); cnt++; }
        if (y + half < n) { sum += at(x, y + half); cnt++; }
        g[y * n + x] = sum / cnt + (rnd() - 0.5) * amp;
      }
    }
    amp *= decay;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < g.length; i++) {
    if (g[i] < min) min = g[i];
    if (g[i] > max) max = g[i];
  }
  const scale = 1 / (max - min);
  for (let i = 0; i < g.length; i++) g[i] = (g[i] - min) * scale;
  return g;
}

/** Classic 8x8 clustered-dot threshold matrix (two dots per cell, 45 degrees), values 0..63. */
const CLUSTER8 = [
  24, 10, 12, 26, 35, 47, 49, 37,
  8, 0, 2, 14, 45, 59, 61, 51,
  22, 6, 4, 16, 43, 57, 63, 53,
  30, 20, 18, 28, 33, 41, 55, 39,
  34, 46, 48, 36, 25, 11, 13, 27,
  44, 58, 60, 50, 9, 1, 3, 15,
  42, 56, 62, 52, 23, 7, 5, 17,
  32, 40, 54, 38, 31, 21, 19, 29,
];

/**
 * Renders the plasma at a device resolution and returns both bilevel versions:
 * { ht, fs } Bitmaps (packed P4 rows, 1 = black).
 */
export function photoPages(grid, width, height, xdpi, ydpi) {
  const stride = (width + 7) >> 3;
  const ht = new Uint8Array(stride * height);
  const fs = new Uint8Array(stride * height);
  // bilinear sampling positions per column
  const gx0 = new Int32Array(width);
  const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const u = Math.min(((x + 0.5) / xdpi) * UNITS_PER_INCH, GRID - 1.0001);
    gx0[x] = Math.floor(u);
    fx[x] = u - gx0[x];
  }
  const dark = new Float32Array(width);
  let errCur = new Float32Array(width + 2);
  let errNext = new Float32Array(width + 2);
  for (let y = 0; y < height; y++) {
    const v = Math.min(((y + 0.5) / ydpi) * UNITS_PER_INCH, GRID - 1.0001);
    const gy = Math.floor(v);
    const fy = v - gy;
    const r0 = gy * GRID;
    const r1 = r0 + GRID;
    for (let x = 0; x < width; x++) {
      const i = gx0[x];
      const a = grid[r0 + i] + (grid[r0 + i + 1] - grid[r0 + i]) * fx[x];
      const b = grid[r1 + i] + (grid[r1 + i + 1] - grid[r1 + i]) * fx[x];
      dark[x] = 1 - (a + (b - a) * fy);
    }
    const row = y * stride;
    // clustered-dot halftone: about dark*64 of each cell's 64 pixels are black
    const m = (y & 7) * 8;
    for (let x = 0; x < width; x++) {
      if (dark[x] * 64 > CLUSTER8[m + (x & 7)] + 0.5) ht[row + (x >> 3)] |= 0x80 >> (x & 7);
    }
    // Floyd-Steinberg, left to right; err arrays are offset by one column
    errNext.fill(0);
    for (let x = 0; x < width; x++) {
      const val = dark[x] + errCur[x + 1];
      const out = val >= 0.5 ? 1 : 0;
      if (out) fs[row + (x >> 3)] |= 0x80 >> (x & 7);
      const e = val - out;
      errCur[x + 2] += e * (7 / 16);
      errNext[x] += e * (3 / 16);
      errNext[x + 1] += e * (5 / 16);
      errNext[x + 2] += e * (1 / 16);
    }
    const t = errCur;
    errCur = errNext;
    errNext = t;
  }
  return { ht: { width, height, data: ht }, fs: { width, height, data: fs } };
}
