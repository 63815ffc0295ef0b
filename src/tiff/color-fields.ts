/**
 * RFC 3949 §6.2 (profile C fields) and TIFF Technical Note 2 (Compression 7): the fields of a
 * colour or grey JPEG page that TiffPage does not carry: every BitsPerSample value, Decode,
 * ChromaSubSampling, ChromaPositioning and JPEGTables. Read on demand, like the strips.
 * Pure: no `node:` imports.
 */

import { MAX_JPEG_TABLES_BYTES } from '../limits.js';
import { byteSource, readEntries, readNumbers } from './ifd.js';
import { getPage } from './reader.js';
import { TAGS } from './tags.js';
import type { TiffFile, TiffPage } from './types.js';

/** The JPEG and colour fields of one page, as written (undefined when absent). */
export interface ColorPageFields {
  page: TiffPage;
  /** BitsPerSample (258), every value (TIFF 6.0: count = SamplesPerPixel); default [1]. */
  bitsPerSample: number[];
  /** Decode (433), RFC 3949 §6.2.3: min, max per component. */
  decode: number[] | undefined;
  /** ChromaSubSampling (530) = YCbCrSubSampling: horizontal, vertical. */
  chromaSubsampling: [number, number] | undefined;
  /** ChromaPositioning (531) = YCbCrPositioning. */
  chromaPositioning: number | undefined;
  /** JPEGTables (347): a view into the file, or undefined. */
  jpegTables: Uint8Array | undefined;
}

/**
 * The colour fields of a page. Values outside the file are TIFF_INVALID (from readNumbers);
 * a JPEGTables block larger than MAX_JPEG_TABLES_BYTES or outside the file is ignored (undefined).
 */
export function colorPageFields(file: TiffFile, pageIndex: number): ColorPageFields {
  const page = getPage(file, pageIndex);
  const src = byteSource(file.bytes, file.byteOrder === 'II');
  const entries = readEntries(src, page.ifd);
  const get = (tag: number) => entries.find((e) => e.tag === tag);
  const numbers = (tag: number, max: number) => {
    const e = get(tag);
    return e === undefined ? undefined : readNumbers(src, e, pageIndex, max);
  };
  const bps = numbers(TAGS.BitsPerSample.tag, 16);
  const sub = numbers(TAGS.ChromaSubSampling.tag, 2);
  const pos = numbers(TAGS.ChromaPositioning.tag, 1);
  const tablesEntry = get(TAGS.JPEGTables.tag);
  let jpegTables: Uint8Array | undefined;
  if (
    tablesEntry !== undefined &&
    tablesEntry.byteLength <= MAX_JPEG_TABLES_BYTES &&
    tablesEntry.valueOffset + tablesEntry.byteLength <= file.bytes.length &&
    (tablesEntry.type === 7 || tablesEntry.type === 1) // UNDEFINED (TTN2) or BYTE
  ) {
    jpegTables = file.bytes.subarray(tablesEntry.valueOffset, tablesEntry.valueOffset + tablesEntry.byteLength);
  }
  return {
    page,
    bitsPerSample: bps !== undefined && bps.length > 0 ? bps : [1],
    decode: numbers(TAGS.Decode.tag, 16),
    chromaSubsampling: sub !== undefined && sub.length >= 2 ? [sub[0], sub[1]] : undefined,
    chromaPositioning: pos?.[0],
    jpegTables,
  };
}
