/**
 * Fax page geometry (ITU-T T.4 §2.2 page widths; RFC 3949 §2.2.2, §4.2.1 resolutions):
 * the named resolutions of the command line, the page widths each horizontal resolution
 * expects, and the resolution to assume for a bitmap that states none.
 */

/** `--resolution` names and the resolution tags they set (dots per inch, x by y). */
export const RESOLUTIONS = {
  /** T.4 standard: 3.85 lines/mm. */
  standard: { x: 204, y: 98 },
  /** T.4 fine: 7.7 lines/mm. */
  fine: { x: 204, y: 196 },
  /**
   * T.4 superfine. 400 x 400 (not 204 x 391): square pixels, the 400-dpi row of the RFC 3949
   * §4.2.1 table (3456 px A4), what scanners make; 204 x 391 is accepted when read.
   */
  superfine: { x: 400, y: 400 },
  /** 600 x 600: outside TIFF-FX, sent by real devices (STANDARDS.md). */
  ultrafine: { x: 600, y: 600 },
} as const;

export type ResolutionName = keyof typeof RESOLUTIONS;

export interface Resolution {
  x: number;
  y: number;
}

/** T.4 page widths (A4/letter, B4, A3) by horizontal resolution; 4960 = A4 at 600 dpi as scanned. */
const WIDTHS: ReadonlyArray<{ x: readonly number[]; widths: readonly number[]; res: Resolution }> = [
  { x: [200, 204], widths: [1728, 2048, 2432], res: RESOLUTIONS.fine },
  { x: [300], widths: [2592, 3072, 3648], res: { x: 300, y: 300 } },
  { x: [400, 408], widths: [3456, 4096, 4864], res: RESOLUTIONS.superfine },
  { x: [600], widths: [4960, 5184, 6144, 7296], res: RESOLUTIONS.ultrafine },
];

const near = (a: number, b: number): boolean => Math.abs(a - b) <= b * 0.01;

/** The fax page widths for a horizontal resolution (empty when it is not a fax resolution). */
export function faxWidthsFor(xRes: number): readonly number[] {
  return WIDTHS.find((g) => g.x.some((x) => near(xRes, x)))?.widths ?? [];
}

/**
 * The resolution to tag on a bitmap that states none (PBM, PNG without pHYs): the one whose
 * page widths include this width (1728 -> fine 204 x 196, 2592 -> 300, 3456 -> 400,
 * 4960 -> 600), else fine.
 */
export function guessResolution(width: number): Resolution {
  return WIDTHS.find((g) => g.widths.includes(width))?.res ?? RESOLUTIONS.fine;
}

/** Fax resolutions a measured value snaps to (within 1%): 80 pels/cm x 2.54 = 203.2 -> 204. */
const NOMINAL = [98, 100, 196, 200, 204, 300, 391, 400, 408, 600, 1200];

/** A resolution read from a file, snapped to the fax value it stands for, else rounded to 0.01. */
export function nominal(dpi: number): number {
  return NOMINAL.find((n) => near(dpi, n)) ?? Math.round(dpi * 100) / 100;
}
