/**
 * Page encoder: ITU-T T.4 §4.1 (MH), T.4 §4.2 (MR) and T.6 §2 (MMR) streams, with the
 * framing of T.4 §4.1.2-4.1.4 (EOL, fill, RTC) and T.6 §2.4 (EOFB), plus the byte alignment
 * options of TIFF (T4Options bit 2) and PDF (EncodedByteAlign).
 *
 * Layout written, MH and MR (e = EOL, MR adds its tag bit after each EOL):
 *   e row0 e row1 ... e rowN-1 [e e e e e e]
 * i.e. an EOL before every row, no EOL after the last row unless `endMarker` asks for RTC;
 * this is libtiff's layout, and T.4's (an EOL after every row plus five more) with RTC.
 * There is no option to leave out the first EOL: libtiff, the JDK and our decoder take
 * what comes before a page's first EOL as noise, so such a page would lose its first row. MMR: rows back to back, then [EOFB].
 * eolFill pads with zeros before each EOL so that it ends on a byte boundary; byteAlign pads
 * so that each row's code (after its EOL and tag bit) starts on a byte boundary, as Go's
 * ccitt package and PDF EncodedByteAlign do; for MMR the EOFB is aligned too.
 */

import { BitWriter, toFillOrder2 } from './bit-writer.js';
import { SENTINELS, findChanges, rowSource } from './changes.js';
import { costRow1D, costRow2D, encodeRow1D, encodeRow2D, rowBytesBound } from './encode-rows.js';
import { EOL_CODE, EOL_LENGTH, RTC_EOLS } from './mode-codes.js';
import { checkHeight, resolveOptions, type ResolvedOptions } from './options.js';
import type { Bitmap, FaxCodecOptions } from './types.js';
import { IfaxError } from '../errors.js';

/**
 * `k: 'cost'` picks 1-D or 2-D per row by coded size but still codes at least every 4th row
 * 1-D: a damaged row then spoils at most 3 rows below it, and the stream stays a valid
 * K = 4 stream (T.4 §4.2.1: at most K - 1 2-D rows in a row) that any fine-resolution
 * receiver or TIFF reader takes. The first row of a stream is always 1-D.
 */
export const COST_MODE_MAX_K = 4;

const OPERATION = 'Fax encode';

function writeEol(w: BitWriter, o: ResolvedOptions, tag: number): void {
  const length = o.coding === 'MR' ? EOL_LENGTH + 1 : EOL_LENGTH;
  const code = o.coding === 'MR' ? (EOL_CODE << 1) | tag : EOL_CODE;
  // T4Options bit 2: the EOL itself ends on a byte boundary; MR's tag bit follows it.
  if (o.eolFill) w.fillBefore(EOL_LENGTH);
  w.put(code, length);
}

/**
 * Encodes a bitmap (packed rows, MSB first, 1 = black) as T.4 / T.6 data. Throws
 * IfaxError LIMIT_EXCEEDED for sizes over src/limits.ts and UNSUPPORTED_INPUT for bad
 * options or a bitmap whose data is too short.
 */
export function encodeFax(bitmap: Bitmap, opts: FaxCodecOptions): Uint8Array {
  const o = resolveOptions(OPERATION, opts);
  const width = o.width;
  if (bitmap.width !== width) {
    throw new IfaxError('UNSUPPORTED_INPUT', `${OPERATION} failed: bitmap width ${bitmap.width} differs from options width ${width}`);
  }
  const height = checkHeight(OPERATION, width, bitmap.height);
  const stride = (width + 7) >> 3;
  if (!(bitmap.data instanceof Uint8Array) || bitmap.data.length < stride * height) {
    throw new IfaxError(
      'UNSUPPORTED_INPUT',
      `${OPERATION} failed: bitmap data holds ${bitmap.data?.length ?? 0} bytes, ${width} x ${height} needs ${stride * height}`,
    );
  }
  const src = rowSource(bitmap.data);
  const invert = o.blackIs1 ? 0 : 0xff;
  const useEol = o.coding !== 'MMR' && o.eol !== false;
  const w = new BitWriter((stride * height) >> 3);
  let cur = new Int32Array(width + SENTINELS + 1);
  let ref = new Int32Array(width + SENTINELS + 1);
  ref.fill(width); // the reference of the first row is white
  let since1D = 0;

  for (let row = 0; row < height; row++) {
    const n = findChanges(src, row * stride, width, invert, cur);
    w.ensure(rowBytesBound(width, n));
    if (o.coding === 'MMR') {
      if (o.byteAlign) w.alignToByte();
      encodeRow2D(w, width, cur, ref);
    } else if (o.coding === 'MH') {
      if (useEol) writeEol(w, o, 1);
      if (o.byteAlign) w.alignToByte();
      encodeRow1D(w, cur, n);
    } else {
      let oneD: boolean;
      if (o.k > 0) {
        oneD = row % o.k === 0;
      } else if (row === 0 || since1D >= COST_MODE_MAX_K - 1) {
        oneD = true;
      } else {
        // Ties go to 1-D: same size, and it stops error propagation.
        oneD = costRow1D(width, cur, n) <= costRow2D(width, cur, ref);
      }
      since1D = oneD ? 0 : since1D + 1;
      const tag = oneD ? 1 : 0;
      writeEol(w, o, tag);
      if (o.byteAlign) w.alignToByte();
      if (oneD) encodeRow1D(w, cur, n);
      else encodeRow2D(w, width, cur, ref);
    }
    const t = cur;
    cur = ref;
    ref = t;
  }

  if (o.endMarker) {
    w.ensure(16);
    if (o.coding === 'MMR') {
      if (o.byteAlign) w.alignToByte();
      w.put(EOL_CODE, EOL_LENGTH);
      w.put(EOL_CODE, EOL_LENGTH);
    } else if (useEol) {
      for (let i = 0; i < RTC_EOLS; i++) writeEol(w, o, 1);
    }
  }
  const out = w.finish();
  if (o.fillOrder === 2) toFillOrder2(out);
  return out;
}
