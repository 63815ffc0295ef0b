/**
 * TIFF 6.0 §3 (bilevel images), §9/§10/§11 (Compression 1, 2, 3, 4), §8 FillOrder and
 * PhotometricInterpretation: one page's strips -> one Bitmap (1 = black, what the page looks
 * like). The fax coding itself is src/codec; this file picks its options from the tags,
 * decodes each strip at its row offset (every strip restarts coding, TIFF 6.0 §11) and checks
 * the size limits before anything is allocated.
 * Pure: no `node:` imports.
 */

import { FaxStripDecoder } from '../codec/index.js';
import type { Bitmap, FaxCodecOptions, FaxDiagnostic } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { codingOf } from '../fax/vocabulary.js';
import {
  MAX_DIAGNOSTICS_PER_PAGE,
  MAX_HEIGHT,
  MAX_PIXELS_PER_PAGE,
  MAX_TOTAL_DECODED_BYTES,
  MAX_WIDTH,
} from '../limits.js';
import { reverseBits } from './bits.js';
import { getPage, pageStrips } from './reader.js';
import { Photometric, T4_EOL_FILL, compressionLabel } from './tags.js';
import type { DecodedPage, RawStrip, TiffFile, TiffPage } from './types.js';

/**
 * Decoded bytes per file, for MAX_TOTAL_DECODED_BYTES: it bounds the work one small hostile
 * file can demand over all its pages. A WeakMap keeps TiffFile a plain object.
 */
const decodedBytesByFile = new WeakMap<TiffFile, number>();

/**
 * Throws UNSUPPORTED_INPUT, with the compression and sample layout named, when the page is
 * not a 1-bit image in a compression ifax decodes (1, 2, 3, 4). Such pages (LZW, JPEG,
 * 8-bit grey, colour) are for the image layer to hand to a general decoder.
 */
export function checkDecodable(page: TiffPage): void {
  const where = `Decoding TIFF page ${page.index + 1} failed`;
  const unsupported = (reason: string, hint?: string): IfaxError =>
    new IfaxError('UNSUPPORTED_INPUT', `${where}: ${reason}`, {
      context: { page: page.index + 1, compression: page.compression, bitsPerSample: page.bitsPerSample },
      ...(hint === undefined ? {} : { hint }),
    });
  if (page.tiled) throw unsupported('the page is tiled; fax pages are stored in strips');
  if (page.compression < 1 || page.compression > 4) {
    throw unsupported(
      `compression ${compressionLabel(page.compression)} is not a fax compression ` +
        `(${page.samplesPerPixel} sample(s) x ${page.bitsPerSample} bit)`,
      'Only uncompressed, CCITT RLE, T.4 and T.6 bilevel TIFFs are decoded here; other images go through the image converter.',
    );
  }
  if (page.bitsPerSample !== 1 || page.samplesPerPixel !== 1) {
    throw unsupported(
      `the page has ${page.samplesPerPixel} sample(s) of ${page.bitsPerSample} bit(s) per pixel; only 1-bit bilevel pages are decoded here`,
    );
  }
  const p = page.photometric;
  if (p !== undefined && p !== Photometric.WhiteIsZero && p !== Photometric.BlackIsZero) {
    throw unsupported(`PhotometricInterpretation (262) is ${p}; bilevel pages use 0 (WhiteIsZero) or 1 (BlackIsZero)`);
  }
}

/**
 * Throws LIMIT_EXCEEDED (naming the limit) or TIFF_INVALID for a page whose size is absurd,
 * before any bitmap is allocated: a T.6 stream costs nothing to claim 100k x 100k pixels.
 */
export function checkPageLimits(page: Pick<TiffPage, 'index' | 'width' | 'height'>): void {
  const where = `Decoding TIFF page ${page.index + 1} failed`;
  const { width, height } = page;
  if (width === 0 || height === 0) {
    throw new IfaxError('TIFF_INVALID', `${where}: the page is ${width} x ${height} pixels`, {
      context: { page: page.index + 1, width, height },
    });
  }
  const limit = (name: string, max: number, value: number, what: string): IfaxError =>
    new IfaxError('LIMIT_EXCEEDED', `${where}: ${what} ${value} exceeds ${name} (${max})`, {
      context: { page: page.index + 1, limit: name, max, value },
    });
  if (width > MAX_WIDTH) throw limit('MAX_WIDTH', MAX_WIDTH, width, 'ImageWidth');
  if (height > MAX_HEIGHT) throw limit('MAX_HEIGHT', MAX_HEIGHT, height, 'ImageLength');
  if (width * height > MAX_PIXELS_PER_PAGE) {
    throw limit('MAX_PIXELS_PER_PAGE', MAX_PIXELS_PER_PAGE, width * height, 'pixel count');
  }
}

/** The codec options a TIFF page's tags ask for (TIFF 6.0 §10, §11; RFC 3949 §4.2.2). */
export function faxOptionsForPage(page: TiffPage, rows: number): FaxCodecOptions {
  const base = {
    width: page.width,
    height: rows,
    fillOrder: page.fillOrder,
    blackIs1: page.photometric !== Photometric.BlackIsZero,
  };
  if (page.compression === 2) {
    // Modified Huffman RLE (TIFF 6.0 §10): MH without EOLs, each row starting on a byte
    // boundary. eol: false, because an aligned make-up code can look like a filled EOL.
    return { ...base, coding: 'MH', byteAlign: true, eol: false };
  }
  const coding = codingOf(page);
  if (coding === undefined) {
    throw new IfaxError(
      'UNSUPPORTED_INPUT',
      `Decoding TIFF page ${page.index + 1} failed: compression ${compressionLabel(page.compression)} is not a fax coding`,
      { context: { page: page.index + 1, compression: page.compression } },
    );
  }
  return coding === 'MMR' ? { ...base, coding } : { ...base, coding, eolFill: (page.t4Options & T4_EOL_FILL) !== 0 };
}

/**
 * Decodes one page into a Bitmap (packed rows, MSB first, 1 = black whatever the
 * Photometric, FillOrder honoured). Damaged rows are concealed and reported, not fatal.
 * Throws UNSUPPORTED_INPUT (other compressions / depths, naming them), LIMIT_EXCEEDED
 * (checked before allocating), TIFF_INVALID (structure), FAX_DECODE_FAILED (from the codec),
 * USAGE (no such page).
 */
export function decodePage(file: TiffFile, pageIndex: number): DecodedPage {
  const page = getPage(file, pageIndex);
  checkDecodable(page);
  checkPageLimits(page);
  const stride = Math.ceil(page.width / 8);
  const pageBytes = stride * page.height;
  const total = (decodedBytesByFile.get(file) ?? 0) + pageBytes;
  if (total > MAX_TOTAL_DECODED_BYTES) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `Decoding TIFF page ${pageIndex + 1} failed: decoded size of the document would exceed MAX_TOTAL_DECODED_BYTES (${MAX_TOTAL_DECODED_BYTES})`,
      { context: { page: pageIndex + 1, limit: 'MAX_TOTAL_DECODED_BYTES', value: total } },
    );
  }
  const strips = pageStrips(file, pageIndex);
  decodedBytesByFile.set(file, total);

  const warnings = [...page.warnings];
  if (page.photometric === undefined) {
    warnings.push('PhotometricInterpretation (262) is missing; read as 0 (WhiteIsZero), as libtiff does for fax.');
  }
  const bitmap: Bitmap = { width: page.width, height: page.height, data: new Uint8Array(pageBytes) };
  const result: DecodedPage = {
    bitmap,
    info: page,
    rowsDecoded: 0,
    damagedRows: 0,
    consecutiveDamagedRows: 0,
    diagnostics: [],
    warnings,
  };
  const addDiagnostic = (d: FaxDiagnostic): void => {
    if (result.diagnostics.length < MAX_DIAGNOSTICS_PER_PAGE) result.diagnostics.push(d);
  };

  let failedStrips = 0;
  let firstFailure: IfaxError | undefined;
  // One decoder for all strips: the options are the page's, checked once (libtiff writes
  // pages of hundreds of strips; per-strip option objects and checks showed in profiles).
  const decoder = page.compression === 1 ? null : new FaxStripDecoder(faxOptionsForPage(page, page.height));
  for (let s = 0; s < strips.length; s++) {
    const strip = strips[s];
    if (decoder === null) {
      copyUncompressedStrip(page, strip, bitmap, result, addDiagnostic);
      continue;
    }
    let r;
    try {
      r = decoder.decodeInto(strip.data, bitmap, strip.firstRow, strip.rows, true); // a new bitmap: all white
    } catch (err) {
      if (!(err instanceof IfaxError) || err.code !== 'FAX_DECODE_FAILED' || strips.length === 1) throw err;
      // One undecodable strip of several: keep the others (its rows stay white), say so.
      failedStrips++;
      firstFailure ??= err;
      addDiagnostic({
        row: strip.firstRow,
        code: 'MISSING_ROWS',
        message: `strip ${s} (rows ${strip.firstRow}-${strip.firstRow + strip.rows - 1}) could not be decoded: ${err.message}`,
      });
      continue;
    }
    result.rowsDecoded += r.rowsDecoded;
    result.damagedRows += r.damagedRows;
    result.consecutiveDamagedRows = Math.max(result.consecutiveDamagedRows, r.consecutiveDamagedRows);
    // The decoder reports rows of the target bitmap, i.e. page rows already.
    for (const d of r.diagnostics) addDiagnostic(d);
  }
  if (firstFailure !== undefined && failedStrips === strips.length) {
    throw new IfaxError('FAX_DECODE_FAILED', `Decoding TIFF page ${pageIndex + 1} failed: no strip could be decoded: ${firstFailure.message}`, {
      cause: firstFailure,
      context: { page: pageIndex + 1, strips: strips.length },
    });
  }
  return result;
}

/**
 * Compression 1 (TIFF 6.0 §3): rows packed and byte-padded as in the bitmap, so rows are
 * copied, then bit-reversed for FillOrder 2, inverted for BlackIsZero, and pad bits cleared.
 */
function copyUncompressedStrip(
  page: TiffPage,
  strip: RawStrip,
  bitmap: Bitmap,
  result: DecodedPage,
  addDiagnostic: (d: FaxDiagnostic) => void,
): void {
  const stride = Math.ceil(page.width / 8);
  const rows = Math.min(strip.rows, Math.floor(strip.data.length / stride));
  const start = strip.firstRow * stride;
  const end = start + rows * stride;
  const out = bitmap.data;
  out.set(strip.data.subarray(0, rows * stride), start);
  if (page.fillOrder === 2) reverseBits(out, start, end);
  if (page.photometric === Photometric.BlackIsZero) {
    for (let i = start; i < end; i++) out[i] ^= 0xff;
  }
  const padBits = stride * 8 - page.width;
  if (padBits > 0) {
    const mask = (0xff << padBits) & 0xff;
    for (let i = start + stride - 1; i < end; i += stride) out[i] &= mask;
  }
  result.rowsDecoded += rows;
  if (rows < strip.rows) {
    addDiagnostic({
      row: strip.firstRow + rows,
      code: 'MISSING_ROWS',
      message: `strip holds ${strip.data.length} bytes, ${rows} of ${strip.rows} rows; the rest are white`,
    });
  }
}
