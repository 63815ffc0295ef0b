/**
 * RFC 3949 §3.2/§3.6 (profile S) and §4.2/§4.7 (profile F) field rules for one page, and the
 * resolution table of §2.2.2 (inch/metric equivalents) and §4.2.1 (legal width x resolution
 * combinations). Shared by the profile checker (reading) and the writer (which refuses to
 * write what it would not accept). Pure: no `node:` imports.
 */

import { SUBFILE_PAGE, T4_2D, T4_EOL_FILL, T4_UNCOMPRESSED, T6_UNCOMPRESSED } from './tags.js';

/** The fields the page rules look at; TiffPage has them all. */
export interface FaxPageFields {
  width: number;
  height: number;
  bitsPerSample: number;
  samplesPerPixel: number;
  compression: number;
  photometric: number | undefined;
  fillOrder: 1 | 2;
  t4Options: number;
  t6Options: number;
  xResolution: number | undefined;
  yResolution: number | undefined;
  resolutionUnit: number;
  newSubfileType: number;
  pageNumber: [number, number] | undefined;
  rowsPerStrip: number;
  stripOffsets: readonly number[];
}

/**
 * A resolution in dots per inch. RFC 3949 §2.2.2 lists the metric values (ResolutionUnit 3)
 * 38.5, 77, 154 lines/cm and 80, 160 pels/cm as equivalents of 98, 196, 391 and 204, 408 dpi;
 * x 2.54 lands within 1% of those, which `nominalDpi` absorbs.
 */
export function toDpi(value: number | undefined, unit: number): number | undefined {
  if (value === undefined) return undefined;
  if (unit === 3) return value * 2.54;
  if (unit === 2) return value;
  return undefined; // ResolutionUnit 1 (none): no physical size at all.
}

/** The listed fax resolution a measured dpi stands for (within 1%), or undefined. */
export function nominalDpi(dpi: number | undefined, allowed: readonly number[]): number | undefined {
  if (dpi === undefined) return undefined;
  return allowed.find((a) => Math.abs(dpi - a) <= a * 0.01);
}

/** Profile S resolutions, RFC 3949 §3.2.1. */
export const S_X_DPI = [200, 204] as const;
export const S_Y_DPI = [98, 100, 196, 200] as const;
/** Profile F resolutions, RFC 3949 §4.2.1. */
export const F_X_DPI = [200, 204, 300, 400, 408] as const;
export const F_Y_DPI = [98, 100, 196, 200, 300, 391, 400] as const;

/**
 * RFC 3949 §4.2.1 table: resolution groups and their page widths (Letter/A4, B4, A3). The
 * T.4 equivalences (200~204, 98~100, 196~200, 391~400, 400~408) let any x of a group go with
 * any y of it.
 */
export const F_SIZE_TABLE = [
  { x: [200, 204], y: [98, 100, 196, 200, 391], widths: [1728, 2048, 2432] },
  { x: [300], y: [300], widths: [2592, 3072, 3648] },
  { x: [400, 408], y: [391, 400], widths: [3456, 4096, 4864] },
] as const;

const fmt = (n: number | undefined): string =>
  n === undefined ? 'missing' : Number.isInteger(n) ? String(n) : n.toFixed(2);

/** Reasons (sentences) why a page's fields are not profile S; empty when they are. */
export function profileSReasons(p: FaxPageFields): string[] {
  const r: string[] = [];
  if (p.compression !== 3) {
    r.push(`Compression (259) is ${p.compression}; profile S requires 3 (T.4 MH).`);
  } else {
    if ((p.t4Options & T4_2D) !== 0) r.push(`T4Options (292) is ${p.t4Options}: bit 0 (2-D MR coding) is set; profile S allows MH only (0 or 4).`);
    if ((p.t4Options & T4_UNCOMPRESSED) !== 0) r.push(`T4Options (292) is ${p.t4Options}: bit 1 (uncompressed mode) must be 0.`);
    if ((p.t4Options & ~(T4_2D | T4_UNCOMPRESSED | T4_EOL_FILL)) !== 0) {
      r.push(`T4Options (292) is ${p.t4Options}; profile S allows 0 or 4.`);
    }
  }
  if (p.width !== 1728) r.push(`ImageWidth (256) is ${p.width}; profile S requires 1728.`);
  if (p.fillOrder !== 2) r.push(`FillOrder (266) is ${p.fillOrder}; profile S requires 2 (LSB first).`);
  if (p.photometric !== 0) {
    r.push(`PhotometricInterpretation (262) is ${fmt(p.photometric)}; profile S requires 0 (WhiteIsZero).`);
  }
  if (p.resolutionUnit !== 2) r.push(`ResolutionUnit (296) is ${p.resolutionUnit}; profile S requires 2 (inch).`);
  if (nominalDpi(p.xResolution, S_X_DPI) === undefined || p.resolutionUnit !== 2) {
    r.push(`XResolution (282) is ${fmt(p.xResolution)}; profile S allows 200 or 204 dpi.`);
  }
  if (nominalDpi(p.yResolution, S_Y_DPI) === undefined || p.resolutionUnit !== 2) {
    r.push(`YResolution (283) is ${fmt(p.yResolution)}; profile S allows 98, 100, 196 or 200 dpi.`);
  }
  if (p.stripOffsets.length !== 1) {
    r.push(`The page has ${p.stripOffsets.length} strips; profile S requires one strip per page (RowsPerStrip = ImageLength).`);
  }
  r.push(...commonReasons(p, 'S'));
  return r;
}

/** Reasons why a page's fields are not profile F; empty when they are. */
export function profileFReasons(p: FaxPageFields, allowNonStandardSize = false): string[] {
  const r: string[] = [];
  if (p.compression === 3) {
    if ((p.t4Options & T4_UNCOMPRESSED) !== 0) {
      r.push(`T4Options (292) is ${p.t4Options}: bit 1 (uncompressed mode) must be 0 (RFC 3949 §4.5.1).`);
    }
    if ((p.t4Options & ~(T4_2D | T4_UNCOMPRESSED | T4_EOL_FILL)) !== 0) {
      r.push(`T4Options (292) is ${p.t4Options}; profile F allows 0, 1, 4 or 5.`);
    }
  } else if (p.compression === 4) {
    if (p.t6Options !== 0) {
      r.push(`T6Options (293) is ${p.t6Options}; profile F requires 0${(p.t6Options & T6_UNCOMPRESSED) !== 0 ? ' (uncompressed mode is not allowed)' : ''}.`);
    }
  } else {
    r.push(`Compression (259) is ${p.compression}; profile F allows 3 (T.4 MH/MR) or 4 (T.6 MMR).`);
  }
  if (p.photometric !== 0 && p.photometric !== 1) {
    r.push(`PhotometricInterpretation (262) is ${fmt(p.photometric)}; profile F allows 0 or 1.`);
  }
  if (p.resolutionUnit !== 2 && p.resolutionUnit !== 3) {
    r.push(`ResolutionUnit (296) is ${p.resolutionUnit}; profile F allows 2 (inch) or 3 (cm).`);
  }
  if (!allowNonStandardSize) r.push(...sizeReasonsF(p));
  r.push(...commonReasons(p, 'F'));
  return r;
}

/** RFC 3949 §4.2.1: x and y resolution in the lists, and the width legal for them. */
function sizeReasonsF(p: FaxPageFields): string[] {
  const r: string[] = [];
  const unit = p.resolutionUnit === 3 ? ' (converted from pixels/cm)' : '';
  const x = nominalDpi(toDpi(p.xResolution, p.resolutionUnit), F_X_DPI);
  const y = nominalDpi(toDpi(p.yResolution, p.resolutionUnit), F_Y_DPI);
  if (x === undefined) {
    r.push(`XResolution (282) is ${fmt(toDpi(p.xResolution, p.resolutionUnit))} dpi${unit}; profile F allows ${F_X_DPI.join(', ')}.`);
  }
  if (y === undefined) {
    r.push(`YResolution (283) is ${fmt(toDpi(p.yResolution, p.resolutionUnit))} dpi${unit}; profile F allows ${F_Y_DPI.join(', ')}.`);
  }
  if (x === undefined || y === undefined) return r;
  const group = F_SIZE_TABLE.find((g) => (g.x as readonly number[]).includes(x));
  if (group === undefined || !(group.y as readonly number[]).includes(y)) {
    r.push(`Resolution ${x} x ${y} dpi is not a combination profile F allows (RFC 3949 §4.2.1 table).`);
  } else if (!(group.widths as readonly number[]).includes(p.width)) {
    r.push(`ImageWidth (256) is ${p.width}; at ${x} x ${y} dpi profile F allows ${group.widths.join(', ')}.`);
  }
  return r;
}

function commonReasons(p: FaxPageFields, profile: 'S' | 'F'): string[] {
  const r: string[] = [];
  if (p.bitsPerSample !== 1) r.push(`BitsPerSample (258) is ${p.bitsPerSample}; profile ${profile} requires 1.`);
  if (p.samplesPerPixel !== 1) r.push(`SamplesPerPixel (277) is ${p.samplesPerPixel}; profile ${profile} requires 1.`);
  if ((p.newSubfileType & SUBFILE_PAGE) === 0) {
    r.push(`NewSubfileType (254) is ${p.newSubfileType}; profile ${profile} requires bit 1 (value 2: one page of a multi-page document).`);
  }
  if (p.pageNumber === undefined) r.push(`PageNumber (297) is missing; profile ${profile} requires it.`);
  return r;
}
