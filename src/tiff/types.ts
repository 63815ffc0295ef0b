/**
 * Types of the TIFF layer: a parsed file (TIFF 6.0 §2 header and IFD chain) and the page
 * fields fax cares about (TIFF 6.0 §3, §8, §11; RFC 3949 §2.2, §4.3.3).
 * Pure: no `node:` imports.
 */

import type { Bitmap, FaxDiagnostic } from '../codec/types.js';

/** Where one IFD sits in the file. Entries are read on demand with `ifdEntries()`. */
export interface TiffIfdLocation {
  /** Byte offset of the IFD (its 2-byte entry count). */
  offset: number;
  entryCount: number;
  /** 2 + 12 x entryCount + 4: the IFD's own bytes. */
  byteLength: number;
  /** Offset of the next IFD as written (0 = last). */
  nextOffset: number;
}

/** One raw IFD entry: tag, type, count and where its value lives. */
export interface TiffEntry {
  tag: number;
  /** Field type code (TIFF 6.0 §2); types not in TIFF 6.0 have size 0 and are never read. */
  type: number;
  count: number;
  /** Byte offset of the value in the file: inside the entry when `inline`. */
  valueOffset: number;
  /** True when the value fits in the entry's 4 bytes (TIFF 6.0 §2 "Value/Offset"). */
  inline: boolean;
  /** count x type size, in bytes. */
  byteLength: number;
}

/** The fields of one page (one IFD of the chain), with TIFF 6.0 defaults applied. */
export interface TiffPage {
  /** 0-based position in the IFD chain. */
  index: number;
  ifd: TiffIfdLocation;
  /** ImageWidth (256). */
  width: number;
  /** ImageLength (257). */
  height: number;
  /** BitsPerSample (258), first value; default 1 (absent in g3aoe.tif and others). */
  bitsPerSample: number;
  /** SamplesPerPixel (277); default 1. */
  samplesPerPixel: number;
  /** Compression (259); default 1. */
  compression: number;
  /** PhotometricInterpretation (262); undefined when absent (it has no default). */
  photometric: number | undefined;
  /** FillOrder (266); default 1. Values other than 1 and 2 read as 1, with a warning. */
  fillOrder: 1 | 2;
  /** T4Options (292); default 0. Bit 0 = 2-D (MR), bit 1 = uncompressed mode, bit 2 = EOL fill. */
  t4Options: number;
  /** T6Options (293); default 0. Bit 1 = uncompressed mode. */
  t6Options: number;
  /** XResolution (282) in ResolutionUnit units; undefined when absent or 0/0. */
  xResolution: number | undefined;
  /** YResolution (283). */
  yResolution: number | undefined;
  /** ResolutionUnit (296): 1 none, 2 inch (default), 3 cm. */
  resolutionUnit: number;
  /** PageNumber (297): [page, total], page 0-based, total 0 = unknown. */
  pageNumber: [number, number] | undefined;
  /** RowsPerStrip (278) as written; default 2^32 - 1. */
  rowsPerStrip: number;
  /** StripOffsets (273); empty when absent. */
  stripOffsets: number[];
  /**
   * Byte counts the reader uses: StripByteCounts (279) where plausible, otherwise measured
   * up to the next strip, IFD or end of file (see `stripByteCountsTag`).
   */
  stripByteCounts: number[];
  /** StripByteCounts as written in the file; undefined when the tag is absent. */
  stripByteCountsTag: number[] | undefined;
  /** NewSubfileType (254); default 0. */
  newSubfileType: number;
  /** SubfileType (255), the old field; undefined when absent. */
  subfileType: number | undefined;
  /** PlanarConfiguration (284); default 1. */
  planarConfiguration: number;
  /** Orientation (274); default 1. */
  orientation: number;
  /** BadFaxLines (326), CleanFaxData (327), ConsecutiveBadFaxLines (328), RFC 3949 §4.3.3. */
  badFaxLines: number | undefined;
  cleanFaxData: number | undefined;
  consecutiveBadFaxLines: number | undefined;
  software: string | undefined;
  dateTime: string | undefined;
  imageDescription: string | undefined;
  documentName: string | undefined;
  /** True when the page is tiled (TileWidth/TileOffsets) instead of stripped. */
  tiled: boolean;
  /** Leniencies applied while reading this page, as sentences. */
  warnings: string[];
}

/** A parsed TIFF: header, the IFD chain, and each page's fields. Image data is not read. */
export interface TiffFile {
  /** The whole file; strips are views into it. */
  bytes: Uint8Array;
  byteOrder: 'II' | 'MM';
  /** Offset of IFD 0 as written in the header. */
  firstIfdOffset: number;
  pages: TiffPage[];
  /** File-level leniencies (junk byte order, IFD loop, truncated chain...). */
  warnings: string[];
}

/** A decoded page: the bitmap (1 = black, what the page looks like) and what went wrong. */
export interface DecodedPage {
  bitmap: Bitmap;
  info: TiffPage;
  /** Rows found in the data; the rest (up to height) are white. */
  rowsDecoded: number;
  /** Rows that were damaged and concealed, like BadFaxLines. */
  damagedRows: number;
  /** Longest run of damaged rows, like ConsecutiveBadFaxLines. */
  consecutiveDamagedRows: number;
  /** Problems in the coded data; `row` is the page row. At most MAX_DIAGNOSTICS_PER_PAGE. */
  diagnostics: FaxDiagnostic[];
  /** Reader leniencies for this page (bogus StripByteCounts...), as sentences. */
  warnings: string[];
}

/** One strip of a page as stored, for pass-through without decoding. */
export interface RawStrip {
  /** View into the file bytes (not a copy). */
  data: Uint8Array;
  /** First page row of this strip. */
  firstRow: number;
  /** Rows in this strip. */
  rows: number;
}
