/**
 * Strip decoder: the row loop around the row decoders, with the framing of ITU-T T.4
 * §4.1.2-4.1.4 (EOL, fill, RTC, MR tag bits of §4.2.1.1) and T.6 §2.4 (EOFB), the byte
 * alignment options, and the leniency fax data needs.
 *
 * Leniency and its reasons:
 * - EOLs are optional before every MH row (T4Options 0 data written without any, libtiff
 *   #54), may follow any number of fill zeros (T.4 FILL, T4Options bit 2), and 2-5
 *   EOLs followed by more rows are taken as stray EOLs; 6, or 2+ at the end of the data,
 *   are RTC. Once a strip has shown an EOL, a row without one means the row before had
 *   extra codes: skipped to the next EOL (ROW_TOO_LONG), except for one zero-length run,
 *   which some encoders append to rows ending black and which is skipped silently.
 * - A strip whose first row has no EOL in front but one right after it (g3aoe.tif,
 *   CombiFAX: "row EOL row EOL ...") starts at that EOL, as in libtiff and the JDK: the
 *   T.4 page begins with an EOL, so what precedes it is not taken as a row, and a page
 *   ifax decodes is the page every other viewer shows, row for row.
 * - byteAlign (Go Align, PDF EncodedByteAlign): each row's code starts on a byte
 *   boundary, after its EOL (and tag bit). Pad bits plus a row's first code can look like
 *   an EOL, so only the first EOL before a row is taken and RTC needs more evidence
 *   (rtcAfterAlignedEol); EOL-free aligned MH wider than 1791 columns needs `eol: false`.
 * - A row that ends early at an EOL is padded white (ROW_TOO_SHORT), one that runs past the
 *   width is clipped (ROW_TOO_LONG), one cut off by the end of the data is padded
 *   (PREMATURE_END). Their pixels are what the sender coded, so they are kept, not
 *   concealed; they count as decoded and as damaged rows (like TIFF BadFaxLines).
 *   A make-up code directly followed by an EOL counts as if its terminating 0 were there
 *   (decode-rows.ts), as libtiff does. In MMR an EOL inside a row ends the data.
 * - A bad code damages its row: MH/MR resynchronise at the next EOL (an EOL never occurs in
 *   a valid row) and the row is concealed by repeating the row above, as fax machines do.
 *   MMR has no EOLs, so after a bad code nothing in the strip can be trusted: the bad row
 *   is concealed the same way and the remaining rows are left white (MISSING_ROWS), which
 *   shows the loss instead of smearing one row down the page.
 * - Missing rows (data ends early) are white, i.e. 0 bits, whatever blackIs1 says: they
 *   show as blank paper.
 * - If the first row fails and at most half of the rows decode cleanly (or there is no
 *   row at all) and no end marker is seen, the data is not fax data of this kind:
 *   IfaxError FAX_DECODE_FAILED is thrown rather than a page of noise returned.
 */

import { IfaxError } from '../errors.js';
import { MAX_DIAGNOSTICS_PER_PAGE } from '../limits.js';
import { decodeRow1D, decodeRow2D } from './decode-rows.js';
import {
  acquireState,
  DecodeState,
  releaseState,
  ROW_BAD_CODE,
  ROW_DONE,
  ROW_END_OF_DATA,
  ROW_PREMATURE_EOL,
  ROW_TOO_MANY_CHANGES,
  ROW_UNCOMPRESSED,
  ROW_ZEROS,
} from './decode-state.js';
import {
  EOFB_CODE,
  EOFB_LENGTH,
  EOL_CODE,
  EOL_LENGTH,
  RTC_EOLS,
  UNCOMPRESSED_1D_CODE,
  UNCOMPRESSED_1D_LENGTH,
} from './mode-codes.js';
import type { ResolvedOptions } from './options.js';
import { paintRow } from './paint-row.js';
import type { RowSink } from './row-sink.js';
import type { FaxDiagnostic, FaxStripResult } from './types.js';
import { decodeUncompressed } from './uncompressed-mode.js';

function addDiagnostic(list: FaxDiagnostic[], row: number, code: FaxDiagnostic['code'], message: string): void {
  // A badly damaged page must not grow an unbounded list (MAX_DIAGNOSTICS_PER_PAGE).
  if (list.length < MAX_DIAGNOSTICS_PER_PAGE) list.push({ row, code, message });
}

/** Decodes one row, stepping in for zero runs and uncompressed mode. */
function decodeRow(s: DecodeState, twoD: boolean): number {
  for (;;) {
    let status = twoD ? decodeRow2D(s) : decodeRow1D(s);
    if (status === ROW_ZEROS) {
      if (s.bitPos >= s.totalBits) return ROW_END_OF_DATA;
      if (!twoD && s.peek(UNCOMPRESSED_1D_LENGTH) === UNCOMPRESSED_1D_CODE) {
        s.skip(UNCOMPRESSED_1D_LENGTH);
        status = ROW_UNCOMPRESSED;
      } else {
        const zeros = s.zerosAhead();
        if (s.bitPos + zeros >= s.totalBits) return ROW_END_OF_DATA;
        return zeros >= 11 ? ROW_PREMATURE_EOL : ROW_BAD_CODE;
      }
    }
    if (status !== ROW_UNCOMPRESSED) return status;
    status = decodeUncompressed(s);
    if (status !== ROW_DONE) return status;
  }
}

/** An EOL at the reader's position, after fill zeros unless `exact`. */
function eolAhead(s: DecodeState, exact: boolean): boolean {
  const bits = s.peek(EOL_LENGTH);
  if (bits === EOL_CODE) return true;
  if (exact || bits >>> 1 !== 0) return false;
  const zeros = s.zerosAhead();
  return zeros >= 11 && s.bitPos + zeros < s.totalBits;
}

function consumeEol(s: DecodeState): void {
  if (s.peek(EOL_LENGTH) === EOL_CODE) s.skip(EOL_LENGTH);
  else s.seek(s.bitPos + s.zerosAhead() + 1);
}

/** One EOL at the position that is not the start of RTC (more rows follow it). */
function singleEolAhead(s: DecodeState, mr: boolean): boolean {
  if (!eolAhead(s, false)) return false;
  const at = s.bitPos;
  consumeEol(s);
  if (mr) s.skip(1); // the tag bit (T.4 §4.2.1.1)
  const more = eolAhead(s, false) || s.bitPos >= s.totalBits;
  s.seek(at);
  return !more;
}

const WHITE_ZERO_RUN = 0x35; // 00110101
const BLACK_ZERO_RUN = 0x37; // 0000110111

/**
 * Some encoders end every row on a white run, so a row ending black gets a zero-length
 * white run after its last pixel (libtiff's miniswhite-1c-1b.g3 has one on its last row).
 * When an EOL is due, such a run is skipped without a diagnostic, as libtiff does. Returns
 * true when an EOL follows it.
 */
function skipZeroRunBeforeEol(s: DecodeState): boolean {
  const at = s.bitPos;
  if (s.peek(8) === WHITE_ZERO_RUN) s.skip(8);
  else if (s.peek(10) === BLACK_ZERO_RUN) s.skip(10);
  else return false;
  if (eolAhead(s, false)) return true;
  s.seek(at);
  return false;
}

/**
 * Nothing but zero bytes from here (strips padded with zeros, fill after the last row):
 * not a row. Cheap unless the next 12 bits are zero, which no row starts with.
 */
function zeroFillLeft(s: DecodeState): boolean {
  return s.peek(EOL_LENGTH) === 0 && restIsZero(s);
}

/** Only zero bits (or nothing) left. */
function restIsZero(s: DecodeState): boolean {
  return s.bitPos >= s.totalBits || s.zerosAhead() >= s.bitsLeft;
}

/**
 * Fewer than 8 bits left, all equal: the pad bits of the last byte (writers pad with zeros
 * or ones, golang/go#34809), not a row. Used only when the height is unknown: all-white
 * MMR rows are one bit each, so with a known height such bits are decoded as rows.
 */
function onlyPadLeft(s: DecodeState): boolean {
  const left = s.bitsLeft;
  if (left >= 8) return false;
  const bits = s.peek(left);
  return bits === 0 || bits === (1 << left) - 1;
}

/**
 * EOFB (or a lone EOL, equally final in MMR) at the position: consumes it and returns the
 * EOLs found. With `full`, only a whole EOFB counts: before byte alignment, pad bits and a
 * row's first mode code can look like one EOL (6 zeros + 0000010), never like two.
 */
function mmrEndAhead(s: DecodeState, full: boolean): 0 | 1 | 2 {
  if (s.peek(EOL_LENGTH) !== EOL_CODE) return 0;
  if (full && s.peek(EOFB_LENGTH) !== EOFB_CODE) return 0;
  s.skip(EOL_LENGTH);
  if (s.peek(EOL_LENGTH) !== EOL_CODE) return 1;
  s.skip(EOL_LENGTH);
  return 2;
}

/**
 * byteAlign MH/MR, just after an EOL (and tag bit): is this RTC? Pad bits plus a row's
 * first code can look like one more EOL: in MH an extended make-up (7 zeros, a one), after
 * which at most 10 zeros come before the next one bit, so two more EOLs (fill allowed) are
 * RTC. In MR a row of a single 6- or 7-bit vertical code (narrow pages) is swallowed whole by
 * such a false EOL and its tag bit, so MR needs all six EOLs, or three and nothing after.
 * Consumes the EOLs if they are RTC, else leaves the position as it was.
 */
function rtcAfterAlignedEol(s: DecodeState, mr: boolean): boolean {
  const at = s.bitPos;
  let eols = 1;
  while (eolAhead(s, false)) {
    consumeEol(s);
    if (mr) s.readBit();
    eols++;
  }
  if (eols >= RTC_EOLS || (eols >= 3 && (!mr || restIsZero(s)))) return true;
  s.seek(at);
  return false;
}

/**
 * Decodes up to `rows` rows of one strip into the sink from row `rowOffset` on. In stream
 * mode (`stream`), rows are decoded until the end marker or the end of the data and the
 * sink grows; the row count found is rowOffset + result.rowsDecoded.
 */
export function decodeStrip(
  data: Uint8Array,
  o: ResolvedOptions,
  sink: RowSink,
  rowOffset: number,
  rows: number,
  stream: boolean,
): FaxStripResult {
  // The state (two change lists) is reused from the previous strip of this width.
  const s = acquireState(data, o.fillOrder, o.width);
  try {
    return decodeRows(s, data, o, sink, rowOffset, rows, stream);
  } finally {
    releaseState(s);
  }
}

function decodeRows(
  s: DecodeState,
  data: Uint8Array,
  o: ResolvedOptions,
  sink: RowSink,
  rowOffset: number,
  rows: number,
  stream: boolean,
): FaxStripResult {
  const width = o.width;
  const diagnostics: FaxDiagnostic[] = [];
  const mmr = o.coding === 'MMR';
  const mr = o.coding === 'MR';
  const invert = !o.blackIs1;
  let endMarkerSeen = false;
  let rowsDecoded = 0;
  /** Rows that decoded to exactly the width without any diagnostic. */
  let cleanRows = 0;
  let firstRowClean = false;
  let damagedRows = 0;
  let consecutive = 0;
  let maxConsecutive = 0;
  /** An EOL was seen in this strip: from then on every MH row needs one in front. */
  let sawEol = false;
  let row = 0;
  /** The framing after the last row was looked at (end marker found or ruled out). */
  let endChecked = false;
  /** Decoding stopped at damage it cannot get past: what follows is not trailing data. */
  let broken = false;
  /** The row being decoded had an EOL (MH/MR) in front of it. */
  let eolBefore = false;

  // Rows are painted onto zeros: clear the strip's rows once (a grown sink is fresh zeros).
  if (!sink.zeroed) sink.clearRows(rowOffset, rowOffset + rows);

  rowLoop: while (row < rows) {
    const absRow = rowOffset + row;
    let twoD = mmr;
    if (mmr) {
      if (s.bitPos >= s.totalBits || (stream && onlyPadLeft(s)) || zeroFillLeft(s)) break;
      let end = mmrEndAhead(s, o.byteAlign);
      if (end === 0 && o.byteAlign) {
        s.alignToByte();
        end = mmrEndAhead(s, false);
      }
      if (end !== 0) {
        endMarkerSeen = end === 2;
        endChecked = true;
        break;
      }
    } else {
      let eols = 0;
      let tag = 1;
      if (o.eol !== false) {
        // In byteAlign mode pad bits plus a row's first code can look like an EOL, so only
        // the first EOL is taken here and rtcAfterAlignedEol decides about more.
        while (eolAhead(s, false)) {
          consumeEol(s);
          eols++;
          if (mr) tag = s.readBit();
          if (o.byteAlign) {
            if (rtcAfterAlignedEol(s, mr)) {
              endMarkerSeen = true;
              endChecked = true;
              break rowLoop;
            }
            break;
          }
        }
        if (eols >= 2 && (eols >= RTC_EOLS || restIsZero(s))) {
          endMarkerSeen = true;
          endChecked = true;
          break;
        }
      }
      eolBefore = eols > 0;
      if (eols > 0) {
        sawEol = true;
      } else {
        if (s.bitPos >= s.totalBits || (stream && onlyPadLeft(s)) || zeroFillLeft(s)) break;
        if (row > 0 && (mr || sawEol)) {
          if (skipZeroRunBeforeEol(s)) continue;
          // The previous row ended at the width but its EOL is not here: it had more codes.
          // It counts as damaged (it was counted clean when it reached the width).
          if (consecutive === 0) {
            cleanRows--;
            if (row === 1) firstRowClean = false;
            damagedRows++;
            consecutive = 1;
            if (maxConsecutive === 0) maxConsecutive = 1;
          }
          addDiagnostic(diagnostics, absRow - 1, 'ROW_TOO_LONG', `row ${absRow - 1}: data past column ${width} before the EOL, skipped`);
          if (!s.seekNextEol()) {
            broken = true;
            break;
          }
          continue;
        }
        if (mr) tag = s.readBit();
      }
      twoD = mr && tag === 0;
      if (o.byteAlign) s.alignToByte();
      if (s.bitPos >= s.totalBits) break;
    }

    sink.ensure(absRow);
    const rowStart = s.bitPos;
    s.startRow(twoD);
    const status = decodeRow(s, twoD);
    if (status === ROW_DONE || status === ROW_PREMATURE_EOL || status === ROW_END_OF_DATA) {
      if (status === ROW_END_OF_DATA && s.totalBits - rowStart < 8) break; // only pad bits were left
      if (row === 0 && !mmr && !eolBefore && !o.byteAlign && o.eol !== false && status === ROW_DONE && singleEolAhead(s, mr)) {
        // Data before the page's first EOL (see the header): dropped, the page starts there.
        s.resetReference();
        continue;
      }
      if (status !== ROW_DONE && (s.n & 1) === 1) s.cur[s.n++] = s.a0 < 0 ? 0 : s.a0; // pad white
      paintRow(sink.out, sink.words, absRow * sink.stride, width, s.cur, s.n, invert);
      s.commitRow();
      rowsDecoded++;
      if (status === ROW_DONE && !s.tooLong) {
        cleanRows++;
        consecutive = 0;
        if (row === 0) firstRowClean = true;
      } else {
        // Padded or clipped: kept, but a bad line all the same (TIFF BadFaxLines counts
        // lines that decode with an error, and a wrong length is one).
        damagedRows++;
        if (++consecutive > maxConsecutive) maxConsecutive = consecutive;
      }
      if (status === ROW_PREMATURE_EOL) {
        addDiagnostic(diagnostics, absRow, 'ROW_TOO_SHORT', `row ${absRow}: EOL after ${s.a0 < 0 ? 0 : s.a0} of ${width} columns, padded white`);
        if (mmr) {
          // T.6 has no EOL but the two of EOFB: the data ends here, mid-row.
          let eols = 0;
          while (eolAhead(s, false)) {
            consumeEol(s);
            eols++;
          }
          endMarkerSeen = eols >= 2;
          endChecked = true;
          row++;
          break;
        }
      } else if (status === ROW_END_OF_DATA) {
        addDiagnostic(diagnostics, absRow, 'PREMATURE_END', `row ${absRow}: data ends after ${s.a0 < 0 ? 0 : s.a0} of ${width} columns, padded white`);
        row++;
        break;
      } else if (s.tooLong) {
        addDiagnostic(diagnostics, absRow, 'ROW_TOO_LONG', `row ${absRow}: codes run past column ${width}, clipped`);
      }
      row++;
      continue;
    }

    // Damaged: conceal with the row above; the reference row stays what it was.
    sink.conceal(absRow);
    rowsDecoded++;
    damagedRows++;
    if (++consecutive > maxConsecutive) maxConsecutive = consecutive;
    const what =
      status === ROW_TOO_MANY_CHANGES
        ? `more than ${s.cap} changes in a row of ${width} columns`
        : `bad ${twoD ? '2-D' : '1-D'} code at column ${s.a0 < 0 ? 0 : s.a0}`;
    row++;
    if (mmr || !s.seekNextEol()) {
      broken = true;
      addDiagnostic(diagnostics, absRow, 'BAD_CODE', `row ${absRow}: ${what}; rest of the data unusable (no EOL to resynchronise at)`);
      break;
    }
    addDiagnostic(diagnostics, absRow, 'BAD_CODE', `row ${absRow}: ${what}; row repeated from above, resynchronised at the next EOL`);
  }

  if (!stream && row < rows) {
    addDiagnostic(diagnostics, rowOffset + row, 'MISSING_ROWS', `rows ${rowOffset + row}-${rowOffset + rows - 1}: ${rows - row} of ${rows} rows not in the data, left white`);
  }
  if (!endChecked && !broken && s.bitPos < s.totalBits) {
    if (mmr) {
      let end = mmrEndAhead(s, false);
      if (end === 0 && o.byteAlign) {
        s.alignToByte();
        end = mmrEndAhead(s, false);
      }
      endMarkerSeen = end === 2;
    } else if (o.eol !== false) {
      skipZeroRunBeforeEol(s);
      let eols = 0;
      while (eolAhead(s, false)) {
        consumeEol(s);
        eols++;
        if (mr) s.readBit();
      }
      endMarkerSeen = eols >= 2;
    }
  }
  const bytesConsumed = Math.min(data.length, (Math.max(0, s.bitPos) + 7) >> 3);
  for (let i = broken ? data.length : bytesConsumed; i < data.length; i++) {
    if (data[i] !== 0) {
      addDiagnostic(diagnostics, rowOffset + row, 'TRAILING_DATA', `${data.length - bytesConsumed} bytes after the last row${endMarkerSeen ? ' and the end marker' : ''}, ignored`);
      break;
    }
  }
  // Not fax data of this kind (wrong coding or options, or not fax at all): the first row
  // fails and at most half of the rows found decode cleanly. Garbage read as MMR often
  // yields a few plausible rows before the first bad code, hence the proportion.
  if (rows > 0 && !endMarkerSeen && !firstRowClean && cleanRows * 2 <= rowsDecoded) {
    throw new IfaxError('FAX_DECODE_FAILED', `Fax decode failed: no ${o.coding} row of width ${width} could be decoded`, {
      hint: 'Check the coding (MH/MR/MMR), width, fill order and alignment options against the file.',
      context: { coding: o.coding, width, bytes: data.length, diagnostics: diagnostics.slice(0, 5) },
    });
  }
  return { rowsDecoded, damagedRows, consecutiveDamagedRows: maxConsecutive, diagnostics, endMarkerSeen, bytesConsumed };
}
