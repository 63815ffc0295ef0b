/**
 * RFC 3949 §3 (profile S) and §4 (profile F): bitmaps -> a TIFF-FX file, choosing the codec
 * options each profile calls for. Coding follows §3.4 / §4.5.4-§4.5.6 and what libtiff
 * writes (`tiffcp -c g3`, `-c g4`): an EOL before every MH/MR row including the first, no RTC
 * (§3.4.1 "SHOULD NOT include the RTC"), and EOFB at the end of every MMR strip (§4.5.6 MUST).
 * Pure: no `node:` imports.
 */

import { encodeFax } from '../codec/index.js';
import type { Bitmap, FaxCoding, FaxCodecOptions } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { FaxTiffWriter, type FaxTiffPageInput, type TiffPatch } from './writer.js';

export interface WriteFaxTiffOptions {
  /** 'S' = RFC 3949 §3 (MH, 1728 wide, FillOrder 2); 'F' = §4 (MH, MR or MMR). */
  profile: 'S' | 'F';
  /** Profile S allows 'MH' only. */
  compression: FaxCoding;
  /** Dots per inch, e.g. 204 x 98 (standard), 204 x 196 (fine), 200 x 200. */
  xRes: number;
  yRes: number;
  /** FillOrder of the coded data: profile S is always 2; profile F defaults to 2 (what fax lines carry). */
  fillOrder?: 1 | 2;
  /**
   * MH/MR: pad before each EOL so it ends on a byte boundary (T4Options bit 2). Default true:
   * the historical TIFF-F convention (RFC 3949 §4.5.3), read by every fax reader.
   */
  eolFill?: boolean;
  /** MR only: K (RFC 3949 leaves it to T.4). Default: 2 up to 150 lpi, 4 above, as libtiff. */
  k?: number | 'cost';
  /** Profile F only: allow sizes outside RFC 3949 §4.2.1 (600 dpi to a device that announced it). */
  allowNonStandardSize?: boolean;
}

/** The codec options a profile and options call for (exported so tests and callers can see them). */
export function faxEncodeOptions(width: number, opts: WriteFaxTiffOptions): FaxCodecOptions {
  const fillOrder = opts.profile === 'S' ? 2 : (opts.fillOrder ?? 2);
  if (opts.profile === 'S' && opts.fillOrder === 1) {
    throw new IfaxError('USAGE', 'Writing TIFF failed: profile S requires FillOrder 2; FillOrder 1 was asked for', {
      context: { profile: 'S', fillOrder: 1 },
    });
  }
  const coding = opts.compression;
  if (coding === 'MMR') {
    return { coding, width, fillOrder, endMarker: true };
  }
  return {
    coding,
    width,
    fillOrder,
    eolFill: opts.eolFill ?? true,
    endMarker: false,
    ...(coding === 'MR' ? { k: opts.k ?? (opts.yRes > 150 ? 4 : 2) } : {}),
  };
}

/** Codes one bitmap as a page for FaxTiffWriter, with the options of `faxEncodeOptions`. */
export function encodeFaxTiffPage(bitmap: Bitmap, opts: WriteFaxTiffOptions): FaxTiffPageInput {
  const codec = faxEncodeOptions(bitmap.width, opts);
  return {
    data: encodeFax(bitmap, codec),
    width: bitmap.width,
    height: bitmap.height,
    coding: codec.coding,
    fillOrder: codec.fillOrder ?? 1,
    eolFill: codec.eolFill ?? false,
    xResolution: opts.xRes,
    yResolution: opts.yRes,
  };
}

/**
 * Writes bitmaps as one TIFF-FX file (profile S or F). Pages are coded one at a time; with an
 * array the page count is known up front, with any other iterable the PageNumber totals and
 * the last next-IFD offset are patched at the end. Throws USAGE when a page breaks the profile.
 */
export function writeFaxTiff(pages: Iterable<Bitmap>, opts: WriteFaxTiffOptions): Uint8Array {
  if (opts.profile === 'S' && opts.compression !== 'MH') {
    throw new IfaxError(
      'USAGE',
      `Writing TIFF failed: profile S allows MH only; compression ${JSON.stringify(opts.compression)} was asked for`,
      { hint: 'Use profile F for MR or MMR.' },
    );
  }
  const pageCount = Array.isArray(pages) ? pages.length : undefined;
  const writer = new FaxTiffWriter({
    profile: opts.profile,
    ...(pageCount !== undefined && pageCount > 0 ? { pageCount } : {}),
    ...(opts.allowNonStandardSize ? { allowNonStandardSize: true } : {}),
  });
  const chunks: Uint8Array[] = [];
  for (const bitmap of pages) chunks.push(writer.addPage(encodeFaxTiffPage(bitmap, opts)));
  const patches = writer.finish();
  return applyPatches(concat(chunks, writer.bytesWritten), patches);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Applies FaxTiffWriter.finish() patches to a file held in memory; returns the same array. */
export function applyPatches(file: Uint8Array, patches: readonly TiffPatch[]): Uint8Array {
  for (const p of patches) file.set(p.bytes, p.offset);
  return file;
}
