/**
 * PNG in and out for fax pages.
 * In: any PNG sharp (libvips) reads, composited on white, to 8-bit luminance, then thresholded
 * at 50% (a pixel darker than 128 of 255 is black). The size from the header (IHDR, via sharp's
 * metadata) is checked against src/limits.ts before anything is decoded.
 * Out: a 1-bit greyscale PNG written here (PNG 1.2 / RFC 2083: IHDR bit depth 1, colour type
 * 0; pHYs for the resolution; one zlib IDAT; filter 0 on every row), because a 1-bit page is
 * our Bitmap inverted (PNG grey 0 = black) and going through sharp would first expand it to
 * 8 bits per pixel (70 MB for an A3 page at 600 dpi).
 */

import { deflateSync } from 'node:zlib';
import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_PIXELS_PER_PAGE, MAX_WIDTH } from '../limits.js';
import { loadSharp } from './sharp.js';

/** A decoded PNG page. */
export interface PngPage {
  bitmap: Bitmap;
  /** Pixels per inch from pHYs, when the file has one (sharp reports one value for both axes). */
  density: number | undefined;
}

/** Threshold: luminance (0..255) below this is black. 50% as the issue asks. */
export const PNG_THRESHOLD = 128;

function pngError(code: 'DATA_INVALID' | 'LIMIT_EXCEEDED', name: string, reason: string, context: Record<string, unknown> = {}, cause?: unknown): IfaxError {
  return new IfaxError(code, `Reading PNG ${JSON.stringify(name)} failed: ${reason}`, { context: { file: name, ...context }, cause });
}

/** Throws LIMIT_EXCEEDED naming the limit when a header's size is too large to decode. */
export function checkPngLimits(name: string, width: number, height: number): void {
  const over = (limit: string, max: number, value: number, what: string): IfaxError =>
    pngError('LIMIT_EXCEEDED', name, `${what} ${value} exceeds ${limit} (${max})`, { limit, max, value });
  if (width > MAX_WIDTH) throw over('MAX_WIDTH', MAX_WIDTH, width, 'width');
  if (height > MAX_HEIGHT) throw over('MAX_HEIGHT', MAX_HEIGHT, height, 'height');
  if (width * height > MAX_PIXELS_PER_PAGE) throw over('MAX_PIXELS_PER_PAGE', MAX_PIXELS_PER_PAGE, width * height, 'pixel count');
}

/**
 * Decodes a PNG into a bilevel Bitmap: alpha composited on white, luminance < 128 is black.
 * Throws DATA_INVALID (not a PNG, damaged), LIMIT_EXCEEDED (header size, before decoding).
 */
export async function readPng(bytes: Uint8Array, name: string): Promise<PngPage> {
  const sharp = await loadSharp();
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // sharp's own pixel limit is a second guard; ours (below) names the limit.
  const options = { limitInputPixels: MAX_PIXELS_PER_PAGE };
  let meta;
  try {
    // No pixel limit for the header read: sharp would refuse with its own message; ours names the limit.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw pngError('DATA_INVALID', name, `the image header cannot be read (${messageOf(err)})`, {}, err);
  }
  if (meta.format !== 'png') throw pngError('DATA_INVALID', name, `the data is ${meta.format ?? 'unknown'}, not PNG`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw pngError('DATA_INVALID', name, `the image is ${width} x ${height} pixels`);
  checkPngLimits(name, width, height);

  let grey: Buffer;
  let info;
  try {
    ({ data: grey, info } = await sharp(input, options)
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .greyscale()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw pngError('DATA_INVALID', name, `the image data cannot be decoded (${messageOf(err)})`, {}, err);
  }
  if (info.width !== width || info.height !== height || info.channels < 1) {
    throw pngError('DATA_INVALID', name, `the decoder returned ${info.width} x ${info.height} x ${info.channels}, the header says ${width} x ${height}`);
  }
  const bitmap = thresholdGrey(grey, width, height, info.channels);
  const density = typeof meta.density === 'number' && meta.density > 0 ? meta.density : undefined;
  return { bitmap, density };
}

/** 8-bit samples (first channel of `channels`) -> Bitmap; below PNG_THRESHOLD is black. */
export function thresholdGrey(grey: Uint8Array, width: number, height: number, channels = 1): Bitmap {
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  let p = 0;
  for (let y = 0; y < height; y++) {
    const rowStart = y * stride;
    for (let x = 0; x < width; x++, p += channels) {
      if (grey[p] < PNG_THRESHOLD) data[rowStart + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

// ---- output ----

let crcTable: Uint32Array | undefined;

/** CRC-32 as PNG (and zlib) define it (RFC 2083 §3.4). */
function crc32(parts: Uint8Array[]): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const part of parts) for (let i = 0; i < part.length; i++) c = crcTable[(c ^ part[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  const typeBytes = new TextEncoder().encode(type);
  out.set(typeBytes, 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32([typeBytes, body]));
  return out;
}

/**
 * A 1-bit greyscale PNG of `bitmap`, with pHYs when the resolution (pixels per inch) is known.
 * Black stays black: PNG grey 0 is black, so each byte is inverted.
 */
export function encodePng(bitmap: Bitmap, xRes?: number, yRes?: number): Uint8Array {
  const { width, height } = bitmap;
  const stride = Math.ceil(width / 8);
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0, src = 0, dst = 0; y < height; y++) {
    raw[dst++] = 0; // filter type None: bilevel rows gain little from filters
    for (let i = 0; i < stride; i++) raw[dst++] = ~bitmap.data[src++] & 0xff;
  }
  const ihdr = new Uint8Array(13);
  const iv = new DataView(ihdr.buffer);
  iv.setUint32(0, width);
  iv.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (xRes && yRes && xRes > 0 && yRes > 0) {
    const phys = new Uint8Array(9);
    const pv = new DataView(phys.buffer);
    pv.setUint32(0, Math.round(xRes / 0.0254));
    pv.setUint32(4, Math.round(yRes / 0.0254));
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
