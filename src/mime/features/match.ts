/**
 * Choosing what to send to one destination: RFC 3965 §2.2.3 / §4 (simple mode: profile S
 * without prior knowledge of the receiver), RFC 2532 §3 (use the capabilities learned from
 * MDNs and DSNs), RFC 4142 §3 (full mode), RFC 2533 §5 (a format is sendable when its feature
 * set and the destination's capabilities overlap), bounded by ifaxAdvanced.maxResolution.
 * Every choice comes with the sentences that explain it (-v, --json). Pure.
 */

import { IfaxError } from '../../errors.js';
import { RESOLUTION_NAMES, PAPER_NAMES, PAPERS, type FaxCoding, type PaperName, type ResolutionName } from '../../fax/vocabulary.js';
import type { FeatureExpression } from './expression.js';
import {
  allFormats,
  formatFeatureSet,
  formatSummary,
  makeFormat,
  PROFILE_S_PAPERS,
  PROFILE_S_RESOLUTIONS,
  resolutionDescriptions,
  type FaxColour,
  type FaxFormat,
} from './formats.js';
import { featureSetsMatch } from './satisfy.js';

/** What chooseFormat weighs. */
export interface ChooseFormatOptions {
  /** The destination's capabilities (parsed Media-Accept-Features and the like); undefined = unknown. */
  capabilities?: FeatureExpression | undefined;
  /** ifaxAdvanced.maxResolution. */
  maxResolution: ResolutionName;
  /** send.mode (or --mode). */
  mode: 'auto' | 'simple' | 'full';
  /** The job's resolution (--resolution or send.resolution). */
  resolution: ResolutionName;
  /** The job's black-and-white coding (--compression or compression.bw). */
  coding: FaxCoding;
  /** --color, --gray or --bw; undefined = as compression.color says. */
  colour?: FaxColour | undefined;
  /** compression.color: jpeg-color, jpeg-gray, or none (black-and-white whatever the input). */
  colourCompression: 'jpeg-color' | 'jpeg-gray' | 'none';
  /** The job's paper (--paper or send.paper). */
  paper: PaperName;
  /** The paper is forced: no other paper may be sent instead (DESTINATION_INCAPABLE when none fits). */
  paperFixed?: boolean;
  /** Whether any page has colour or grey (bi-level pages are always sent black-and-white). */
  pagesHaveColour: boolean;
}

/** One thing sent lower than (or other than) the job wished, and why. */
export interface Downgrade<T> {
  wished: T;
  chosen: T;
  reason: string;
}

/** What was lowered against the wish. */
export interface Downgrades {
  resolution?: Downgrade<ResolutionName>;
  coding?: Downgrade<FaxCoding | 'JPEG'>;
  colour?: Downgrade<FaxColour>;
  paper?: Downgrade<PaperName>;
}

/** The format chosen for one destination and why. */
export interface FormatChoice {
  format: FaxFormat;
  /** Human sentences, first the rule that bounded the choice. */
  reasons: string[];
  downgraded: Downgrades;
  /**
   * Full mode to a destination of unknown capabilities: the better format ifax could offer as
   * the RFC 3297 / RFC 4142 §3.1 `Content-alternative`; absent when it is what is sent.
   */
  alternative?: FaxFormat;
}

const rank = (r: ResolutionName): number => RESOLUTION_NAMES.indexOf(r);
const COLOUR_ORDER: readonly FaxColour[] = ['bw', 'gray', 'color'];
const CODING_PREFERENCE: readonly (FaxCoding | 'JPEG')[] = ['MMR', 'MR', 'MH'];

/** Whether an expression mentions a feature tag anywhere. */
export function mentionsTag(e: FeatureExpression, tag: string): boolean {
  const t = tag.toLowerCase();
  switch (e.type) {
    case 'and':
    case 'or':
      return e.operands.some((o) => mentionsTag(o, tag));
    case 'not':
      return mentionsTag(e.operand, tag);
    default:
      return e.attr.toLowerCase() === t;
  }
}

/** The colour resolution standing for a wished resolution: square 200 or 400 dpi (RFC 3949 §6.2.1). */
function colourWish(r: ResolutionName): ResolutionName {
  return rank(r) <= rank('fine') ? 'fine' : 'superfine';
}

/** Sort key of a format against the wishes: colour, paper, resolution, coding, then the simpler profile. */
function score(f: FaxFormat, o: ChooseFormatOptions, colour: FaxColour): number[] {
  const colourKey = COLOUR_ORDER.indexOf(colour) - COLOUR_ORDER.indexOf(f.colour);
  const wishClass = PAPERS[o.paper].widthClass;
  const cls = PAPERS[f.paper].widthClass;
  const paperKey =
    f.paper === o.paper ? 0 : cls === wishClass ? 1 + PAPER_NAMES.indexOf(f.paper) / 10 : cls < wishClass ? 10 + wishClass - cls : 20 + cls - wishClass;
  const wish = f.profile === 'C' ? colourWish(o.resolution) : o.resolution;
  const d = rank(f.resolution) - rank(wish);
  const resKey = d === 0 ? 0 : d < 0 ? -d : 10 + d;
  const codingKey = f.coding === 'JPEG' || f.coding === o.coding ? 0 : 1 + CODING_PREFERENCE.indexOf(f.coding);
  return [colourKey, paperKey, resKey, codingKey, f.profile === 'S' ? 0 : 1];
}

/** Lexicographic comparison of two sort keys. */
function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

function best(pool: readonly FaxFormat[], o: ChooseFormatOptions, colour: FaxColour): FaxFormat | undefined {
  let top: FaxFormat | undefined;
  let topKey: number[] = [];
  for (const f of pool) {
    const k = score(f, o, colour);
    if (top === undefined || lessThan(k, topKey)) {
      top = f;
      topKey = k;
    }
  }
  return top;
}

/** The colour the job asks for, before the destination is considered. */
function wishedColour(o: ChooseFormatOptions): FaxColour {
  if (o.colour !== undefined) return o.colour;
  return o.colourCompression === 'none' ? 'bw' : o.colourCompression === 'jpeg-gray' ? 'gray' : 'color';
}

/**
 * Picks the best format for one destination: never beyond its capabilities, never above
 * maxResolution, profile S only in simple mode or when nothing is known of the destination;
 * among the allowed, the wished colour, paper, resolution (else the nearest lower, else the
 * nearest higher) and coding (else MMR > MR > MH). Throws DESTINATION_INCAPABLE (69) when no
 * format fits.
 */
export function chooseFormat(o: ChooseFormatOptions): FormatChoice {
  const caps = o.capabilities;
  const reasons: string[] = [];
  const downgraded: Downgrades = {};

  let colour = wishedColour(o);
  if (colour !== 'bw' && !o.pagesHaveColour) {
    reasons.push('the pages are black and white: sent as black-and-white');
    colour = 'bw';
  } else if (o.colour === undefined && o.colourCompression === 'none' && o.pagesHaveColour) {
    reasons.push('compression.color is none: colour pages sent as black-and-white');
  }

  const sOnly = o.mode === 'simple' || caps === undefined;
  const announcesDpi = caps !== undefined && mentionsTag(caps, 'dpi');
  const bounded = (f: FaxFormat): boolean =>
    rank(f.resolution) <= rank(o.maxResolution) &&
    COLOUR_ORDER.indexOf(f.colour) <= COLOUR_ORDER.indexOf(colour) &&
    (!o.paperFixed || f.paper === o.paper) &&
    // 600 x 600 is outside TIFF-FX: only to a destination that announced its resolutions (STANDARDS.md).
    (f.resolution !== 'ultrafine' || announcesDpi);
  const allowed = (f: FaxFormat): boolean => (!sOnly || f.profile === 'S') && bounded(f) && (caps === undefined || featureSetsMatch(formatFeatureSet(f), caps));

  const pool = allFormats().filter(allowed);
  const chosen = best(pool, o, colour);
  if (chosen === undefined) throw incapable(o, caps, sOnly);

  // The rule that bounded the choice, with the result.
  const summary = formatSummary(chosen);
  if (o.mode === 'simple') reasons.unshift(`send.mode is simple: profile S only (RFC 3965): ${summary}`);
  else if (caps === undefined) reasons.unshift(`destination capabilities unknown: simple mode (RFC 3965) ${summary}`);
  else reasons.unshift(`destination capabilities known (send.mode ${o.mode}): ${summary}`);

  // Why each wish was not met: the first rule that excludes the wished value.
  const why = (wished: FaxFormat, what: string): string => {
    if (rank(wished.resolution) > rank(o.maxResolution)) return `${what} is above ifaxAdvanced.maxResolution (${o.maxResolution})`;
    if (sOnly && wished.profile !== 'S') {
      return o.mode === 'simple' ? `${what} is beyond profile S (send.mode simple)` : `${what} is beyond profile S and the destination's capabilities are unknown`;
    }
    if (wished.resolution === 'ultrafine' && !announcesDpi) return `${what}: 600x600 is outside TIFF-FX and the destination did not announce it`;
    return `the destination's capabilities do not allow ${what}`;
  };
  const variant = (changes: Partial<Pick<FaxFormat, 'coding' | 'resolution' | 'paper' | 'colour'>>): FaxFormat => {
    const colourOf = changes.colour ?? chosen.colour;
    const profile = colourOf !== 'bw' ? 'C' : sOnly && (changes.coding ?? chosen.coding) === 'MH' ? 'S' : 'F';
    const coding = colourOf !== 'bw' ? 'JPEG' : (changes.coding ?? (chosen.coding === 'JPEG' ? o.coding : chosen.coding));
    const res = changes.resolution ?? chosen.resolution;
    return makeFormat(profile, coding, profile === 'C' ? colourWish(res) : res, changes.paper ?? chosen.paper, colourOf);
  };

  if (chosen.colour !== colour) {
    const reason = why(variant({ colour }), colour === 'color' ? 'colour (JPEG, profile C)' : 'grey (JPEG, profile C)');
    downgraded.colour = { wished: colour, chosen: chosen.colour, reason };
    reasons.push(`${colour === 'color' ? 'colour' : 'grey'} sent as ${chosen.colour === 'gray' ? 'grey' : 'black-and-white'}: ${reason}`);
  }
  if (chosen.paper !== o.paper) {
    const reason = sOnly && !PROFILE_S_PAPERS.includes(o.paper) ? `profile S is 1728 pixels wide (A4, letter, legal)` : why(variant({ paper: o.paper }), `paper ${o.paper}`);
    downgraded.paper = { wished: o.paper, chosen: chosen.paper, reason };
    reasons.push(`paper ${o.paper} sent as ${chosen.paper}: ${reason}`);
  }
  const wishedRes = chosen.profile === 'C' ? colourWish(o.resolution) : o.resolution;
  if (chosen.resolution !== wishedRes) {
    const sRes = sOnly && !PROFILE_S_RESOLUTIONS.includes(wishedRes) && rank(wishedRes) <= rank(o.maxResolution);
    const reason = sRes ? 'profile S has standard and fine only (RFC 3949 §3)' : why(variant({ resolution: wishedRes }), wishedRes);
    if (rank(chosen.resolution) < rank(wishedRes)) {
      downgraded.resolution = { wished: wishedRes, chosen: chosen.resolution, reason };
      reasons.push(`resolution lowered from ${wishedRes} to ${chosen.resolution}: ${reason}`);
    } else {
      reasons.push(`resolution raised from ${wishedRes} to ${chosen.resolution}: ${reason}`);
    }
  }
  if (chosen.coding !== 'JPEG' && chosen.coding !== o.coding) {
    const reason = sOnly ? 'profile S is MH only (RFC 3949 §3)' : why(variant({ coding: o.coding }), o.coding);
    downgraded.coding = { wished: o.coding, chosen: chosen.coding, reason };
    reasons.push(`coding ${o.coding} sent as ${chosen.coding}: ${reason}`);
  }
  if (caps !== undefined && chosen.profile !== 'C' && !featureSetsMatch(formatFeatureSet(chosen, { equivalents: false }), caps)) {
    const others = resolutionDescriptions(chosen).slice(1).map((r) => `${r.x}x${r.y}`);
    reasons.push(`${chosen.dpi.x}x${chosen.dpi.y} dpi fits the destination's capabilities as its T.4 equivalent ${others.join(' or ')} (RFC 3949 §4.5.2)`);
  }

  const result: FormatChoice = { format: chosen, reasons, downgraded };
  if (o.mode === 'full' && caps === undefined) {
    const alternative = best(allFormats().filter(bounded), o, colour);
    if (alternative !== undefined && formatSummary(alternative) !== summary) {
      result.alternative = alternative;
      reasons.push(`full mode: ${formatSummary(alternative)} offered as the alternative (RFC 4142 §3.1, RFC 3297)`);
    }
  }
  return result;
}

function incapable(o: ChooseFormatOptions, caps: FeatureExpression | undefined, sOnly: boolean): IfaxError {
  let reason = 'no format ifax can send fits';
  if (o.paperFixed) {
    const other = allFormats().some((f) => (!sOnly || f.profile === 'S') && (caps === undefined || featureSetsMatch(formatFeatureSet(f), caps)));
    if (other) reason = `the destination takes no ${o.paper} paper${sOnly ? ' in profile S' : ''}, and the paper is fixed`;
  }
  if (caps !== undefined) reason += ` (its capabilities, send.mode ${o.mode}, ifaxAdvanced.maxResolution ${o.maxResolution})`;
  return new IfaxError('DESTINATION_INCAPABLE', `Choosing fax format failed: ${reason}`, {
    context: { paper: o.paper, paperFixed: o.paperFixed === true, mode: o.mode, maxResolution: o.maxResolution, capabilitiesKnown: caps !== undefined },
    hint: o.paperFixed ? 'Choose a paper the destination takes, or let ifax fit the pages (no fixed paper).' : "Check the destination's capabilities (ifax caps ADDR) or clear them (ifax caps clear ADDR).",
  });
}
