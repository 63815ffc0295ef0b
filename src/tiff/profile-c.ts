/**
 * RFC 3949 §6 (profile C, base colour fax: §6.2.1 baseline fields, §6.2.2 ChromaSubSampling
 * and ChromaPositioning, §6.2.3 Decode, §6.4 summary): the field rules of one colour or grey
 * page, shared by the profile checker and the writer (which refuses to write what it would
 * not accept). JPEG is TIFF Technical Note 2 Compression 7, baseline (T.81 SOF0), data in
 * ITULAB (T.42). Pure: no `node:` imports.
 */

import type { JpegStreamInfo } from './jpeg-markers.js';
import { sofLabel } from './jpeg-markers.js';
import { nominalDpi } from './profile-rules.js';
import { SUBFILE_PAGE } from './tags.js';

/** The fields the profile C rules look at. */
export interface ColorRuleFields {
  width: number;
  compression: number;
  photometric: number | undefined;
  bitsPerSample: readonly number[];
  samplesPerPixel: number;
  xResolution: number | undefined;
  yResolution: number | undefined;
  resolutionUnit: number;
  newSubfileType: number;
  pageNumber: [number, number] | undefined;
  planarConfiguration: number;
  chromaSubsampling: readonly [number, number] | undefined;
  chromaPositioning: number | undefined;
  decode: readonly number[] | undefined;
  /** The markers of the first strip, when it was read; 'unreadable' when it is no JPEG stream. */
  stream?: JpegStreamInfo | 'unreadable';
}

/**
 * RFC 3949 §6.2.1 table: square resolutions and their page widths (Letter/A4, B4, A3).
 * Colour fax has no 204 dpi: T.4 Annex E is inch-based only.
 */
export const C_SIZE_TABLE = [
  { dpi: 100, widths: [864, 1024, 1216] },
  { dpi: 200, widths: [1728, 2048, 2432] },
  { dpi: 300, widths: [2592, 3072, 3648] },
  { dpi: 400, widths: [3456, 4096, 4864] },
] as const;

export const C_DPI = [100, 200, 300, 400] as const;

const fmt = (n: number | undefined): string =>
  n === undefined ? 'missing' : Number.isInteger(n) ? String(n) : n.toFixed(2);

/** Reasons (sentences) why a page is not profile C; empty when it is. */
export function profileCReasons(p: ColorRuleFields, allowNonStandardSize = false): string[] {
  const r: string[] = [];
  if (p.compression !== 7) {
    r.push(
      `Compression (259) is ${p.compression}${p.compression === 6 ? ' (old-style JPEG)' : ''}; profile C requires 7 (JPEG, TIFF Technical Note 2).`,
    );
  }
  if (p.photometric !== 10) {
    r.push(`PhotometricInterpretation (262) is ${fmt(p.photometric)}; profile C requires 10 (ITULAB, ITU-T T.42).`);
  }
  const spp = p.samplesPerPixel;
  if (spp !== 1 && spp !== 3) r.push(`SamplesPerPixel (277) is ${spp}; profile C allows 1 (L*) or 3 (L*a*b*).`);
  if (p.bitsPerSample.some((b) => b !== 8)) {
    r.push(`BitsPerSample (258) is ${p.bitsPerSample.join(',')}; profile C requires 8 for every sample.`);
  }
  if (p.resolutionUnit !== 2) r.push(`ResolutionUnit (296) is ${p.resolutionUnit}; profile C requires 2 (inch).`);
  const x = p.resolutionUnit === 2 ? nominalDpi(p.xResolution, C_DPI) : undefined;
  const y = p.resolutionUnit === 2 ? nominalDpi(p.yResolution, C_DPI) : undefined;
  if (!allowNonStandardSize) {
    if (x === undefined) r.push(`XResolution (282) is ${fmt(p.xResolution)}; profile C allows 100, 200, 300 or 400 dpi.`);
    if (y === undefined) r.push(`YResolution (283) is ${fmt(p.yResolution)}; profile C allows 100, 200, 300 or 400 dpi.`);
    if (x !== undefined && y !== undefined) {
      if (x !== y) {
        r.push(`Resolution ${x} x ${y} dpi is not square; profile C requires YResolution = XResolution (RFC 3949 §6.2.1).`);
      } else {
        const widths = C_SIZE_TABLE.find((g) => g.dpi === x)?.widths ?? [];
        if (!(widths as readonly number[]).includes(p.width)) {
          r.push(`ImageWidth (256) is ${p.width}; at ${x} dpi profile C allows ${widths.join(', ')}.`);
        }
      }
    }
  }
  if ((p.newSubfileType & SUBFILE_PAGE) === 0) {
    r.push(`NewSubfileType (254) is ${p.newSubfileType}; profile C requires bit 1 (value 2: one page of a multi-page document).`);
  }
  if (p.pageNumber === undefined) r.push('PageNumber (297) is missing; profile C requires it.');
  if (spp === 3 && p.planarConfiguration !== 1) {
    r.push(`PlanarConfiguration (284) is ${p.planarConfiguration}; a profile C JPEG stream interleaves L*, a* and b* (1).`);
  }
  const sub = p.chromaSubsampling ?? [2, 2];
  if (spp === 3 && !((sub[0] === 1 && sub[1] === 1) || (sub[0] === 2 && sub[1] === 2))) {
    r.push(`ChromaSubSampling (530) is ${sub.join(',')}; profile C allows 1,1 or 2,2 (RFC 3949 §6.2.2).`);
  }
  if (p.chromaPositioning !== undefined && p.chromaPositioning !== 1) {
    r.push(`ChromaPositioning (531) is ${p.chromaPositioning}; profile C requires 1 (centred).`);
  }
  if (p.decode !== undefined) {
    const d = p.decode;
    if (d.length !== 2 * spp) r.push(`Decode (433) has ${d.length} values; profile C requires 2 x SamplesPerPixel (${2 * spp}).`);
    else if (d.some((v, i) => i % 2 === 1 && !(v > d[i - 1]))) r.push(`Decode (433) is ${d.map((v) => fmt(v)).join(',')}; each maximum must exceed its minimum.`);
  }
  r.push(...streamReasons(p, sub));
  return r;
}

/** What the JPEG markers of the strip say against the fields (RFC 3949 §2.1.2: the stream wins). */
function streamReasons(p: ColorRuleFields, sub: readonly [number, number]): string[] {
  const s = p.stream;
  if (s === undefined) return [];
  if (s === 'unreadable') return ['The strip is not a JPEG stream (no SOI marker, or its marker segments are cut short).'];
  const r: string[] = [];
  if (s.sof !== 0xc0) r.push(`The strip's JPEG stream is ${sofLabel(s.sof)}; profile C requires baseline JPEG (SOF0).`);
  if (s.sof === undefined) return r;
  if (s.components.length !== p.samplesPerPixel) {
    r.push(`The JPEG stream has ${s.components.length} component(s), but SamplesPerPixel (277) is ${p.samplesPerPixel}.`);
  } else if (s.components.length === 3) {
    const [l, a, b] = s.components;
    const ok = l.h === sub[0] * a.h && l.v === sub[1] * a.v && a.h === b.h && a.v === b.v;
    if (!ok) {
      r.push(
        `The JPEG stream samples L* ${l.h}x${l.v}, a* ${a.h}x${a.v}, b* ${b.h}x${b.v}, which does not match ChromaSubSampling (530) ${sub.join(',')}.`,
      );
    }
  }
  return r;
}
