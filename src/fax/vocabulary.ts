/**
 * The fax vocabulary (ITU-T T.4 §2.2 page widths and resolutions, T.30 inch-based
 * equivalents, RFC 3949 §2.2.2 / §4.2.1 TIFF-FX resolution and width table, TIFF 6.0 §11
 * Compression and T4Options, PDF 1.7 §7.4.6 CCITTFaxDecode K): the resolution names, paper
 * sizes and codings that config, image fitting, the TIFF layer and (later) capability
 * matching all speak, and the T.4 scan widths that tie them together. One table each, so the
 * profile's enums, the page fitter and the guesses on unlabelled bitmaps cannot drift apart.
 * Pure: imports nothing.
 */

// ---------------------------------------------------------------------------------------
// Resolutions
// ---------------------------------------------------------------------------------------

/** A resolution in dots per inch, x by y: what TIFF XResolution / YResolution state (ResolutionUnit 2). */
export interface Resolution {
  x: number;
  y: number;
}

/** The resolution names of the profile (SETTINGS.md) and of `--resolution`, lowest first. */
export const RESOLUTION_NAMES = ['standard', 'fine', 'superfine', 'ultrafine'] as const;

/** One of RESOLUTION_NAMES. */
export type ResolutionName = (typeof RESOLUTION_NAMES)[number];

/**
 * The resolution tags each name writes, in dots per inch. T.4 defines standard and fine in
 * metric units (8 pels/mm x 3.85 or 7.7 lines/mm = 203.2 x 97.8 / 195.6 dpi): TIFF states them
 * as 204 x 98 and 204 x 196, as every fax TIFF writer does. T.30 has inch-based equivalents
 * (200 x 100, 200 x 200; RESOLUTION_EQUIVALENTS), which SETTINGS.md uses as the names' gloss.
 */
export const RESOLUTIONS = {
  /** T.4 standard: 8 pels/mm x 3.85 lines/mm. */
  standard: { x: 204, y: 98 },
  /** T.4 fine: 8 pels/mm x 7.7 lines/mm. */
  fine: { x: 204, y: 196 },
  /**
   * T.4 superfine. 400 x 400 (not the metric 408 x 391): square pixels, the 400-dpi row of the
   * RFC 3949 §4.2.1 table (3456 px A4), what scanners make; 204/408 x 391 is accepted when read.
   */
  superfine: { x: 400, y: 400 },
  /** 600 x 600: inch-based only, outside TIFF-FX, sent by real devices (STANDARDS.md). */
  ultrafine: { x: 600, y: 600 },
} as const satisfies Record<ResolutionName, Resolution>;

/** A resolution as T.4 / T.30 define it: metric (pels and lines per mm) and inch-based. */
export interface ResolutionEquivalents {
  /** T.4 metric resolution, or null where T.4 has only the inch-based one. */
  metric: { pelsPerMm: number; linesPerMm: number } | null;
  /** The T.30 inch-based resolution a receiver treats as the same (RFC 3949 §4.5.2). */
  inch: Resolution;
}

/**
 * Each name's metric and inch-based forms. T.4 lets either stand for the other (RFC 3949
 * §4.5.2: x 204 ~ 200 and 408 ~ 400, y 98 ~ 100, 196 ~ 200 and 391 ~ 400, "to permit
 * conversions between inch- and metric-based facsimile terminals"), which is why "fine" is
 * 204 x 196 in a TIFF and 200 x 200 in SETTINGS.md.
 */
export const RESOLUTION_EQUIVALENTS: Readonly<Record<ResolutionName, ResolutionEquivalents>> = {
  standard: { metric: { pelsPerMm: 8, linesPerMm: 3.85 }, inch: { x: 200, y: 100 } },
  fine: { metric: { pelsPerMm: 8, linesPerMm: 7.7 }, inch: { x: 200, y: 200 } },
  superfine: { metric: { pelsPerMm: 16, linesPerMm: 15.4 }, inch: { x: 400, y: 400 } },
  ultrafine: { metric: null, inch: { x: 600, y: 600 } },
};

/** "standard 204x98, fine 204x196, superfine 400x400, ultrafine 600x600": for help and descriptions. */
export function resolutionSummary(): string {
  return RESOLUTION_NAMES.map((n) => `${n} ${RESOLUTIONS[n].x}x${RESOLUTIONS[n].y}`).join(', ');
}

/** Whether a string is one of RESOLUTION_NAMES. */
export function isResolutionName(value: unknown): value is ResolutionName {
  return (RESOLUTION_NAMES as readonly unknown[]).includes(value);
}

/**
 * A stated resolution counts as a fax resolution within 1%: metric values converted to inches
 * (80 pels/cm x 2.54 = 203.2, 77 lines/cm = 195.58) land that close to the listed ones.
 */
export function nearDpi(dpi: number, nominal: number): boolean {
  return Math.abs(dpi - nominal) <= nominal * 0.01;
}

/** The dpi values fax resolutions are stated in (RFC 3949 §4.2.1 lists, plus 600 and 1200). */
export const FAX_DPI_VALUES = [98, 100, 196, 200, 204, 300, 391, 400, 408, 600, 1200] as const;

/** A resolution read from a file snapped to the fax value it stands for (203.2 -> 204), else rounded to 0.01. */
export function snapDpi(dpi: number): number {
  return FAX_DPI_VALUES.find((n) => nearDpi(dpi, n)) ?? Math.round(dpi * 100) / 100;
}

// ---------------------------------------------------------------------------------------
// Papers and T.4 scan widths
// ---------------------------------------------------------------------------------------

/** The paper names of the profile (SETTINGS.md order) and of `--paper`. */
export const PAPER_NAMES = ['A4', 'B4', 'A3', 'letter', 'legal'] as const;

/** One of PAPER_NAMES. */
export type PaperName = (typeof PAPER_NAMES)[number];

/** Which T.4 scan width a paper uses, the column of the width tables: 0 = A4/letter/legal, 1 = B4, 2 = A3. */
export type WidthClass = 0 | 1 | 2;

/** A paper: its sheet in millimetres and its T.4 scan width class. */
export interface PaperSheet {
  /** Sheet width in millimetres. */
  widthMm: number;
  /** Sheet height in millimetres. */
  heightMm: number;
  /** Which T.4 scan width the paper uses. */
  widthClass: WidthClass;
}

/**
 * The papers of T.4 §2.2. A4, letter and legal share one scan line (215 mm, wide enough for
 * letter's 216 mm); B4 and A3 have their own. B4 is JIS B4 (257 x 364 mm), the B4 of fax
 * machines (T.4's 255 mm B4 scan line is JIS B4 less its margin), not ISO B4 (250 x 353 mm).
 */
export const PAPERS: Readonly<Record<PaperName, PaperSheet>> = {
  A4: { widthMm: 210, heightMm: 297, widthClass: 0 },
  B4: { widthMm: 257, heightMm: 364, widthClass: 1 },
  A3: { widthMm: 297, heightMm: 420, widthClass: 2 },
  letter: { widthMm: 215.9, heightMm: 279.4, widthClass: 0 },
  legal: { widthMm: 215.9, heightMm: 355.6, widthClass: 0 },
};

/** Whether a string is one of PAPER_NAMES. */
export function isPaperName(value: unknown): value is PaperName {
  return (PAPER_NAMES as readonly unknown[]).includes(value);
}

/** One row of the scan width table: the horizontal resolutions it covers and its widths by class. */
export interface ScanWidthRow {
  /** Horizontal resolutions (dpi) taken as one (T.4 equivalences: 200 ~ 204, 400 ~ 408). */
  dpi: readonly number[];
  /** Pixels per row for width class 0 (A4/letter/legal), 1 (B4), 2 (A3). */
  widths: readonly [number, number, number];
  /** The resolution to assume for a bitmap of one of these widths that states none. */
  assume: Resolution;
}

/**
 * Page widths in pixels by horizontal resolution: the one table of ifax, for writing (fitting
 * pages to paper) and for reading (guessing the resolution of a bitmap that states none).
 *
 * 200-408 dpi: T.4 §2.2 and the RFC 3949 §4.2.1 table, verbatim. 600 dpi is outside TIFF-FX:
 * ifax uses full sheets (A4 210 mm = 4960, JIS B4 257 mm = 6071, A3 297 mm = 7016 px), not
 * T.4's 600-dpi scan lines (5184 / 6144 / 7296 = 3 x the 200-dpi ones), because 4960 is what
 * real devices and scanners send at 600 dpi (STANDARDS.md), because 7296 would exceed
 * MAX_WIDTH (7016, src/limits.ts, sized for A3 at 600 dpi), and because one table means a page
 * ifax writes at 600 dpi is recognised as 600 dpi when it is read back.
 */
export const SCAN_WIDTHS: readonly ScanWidthRow[] = [
  { dpi: [200, 204], widths: [1728, 2048, 2432], assume: RESOLUTIONS.fine },
  { dpi: [300], widths: [2592, 3072, 3648], assume: { x: 300, y: 300 } },
  { dpi: [400, 408], widths: [3456, 4096, 4864], assume: RESOLUTIONS.superfine },
  { dpi: [600], widths: [4960, 6071, 7016], assume: RESOLUTIONS.ultrafine },
];

function rowAt(xDpi: number): ScanWidthRow | undefined {
  return SCAN_WIDTHS.find((r) => r.dpi.some((d) => nearDpi(xDpi, d)));
}

/** The page widths (A4/letter, B4, A3) at a horizontal resolution; empty when it is not a fax resolution. */
export function scanWidthsAt(xDpi: number): readonly number[] {
  return rowAt(xDpi)?.widths ?? [];
}

/** The page width of `paper` at horizontal resolution `xDpi`, or undefined when `xDpi` has no fax widths. */
export function scanWidth(paper: PaperName, xDpi: number): number | undefined {
  if (!isPaperName(paper)) return undefined;
  return rowAt(xDpi)?.widths[PAPERS[paper].widthClass];
}

/**
 * The resolution whose page widths include `width` (1728 -> 204 x 196, 2592 -> 300 x 300,
 * 3456 -> 400 x 400, 4960 -> 600 x 600), or undefined for a width no fax page has.
 */
export function resolutionForWidth(width: number): Resolution | undefined {
  return SCAN_WIDTHS.find((r) => r.widths.includes(width))?.assume;
}

// ---------------------------------------------------------------------------------------
// Codings
// ---------------------------------------------------------------------------------------

/** The three fax codings: T.4 1-D (MH, Modified Huffman), T.4 2-D (MR, Modified READ), T.6 (MMR). */
export const FAX_CODINGS = ['MH', 'MR', 'MMR'] as const;

/** One of FAX_CODINGS. */
export type FaxCoding = (typeof FAX_CODINGS)[number];

/** Whether a value is one of FAX_CODINGS. */
export function isFaxCoding(value: unknown): value is FaxCoding {
  return (FAX_CODINGS as readonly unknown[]).includes(value);
}

/**
 * The coding of a fax when none is asked for: MH for TIFF profile S (RFC 3949 §3: MH only, what
 * every device takes), MMR otherwise (the smallest, and what profile F devices decode).
 */
export function defaultCoding(simple: boolean): FaxCoding {
  return simple ? 'MH' : 'MMR';
}

/** TIFF Compression values of the fax codings (TIFF 6.0 §11): 3 = T.4 (MH or MR), 4 = T.6. */
export const COMPRESSION_T4 = 3;
export const COMPRESSION_T6 = 4;
/** T4Options bit 0: 2-D coding (MR). The same bit as tiff/tags.ts T4_2D; repeated so this module imports nothing. */
const T4_OPTIONS_2D = 1;
/** T4Options bit 2: fill bits so that each EOL ends on a byte boundary (tiff/tags.ts T4_EOL_FILL). */
const T4_OPTIONS_EOL_FILL = 4;

/**
 * The coding of a TIFF page: Compression 4 is MMR, Compression 3 is MR when T4Options bit 0
 * is set, else MH (T4Options defaults to 0). Other compressions are no T.4 / T.6 coding:
 * undefined, Compression 2 included (TIFF's Modified Huffman RLE has no EOLs and byte-aligned
 * rows; the TIFF decoder handles it on its own, and TIFF-FX has no form of it).
 */
export function codingOf(fields: { compression: number; t4Options?: number }): FaxCoding | undefined {
  if (fields.compression === COMPRESSION_T6) return 'MMR';
  if (fields.compression === COMPRESSION_T4) return ((fields.t4Options ?? 0) & T4_OPTIONS_2D) !== 0 ? 'MR' : 'MH';
  return undefined;
}

/** The coding of a PDF CCITTFaxDecode filter by its K (PDF 1.7 Table 11): K < 0 is T.6, K = 0 T.4 1-D, K > 0 T.4 2-D. */
export function codingOfK(k: number): FaxCoding {
  return k < 0 ? 'MMR' : k === 0 ? 'MH' : 'MR';
}

/**
 * The TIFF Compression and T4Options (0 for MMR, whose T6Options is always 0 in TIFF-FX) that
 * state a coding: the inverse of codingOf. `eolFill` sets T4Options bit 2 (MH and MR only).
 */
export function tiffCodingFields(coding: FaxCoding, eolFill = false): { compression: 3 | 4; t4Options: number } {
  if (coding === 'MMR') return { compression: COMPRESSION_T6, t4Options: 0 };
  return { compression: COMPRESSION_T4, t4Options: (coding === 'MR' ? T4_OPTIONS_2D : 0) | (eolFill ? T4_OPTIONS_EOL_FILL : 0) };
}
