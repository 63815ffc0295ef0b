/**
 * Uncompressed mode: ITU-T T.4 Annex A and T.6 §2.2.4 (Table 5). Entered by the extension
 * code (1-D 000000001111, 2-D 0000001111) in place of a run or mode code; pixels are then
 * sent nearly one bit each until an exit code, whose tag bit gives the colour of the next
 * run. Rare in practice (no common encoder writes it) but part of the standard, so decoded
 * rather than rejected.
 */

import type { DecodeState } from './decode-state.js';
import { ROW_BAD_CODE, ROW_DONE, ROW_TOO_MANY_CHANGES } from './decode-state.js';
import {
  UNCOMPRESSED_EXIT_ZEROS,
  UNCOMPRESSED_FIVE_WHITE_ZEROS,
  UNCOMPRESSED_MAX_BLACK_ZEROS,
  UNCOMPRESSED_MAX_EXIT_ZEROS,
} from './mode-codes.js';

/** Appends `count` pixels of one colour (0 white, 1 black) at a0, clipping at the width. */
function pixels(s: DecodeState, colour: number, count: number): boolean {
  if (count === 0) return true;
  if ((s.n & 1) !== colour) {
    if (s.n >= s.cap) return false;
    s.cur[s.n++] = s.a0 < s.width ? s.a0 : s.width;
  }
  s.a0 += count;
  return true;
}

/**
 * Decodes uncompressed-mode code words from the reader's position (just after the
 * extension code) through the exit code and its tag bit. Afterwards a0 is the next pixel
 * and the colour of the current run (the parity of the change count) is the tag's; the
 * 2-D reference index restarts at the beginning of the reference row. Returns ROW_DONE to
 * resume the row, or ROW_BAD_CODE / ROW_TOO_MANY_CHANGES.
 */
export function decodeUncompressed(s: DecodeState): number {
  if (s.a0 < 0) s.a0 = 0;
  // Each code word consumes at least one bit and the data is finite: zero bits past the
  // end of the data never form a code word (11 zeros), so the loop ends there.
  for (;;) {
    const bits = s.peek(12);
    if (bits === 0) return ROW_BAD_CODE;
    const zeros = Math.clz32(bits) - 20;
    s.skip(zeros + 1);
    if (zeros <= UNCOMPRESSED_MAX_BLACK_ZEROS) {
      if (!pixels(s, 0, zeros) || !pixels(s, 1, 1)) return ROW_TOO_MANY_CHANGES;
    } else if (zeros === UNCOMPRESSED_FIVE_WHITE_ZEROS) {
      if (!pixels(s, 0, 5)) return ROW_TOO_MANY_CHANGES;
    } else if (zeros <= UNCOMPRESSED_MAX_EXIT_ZEROS) {
      if (!pixels(s, 0, zeros - UNCOMPRESSED_EXIT_ZEROS)) return ROW_TOO_MANY_CHANGES;
      const tag = s.readBit();
      if ((s.n & 1) !== tag) {
        if (s.n >= s.cap) return ROW_TOO_MANY_CHANGES;
        s.cur[s.n++] = s.a0 < s.width ? s.a0 : s.width;
      }
      if (s.a0 > s.width) {
        s.a0 = s.width;
        s.tooLong = true;
      }
      s.j = s.n & 1;
      return ROW_DONE;
    } else {
      return ROW_BAD_CODE;
    }
    if (s.a0 > s.width + 8) {
      // Far past the row: not a row of this width, stop before the list grows further.
      return ROW_BAD_CODE;
    }
  }
}
