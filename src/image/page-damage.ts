/**
 * The one damage report of a decoded fax page, for `ifax convert` (a warning) and
 * `convert --info` (a line, and fields of the JSON): so the two never disagree about a page.
 *
 * A decoder reports two kinds of loss, and both are counted:
 * - damaged rows: present in the data but wrong, concealed by repeating the row above after a
 *   bad code, or padded white / clipped to the width (what TIFF BadFaxLines counts);
 * - missing rows: not in the data at all (it ends early, a strip could not be decoded), left
 *   white. A page cut off after a third of its rows has one damaged row and two thirds missing;
 *   counting only the first would report a ruined page as nearly whole.
 */

import type { FaxDiagnostic } from '../codec/types.js';

/** How a page came through decoding. */
export interface PageDamage {
  /** Rows present but damaged: concealed (repeated from above), padded white or clipped. */
  damagedRows: number;
  /** Rows not in the data, left white. */
  missingRows: number;
  /** The first problem the decoder noted, for the message. */
  first?: FaxDiagnostic;
}

/** What a decoder hands back about a page (DecodedSource). */
export interface DecodeOutcome {
  damagedRows: number;
  /** Rows not in the data (missingRowsOf); undefined when none can be (pictures, PBM). */
  missingRows?: number;
  diagnostics: readonly FaxDiagnostic[];
}

/** Rows of a `height`-row page not in its data, from the rows its decoder found (concealed and padded ones included). */
export function missingRowsOf(height: number, rowsDecoded: number): number {
  return Math.max(0, height - rowsDecoded);
}

/** The damage of a page, from what its decoder reported. */
export function pageDamage(d: DecodeOutcome): PageDamage {
  const missingRows = d.missingRows ?? 0;
  const first = d.diagnostics.find((x) => x.code !== 'TRAILING_DATA') ?? undefined;
  return { damagedRows: d.damagedRows, missingRows, ...(first && (d.damagedRows > 0 || missingRows > 0) ? { first } : {}) };
}

const rows = (n: number, what: string): string => `${n} ${what} row${n === 1 ? '' : 's'}`;

/**
 * The damage in words, or undefined when the page is whole: "1 damaged row (repeated from the
 * row above, or padded white), 2137 missing rows (not in the data, left white); first at row
 * 1370: data ends after 0 of 1728 columns, padded white". Rows are counted from 0, as the
 * decoder's notes count them.
 */
export function describeDamage(d: PageDamage): string | undefined {
  if (d.damagedRows === 0 && d.missingRows === 0) return undefined;
  const parts: string[] = [];
  if (d.damagedRows > 0) parts.push(`${rows(d.damagedRows, 'damaged')} (repeated from the row above, or padded white)`);
  if (d.missingRows > 0) parts.push(`${rows(d.missingRows, 'missing')} (not in the data, left white)`);
  const first = d.first ? `; first at row ${d.first.row}: ${d.first.message.replace(/^rows? [\d-]+: /, '')}` : '';
  return parts.join(', ') + first;
}
