/**
 * Decoder state for ITU-T T.4 §4 / T.6 §2 row decoding: the bit reader, the current and
 * reference rows as change lists (T.4 §4.2.1.3.1 changing elements) and the position
 * within the row, so that row decoding can stop and resume (decode-rows.ts).
 */

import { BitReader } from './bit-reader.js';
import { SENTINELS } from './changes.js';

/** Row decoder outcomes. */
export const ROW_DONE = 0;
/** Eight or more zero bits where a code should be: EOL, fill, 1-D extension or end of data. */
export const ROW_ZEROS = 1;
export const ROW_BAD_CODE = 2;
export const ROW_TOO_MANY_CHANGES = 3;
/** The 2-D extension for uncompressed mode was read; the driver decodes it and resumes. */
export const ROW_UNCOMPRESSED = 4;
/** Set by the driver: data ended inside the row. */
export const ROW_END_OF_DATA = 5;
/** Set by the driver: an EOL ended the row early. */
export const ROW_PREMATURE_EOL = 6;

/** Bit reader plus the state of the row being decoded. */
export class DecodeState extends BitReader {
  readonly width: number;
  /** Most changes a row may have: 2 per column covers every zero-length run a sane coder writes. */
  readonly cap: number;
  cur: Int32Array;
  ref: Int32Array;
  /** Changes in cur. */
  n = 0;
  /** a0, -1 before the first pixel of a 2-D row. */
  a0 = 0;
  /** Index of b1 in ref (2-D). */
  j = 0;
  /** A run or vertical mode went past the width and was clipped. */
  tooLong = false;

  constructor(width: number) {
    super(new Uint8Array(0), 1);
    this.width = width;
    this.cap = 2 * width + 8;
    this.cur = new Int32Array(this.cap + SENTINELS + 2);
    this.ref = new Int32Array(this.cap + SENTINELS + 2);
    this.ref.fill(width);
  }

  /**
   * Starts a strip (TIFF strips restart the coding, T.6 §2.2.1): the data from its first
   * bit, a white reference row, no row in progress. Everything a strip's decoding reads is
   * set here, so one state serves every strip of this width in turn.
   */
  begin(data: Uint8Array, fillOrder: 1 | 2): void {
    this.read(data, fillOrder);
    this.n = 0;
    this.a0 = 0;
    this.j = 0;
    this.tooLong = false;
    this.resetReference();
  }

  /** Starts a row: 2-D rows start with a0 left of column 0. */
  startRow(twoD: boolean): void {
    this.n = 0;
    this.a0 = twoD ? -1 : 0;
    this.j = 0;
    this.tooLong = false;
  }

  /** Makes the finished row the reference of the next one. */
  commitRow(): void {
    const cur = this.cur;
    const n = this.n;
    for (let s = 0; s < SENTINELS; s++) cur[n + s] = this.width;
    this.cur = this.ref;
    this.ref = cur;
  }

  /**
   * The reference row is white (strip start, T.6 §2.2.1): no changes, only sentinels. The
   * 2-D decoders never read past the sentinels (they stop at the first, a0 < width), as
   * for every reference row made by commitRow, so only those are written: filling the whole
   * row (40 KB at 600 dpi) for each of a page's hundreds of strips cost more than decoding
   * a text strip.
   */
  resetReference(): void {
    this.ref.fill(this.width, 0, SENTINELS + 2);
  }
}

/**
 * One state kept for the next strip of the same width: the rows of a libtiff-written page
 * come in strips of a few rows each (tiffcp keeps pnmtotiff's 13 rows: 540 strips for an
 * A4 page at 600 dpi), and allocating two change lists per strip (2 x 40 KB at 600 dpi)
 * cost more, with the garbage collection it caused, than decoding a strip of text.
 * Decoding is synchronous and never re-entered, so one spare is enough.
 */
let spare: DecodeState | null = null;

/** A state for a strip of `data`, reusing the spare when the width matches (see begin). */
export function acquireState(data: Uint8Array, fillOrder: 1 | 2, width: number): DecodeState {
  let s = spare;
  if (s === null || s.width !== width) s = new DecodeState(width);
  spare = null;
  s.begin(data, fillOrder);
  return s;
}

/** Hands a state back for the next strip, without the strip's data. */
export function releaseState(s: DecodeState): void {
  s.release();
  spare = s;
}
