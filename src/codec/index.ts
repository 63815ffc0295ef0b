/**
 * ITU-T T.4 (MH §4.1, MR §4.2) and T.6 (MMR) fax codec: the public entry points.
 * Pure (no `node:` imports): bytes in, bitmaps out and back.
 *
 * Bitmaps are packed rows, MSB first, 1 = black (netpbm P4 / TIFF WhiteIsZero), see types.ts.
 * Decoding is lenient and reports what it repaired as diagnostics (decoder.ts); it throws
 * IfaxError only for bad options, sizes over src/limits.ts (LIMIT_EXCEEDED, checked before
 * allocating) and data of which not a single row decodes (FAX_DECODE_FAILED).
 */

import { IfaxError } from '../errors.js';
import { decodeStrip } from './decoder.js';
import { checkHeight, resolveOptions, type ResolvedOptions } from './options.js';
import { RowSink } from './row-sink.js';
import type { Bitmap, FaxCodecOptions, FaxDecodeResult, FaxStripResult } from './types.js';

export { encodeFax, COST_MODE_MAX_K } from './encoder.js';
export type {
  Bitmap,
  FaxCodecOptions,
  FaxCoding,
  FaxDecodeResult,
  FaxDiagnostic,
  FaxStripResult,
} from './types.js';

const OPERATION = 'Fax decode';

/**
 * Decodes `opts.height` rows of `opts.width` columns into a new bitmap. Rows the data lacks
 * are white and reported (MISSING_ROWS). Throws IfaxError UNSUPPORTED_INPUT without a
 * height (use decodeFaxStream for raw streams of unknown length).
 */
export function decodeFax(data: Uint8Array, opts: FaxCodecOptions): FaxDecodeResult {
  const o = resolveOptions(OPERATION, opts);
  if (opts.height === undefined) {
    throw new IfaxError('UNSUPPORTED_INPUT', `${OPERATION} failed: options.height is required`, {
      hint: 'Pass the row count (ImageLength), or use decodeFaxStream for raw streams that end with RTC/EOFB.',
    });
  }
  const height = checkHeight(OPERATION, o.width, opts.height);
  const stride = (o.width + 7) >> 3;
  const bitmap: Bitmap = { width: o.width, height, data: new Uint8Array(stride * height) };
  const sink = new RowSink(bitmap.data, o.width, height, false, true);
  const r = decodeStrip(data, o, sink, 0, height, false);
  return {
    bitmap,
    rowsDecoded: r.rowsDecoded,
    damagedRows: r.damagedRows,
    consecutiveDamagedRows: r.consecutiveDamagedRows,
    diagnostics: r.diagnostics,
    endMarkerSeen: r.endMarkerSeen,
  };
}

/**
 * Decodes the strips of a page (TIFF: each strip restarts the coding with a white reference
 * row, T.6 §2.2.1) straight into a target bitmap. The options are resolved and checked once
 * for all strips: a libtiff-written page has hundreds (13 rows each at 600 dpi), and
 * checking them per strip was a measurable part of decoding a text page. Strips of the same
 * width also share the decoder's working state (decode-state.ts).
 */
export class FaxStripDecoder {
  private readonly o: ResolvedOptions;
  /** opts.height, checked: the most rows one strip decodes. */
  private readonly maxRows: number;
  private target: Bitmap | null = null;
  private sink: RowSink | null = null;

  /** Throws IfaxError UNSUPPORTED_INPUT / LIMIT_EXCEEDED for bad options, as decodeFax does. */
  constructor(opts: FaxCodecOptions) {
    this.o = resolveOptions(OPERATION, opts);
    this.maxRows = opts.height === undefined ? Number.MAX_SAFE_INTEGER : checkHeight(OPERATION, this.o.width, opts.height);
  }

  /**
   * Decodes one strip into `target` from row `rowOffset` on: up to `rows` rows (default and
   * most: the options' height), never past the target's bottom. Diagnostic rows are target
   * rows. Rows the strip lacks are cleared to white. `targetIsWhite`: the caller vouches that
   * the rows are all 0 already (a new bitmap), so they are not cleared first: on a text page
   * most memory pages of a new bitmap are then never touched at all.
   */
  decodeInto(data: Uint8Array, target: Bitmap, rowOffset: number, rows = this.maxRows, targetIsWhite = false): FaxStripResult {
    const sink = this.sinkFor(target, targetIsWhite);
    if (!Number.isInteger(rowOffset) || rowOffset < 0 || rowOffset > target.height) {
      throw new IfaxError('UNSUPPORTED_INPUT', `${OPERATION} failed: rowOffset ${JSON.stringify(rowOffset)} outside the target's ${target.height} rows`);
    }
    const count = Math.min(target.height - rowOffset, this.maxRows, rows);
    return decodeStrip(data, this.o, sink, rowOffset, count, false);
  }

  /** The target checked and wrapped once, not once per strip. */
  private sinkFor(target: Bitmap, zeroed: boolean): RowSink {
    const last = this.sink;
    if (target === this.target && last !== null && last.out === target.data && last.zeroed === zeroed) return last;
    const o = this.o;
    if (target.width !== o.width) {
      throw new IfaxError('UNSUPPORTED_INPUT', `${OPERATION} failed: target width ${target.width} differs from options width ${o.width}`);
    }
    checkHeight(OPERATION, o.width, target.height);
    const stride = (o.width + 7) >> 3;
    if (target.data.length < stride * target.height) {
      throw new IfaxError('UNSUPPORTED_INPUT', `${OPERATION} failed: target data holds ${target.data.length} bytes, needs ${stride * target.height}`);
    }
    this.target = target;
    this.sink = new RowSink(target.data, o.width, target.height, false, zeroed);
    return this.sink;
  }
}

/**
 * Decodes one strip straight into `target` (width opts.width) from row `rowOffset` on: for
 * TIFF pages of several strips, each strip restarting with a white reference row (T.6
 * §2.2.1). Decodes opts.height rows, or up to the bottom of the target without it (never
 * past it). Diagnostic rows are target rows. Rows the strip lacks are cleared to white.
 * For the many strips of one page, FaxStripDecoder checks the options once.
 */
export function decodeFaxInto(
  data: Uint8Array,
  opts: FaxCodecOptions,
  target: Bitmap,
  rowOffset: number,
): FaxStripResult {
  return new FaxStripDecoder(opts).decodeInto(data, target, rowOffset);
}

/**
 * Decodes a raw stream of unknown height (a fax modem capture, a `.g3` file): rows until
 * RTC / EOFB or the end of the data; opts.height is ignored. The bitmap grows as needed and
 * IfaxError LIMIT_EXCEEDED is thrown beyond MAX_HEIGHT or MAX_PIXELS_PER_PAGE. Trailing pad
 * bits cannot always be told from rows (a one-bit MMR row exists), so prefer decodeFax when
 * the height is known.
 */
export function decodeFaxStream(data: Uint8Array, opts: FaxCodecOptions): FaxDecodeResult {
  const o = resolveOptions(OPERATION, opts);
  const stride = (o.width + 7) >> 3;
  const initialRows = Math.min(256, Math.max(1, Math.floor(1_000_000 / stride)));
  const sink = new RowSink(new Uint8Array(initialRows * stride), o.width, initialRows, true, true);
  const r = decodeStrip(data, o, sink, 0, Number.MAX_SAFE_INTEGER, true);
  const height = r.rowsDecoded;
  return {
    bitmap: { width: o.width, height, data: sink.out.slice(0, height * stride) },
    rowsDecoded: r.rowsDecoded,
    damagedRows: r.damagedRows,
    consecutiveDamagedRows: r.consecutiveDamagedRows,
    diagnostics: r.diagnostics,
    endMarkerSeen: r.endMarkerSeen,
  };
}
