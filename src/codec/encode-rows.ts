/**
 * Row coders: ITU-T T.4 §4.1 one-dimensional coding (MH rows, also the 1-D rows of MR) and
 * T.4 §4.2.1.3 / T.6 §2.2 two-dimensional coding (MR 2-D rows, MMR), both working on lists
 * of changing elements (changes.ts). Each coder has a cost twin that counts bits without
 * writing, for the per-row 1-D / 2-D choice of `k: 'cost'`.
 */

import type { BitWriter } from './bit-writer.js';
import {
  BLACK_MAKEUP_CODES,
  BLACK_TERMINATING_CODES,
  EXTENDED_MAKEUP_MAX,
  MAX_SINGLE_MAKEUP_RUN,
  PAIR_CODES,
  WHITE_MAKEUP_CODES,
  WHITE_TERMINATING_CODES,
} from './code-lookup.js';
import {
  HORIZONTAL_CODE,
  HORIZONTAL_LENGTH,
  PASS_CODE,
  PASS_LENGTH,
  VERTICAL_CODES,
} from './mode-codes.js';

const VERTICAL_PACKED = Uint32Array.from(VERTICAL_CODES, ([length, code]) => (code << 4) | length);

/**
 * Bits of one run (T.4 §4.1.1.2): runs of 2624 and more repeat the 2560 make-up code, then
 * one make-up code (if 64 or more is left) and one terminating code; the same choice as
 * libtiff's putspan, so the output matches it bit for bit.
 */
function runBits(run: number, black: number): number {
  const makeup = black ? BLACK_MAKEUP_CODES : WHITE_MAKEUP_CODES;
  let bits = 0;
  while (run >= 64) {
    const m = run > MAX_SINGLE_MAKEUP_RUN ? EXTENDED_MAKEUP_MAX : run & ~63;
    bits += makeup[m >> 6] & 15;
    run -= m;
  }
  return bits + ((black ? BLACK_TERMINATING_CODES : WHITE_TERMINATING_CODES)[run] & 15);
}

/*
 * The writers below keep the BitWriter's fields in locals and emit code words inline:
 *   acc = (acc << length) | code; bits += length; and once 16 bits are pending, two bytes
 *   go out. With at most 15 pending bits and codes of at most 13 bits, acc never needs
 *   more than 28 bits (31 after a PAIR_CODES pair of up to 16 bits). Run codes follow
 *   runBits's choice (libtiff's putspan).
 * Make-up codes come from one loop whose first step may be a repeated 2560: a separate loop
 * for runs over 2623, which no page narrower than that ever enters, had no type feedback
 * when TurboFan compiled the coder, and deoptimised it on the first wide page.
 */

/**
 * T.4 §4.1: one row as alternating white and black runs, starting white; written as a
 * white half and a black half per step so each uses its own tables. cur[n] onwards are
 * sentinels equal to the width, so the last run needs no special case.
 */
export function encodeRow1D(w: BitWriter, cur: Int32Array, n: number): void {
  const buf = w.buf;
  let pos = w.pos;
  let acc = w.acc;
  let bits = w.bits;
  let a0 = 0;
  let e: number;
  let run: number;
  for (let i = 0; ; i += 2) {
    let to = cur[i];
    run = to - a0;
    if (i < n) {
      // A white and a black terminating code as one pair (PAIR_CODES), when both are short.
      const black = cur[i + 1] - to;
      e = (run | black) < 64 ? PAIR_CODES[(run << 6) | black] : 0;
      if (e !== 0) {
        acc = (acc << (e & 31)) | (e >>> 5);
        bits += e & 31;
        if (bits >= 16) {
          bits -= 16;
          buf[pos] = acc >>> (bits + 8);
          buf[pos + 1] = acc >>> bits;
          pos += 2;
        }
        a0 = to + black;
        if (i + 1 >= n) break;
        continue;
      }
    }
    a0 = to;
    while (run >= 64) {
      const makeup = run > MAX_SINGLE_MAKEUP_RUN ? EXTENDED_MAKEUP_MAX : run & ~63;
      e = WHITE_MAKEUP_CODES[makeup >> 6];
      acc = (acc << (e & 15)) | (e >>> 4);
      bits += e & 15;
      if (bits >= 16) {
        bits -= 16;
        buf[pos] = acc >>> (bits + 8);
        buf[pos + 1] = acc >>> bits;
        pos += 2;
      }
      run -= makeup;
    }
    e = WHITE_TERMINATING_CODES[run];
    acc = (acc << (e & 15)) | (e >>> 4);
    bits += e & 15;
    if (bits >= 16) {
      bits -= 16;
      buf[pos] = acc >>> (bits + 8);
      buf[pos + 1] = acc >>> bits;
      pos += 2;
    }
    if (i >= n) break;
    to = cur[i + 1];
    run = to - a0;
    a0 = to;
    while (run >= 64) {
      const makeup = run > MAX_SINGLE_MAKEUP_RUN ? EXTENDED_MAKEUP_MAX : run & ~63;
      e = BLACK_MAKEUP_CODES[makeup >> 6];
      acc = (acc << (e & 15)) | (e >>> 4);
      bits += e & 15;
      if (bits >= 16) {
        bits -= 16;
        buf[pos] = acc >>> (bits + 8);
        buf[pos + 1] = acc >>> bits;
        pos += 2;
      }
      run -= makeup;
    }
    e = BLACK_TERMINATING_CODES[run];
    acc = (acc << (e & 15)) | (e >>> 4);
    bits += e & 15;
    if (bits >= 16) {
      bits -= 16;
      buf[pos] = acc >>> (bits + 8);
      buf[pos + 1] = acc >>> bits;
      pos += 2;
    }
    if (i + 1 >= n) break;
  }
  w.pos = pos;
  w.acc = acc;
  w.bits = bits;
}

export function costRow1D(width: number, cur: Int32Array, n: number): number {
  let a0 = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const a1 = cur[i];
    bits += runBits(a1 - a0, i & 1);
    a0 = a1;
  }
  return bits + runBits(width - a0, n & 1);
}

/*
 * T.4 §4.2.1.3.4 / T.6 §2.2.3 mode choice, on change lists. a0 starts left of column 0
 * (-1) and white. a1 = cur[i]: i has the parity of a0's colour (even: a1 turns black).
 * b1 = ref[j], the first change of the reference row right of a0 whose colour is opposite
 * to a0's, so j has the same parity; b2 = ref[j + 1].
 *   b2 < a1           pass:       a0 = b2
 *   |a1 - b1| <= 3    vertical:   a0 = a1
 *   otherwise         horizontal: runs a0a1 and a1a2, a0 = a2
 * After a vertical mode the colour flips and j moves back one: ref[j - 1] may lie right of
 * the new a0 (VL), while ref[j - 3] <= ref[j - 2] <= old a0 cannot.
 */

export function encodeRow2D(
  w: BitWriter,
  width: number,
  cur: Int32Array,
  ref: Int32Array,
): void {
  const buf = w.buf;
  let pos = w.pos;
  let acc = w.acc;
  let bits = w.bits;
  let a0 = -1;
  let i = 0;
  let j = 0;
  let e: number;
  for (;;) {
    const a1 = cur[i];
    while (ref[j] <= a0) j += 2; // stops at a sentinel: a0 < width
    const b1 = ref[j];
    const b2 = ref[j + 1];
    if (b2 < a1) {
      acc = (acc << PASS_LENGTH) | PASS_CODE;
      bits += PASS_LENGTH;
      a0 = b2;
      j += 2;
    } else if (a1 - b1 <= 3 && a1 - b1 >= -3) {
      e = VERTICAL_PACKED[a1 - b1 + 3];
      acc = (acc << (e & 15)) | (e >>> 4);
      bits += e & 15;
      a0 = a1;
      i++;
      j = j > 0 ? j - 1 : 1;
    } else {
      acc = (acc << HORIZONTAL_LENGTH) | HORIZONTAL_CODE;
      bits += HORIZONTAL_LENGTH;
      // Runs a0a1 (a0's colour) and a1a2, each as make-ups plus a terminating code.
      let from = a0 < 0 ? 0 : a0;
      for (let k = 0; k < 2; k++) {
        const to = cur[i + k];
        let run = to - from;
        from = to;
        const black = (i + k) & 1;
        const makeup = black ? BLACK_MAKEUP_CODES : WHITE_MAKEUP_CODES;
        if (bits >= 16) {
          bits -= 16;
          buf[pos] = acc >>> (bits + 8);
          buf[pos + 1] = acc >>> bits;
          pos += 2;
        }
        while (run >= 64) {
          const m = run > MAX_SINGLE_MAKEUP_RUN ? EXTENDED_MAKEUP_MAX : run & ~63;
          e = makeup[m >> 6];
          acc = (acc << (e & 15)) | (e >>> 4);
          bits += e & 15;
          if (bits >= 16) {
            bits -= 16;
            buf[pos] = acc >>> (bits + 8);
            buf[pos + 1] = acc >>> bits;
            pos += 2;
          }
          run -= m;
        }
        e = (black ? BLACK_TERMINATING_CODES : WHITE_TERMINATING_CODES)[run];
        acc = (acc << (e & 15)) | (e >>> 4);
        bits += e & 15;
      }
      a0 = from;
      i += 2;
    }
    if (bits >= 16) {
      bits -= 16;
      buf[pos] = acc >>> (bits + 8);
      buf[pos + 1] = acc >>> bits;
      pos += 2;
    }
    if (a0 >= width) break;
  }
  w.pos = pos;
  w.acc = acc;
  w.bits = bits;
}

export function costRow2D(width: number, cur: Int32Array, ref: Int32Array): number {
  let bits = 0;
  let a0 = -1;
  let i = 0;
  let j = 0;
  for (;;) {
    const a1 = cur[i];
    while (ref[j] <= a0) j += 2; // stops at a sentinel: a0 < width
    const b1 = ref[j];
    const b2 = ref[j + 1];
    if (b2 < a1) {
      bits += PASS_LENGTH;
      a0 = b2;
      j += 2;
      continue;
    }
    const d = a1 - b1;
    if (d >= -3 && d <= 3) {
      bits += VERTICAL_PACKED[d + 3] & 15;
      a0 = a1;
      i++;
      j = j > 0 ? j - 1 : 1;
    } else {
      const a2 = cur[i + 1];
      bits += HORIZONTAL_LENGTH + runBits(a1 - (a0 < 0 ? 0 : a0), i & 1);
      bits += runBits(a2 - a1, (i & 1) ^ 1);
      a0 = a2;
      i += 2;
    }
    if (a0 >= width) return bits;
  }
}

/** Upper bound of the bytes one coded row can take, for BitWriter.ensure. */
export function rowBytesBound(width: number, changes: number): number {
  // Per change at most a mode code plus two runs (2 x 25 bits); long runs add 12 bits per 2560.
  return ((changes + 2) * 8) + (width >> 7) + 16;
}
