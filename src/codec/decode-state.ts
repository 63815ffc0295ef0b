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

  constructor(data: Uint8Array, fillOrder: 1 | 2, width: number) {
    super(data, fillOrder);
    this.width = width;
    this.cap = 2 * width + 8;
    this.cur = new Int32Array(this.cap + SENTINELS + 2);
    this.ref = new Int32Array(this.cap + SENTINELS + 2);
    this.ref.fill(width);
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

  /** Strip start (T.6 §2.2.1, TIFF strips): the reference row is white. */
  resetReference(): void {
    this.ref.fill(this.width);
  }
}
