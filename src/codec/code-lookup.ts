/**
 * Lookup tables for ITU-T T.4 §4.1.2 (run codes) and T.4 §4.2.2 / T.6 §2.2 (mode codes),
 * built once from run-codes.ts and mode-codes.ts.
 *
 * Decoding is one table read per code word: peek the longest code length in bits (12 for
 * white runs, 13 for black runs, 7 for modes) and read the entry, which gives the code
 * length and the value. Encoding is one table read per code word as well.
 */

import {
  BLACK_MAKEUP,
  BLACK_TERMINATING,
  EXTENDED_MAKEUP,
  WHITE_MAKEUP,
  WHITE_TERMINATING,
  type RunCode,
} from './run-codes.js';
import { MODE_CODES } from './mode-codes.js';

/** Peek widths: the longest white and black run codes and the longest mode code before its extension bits. */
export const WHITE_PEEK = 12;
export const BLACK_PEEK = 13;
export const MODE_PEEK = 7;

/**
 * Run lookup entries are (run << 4) | code length. Length 0 marks bit patterns that are not
 * a code word: LOOKUP_ZEROS when the pattern starts with eight zero bits (an EOL, fill, the
 * 1-D extension or the end of the data: the caller looks further), LOOKUP_INVALID otherwise.
 */
export const LOOKUP_INVALID = 0;
export const LOOKUP_ZEROS = 1 << 4;

/** A run value >= 64 is a make-up code: another code word of the same colour follows. */
export const MAKEUP_MIN = 64;

function buildRunLookup(peek: number, tables: readonly (readonly RunCode[])[]): Uint16Array {
  const lookup = new Uint16Array(1 << peek);
  for (const table of tables) {
    for (const [run, length, code] of table) {
      const shift = peek - length;
      const first = code << shift;
      for (let i = 0; i < 1 << shift; i++) {
        // A clash would mean a transcription error in run-codes.ts: the codes are prefix-free.
        if (lookup[first + i] !== 0) throw new Error(`run code table clash at ${run}`);
        lookup[first + i] = (run << 4) | length;
      }
    }
  }
  // Patterns starting with 8 zeros: no run code has more than 7 leading zeros.
  const zeroPrefix = 1 << (peek - 8);
  for (let i = 0; i < zeroPrefix; i++) lookup[i] = LOOKUP_ZEROS;
  return lookup;
}

/** White run codes by the next 12 bits. */
export const WHITE_LOOKUP = buildRunLookup(WHITE_PEEK, [
  WHITE_TERMINATING,
  WHITE_MAKEUP,
  EXTENDED_MAKEUP,
]);

/** Black run codes by the next 13 bits. */
export const BLACK_LOOKUP = buildRunLookup(BLACK_PEEK, [
  BLACK_TERMINATING,
  BLACK_MAKEUP,
  EXTENDED_MAKEUP,
]);

/**
 * Both colours in one table for the decoder's hot loop: index (black << 13) | next 13 bits,
 * so the colour is an offset instead of a branch. The white half repeats each 12-bit entry.
 */
export const RUN_LOOKUP = ((): Uint16Array => {
  const lookup = new Uint16Array(2 << BLACK_PEEK);
  for (let i = 0; i < 1 << BLACK_PEEK; i++) lookup[i] = WHITE_LOOKUP[i >>> 1];
  lookup.set(BLACK_LOOKUP, 1 << BLACK_PEEK);
  return lookup;
})();

/**
 * Two-run lookup (multi-symbol decoding): index = the next 12 bits; an entry that is not 0
 * says these bits start with a complete terminating code of the first colour followed by a
 * complete terminating code of the other: (length of both << 12) | (first run << 6) |
 * second run. Halftone rows are mostly such pairs of short runs, which then cost one read
 * instead of two. PAIR_WHITE_BLACK serves rows and horizontal modes starting white,
 * PAIR_BLACK_WHITE horizontal modes starting black.
 */
export const PAIR_PEEK = 12;

function buildPairLookup(first: readonly RunCode[], second: readonly RunCode[]): Uint32Array {
  const lookup = new Uint32Array(1 << PAIR_PEEK);
  for (const [run1, length1, code1] of first) {
    for (const [run2, length2, code2] of second) {
      const length = length1 + length2;
      if (length > PAIR_PEEK) continue;
      const shift = PAIR_PEEK - length;
      const start = ((code1 << length2) | code2) << shift;
      for (let i = 0; i < 1 << shift; i++) lookup[start + i] = (length << 12) | (run1 << 6) | run2;
    }
  }
  return lookup;
}

export const PAIR_WHITE_BLACK = buildPairLookup(WHITE_TERMINATING, BLACK_TERMINATING);
export const PAIR_BLACK_WHITE = buildPairLookup(BLACK_TERMINATING, WHITE_TERMINATING);

/**
 * Mode codes by the next 7 bits: kind | length << 4 | (delta + 3) << 8. Entry 0 (kind
 * KIND_ZEROS) is the 0000000 prefix: EOL, EOFB, or the end of the data.
 */
export const MODE_LOOKUP = ((): Uint16Array => {
  const lookup = new Uint16Array(1 << MODE_PEEK);
  for (const [kind, length, code, delta] of MODE_CODES) {
    const shift = MODE_PEEK - length;
    for (let i = 0; i < 1 << shift; i++) {
      lookup[(code << shift) + i] = kind | (length << 4) | ((delta + 3) << 8);
    }
  }
  return lookup;
})();

/**
 * Encoder tables: (code << 4) | length. Terminating codes are indexed by run (0-63);
 * make-up codes by run >> 6 (1-40: 64-1728 from the colour's own table, 1792-2560 from the
 * shared extended table).
 */
export const MAKEUP_SLOTS = 41;

function buildEncodeTerminating(table: readonly RunCode[]): Uint32Array {
  const out = new Uint32Array(64);
  for (const [run, length, code] of table) out[run] = (code << 4) | length;
  return out;
}

function buildEncodeMakeup(table: readonly RunCode[]): Uint32Array {
  const out = new Uint32Array(MAKEUP_SLOTS);
  for (const [run, length, code] of table) out[run >> 6] = (code << 4) | length;
  for (const [run, length, code] of EXTENDED_MAKEUP) out[run >> 6] = (code << 4) | length;
  return out;
}

export const WHITE_TERMINATING_CODES = buildEncodeTerminating(WHITE_TERMINATING);
export const BLACK_TERMINATING_CODES = buildEncodeTerminating(BLACK_TERMINATING);

/** Longest white + black code pair in PAIR_CODES: the row coder's window holds 15 pending bits plus 16. */
export const PAIR_MAX_LENGTH = 16;

/**
 * A white run and the black run after it, both under 64 (terminating codes only), as one
 * code word: index (white << 6) | black, entry (white code, black code) << 5 | length, or
 * 0 when the pair is longer than PAIR_MAX_LENGTH bits. Halftone and text rows are mostly
 * such pairs, which then cost one table read and one write to the bit window instead of two.
 */
export const PAIR_CODES = ((): Uint32Array => {
  const out = new Uint32Array(64 * 64);
  for (const [white, wl, wc] of WHITE_TERMINATING) {
    for (const [black, bl, bc] of BLACK_TERMINATING) {
      if (wl + bl <= PAIR_MAX_LENGTH) out[(white << 6) | black] = (((wc << bl) | bc) << 5) | (wl + bl);
    }
  }
  return out;
})();
export const WHITE_MAKEUP_CODES = buildEncodeMakeup(WHITE_MAKEUP);
export const BLACK_MAKEUP_CODES = buildEncodeMakeup(BLACK_MAKEUP);

/** Longest run coded without repeating the 2560 make-up code (T.4 §4.1.1.2: 2560 + 63). */
export const MAX_SINGLE_MAKEUP_RUN = 2623;
export const EXTENDED_MAKEUP_MAX = 2560;
