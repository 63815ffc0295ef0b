/**
 * RFC 3949 §3 / §4 / §6 (TIFF-FX profiles S, F and C) stated in the RFC 2879 feature schema:
 * the formats ifax can send, and each one as a feature set to match against a destination's
 * capabilities (RFC 2533 §5.2). A format's feature set lists every description that is true
 * of the file ifax writes (RFC 2533 §3.4.1 "data resource options"): a profile S file is
 * TIFF-minimal, and so also TIFF-limited and TIFF; 204 x 196 dpi is also the T.30 200 x 200
 * that T.4 treats as the same (RFC 3949 §4.5.2). Pure: no `node:` imports.
 */

import {
  PAPERS,
  RESOLUTION_EQUIVALENTS,
  RESOLUTION_NAMES,
  RESOLUTIONS,
  scanWidth,
  type FaxCoding,
  type PaperName,
  type Resolution,
  type ResolutionName,
  PAPER_NAMES,
  FAX_CODINGS,
} from '../../fax/vocabulary.js';
import { and, eq, integer, oneOfValues, quoted, rational, token, type FeatureExpression, type FeatureValue } from './expression.js';

/** TIFF-FX profile: S (RFC 3949 §3, simple mode), F (§4, extended black-and-white), C (§6, JPEG colour/grey). */
export type FaxProfile = 'S' | 'F' | 'C';

/** The colour of the pages sent: bi-level, grey (JPEG L*) or colour (JPEG L*a*b*). */
export type FaxColour = 'bw' | 'gray' | 'color';

/** One sendable format. */
export interface FaxFormat {
  profile: FaxProfile;
  /** MH, MR or MMR for black-and-white pages; JPEG for profile C. */
  coding: FaxCoding | 'JPEG';
  /** The resolution name the pages are made at (colour: fine = 200 x 200, superfine = 400 x 400). */
  resolution: ResolutionName;
  /** The dots per inch the TIFF states. */
  dpi: Resolution;
  paper: PaperName;
  colour: FaxColour;
  /** Pixels per row (T.4 scan width of the paper at dpi.x). */
  width: number;
  /** image/tiff (RFC 3302) for S and F; image/tiff-fx (RFC 3950) for C (RFC 3249 §5.3). */
  contentType: 'image/tiff' | 'image/tiff-fx';
}

/** The resolution names profile S allows (RFC 3949 §3: 98/100 or 196/200 lines per inch). */
export const PROFILE_S_RESOLUTIONS: readonly ResolutionName[] = ['standard', 'fine'];
/** Papers profile S can carry: ImageWidth is 1728 (RFC 3949 §3), the scan line of A4, letter and legal. */
export const PROFILE_S_PAPERS: readonly PaperName[] = ['A4', 'letter', 'legal'];
/** Colour resolutions (RFC 3949 §6.2.1, square, inch-based; 100 and 300 dpi are not among ifax's names). */
export const PROFILE_C_RESOLUTIONS: readonly ResolutionName[] = ['fine', 'superfine'];

/** The dpi of a format at a resolution name: colour pages are square and inch-based (T.4 Annex E). */
export function formatDpi(profile: FaxProfile, resolution: ResolutionName): Resolution {
  return profile === 'C' ? RESOLUTION_EQUIVALENTS[resolution].inch : RESOLUTIONS[resolution];
}

/** Builds a format from its profile, coding, resolution, paper and colour. */
export function makeFormat(profile: FaxProfile, coding: FaxCoding | 'JPEG', resolution: ResolutionName, paper: PaperName, colour: FaxColour): FaxFormat {
  const dpi = formatDpi(profile, resolution);
  return {
    profile,
    coding,
    resolution,
    dpi,
    paper,
    colour,
    width: scanWidth(paper, dpi.x) ?? 0,
    contentType: profile === 'C' ? 'image/tiff-fx' : 'image/tiff',
  };
}

/** Every format ifax can send: profile S, F (every coding, resolution and paper) and C (grey and colour). */
export function allFormats(): FaxFormat[] {
  const out: FaxFormat[] = [];
  for (const r of PROFILE_S_RESOLUTIONS) for (const p of PROFILE_S_PAPERS) out.push(makeFormat('S', 'MH', r, p, 'bw'));
  for (const c of FAX_CODINGS) for (const r of RESOLUTION_NAMES) for (const p of PAPER_NAMES) out.push(makeFormat('F', c, r, p, 'bw'));
  for (const colour of ['color', 'gray'] as const) {
    for (const r of PROFILE_C_RESOLUTIONS) for (const p of PAPER_NAMES) out.push(makeFormat('C', 'JPEG', r, p, colour));
  }
  return out;
}

/** "profile F, MMR, 204x196, A4" */
export function formatSummary(f: FaxFormat): string {
  const what = f.profile === 'C' ? `JPEG ${f.colour === 'gray' ? 'grey' : 'colour'}` : f.coding;
  return `profile ${f.profile}, ${what}, ${f.dpi.x}x${f.dpi.y}, ${f.paper}`;
}

/** A dpi pair as RFC 2879 §3.2 states it: dpi = x, dpi-xyratio = x/y (1 when square). */
export function dpiFeatures(res: Resolution): FeatureExpression {
  return and(eq('dpi', integer(res.x)), eq('dpi-xyratio', res.x === res.y ? integer(1) : rational(res.x, res.y)));
}

/**
 * The descriptions of a resolution: what the TIFF states, then the T.4 equivalents a fax
 * receiver takes as the same (RFC 3949 §4.5.2): 204 x 98 ~ 200 x 100, 204 x 196 ~ 200 x 200,
 * 400 x 400 ~ 408 x 391. Colour has none (T.4 Annex E is inch-based only).
 */
export function resolutionDescriptions(f: FaxFormat, equivalents = true): Resolution[] {
  const out = [f.dpi];
  if (!equivalents || f.profile === 'C') return out;
  const eqv = RESOLUTION_EQUIVALENTS[f.resolution];
  const inch = eqv.inch;
  if (inch.x !== f.dpi.x || inch.y !== f.dpi.y) out.push(inch);
  if (f.resolution === 'superfine' && eqv.metric) out.push({ x: 408, y: 391 });
  return out;
}

/** T.4 §2.2 scan line lengths in mm by width class (A4/letter/legal 215, B4 255, A3 303): size-x is inches (RFC 2879 §3.1, mm x 10/254). */
const SCAN_LINE_MM = [215, 255, 303] as const;

function inches(mm: number): FeatureValue {
  return rational(Math.round(mm * 10), 254);
}

/** The image-file-structure values true of a profile's files (RFC 2879 §3.7; RFC 2531 names for older devices). */
export function fileStructures(profile: FaxProfile): string[] {
  // ifax writes every file "II", IFD before its data, FillOrder 2 (src/tiff/writer.ts): the
  // TIFF-minimal structure whatever the coding; colour is no "minimal black and white mode".
  if (profile === 'C') return ['TIFF-limited', 'TIFF', 'TIFF-C'];
  return ['TIFF-minimal', 'TIFF-limited', 'TIFF', 'TIFF-F'];
}

/**
 * A format as a feature set for matching: every tag whose value ifax knows, each with all the
 * values that truly describe the file. `equivalents: false` leaves out the T.4 resolution
 * equivalents (to tell whether a destination took the format only through them).
 */
export function formatFeatureSet(f: FaxFormat, options: { equivalents?: boolean } = {}): FeatureExpression {
  const paper = PAPERS[f.paper];
  const parts: FeatureExpression[] = [
    eq('type', quoted(f.contentType)),
    oneOfValues('image-file-structure', fileStructures(f.profile).map(token)),
    eq('MRC-mode', integer(0)),
    eq('image-coding', token(f.coding)),
    eq('paper-size', token(f.paper)),
    eq('size-x', inches(SCAN_LINE_MM[paper.widthClass])),
    eq('size-y', inches(paper.heightMm)),
    { type: 'or', operands: resolutionDescriptions(f, options.equivalents !== false).map(dpiFeatures) },
  ];
  if (f.colour === 'bw') {
    parts.push(eq('color', token('Binary')));
  } else {
    // RFC 3949 §6: baseline JPEG (T.4 Annex E) of ITULAB (CIELAB, D50 by default), 8 bits per sample.
    parts.push(
      eq('color', token(f.colour === 'gray' ? 'Grey' : 'Full')),
      eq('image-coding-constraint', token('JPEG-T4E')),
      eq('color-space', token('CIELAB')),
      eq('color-illuminant', token('D50')),
      eq('color-levels', integer(f.colour === 'gray' ? 256 : 16777216)),
    );
    // src/image/color writes ChromaSubSampling 2,2 (RFC 2879's "4:1:1"); grey has no chroma.
    if (f.colour === 'color') parts.push(eq('color-subsampling', quoted('4:1:1')));
  }
  return { type: 'and', operands: parts };
}
