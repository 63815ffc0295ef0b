/**
 * TIFF 6.0 §2 "TIFF Structure": the image file header, IFDs and their entries, and the
 * reading of field values (inline or at an offset), in either byte order.
 * RFC 3249 §5.2.1 (a, b): big-endian files and junk byte-order bytes are read too.
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../errors.js';
import { MAX_IFD_ENTRIES, MAX_PAGES } from '../limits.js';
import { FIELD_TYPE_NAME, FIELD_TYPE_SIZE, FieldType, tagLabel } from './tags.js';
import type { TiffEntry, TiffIfdLocation } from './types.js';

/** Bytes plus byte order: what every value read needs. */
export interface ByteSource {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
}

export interface TiffHeader {
  byteOrder: 'II' | 'MM';
  littleEndian: boolean;
  firstIfdOffset: number;
  warnings: string[];
}

const BIGTIFF_VERSION = 43;
const CLASSIC_VERSION = 42;

function invalid(reason: string, context?: Record<string, unknown>): IfaxError {
  return new IfaxError('TIFF_INVALID', `Reading TIFF failed: ${reason}`, context ? { context } : {});
}

/** TIFF 6.0 §2 "Image File Header": byte order, 42, offset of IFD 0. */
export function readHeader(bytes: Uint8Array): TiffHeader {
  if (bytes.length < 8) {
    throw invalid(`the file is ${bytes.length} bytes long, shorter than the 8-byte TIFF header`);
  }
  const warnings: string[] = [];
  const b0 = bytes[0];
  const b1 = bytes[1];
  let littleEndian: boolean;
  if (b0 === 0x49 && b1 === 0x49) littleEndian = true;
  else if (b0 === 0x4d && b1 === 0x4d) littleEndian = false;
  else {
    // RFC 3249 §5.2.1 b: devices write other values here. The version word (42) then
    // tells the byte order: 2A 00 is little-endian, 00 2A big-endian.
    const le = bytes[2] | (bytes[3] << 8);
    const be = (bytes[2] << 8) | bytes[3];
    if (le === CLASSIC_VERSION || le === BIGTIFF_VERSION) littleEndian = true;
    else if (be === CLASSIC_VERSION || be === BIGTIFF_VERSION) littleEndian = false;
    else {
      throw invalid(
        `not a TIFF file: header starts ${hex(bytes, 0, 4)}, expected "II*\\0" or "MM\\0*"`,
      );
    }
    warnings.push(
      `Byte order bytes are ${hex(bytes, 0, 2)}, neither "II" nor "MM"; read as ` +
        `${littleEndian ? 'little' : 'big'}-endian from the version number.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(2, littleEndian);
  if (version === BIGTIFF_VERSION) {
    throw new IfaxError(
      'UNSUPPORTED_INPUT',
      'Reading TIFF failed: BigTIFF (version 43) is not supported; fax TIFFs are classic TIFF (version 42)',
      { hint: 'Convert it to classic TIFF with: tiffcp in.tif out.tif (files under 4 GB)' },
    );
  }
  if (version !== CLASSIC_VERSION) {
    throw invalid(`not a TIFF file: version is ${version}, expected 42`);
  }
  return {
    byteOrder: littleEndian ? 'II' : 'MM',
    littleEndian,
    firstIfdOffset: view.getUint32(4, littleEndian),
    warnings,
  };
}

function hex(bytes: Uint8Array, start: number, n: number): string {
  const out: string[] = [];
  for (let i = start; i < start + n && i < bytes.length; i++) {
    out.push(bytes[i].toString(16).padStart(2, '0'));
  }
  return out.join(' ');
}

/** A DataView-backed source for a file whose header has been read. */
export function byteSource(bytes: Uint8Array, littleEndian: boolean): ByteSource {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), littleEndian };
}

/** Reads where the IFD at `offset` is and how long it is; `index` names it in messages. */
export function locateIfd(src: ByteSource, offset: number, index: number): TiffIfdLocation {
  const size = src.bytes.length;
  if (offset < 8 || offset + 2 > size) {
    throw invalid(`IFD ${index} offset ${offset} is outside the file (${size} bytes)`, {
      ifd: index,
      offset,
    });
  }
  const entryCount = src.view.getUint16(offset, src.littleEndian);
  if (entryCount > MAX_IFD_ENTRIES) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `Reading TIFF failed: IFD ${index} has ${entryCount} entries, more than MAX_IFD_ENTRIES (${MAX_IFD_ENTRIES})`,
      { context: { limit: 'MAX_IFD_ENTRIES', value: entryCount, ifd: index } },
    );
  }
  if (entryCount === 0) {
    throw invalid(`IFD ${index} at offset ${offset} has no entries`, { ifd: index, offset });
  }
  const entriesEnd = offset + 2 + 12 * entryCount;
  if (entriesEnd > size) {
    throw invalid(
      `IFD ${index} at offset ${offset} has ${entryCount} entries, which run past the end of the file (${size} bytes)`,
      { ifd: index, offset },
    );
  }
  // A file cut right after the last entry has no next-IFD word: treat it as the last IFD.
  const nextOffset = entriesEnd + 4 <= size ? src.view.getUint32(entriesEnd, src.littleEndian) : 0;
  return { offset, entryCount, byteLength: 2 + 12 * entryCount + 4, nextOffset };
}

/**
 * Follows the IFD chain from the header. Stops, with a warning, at a loop or at a next-IFD
 * offset outside the file (a truncated transmission keeps its first pages); more than
 * MAX_PAGES IFDs is an error, because a crafted chain could otherwise run for a long time.
 */
export function walkIfdChain(src: ByteSource, firstOffset: number, warnings: string[]): TiffIfdLocation[] {
  const ifds: TiffIfdLocation[] = [locateIfd(src, firstOffset, 0)];
  const seen = new Set<number>([firstOffset]);
  for (;;) {
    const last = ifds[ifds.length - 1];
    const next = last.nextOffset;
    if (next === 0) break;
    const index = ifds.length;
    if (seen.has(next)) {
      warnings.push(
        `IFD ${index - 1} points back to the IFD at offset ${next} (a loop); reading stopped after ${index} page(s).`,
      );
      break;
    }
    if (index >= MAX_PAGES) {
      throw new IfaxError(
        'LIMIT_EXCEEDED',
        `Reading TIFF failed: the file has more than MAX_PAGES (${MAX_PAGES}) pages`,
        { context: { limit: 'MAX_PAGES', value: MAX_PAGES } },
      );
    }
    let ifd: TiffIfdLocation;
    try {
      ifd = locateIfd(src, next, index);
    } catch (err) {
      if (err instanceof IfaxError && err.code === 'TIFF_INVALID') {
        warnings.push(`${err.message.replace(/^Reading TIFF failed: /, '')}; reading stopped after ${index} page(s).`);
        break;
      }
      throw err;
    }
    seen.add(next);
    ifds.push(ifd);
  }
  return ifds;
}

/** The entries of one IFD, in file order. */
export function readEntries(src: ByteSource, ifd: TiffIfdLocation): TiffEntry[] {
  const entries: TiffEntry[] = new Array(ifd.entryCount);
  const { view, littleEndian } = src;
  for (let i = 0; i < ifd.entryCount; i++) {
    const at = ifd.offset + 2 + 12 * i;
    const type = view.getUint16(at + 2, littleEndian);
    const count = view.getUint32(at + 4, littleEndian);
    const byteLength = count * (FIELD_TYPE_SIZE[type] ?? 0);
    const inline = byteLength <= 4;
    entries[i] = {
      tag: view.getUint16(at, littleEndian),
      type,
      count,
      valueOffset: inline ? at + 8 : view.getUint32(at + 8, littleEndian),
      inline,
      byteLength,
    };
  }
  return entries;
}

/** Throws TIFF_INVALID naming the tag when the value does not lie inside the file. */
function checkValueInFile(src: ByteSource, entry: TiffEntry, page: number): void {
  const size = src.bytes.length;
  if (entry.valueOffset + entry.byteLength > size) {
    throw invalid(
      `page ${page + 1}: ${tagLabel(entry.tag)} value (${entry.count} x ${FIELD_TYPE_NAME[entry.type] ?? entry.type}, ` +
        `${entry.byteLength} bytes at offset ${entry.valueOffset}) lies outside the file (${size} bytes)`,
      { page: page + 1, tag: entry.tag, offset: entry.valueOffset },
    );
  }
}

/**
 * Up to `max` numeric values of an entry, whatever its numeric type (a SHORT where LONG is
 * usual is common: Group3Options as SHORT). RATIONALs become num/den (NaN for x/0).
 * Returns undefined for non-numeric types (ASCII, UNDEFINED, unknown).
 */
export function readNumbers(
  src: ByteSource,
  entry: TiffEntry,
  page: number,
  max: number,
): number[] | undefined {
  const size = FIELD_TYPE_SIZE[entry.type];
  if (size === undefined || entry.type === FieldType.ASCII || entry.type === FieldType.UNDEFINED) {
    return undefined;
  }
  checkValueInFile(src, entry, page);
  const n = Math.min(entry.count, max);
  const out: number[] = new Array(n);
  const { view, littleEndian } = src;
  let at = entry.valueOffset;
  for (let i = 0; i < n; i++, at += size) {
    switch (entry.type) {
      case FieldType.BYTE:
        out[i] = view.getUint8(at);
        break;
      case FieldType.SBYTE:
        out[i] = view.getInt8(at);
        break;
      case FieldType.SHORT:
        out[i] = view.getUint16(at, littleEndian);
        break;
      case FieldType.SSHORT:
        out[i] = view.getInt16(at, littleEndian);
        break;
      case FieldType.LONG:
      case FieldType.IFD:
        out[i] = view.getUint32(at, littleEndian);
        break;
      case FieldType.SLONG:
        out[i] = view.getInt32(at, littleEndian);
        break;
      case FieldType.RATIONAL:
        out[i] = view.getUint32(at, littleEndian) / view.getUint32(at + 4, littleEndian);
        break;
      case FieldType.SRATIONAL:
        out[i] = view.getInt32(at, littleEndian) / view.getInt32(at + 4, littleEndian);
        break;
      case FieldType.FLOAT:
        out[i] = view.getFloat32(at, littleEndian);
        break;
      default:
        out[i] = view.getFloat64(at, littleEndian);
    }
  }
  return out;
}

/** Longest ASCII value read: fax strings are short; a huge count is not worth decoding. */
const MAX_ASCII_CHARS = 4096;

/**
 * An ASCII value (TIFF 6.0 §2: NUL-terminated, 8-bit). Bytes are read as Latin-1, up to the
 * first NUL. Undefined for other types.
 */
export function readAscii(src: ByteSource, entry: TiffEntry, page: number): string | undefined {
  if (entry.type !== FieldType.ASCII) return undefined;
  checkValueInFile(src, entry, page);
  const n = Math.min(entry.count, MAX_ASCII_CHARS);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = src.bytes[entry.valueOffset + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}
