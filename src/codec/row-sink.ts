/**
 * Where decoded rows go (ITU-T T.4 / T.6 decoders): a caller's packed bitmap, or, for raw
 * streams of unknown height, one that grows by doubling up to the limits of src/limits.ts.
 */

import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_PIXELS_PER_PAGE } from '../limits.js';
import { wordView } from './paint-row.js';

export class RowSink {
  out: Uint8Array;
  /** `out` as 32-bit words for paintRow (null when not 4-byte aligned). */
  words: Int32Array | null;
  readonly stride: number;
  readonly width: number;
  /** Rows `out` holds. */
  rows: number;
  readonly growable: boolean;
  /** `out` is freshly allocated, hence all 0: no clearing needed. */
  readonly zeroed: boolean;

  constructor(out: Uint8Array, width: number, rows: number, growable: boolean, zeroed: boolean) {
    this.out = out;
    this.words = wordView(out);
    this.zeroed = zeroed;
    this.width = width;
    this.stride = (width + 7) >> 3;
    this.rows = rows;
    this.growable = growable;
  }

  /** Makes row `row` writable; a growable sink doubles, within MAX_HEIGHT and MAX_PIXELS_PER_PAGE. */
  ensure(row: number): void {
    if (row < this.rows) return;
    if (!this.growable) throw new IfaxError('INTERNAL', `Fax decode failed: row ${row} outside the target bitmap`);
    const maxRows = Math.min(MAX_HEIGHT, Math.floor(MAX_PIXELS_PER_PAGE / this.width));
    if (row >= maxRows) {
      const limit = maxRows === MAX_HEIGHT ? 'MAX_HEIGHT' : 'MAX_PIXELS_PER_PAGE';
      throw new IfaxError(
        'LIMIT_EXCEEDED',
        `Fax decode failed: stream has more than ${maxRows} rows of width ${this.width} (${limit})`,
        { context: { limit, value: row + 1, max: limit === 'MAX_HEIGHT' ? MAX_HEIGHT : MAX_PIXELS_PER_PAGE } },
      );
    }
    const rows = Math.min(maxRows, Math.max(row + 1, this.rows * 2));
    const grown = new Uint8Array(rows * this.stride);
    grown.set(this.out.subarray(0, this.rows * this.stride));
    this.out = grown;
    this.words = wordView(grown);
    this.rows = rows;
  }

  /** A damaged row: a copy of the row above (white for the first row). */
  conceal(row: number): void {
    const at = row * this.stride;
    if (row > 0) this.out.copyWithin(at, at - this.stride, at);
    else this.out.fill(0, at, at + this.stride);
  }

  /** Rows [from, to) white (0); rows are painted onto cleared rows. */
  clearRows(from: number, to: number): void {
    this.out.fill(0, from * this.stride, to * this.stride);
  }
}
