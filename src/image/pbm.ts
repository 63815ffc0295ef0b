/**
 * netpbm PBM (pbm(5), Netpbm 11): the plain (P1) and raw (P4) formats, read and P4 written.
 * A file may hold several images one after another, as netpbm's tools concatenate them
 * ("pnmcat -tb" aside, `cat a.pbm b.pbm` is a two-image file); each is one fax page.
 * Header rules as netpbm's reader applies them: "P1"/"P4", whitespace, width, whitespace,
 * height, then exactly one whitespace character before raster data; a '#' comment runs to the
 * end of its line and may appear anywhere in the header (also as that last "whitespace").
 * P4 raster = rows of ceil(width / 8) bytes, MSB first, 1 = black: the codec's Bitmap layout,
 * so a raw image is copied, not converted. P1 raster = '0'/'1' characters, whitespace and
 * comments optional between them.
 * Sizes are checked against src/limits.ts from the header, before any bitmap is allocated.
 */

import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_PAGES, MAX_PIXELS_PER_PAGE, MAX_WIDTH } from '../limits.js';
import { isPnmSpace } from './sniff.js';

/** Random access to a file's bytes, so that a large PBM is read image by image. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: reads up to target.length bytes at `offset` straight into `target`; returns how
   * many. Saves a copy (and an allocation) per chunk of a large raster.
   */
  readInto?(offset: number, target: Uint8Array): number;
}

/** A ByteSource over bytes already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/** Where one image of a PBM file is, from its header; found by `scanPbm`. */
export interface PbmImageInfo {
  /** 0-based position in the file. */
  index: number;
  format: 'P1' | 'P4';
  width: number;
  height: number;
  /** Offset of the raster (the byte after the header's last whitespace). */
  dataOffset: number;
  /** Offset just past this image's raster. */
  endOffset: number;
}

/** What `scanPbm` found: the images, and leniencies (trailing junk) as sentences. */
export interface PbmScan {
  images: PbmImageInfo[];
  warnings: string[];
}

const CHUNK = 64 * 1024;

/** A byte cursor over a ByteSource, reading in chunks. */
class Cursor {
  pos: number;
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;

  constructor(
    private readonly src: ByteSource,
    pos: number,
  ) {
    this.pos = pos;
  }

  peek(): number {
    if (this.pos >= this.src.size) return -1;
    const i = this.pos - this.bufStart;
    if (i < 0 || i >= this.buf.length) {
      this.buf = this.src.read(this.pos, CHUNK);
      this.bufStart = this.pos;
      if (this.buf.length === 0) return -1;
      return this.buf[0];
    }
    return this.buf[i];
  }

  next(): number {
    const c = this.peek();
    if (c >= 0) this.pos++;
    return c;
  }
}

function fail(name: string, image: number, reason: string, context: Record<string, unknown> = {}): IfaxError {
  return new IfaxError('DATA_INVALID', `Reading PBM ${JSON.stringify(name)} failed: image ${image + 1}: ${reason}`, {
    context: { file: name, image: image + 1, ...context },
  });
}

/** Skips a comment: from '#' to the end of its line (the newline included). */
function skipComment(cur: Cursor): void {
  for (let c = cur.next(); c !== -1 && c !== 0x0a && c !== 0x0d; c = cur.next()) {
    /* skip */
  }
}

/** Skips whitespace and comments (netpbm's pm_getc treats a comment as whitespace). */
function skipSpace(cur: Cursor): void {
  for (;;) {
    const c = cur.peek();
    if (c === 0x23) {
      cur.next();
      skipComment(cur);
    } else if (isPnmSpace(c)) {
      cur.next();
    } else {
      return;
    }
  }
}

/** Reads a header number; 11+ digits is reported as a limit, not parsed into a huge value. */
function readNumber(cur: Cursor, name: string, image: number, what: string): number {
  skipSpace(cur);
  let value = 0;
  let digits = 0;
  for (let c = cur.peek(); c >= 0x30 && c <= 0x39; c = cur.peek()) {
    cur.next();
    if (digits < 10) value = value * 10 + (c - 0x30);
    digits++;
  }
  if (digits === 0) {
    const c = cur.peek();
    const seen = c === -1 ? 'the end of the file' : `byte ${JSON.stringify(String.fromCharCode(c))}`;
    throw fail(name, image, `the header's ${what} is missing (found ${seen})`);
  }
  return digits > 10 ? Number.MAX_SAFE_INTEGER : value;
}

/** Throws LIMIT_EXCEEDED naming the limit for a header that claims an absurd size. */
export function checkPbmLimits(name: string, image: number, width: number, height: number): void {
  const over = (limit: string, max: number, value: number, what: string): IfaxError =>
    new IfaxError(
      'LIMIT_EXCEEDED',
      `Reading PBM ${JSON.stringify(name)} failed: image ${image + 1}: ${what} ${value} exceeds ${limit} (${max})`,
      { context: { file: name, image: image + 1, limit, max, value } },
    );
  if (width === 0 || height === 0) throw fail(name, image, `the image is ${width} x ${height} pixels`, { width, height });
  if (width > MAX_WIDTH) throw over('MAX_WIDTH', MAX_WIDTH, width, 'width');
  if (height > MAX_HEIGHT) throw over('MAX_HEIGHT', MAX_HEIGHT, height, 'height');
  if (width * height > MAX_PIXELS_PER_PAGE) throw over('MAX_PIXELS_PER_PAGE', MAX_PIXELS_PER_PAGE, width * height, 'pixel count');
}

/** Reads the header at the cursor ("P1"/"P4" already consumed) and checks the limits. */
function readHeaderRest(cur: Cursor, name: string, image: number): { width: number; height: number } {
  const width = readNumber(cur, name, image, 'width');
  const height = readNumber(cur, name, image, 'height');
  checkPbmLimits(name, image, width, height);
  // Exactly one whitespace character ends the header; a comment here ends at its newline.
  const c = cur.next();
  if (c === 0x23) skipComment(cur);
  else if (!isPnmSpace(c)) {
    throw fail(name, image, c === -1 ? 'the file ends inside the header' : 'the header does not end with whitespace after the height');
  }
  return { width, height };
}

/**
 * Walks a PBM file's images without decoding them: headers, sizes (limits checked) and where
 * each raster is. P4 rasters are skipped by arithmetic; P1 rasters are read through once (text
 * has no fixed size). Throws DATA_INVALID (malformed or truncated, naming the image),
 * LIMIT_EXCEEDED (size from the header), UNSUPPORTED_INPUT (a PGM/PPM/PAM image in the file).
 */
export function scanPbm(src: ByteSource, name: string): PbmScan {
  const images: PbmImageInfo[] = [];
  const warnings: string[] = [];
  const cur = new Cursor(src, 0);
  for (;;) {
    const index = images.length;
    if (index > 0) {
      // netpbm's pnm_nextimage: whitespace between images, then the next magic or the end.
      while (isPnmSpace(cur.peek())) cur.next();
      if (cur.peek() === -1) break;
      if (cur.peek() !== 0x50) {
        warnings.push(`${src.size - cur.pos} byte(s) after image ${index} are not a PBM image; ignored`);
        break;
      }
    }
    const start = cur.pos;
    const p = cur.next();
    const m = cur.next();
    if (p !== 0x50 || (m !== 0x31 && m !== 0x34)) {
      if (p === 0x50 && m >= 0x32 && m <= 0x37) {
        throw new IfaxError(
          'UNSUPPORTED_INPUT',
          `Reading PBM ${JSON.stringify(name)} failed: image ${index + 1} is P${String.fromCharCode(m)} (greyscale or colour netpbm), not a bitmap`,
          { context: { file: name, image: index + 1 }, hint: 'Convert it to PNG (pnmtopng) or to PBM (pamditherbw | pamtopnm).' },
        );
      }
      throw fail(name, index, `no PBM magic number ("P1" or "P4") at byte ${start}`);
    }
    if (index >= MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading PBM ${JSON.stringify(name)} failed: more than MAX_PAGES (${MAX_PAGES}) images`, {
        context: { file: name, limit: 'MAX_PAGES', max: MAX_PAGES },
      });
    }
    const format = m === 0x34 ? 'P4' : 'P1';
    const { width, height } = readHeaderRest(cur, name, index);
    const dataOffset = cur.pos;
    let endOffset: number;
    if (format === 'P4') {
      const bytes = Math.ceil(width / 8) * height;
      endOffset = dataOffset + bytes;
      if (endOffset > src.size) {
        const have = Math.max(0, src.size - dataOffset);
        throw fail(name, index, `the file ends after ${Math.floor(have / Math.ceil(width / 8))} of ${height} rows (${have} of ${bytes} raster bytes)`, {
          width,
          height,
        });
      }
      cur.pos = endOffset;
    } else {
      skipPlainRaster(cur, name, index, width * height);
      endOffset = cur.pos;
    }
    images.push({ index, format, width, height, dataOffset, endOffset });
  }
  return { images, warnings };
}

/** Reads `pixels` P1 pixel characters, failing on anything but '0', '1', whitespace, comments. */
function skipPlainRaster(cur: Cursor, name: string, image: number, pixels: number, sink?: (bit: number) => void): void {
  for (let n = 0; n < pixels; ) {
    const c = cur.next();
    if (c === 0x30 || c === 0x31) {
      if (sink) sink(c - 0x30);
      n++;
    } else if (c === 0x23) {
      skipComment(cur);
    } else if (!isPnmSpace(c)) {
      if (c === -1) throw fail(name, image, `the file ends after ${n} of ${pixels} pixels`);
      throw fail(name, image, `byte ${JSON.stringify(String.fromCharCode(c))} in the plain (P1) raster after ${n} pixels; only "0" and "1" are pixels`);
    }
  }
}

/**
 * Decodes one image found by `scanPbm` into a Bitmap (1 = black, pad bits cleared). The only
 * allocation is the bitmap itself, sized from the checked header (read straight into it when
 * the source can: no 4 MB chunk copies per page).
 */
export function readPbmImage(src: ByteSource, info: PbmImageInfo, name: string): Bitmap {
  const { width, height } = info;
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(stride * height);
  if (info.format === 'P4') {
    let filled = 0;
    while (filled < data.length) {
      const want = Math.min(data.length - filled, 4 * 1024 * 1024);
      let got: number;
      if (src.readInto) {
        got = src.readInto(info.dataOffset + filled, data.subarray(filled, filled + want));
      } else {
        const chunk = src.read(info.dataOffset + filled, want);
        data.set(chunk, filled);
        got = chunk.length;
      }
      if (got === 0) throw fail(name, info.index, 'the file ended while reading the raster (was it changed?)');
      filled += got;
    }
    clearPadBits(data, width, height);
  } else {
    let i = 0;
    const cur = new Cursor(src, info.dataOffset);
    skipPlainRaster(cur, name, info.index, width * height, (bit) => {
      const row = Math.floor(i / width);
      const col = i - row * width;
      if (bit) data[row * stride + (col >> 3)] |= 0x80 >> (col & 7);
      i++;
    });
  }
  return { width, height, data };
}

/** netpbm ignores the pad bits of a P4 row; the Bitmap contract wants them 0. */
function clearPadBits(data: Uint8Array, width: number, height: number): void {
  const stride = Math.ceil(width / 8);
  const pad = stride * 8 - width;
  if (pad === 0) return;
  const mask = (0xff << pad) & 0xff;
  for (let r = 0, i = stride - 1; r < height; r++, i += stride) data[i] &= mask;
}

/** The P4 header of one image ("P4\n<w> <h>\n"); the Bitmap's data follows it unchanged. */
export function pbmHeader(width: number, height: number): Uint8Array {
  return new TextEncoder().encode(`P4\n${width} ${height}\n`);
}

/** One whole P4 image (header + raster) for a Bitmap: concatenate these for a multi-page file. */
export function encodePbm(bitmap: Bitmap): Uint8Array {
  const header = pbmHeader(bitmap.width, bitmap.height);
  const stride = Math.ceil(bitmap.width / 8);
  const out = new Uint8Array(header.length + stride * bitmap.height);
  out.set(header, 0);
  out.set(bitmap.data.subarray(0, stride * bitmap.height), header.length);
  return out;
}
