/**
 * Row decoders: ITU-T T.4 §4.1 one-dimensional rows (MH, MR 1-D rows) and T.4 §4.2.1.3 /
 * T.6 §2.2 two-dimensional rows (MR 2-D rows, MMR), producing lists of changing elements
 * (changes.ts). One table read per code word (code-lookup.ts).
 *
 * These are the hot loops, so the bit reader's window (acc, cnt, pos) is copied into locals
 * on entry and written back on exit, and the refill and run-decoding steps are written out
 * inline (JS has no macros, and a function call per code word measured clearly slower).
 * Two more shortcuts, both measured: runs of V0 codes are taken from one look at the
 * window, and a pair of short terminating codes is read with one lookup (code-lookup.ts).
 * Refill: with fewer than 13 bits (the longest code) in the window, load two bytes, zero
 * bits past the end of the data (see bit-reader.ts). The end is handled inside the one
 * refill expression, not in a separate branch: a branch that only the last bytes of a strip
 * take has no type feedback when TurboFan compiles the loop, so taking it deoptimised the
 * decoder at the end of a page and the next page ran slow code (measured: a 600-dpi page
 * decoded 2-4x slower right after such a deoptimisation).
 * Run decoding (T.4 §4.1.1): make-up codes (value >= 64) add up until a terminating code.
 *
 * The decoders are resumable: a0, the change count and the reference index live in the
 * state, so the driver can step in for an EOL check or uncompressed mode and carry on.
 * Safety: every loop iteration consumes bits or moves a0 right or appends a change, the
 * change list is bounded (`cap`; more changes than that ends the row as bad, cf. libtiff
 * #513 / CVE-2011-0192) and positions are clipped to the width.
 */

import {
  BLACK_LOOKUP,
  BLACK_PEEK,
  LOOKUP_ZEROS,
  MAKEUP_MIN,
  MODE_LOOKUP,
  MODE_PEEK,
  PAIR_BLACK_WHITE,
  PAIR_PEEK,
  PAIR_WHITE_BLACK,
  RUN_LOOKUP,
  WHITE_LOOKUP,
  WHITE_PEEK,
} from './code-lookup.js';
import {
  KIND_EXTENSION,
  KIND_HORIZONTAL,
  KIND_PASS,
  KIND_VERTICAL,
  UNCOMPRESSED_2D_CODE,
  UNCOMPRESSED_2D_LENGTH,
} from './mode-codes.js';
import {
  DecodeState,
  ROW_BAD_CODE,
  ROW_DONE,
  ROW_TOO_MANY_CHANGES,
  ROW_UNCOMPRESSED,
  ROW_ZEROS,
} from './decode-state.js';

/**
 * A row whose last run or vertical mode went past the width: only the final changes can
 * (the row ends as soon as a0 reaches the width), so the hot loops leave the clipping to
 * this. Returns the clipped a0.
 */
function clipRow(s: DecodeState, n: number): number {
  const width = s.width;
  for (let k = n - 1; k >= 0 && s.cur[k] > width; k--) s.cur[k] = width;
  s.tooLong = true;
  return width;
}

/**
 * T.4 §4.1: runs alternate white, black, ... until the width is reached. Written as a white
 * half and a black half so each reads its own table; a row resumed after uncompressed mode
 * may start with the black half.
 */
export function decodeRow1D(s: DecodeState): number {
  const width = s.width;
  const cur = s.cur;
  const cap = s.cap;
  const data = s.data;
  const end = s.end;
  let acc = s.acc;
  let cnt = s.cnt;
  let pos = s.pos;
  let a0 = s.a0;
  let n = s.n;
  let status = ROW_DONE;
  runs: while (a0 < width) {
    if (n + 2 > cap) {
      status = ROW_TOO_MANY_CHANGES;
      break;
    }
    if ((n & 1) === 0) {
      if (cnt < BLACK_PEEK) {
        acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
        pos += 2;
        cnt += 16;
      }
      // A white and a black terminating code in the next 12 bits: both runs at once, unless
      // the white run ends the row (then the black code is not this row's).
      const pair = PAIR_WHITE_BLACK[(acc >>> (cnt - PAIR_PEEK)) & 0xfff];
      if (pair !== 0 && a0 + ((pair >>> 6) & 63) < width) {
        cnt -= pair >>> 12;
        a0 += (pair >>> 6) & 63;
        cur[n++] = a0;
        a0 += pair & 63;
        cur[n++] = a0;
        continue;
      }
      let run = 0;
      for (;;) {
        if (cnt < BLACK_PEEK) {
          acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
          pos += 2;
          cnt += 16;
        }
        const e = WHITE_LOOKUP[(acc >>> (cnt - WHITE_PEEK)) & 0xfff];
        const length = e & 15;
        if (length === 0) {
          if (run > 0 && e === LOOKUP_ZEROS) break; // make-up without terminating code
          status = e === LOOKUP_ZEROS ? ROW_ZEROS : ROW_BAD_CODE;
          break runs;
        }
        cnt -= length;
        const v = e >>> 4;
        run += v;
        if (v < MAKEUP_MIN) break;
      }
      a0 += run;
      cur[n++] = a0;
      if (a0 >= width) break;
    }
    {
      let run = 0;
      for (;;) {
        if (cnt < BLACK_PEEK) {
          acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
          pos += 2;
          cnt += 16;
        }
        const e = BLACK_LOOKUP[(acc >>> (cnt - BLACK_PEEK)) & 0x1fff];
        const length = e & 15;
        if (length === 0) {
          if (run > 0 && e === LOOKUP_ZEROS) break; // make-up without terminating code
          status = e === LOOKUP_ZEROS ? ROW_ZEROS : ROW_BAD_CODE;
          break runs;
        }
        cnt -= length;
        const v = e >>> 4;
        run += v;
        if (v < MAKEUP_MIN) break;
      }
      a0 += run;
      cur[n++] = a0;
    }
  }
  if (a0 > width) a0 = clipRow(s, n);
  s.acc = acc;
  s.cnt = cnt;
  s.pos = pos;
  s.a0 = a0;
  s.n = n;
  return status;
}

/** T.4 §4.2.1.3 / T.6 §2.2: modes against the reference row, see encode-rows.ts. */
export function decodeRow2D(s: DecodeState): number {
  const width = s.width;
  const cur = s.cur;
  const ref = s.ref;
  const cap = s.cap;
  const data = s.data;
  const end = s.end;
  let acc = s.acc;
  let cnt = s.cnt;
  let pos = s.pos;
  let a0 = s.a0;
  let n = s.n;
  let j = s.j;
  let status = ROW_DONE;
  modes: while (a0 < width) {
    if (cnt < BLACK_PEEK) {
      acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
      pos += 2;
      cnt += 16;
    }
    if ((acc >>> (cnt - 1)) & 1) {
      // V0 (code 1), by far the most common mode: take every V0 in the window at once.
      // Each sets a1 = b1 and flips the colour; no lookup, no a1 < a0 check (b1 > a0).
      let ones = Math.clz32(~(acc << (32 - cnt)));
      if (n + ones > cap) {
        // Only as many as the change list holds; the row decides whether it needs more.
        ones = cap - n;
        if (ones <= 0) {
          status = ROW_TOO_MANY_CHANGES;
          break;
        }
      }
      // After a V0 the next b1 is at j + 1 or beyond (the scan steps over positions the
      // reference row repeats): the other modes step back to j - 1, which a V0 never needs.
      let taken = 0;
      do {
        while (ref[j] <= a0) j += 2; // stops at a sentinel: a0 < width
        a0 = ref[j];
        cur[n++] = a0;
        j++;
        taken++;
      } while (taken < ones && a0 < width);
      cnt -= taken;
      continue;
    }
    const e = MODE_LOOKUP[(acc >>> (cnt - MODE_PEEK)) & 0x7f];
    const kind = e & 15;
    if (kind === KIND_VERTICAL) {
      while (ref[j] <= a0) j += 2; // stops at a sentinel: a0 < width
      const shifted = e >>> 8; // delta + 3
      const a1 = ref[j] + shifted - 3;
      if (a1 < a0 || a1 < 0) {
        // a1 left of a0: the code does not fit this reference row.
        status = ROW_BAD_CODE;
        break;
      }
      if (n >= cap) {
        status = ROW_TOO_MANY_CHANGES;
        break;
      }
      cnt -= (e >>> 4) & 15;
      cur[n++] = a1;
      a0 = a1;
      // After V0 / VR the next b1 lies beyond j (ref[j - 1] <= b1 <= a1); after VL it may be
      // ref[j - 1] (VL1 too: the reference row may repeat a position, a zero-length run).
      j = shifted >= 3 ? j + 1 : j > 0 ? j - 1 : 1;
    } else if (kind === KIND_HORIZONTAL) {
      if (n + 2 > cap) {
        status = ROW_TOO_MANY_CHANGES;
        break;
      }
      cnt -= 3;
      let a1 = a0 < 0 ? 0 : a0;
      if (cnt < PAIR_PEEK) {
        acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
        pos += 2;
        cnt += 16;
      }
      // Two short terminating codes in the next 12 bits: both runs in one read.
      const pair = (n & 1 ? PAIR_BLACK_WHITE : PAIR_WHITE_BLACK)[(acc >>> (cnt - PAIR_PEEK)) & 0xfff];
      if (pair !== 0) {
        cnt -= pair >>> 12;
        a1 += (pair >>> 6) & 63;
        cur[n++] = a1;
        a0 = a1 + (pair & 63);
        cur[n++] = a0;
        continue;
      }
      // Two runs: a0a1 in a0's colour, a1a2 in the other.
      for (let k = 0; k < 2; k++) {
        const colour = ((n + k) & 1) << BLACK_PEEK;
        let run = 0;
        for (;;) {
          if (cnt < BLACK_PEEK) {
            acc = (acc << 16) | (pos < end ? data[pos] << 8 : 0) | (pos + 1 < end ? data[pos + 1] : 0);
            pos += 2;
            cnt += 16;
          }
          const r = RUN_LOOKUP[colour | ((acc >>> (cnt - BLACK_PEEK)) & 0x1fff)];
          const length = r & 15;
          if (length === 0) {
            if (run > 0 && r === LOOKUP_ZEROS) break; // make-up without terminating code, see decodeRow1D
            status = r === LOOKUP_ZEROS ? ROW_ZEROS : ROW_BAD_CODE;
            break modes;
          }
          cnt -= length;
          const v = r >>> 4;
          run += v;
          if (v < MAKEUP_MIN) break;
        }
        a1 += run;
        cur[n + k] = a1;
      }
      n += 2;
      a0 = a1;
    } else if (kind === KIND_PASS) {
      while (ref[j] <= a0) j += 2; // stops at a sentinel: a0 < width
      cnt -= 4;
      a0 = ref[j + 1];
      j += 2;
    } else if (kind === KIND_EXTENSION) {
      if (((acc >>> (cnt - UNCOMPRESSED_2D_LENGTH)) & 0x3ff) === UNCOMPRESSED_2D_CODE) {
        cnt -= UNCOMPRESSED_2D_LENGTH;
        status = ROW_UNCOMPRESSED;
      } else {
        status = ROW_BAD_CODE;
      }
      break;
    } else {
      status = ROW_ZEROS;
      break;
    }
  }
  if (a0 > width) a0 = clipRow(s, n);
  s.acc = acc;
  s.cnt = cnt;
  s.pos = pos;
  s.a0 = a0;
  s.n = n;
  s.j = j;
  return status;
}
