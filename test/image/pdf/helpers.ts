/** Fixtures and independent oracles (Ghostscript, libtiff, sharp) for the PDF input tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { Bitmap } from '../../../src/codec/types.js';
import type { PagePixels, Raster } from '../../../src/image/types.js';
import { parseP4, toolOk } from '../oracles.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const pdfFixture = (name: string): string => path.resolve(here, '../../fixtures/pdf', name);

/** The ITU chart 1 the scanned fixture was made from (the committed corpus copy). */
export function itu1(): Bitmap {
  const buf = brotliDecompressSync(readFileSync(path.resolve(here, '../../fixtures/corpus/pbm/spandsp-itu/itu1.pbm.br')));
  const [p] = parseP4(buf);
  return { width: p.width, height: p.height, data: new Uint8Array(p.data) };
}

export function pbmFixture(name: string): Bitmap {
  const [p] = parseP4(readFileSync(pdfFixture(name)));
  return { width: p.width, height: p.height, data: new Uint8Array(p.data) };
}

/** Parses one binary PGM (P5) or PPM (P6), comments allowed (Ghostscript writes one). */
export function parsePnm(buf: Buffer): Raster {
  let i = 0;
  const fields: string[] = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    if (buf[i] === 0x23) {
      while (buf[i] !== 0x0a) i++;
      continue;
    }
    let w = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) w += String.fromCharCode(buf[i++]);
    fields.push(w);
  }
  i++;
  const [magic, width, height] = [fields[0], Number(fields[1]), Number(fields[2])];
  const channels = magic === 'P6' ? 3 : 1;
  return { width, height, channels, data: new Uint8Array(buf.subarray(i, i + width * height * channels)) };
}

/** Ghostscript's rendering of one page (1-based) as grey or RGB. */
export function gsRender(file: string, page: number, res: string, device: 'pgmraw' | 'ppmraw' = 'pgmraw'): Raster {
  return parsePnm(
    toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', `-sDEVICE=${device}`, `-r${res}`, `-dFirstPage=${page}`, `-dLastPage=${page}`, '-o', '-', file]),
  );
}

export function bitmapOf(p: PagePixels): Bitmap {
  if (p.kind !== 'bitmap') throw new Error(`expected a bitmap, got a ${p.raster.channels}-channel raster`);
  return p.bitmap;
}

export function rasterOf(p: PagePixels): Raster {
  if (p.kind !== 'raster') throw new Error('expected a raster, got a bitmap');
  return p.raster;
}

export const bit = (b: Bitmap, x: number, y: number): number => (b.data[y * ((b.width + 7) >> 3) + (x >> 3)] >> (7 - (x & 7))) & 1;

/** A bitmap turned clockwise by 90/180/270 degrees. */
export function rotateBitmap(b: Bitmap, rotation: number): Bitmap {
  const w = rotation % 180 === 0 ? b.width : b.height;
  const h = rotation % 180 === 0 ? b.height : b.width;
  const out: Bitmap = { width: w, height: h, data: new Uint8Array(((w + 7) >> 3) * h) };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sx: number;
      let sy: number;
      if (rotation === 90) [sx, sy] = [y, b.height - 1 - x];
      else if (rotation === 180) [sx, sy] = [b.width - 1 - x, b.height - 1 - y];
      else if (rotation === 270) [sx, sy] = [b.width - 1 - y, x];
      else [sx, sy] = [x, y];
      if (bit(b, sx, sy)) out.data[y * ((w + 7) >> 3) + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** Ghostscript's grey render thresholded at 128 into a bitmap. */
export function thresholdRaster(r: Raster): Bitmap {
  const stride = (r.width + 7) >> 3;
  const data = new Uint8Array(stride * r.height);
  for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) if (r.data[(y * r.width + x) * r.channels] < 128) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  return { width: r.width, height: r.height, data };
}

export function sameBitmap(a: Bitmap, b: Bitmap): number {
  if (a.width !== b.width || a.height !== b.height) return -1;
  let diff = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) diff += bit(a, x, y) ^ bit(b, x, y);
  return diff;
}

/** Largest per-sample difference between two rasters of equal shape. */
export function maxDiff(a: Raster, b: Raster): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** Fraction of pixels (over the common area) on which two renders agree after thresholding at 128. */
export function agreement(a: Raster, b: Raster): { all: number; black: number } {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let same = 0;
  let gsBlack = 0;
  let gsBlackFound = 0;
  const dark = (r: Raster, x: number, y: number): boolean => x >= 0 && y >= 0 && x < r.width && y < r.height && r.data[y * r.width + x] < 128;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = dark(b, x, y);
      if (dark(a, x, y) === g) same++;
      if (g) {
        gsBlack++;
        // Anti-aliasing differs at glyph edges: a black pixel of Ghostscript's counts as found
        // when ours has black within one pixel.
        let near = false;
        for (let dy = -1; dy <= 1 && !near; dy++) for (let dx = -1; dx <= 1 && !near; dx++) near = dark(a, x + dx, y + dy);
        if (near) gsBlackFound++;
      }
    }
  }
  return { all: same / (w * h), black: gsBlack === 0 ? 1 : gsBlackFound / gsBlack };
}
