/**
 * Shared types of the T.4 / T.6 fax codec (ITU-T T.4 §4, T.6 §2).
 * Pure: no `node:` imports. The bitmap layout is netpbm's P4: what PBM files, TIFF
 * Photometric 0 (WhiteIsZero) and the codec all share, so no conversion is ever needed.
 */

import type { FaxCoding } from '../fax/vocabulary.js';

/**
 * A bilevel page. Rows are packed MSB first, 1 = black, each row padded to a whole byte
 * (stride = ceil(width / 8)); pad bits are 0.
 */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The three fax codings: T.4 1-D (MH), T.4 2-D (MR), T.6 (MMR); src/fax/vocabulary.ts, shared with config and tiff. */
export type { FaxCoding };

/** Options common to encoder and decoder; names follow the TIFF tags and PDF parameters. */
export interface FaxCodecOptions {
  coding: FaxCoding;
  /** Columns: pixels per row. */
  width: number;
  /**
   * Rows: for the decoder, the rows expected (ImageLength or RowsPerStrip). Required for
   * data without EOLs or end marker; decoding stops there. For the encoder, ignored.
   */
  height?: number;
  /** TIFF FillOrder: 1 = MSB first (default), 2 = LSB first. */
  fillOrder?: 1 | 2;
  /** TIFF T4Options bit 2: fill bits before each EOL so that it ends on a byte boundary. */
  eolFill?: boolean;
  /**
   * PDF EncodedByteAlign (Go's Align): each row's code starts on a byte boundary. Not the
   * same as eolFill, which pads before the EOL.
   */
  byteAlign?: boolean;
  /**
   * Encoder: write RTC (6 x EOL, MH/MR) or EOFB (2 x EOL, MMR) at the end. Decoders accept
   * data with or without it. TIFF writers should leave it out (RFC 3949 §3.4.1).
   */
  endMarker?: boolean;
  /**
   * MR only: the K parameter (at most K-1 2-D rows after each 1-D row), or 'cost' to choose
   * 1-D or 2-D per row by coded size. Default 2 (standard) — callers pass 4 above 100 lpi.
   */
  k?: number | 'cost';
  /**
   * BlackIs1 (PDF name): true (default) = the bitmap's 1 bits are black, i.e. runs coded
   * as white decode to 0. false inverts: for TIFF Photometric 1 (BlackIsZero) callers
   * pass false to get a bitmap of what the page looks like.
   */
  blackIs1?: boolean;
  /**
   * MH only: whether rows are separated by EOL codes. Encoder: default true; false writes no
   * EOL and no end marker at all (with byteAlign: TIFF Compression 2, "CCITT RLE").
   * Decoder: default undefined = EOLs optional (found where present, as in T4Options 0 data
   * written without them); false = never look for EOLs, which callers must pass for
   * byte-aligned EOL-free data wider than 1791 columns, where an aligned extended make-up
   * code after 4+ pad bits looks exactly like an EOL with fill.
   */
  eol?: boolean;
}

/** What went wrong in one place of a leniently decoded page. */
export interface FaxDiagnostic {
  /** Row index within the decoded area (0-based). */
  row: number;
  code:
    | 'BAD_CODE'
    | 'ROW_TOO_LONG'
    | 'ROW_TOO_SHORT'
    | 'PREMATURE_END'
    | 'MISSING_ROWS'
    | 'UNCOMPRESSED_MODE'
    | 'TRAILING_DATA';
  message: string;
}

/** Result of decoding one strip into a caller's bitmap (decodeFaxInto). */
export interface FaxStripResult {
  /** Rows that were actually found in the data (the rest, up to height, are white). */
  rowsDecoded: number;
  /** Damaged rows, like BadFaxLines: see FaxDecodeResult.damagedRows. */
  damagedRows: number;
  /** Longest run of consecutive damaged rows, like TIFF's ConsecutiveBadFaxLines. */
  consecutiveDamagedRows: number;
  /** Diagnostics; `row` is the row index in the target bitmap (rowOffset + strip row). */
  diagnostics: FaxDiagnostic[];
  /** True when RTC / EOFB was found. */
  endMarkerSeen: boolean;
  /** Bytes of `data` the decoder read up to (the rest was not needed or was garbage). */
  bytesConsumed: number;
}

/** Result of decoding one strip or raw stream. */
export interface FaxDecodeResult {
  bitmap: Bitmap;
  /** Rows that were actually found in the data (the rest, up to height, are white). */
  rowsDecoded: number;
  /**
   * Rows that were damaged, like BadFaxLines: concealed (repeated from the row above) after a
   * bad code, or kept but padded / clipped to the width (ROW_TOO_SHORT, ROW_TOO_LONG,
   * PREMATURE_END).
   */
  damagedRows: number;
  /** Longest run of consecutive damaged rows, like TIFF's ConsecutiveBadFaxLines. */
  consecutiveDamagedRows: number;
  diagnostics: FaxDiagnostic[];
  /** True when RTC / EOFB was found. */
  endMarkerSeen: boolean;
}
