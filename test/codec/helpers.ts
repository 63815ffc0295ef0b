/**
 * Test helpers for the codec tests: PBM reading/writing, a seeded PRNG, bitmap makers and a
 * minimal TIFF strip extractor (only what is needed to feed corpus fax strips to the codec;
 * the real TIFF reader lives in src/tiff/ and is tested there).
 */

import { readFileSync } from 'node:fs';
import type { Bitmap, FaxCoding } from '../../src/codec/index.js';
import { prng } from '../helpers/prng.js';

export { prng };

export const CORPUS = '/work/shared/corpus';

export function readPbm(path: string): Bitmap {
  return parsePbm(readFileSync(path));
}

export function parsePbm(b: Uint8Array): Bitmap {
  let i = 0;
  const token = (): string => {
    for (;;) {
      while (i < b.length && /\s/.test(String.fromCharCode(b[i]))) i++;
      if (b[i] !== 0x23) break; // '#' comment
      while (i < b.length && b[i] !== 0x0a) i++;
    }
    let s = '';
    while (i < b.length && !/\s/.test(String.fromCharCode(b[i]))) s += String.fromCharCode(b[i++]);
    return s;
  };
  if (token() !== 'P4') throw new Error('not a P4 PBM');
  const width = Number(token());
  const height = Number(token());
  i++; // the single whitespace after the header
  const size = ((width + 7) >> 3) * height;
  return { width, height, data: Uint8Array.from(b.subarray(i, i + size)) };
}

export function toPbm(bm: Bitmap): Uint8Array {
  const header = new TextEncoder().encode(`P4\n${bm.width} ${bm.height}\n`);
  const out = new Uint8Array(header.length + bm.data.length);
  out.set(header);
  out.set(bm.data, header.length);
  return out;
}


export function blank(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(((width + 7) >> 3) * height) };
}

/** Clears the pad bits of every row (bitmaps must have them 0). */
export function clearPad(bm: Bitmap): Bitmap {
  const stride = (bm.width + 7) >> 3;
  const rest = bm.width & 7;
  if (rest !== 0) {
    const mask = (0xff << (8 - rest)) & 0xff;
    for (let y = 0; y < bm.height; y++) bm.data[y * stride + stride - 1] &= mask;
  }
  return bm;
}

export function setPixel(bm: Bitmap, x: number, y: number): void {
  const stride = (bm.width + 7) >> 3;
  bm.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
}

export function getPixel(bm: Bitmap, x: number, y: number): number {
  const stride = (bm.width + 7) >> 3;
  return (bm.data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
}

/** Random noise with the given black density. */
export function noise(width: number, height: number, density: number, rnd: () => number): Bitmap {
  const bm = blank(width, height);
  if (density === 0.5) {
    for (let i = 0; i < bm.data.length; i++) bm.data[i] = Math.floor(rnd() * 256);
    return clearPad(bm);
  }
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (rnd() < density) setPixel(bm, x, y);
  return bm;
}

/** Text-like: random horizontal strokes and blocks, rows often repeating (what 2-D coding likes). */
export function structured(width: number, height: number, rnd: () => number): Bitmap {
  const bm = blank(width, height);
  const blocks = Math.max(1, Math.floor((width * height) / 400));
  for (let b = 0; b < blocks; b++) {
    const x0 = Math.floor(rnd() * width);
    const y0 = Math.floor(rnd() * height);
    const w = 1 + Math.floor(rnd() * Math.min(width, 40));
    const h = 1 + Math.floor(rnd() * Math.min(height, 12));
    const shift = rnd() < 0.3 ? 1 : 0; // slanted edges give vertical modes other than V0
    for (let y = y0; y < Math.min(height, y0 + h); y++) {
      for (let x = x0 + (y - y0) * shift; x < Math.min(width, x0 + w + (y - y0) * shift); x++) setPixel(bm, x, y);
    }
  }
  return bm;
}

/** Alternating pixels: a change at every column (the most changes a row can have). */
export function checker(width: number, height: number): Bitmap {
  const bm = blank(width, height);
  for (let y = 0; y < height; y++) for (let x = (y & 1); x < width; x += 2) setPixel(bm, x, y);
  return bm;
}

export function filled(width: number, height: number): Bitmap {
  const bm = blank(width, height);
  bm.data.fill(0xff);
  return clearPad(bm);
}

export function firstDifference(a: Bitmap, b: Bitmap): string | undefined {
  if (a.width !== b.width || a.height !== b.height) return `size ${a.width}x${a.height} vs ${b.width}x${b.height}`;
  const stride = (a.width + 7) >> 3;
  for (let i = 0; i < stride * a.height; i++) {
    if (a.data[i] !== b.data[i]) return `row ${Math.floor(i / stride)} byte ${i % stride}: ${a.data[i]} vs ${b.data[i]}`;
  }
  return undefined;
}

export interface TiffFaxPage {
  width: number;
  height: number;
  coding: FaxCoding;
  fillOrder: 1 | 2;
  blackIs1: boolean;
  eolFill: boolean;
  rowsPerStrip: number;
  strips: Uint8Array[];
}

/** First IFD of a classic TIFF holding CCITT data: just the tags the codec needs. */
export function readTiffFaxPage(path: string): TiffFaxPage {
  const b = readFileSync(path);
  const le = b[0] === 0x49;
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const ifd = u32(4);
  const count = u16(ifd);
  const tags = new Map<number, number[]>();
  for (let e = 0; e < count; e++) {
    const at = ifd + 2 + e * 12;
    const tag = u16(at);
    const type = u16(at + 2);
    const n = u32(at + 4);
    if (type !== 3 && type !== 4) continue; // only SHORT and LONG tags are needed here
    const size = type === 3 ? 2 : 4;
    const base = n * size <= 4 ? at + 8 : u32(at + 8);
    const values: number[] = [];
    for (let k = 0; k < n; k++) values.push(size === 2 ? u16(base + k * 2) : u32(base + k * 4));
    tags.set(tag, values);
  }
  const one = (tag: number, dflt: number): number => tags.get(tag)?.[0] ?? dflt;
  const width = one(256, 0);
  const height = one(257, 0);
  const compression = one(259, 1);
  const t4 = one(292, 0);
  const offsets = tags.get(273) ?? [];
  const counts = tags.get(279) ?? [];
  const coding: FaxCoding = compression === 4 ? 'MMR' : t4 & 1 ? 'MR' : 'MH';
  return {
    width,
    height,
    coding,
    fillOrder: one(266, 1) === 2 ? 2 : 1,
    blackIs1: one(262, 0) === 0,
    eolFill: (t4 & 4) !== 0,
    rowsPerStrip: Math.min(one(278, height), height),
    strips: offsets.map((o, k) => Uint8Array.from(b.subarray(o, o + (counts[k] || b.length - o)))),
  };
}

/** An uncompressed little-endian TIFF (WhiteIsZero, one strip) of a bitmap, as input for tiffcp. */
export function uncompressedTiff(bm: Bitmap, xResolution = 204, yResolution = 196): Uint8Array {
  const stride = (bm.width + 7) >> 3;
  const entries: [number, number, number][] = [
    [256, 4, bm.width],
    [257, 4, bm.height],
    [258, 3, 1],
    [259, 3, 1],
    [262, 3, 0],
    [273, 4, 0], // patched below
    [277, 3, 1],
    [278, 4, bm.height],
    [279, 4, stride * bm.height],
    [282, 5, 0], // patched below
    [283, 5, 0],
    [296, 3, 2],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationals = 8 + ifdSize;
  const pixels = rationals + 16;
  const out = new Uint8Array(pixels + stride * bm.height);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, 1, true);
    if (tag === 273) value = pixels;
    if (tag === 282) value = rationals;
    if (tag === 283) value = rationals + 8;
    if (type === 3) v.setUint16(at + 8, value, true);
    else v.setUint32(at + 8, value, true);
  });
  v.setUint32(rationals, xResolution, true);
  v.setUint32(rationals + 4, 1, true);
  v.setUint32(rationals + 8, yResolution, true);
  v.setUint32(rationals + 12, 1, true);
  out.set(bm.data.subarray(0, stride * bm.height), pixels);
  return out;
}

/** The pixels of an uncompressed MSB-first WhiteIsZero TIFF (what `tiffcp -c none` writes), all strips. */
export function readUncompressedTiff(path: string): Bitmap {
  const t = readTiffFaxPage(path);
  const stride = (t.width + 7) >> 3;
  const data = new Uint8Array(stride * t.height);
  let at = 0;
  for (const strip of t.strips) {
    data.set(strip.subarray(0, Math.min(strip.length, data.length - at)), at);
    at += strip.length;
  }
  return { width: t.width, height: t.height, data };
}
