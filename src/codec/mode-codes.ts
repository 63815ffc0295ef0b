/**
 * ITU-T T.4 §4.2.2 / T.6 §2.2 two-dimensional coding: the mode codes (T.4 Table 4, T.6
 * Table 1), the EOL and end-marker codes (T.4 §4.1.2, §4.1.4; T.6 §2.4) and the extension
 * codes that enter uncompressed mode (T.4 Annex A, T.6 §2.2.4 / Table 5).
 */

/** Mode kinds, as stored in the decoder's mode lookup table. 0 = no mode code (7 zero bits). */
export const KIND_ZEROS = 0;
export const KIND_PASS = 1;
export const KIND_HORIZONTAL = 2;
export const KIND_VERTICAL = 3;
export const KIND_EXTENSION = 4;

/** One mode code: [kind, code length, code value, a1 - b1 for vertical modes]. */
export type ModeCode = readonly [kind: number, length: number, code: number, delta: number];

/** T.4 Table 4 / T.6 Table 1: the 2-D mode codes. */
export const MODE_CODES: readonly ModeCode[] = [
  [KIND_PASS, 4, 0x1, 0], //       0001        P: a0 moves under b2
  [KIND_HORIZONTAL, 3, 0x1, 0], // 001         H: followed by the runs a0a1, a1a2
  [KIND_VERTICAL, 1, 0x1, 0], //   1           V0:  a1 = b1
  [KIND_VERTICAL, 3, 0x3, 1], //   011         VR1: a1 = b1 + 1
  [KIND_VERTICAL, 6, 0x3, 2], //   000011      VR2
  [KIND_VERTICAL, 7, 0x3, 3], //   0000011     VR3
  [KIND_VERTICAL, 3, 0x2, -1], //  010         VL1: a1 = b1 - 1
  [KIND_VERTICAL, 6, 0x2, -2], //  000010      VL2
  [KIND_VERTICAL, 7, 0x2, -3], //  0000010     VL3
  [KIND_EXTENSION, 7, 0x1, 0], //  0000001xxx  2-D extension (xxx = 111: uncompressed mode)
];

/** Code of each vertical mode by a1 - b1 + 3, for the encoder: [length, code]. */
export const VERTICAL_CODES: readonly (readonly [number, number])[] = [
  [7, 0x2], // 0000010  VL3
  [6, 0x2], // 000010   VL2
  [3, 0x2], // 010      VL1
  [1, 0x1], // 1        V0
  [3, 0x3], // 011      VR1
  [6, 0x3], // 000011   VR2
  [7, 0x3], // 0000011  VR3
];

export const PASS_LENGTH = 4;
export const PASS_CODE = 0x1; //          0001
export const HORIZONTAL_LENGTH = 3;
export const HORIZONTAL_CODE = 0x1; //    001

/** T.4 §4.1.2 EOL: 000000000001. Never occurs inside a valid row, hence resynchronisation. */
export const EOL_LENGTH = 12;
export const EOL_CODE = 0x001; //         000000000001

/** T.6 §2.4.1 EOFB: two EOLs. */
export const EOFB_LENGTH = 24;
export const EOFB_CODE = 0x001001; //     000000000001 000000000001

/** T.4 §4.1.4 RTC: six EOLs (MR: six EOL+1). */
export const RTC_EOLS = 6;

/** T.4 Annex A: 1-D extension code 000000001xxx with xxx = 111: enter uncompressed mode. */
export const UNCOMPRESSED_1D_LENGTH = 12;
export const UNCOMPRESSED_1D_CODE = 0x00f; // 000000001111

/** T.6 Table 5 / T.4 Annex A: 2-D extension code 0000001xxx with xxx = 111. */
export const UNCOMPRESSED_2D_LENGTH = 10;
export const UNCOMPRESSED_2D_CODE = 0x00f; // 0000001111

/*
 * Uncompressed mode code words (T.4 Table A.1, T.6 Table 5), 0 = white pixel, 1 = black:
 *   1            -> 1             000001      -> 00000
 *   01           -> 01            0000001T    -> exit
 *   001          -> 001           00000001T   -> 0 then exit
 *   0001         -> 0001          000000001T  -> 00 then exit
 *   00001        -> 00001         0000000001T -> 000 then exit
 *                                 00000000001T -> 0000 then exit
 * T is a tag bit: the colour of the next run after the exit (1 = black). So a code word is
 * z zero bits then a one: z <= 4 gives z white pixels and one black, z = 5 gives five
 * white, 6 <= z <= 10 exits after z - 6 white pixels. z >= 11 is not a code word.
 */
export const UNCOMPRESSED_MAX_BLACK_ZEROS = 4;
export const UNCOMPRESSED_FIVE_WHITE_ZEROS = 5;
export const UNCOMPRESSED_EXIT_ZEROS = 6;
export const UNCOMPRESSED_MAX_EXIT_ZEROS = 10;
