/**
 * RFC 3297 content negotiation (RFC 4142 full mode), receiving side, read from a fax mail:
 * the offer (§4, §6.1 `Disposition-Notification-Options: Alternative-available=optional,
 * <lifetime>` with the RFC 8098 §2.2 parameter syntax), the document's own description (RFC
 * 2912 `Content-features`) and the alternatives (§4 `Content-alternative`, one RFC 2533
 * expression each), and the choice of an alternative this station would rather have
 * (`preferredAlternative`). Pure: no `node:` imports.
 *
 * Leniency, each recorded in `notes`: attribute names and values in any case, white space
 * anywhere, a missing importance (`Alternative-available=transient`) or a missing or unknown
 * lifetime (read as `transient`: the shorter promise is the safe reading, it only makes the
 * station keep what it has), quoted values, fields on the top header instead of the image
 * part (a single-part mail has only that one), an expression that does not parse (skipped).
 */

import type { FeatureExpression, FeatureValue } from '../features/expression.js';
import { featureSetsMatch } from '../features/satisfy.js';
import { parseFeatureExpression } from '../features/parse.js';
import { COLOR_CAPABILITIES } from '../features/schema.js';
import { allFields, firstField, type HeaderField } from './header-fields.js';

/** The sender's offer of alternatives (RFC 3297 §4, §6.1). */
export interface AlternativeOffer {
  /** How long the sender holds the alternatives: `transient` (a short while) or `permanent`. */
  lifetime: 'transient' | 'permanent';
  /** The importance as written (RFC 8098 §2.2); `optional` when it was left out. */
  importance: 'optional' | 'required';
}

/** What a fax mail says about content negotiation. */
export interface NegotiationFields {
  /** The offer, or undefined when the mail makes none. */
  offer?: AlternativeOffer;
  /** The mail is a resend answering an earlier `alternative-preferred` (RFC 3297 §3.3 Original-Message-ID). */
  resendOf?: string;
  /** The received document's Content-features, parsed. */
  contentFeatures?: FeatureExpression;
  /** Each Content-alternative that parsed, with its text as written. */
  alternatives: Array<{ text: string; expression: FeatureExpression }>;
  /** What was read leniently or skipped. */
  notes: string[];
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1').trim() : t;
}

/**
 * Reads `Alternative-available` from a Disposition-Notification-Options value (RFC 8098 §2.2:
 * `attr=importance,value[,value]` parameters separated by ";"). Undefined when it is not there.
 */
export function readAlternativeOffer(options: string | undefined, notes: string[] = []): AlternativeOffer | undefined {
  if (options === undefined) return undefined;
  for (const param of options.split(';')) {
    const eq = param.indexOf('=');
    const attr = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    if (attr !== 'alternative-available') continue;
    const values = eq < 0 ? [] : param.slice(eq + 1).split(',').map(unquote).filter((v) => v !== '');
    let importance: AlternativeOffer['importance'] = 'optional';
    const first = values[0]?.toLowerCase();
    if (first === 'optional' || first === 'required') {
      importance = first;
      values.shift();
    } else {
      notes.push('Alternative-available without its importance; read as optional (RFC 3297 §4)');
    }
    const lifetime = values[0]?.toLowerCase();
    if (lifetime === 'transient' || lifetime === 'permanent') return { lifetime, importance };
    notes.push(`Alternative-available lifetime ${lifetime === undefined ? 'missing' : JSON.stringify(values[0])}; read as transient (RFC 3297 §4)`);
    return { lifetime: 'transient', importance };
  }
  return undefined;
}

function parsed(text: string, field: string, notes: string[]): FeatureExpression | undefined {
  try {
    return parseFeatureExpression(text).expression;
  } catch (err) {
    // A stranger's expression that does not parse is skipped, never a reason to refuse the fax.
    notes.push(`${field} skipped: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * The negotiation fields of a fax mail: `top` is the mail's header, `image` the header of its
 * (first) image part. Content-features / Content-alternative are read from the image part,
 * else from the top header.
 */
export function readNegotiationFields(top: readonly HeaderField[], image: readonly HeaderField[] = []): NegotiationFields {
  const notes: string[] = [];
  const out: NegotiationFields = { alternatives: [], notes };
  const offer = readAlternativeOffer(firstField(top, 'disposition-notification-options'), notes);
  if (offer) out.offer = offer;
  const resend = firstField(top, 'original-message-id');
  if (resend !== undefined && resend.trim() !== '') out.resendOf = resend.trim();
  const featuresText = firstField(image, 'content-features') ?? firstField(top, 'content-features');
  if (featuresText !== undefined) {
    const e = parsed(featuresText, 'Content-features', notes);
    if (e) out.contentFeatures = e;
  }
  let alts = allFields(image, 'content-alternative');
  if (alts.length === 0) alts = allFields(top, 'content-alternative');
  alts.forEach((text, i) => {
    const e = parsed(text, `Content-alternative ${i + 1}`, notes);
    if (e) out.alternatives.push({ text: text.replace(/\s+/g, ' ').trim(), expression: e });
  });
  return out;
}

/** What a feature set says of a document's quality; a field is absent when the set does not pin it to one value. */
export interface DocumentQuality {
  /** Horizontal dots per inch. */
  xDpi?: number;
  /** Vertical dots per inch (dpi / dpi-xyratio, RFC 2879 §3.2). */
  yDpi?: number;
  /** RFC 2879 §3.5 color: Binary, Limited, Mapped, Grey, Full. */
  colour?: string;
  /** RFC 2879 §3.3 image-coding. */
  coding?: string;
}

function numberOf(v: FeatureValue): number | undefined {
  return v.kind === 'number' && v.unit === undefined && v.denominator > 0 ? v.numerator / v.denominator : undefined;
}

/**
 * The single values a document description pins: `(attr=value)` or a one-entry set, in the
 * conjunctions of the expression. Anything under `|` or `!` names no single value and is
 * left out (the quality on that axis is then unknown, and never counted as better).
 */
export function qualityOf(e: FeatureExpression): DocumentQuality {
  const values = new Map<string, FeatureValue>();
  const walk = (n: FeatureExpression): void => {
    if (n.type === 'and') n.operands.forEach(walk);
    else if (n.type === 'compare' && n.op === '=') values.set(n.attr.toLowerCase(), n.value);
    else if (n.type === 'set' && n.entries.length === 1 && n.entries[0]!.kind === 'value') values.set(n.attr.toLowerCase(), n.entries[0]!.value);
  };
  walk(e);
  const q: DocumentQuality = {};
  const dpi = values.get('dpi');
  const x = dpi ? numberOf(dpi) : undefined;
  if (x !== undefined && x > 0) {
    q.xDpi = x;
    const ratioValue = values.get('dpi-xyratio');
    const ratio = ratioValue ? numberOf(ratioValue) : undefined;
    if (ratio !== undefined && ratio > 0) q.yDpi = Math.round((x / ratio) * 100) / 100;
  }
  const colour = values.get('color');
  if (colour?.kind === 'token') q.colour = colour.value;
  const coding = values.get('image-coding');
  if (coding?.kind === 'token') q.coding = coding.value.toUpperCase();
  return q;
}

function colourRank(c: string | undefined): number {
  return c === undefined ? -1 : COLOR_CAPABILITIES.findIndex((x) => x.toLowerCase() === c.toLowerCase());
}

/**
 * Whether `alt` is better for this station than `received`: more of the picture (a higher
 * resolution on one axis and no lower one on the other, or a richer colour) and worse on no
 * axis known on both sides.
 *
 * Why only resolution and colour: those are what a resend gives the station that it does not
 * have (finer strokes, the colour of the original). A better coding alone (MMR or JBIG for MH)
 * gives the same pixels in fewer bytes, and asking for it costs the whole fax again over the
 * network to save bytes already spent; the sender learns the coding anyway from the
 * Media-Accept-Features of the `processed` MDN (RFC 2530 §3) and uses it next time. Why
 * "worse on no axis": trading colour for resolution (or back) is not a gain the station can
 * judge for the user; it keeps what came.
 */
export function isBetterFor(alt: DocumentQuality, received: DocumentQuality): boolean {
  let gain = false;
  const axis = (a: number | undefined, r: number | undefined): boolean => {
    if (a === undefined || r === undefined) return true;
    // 3 % slack: the metric and inch forms of a class (204 x 196 and 200 x 200, 400 x 400 and
    // 408 x 391) differ by up to 2.3 % and are the same resolution (RFC 3949 §4.5.2).
    if (a > r * 1.03) gain = true;
    return a >= r * 0.97;
  };
  const ca = colourRank(alt.colour);
  const cr = colourRank(received.colour);
  const ok = axis(alt.xDpi, received.xDpi) && axis(alt.yDpi, received.yDpi) && axis(ca < 0 ? undefined : ca, cr < 0 ? undefined : cr);
  return ok && gain;
}

/** The alternative asked for: its index among those offered and why. */
export interface PreferredAlternative {
  index: number;
  text: string;
  quality: DocumentQuality;
}

/**
 * The alternative this station should ask for: one that matches `capabilities` (RFC 2533 §5.2,
 * this station's receive capabilities) and is better (isBetterFor) than `received`; of several,
 * the richest colour, then the most dots. Undefined when none is.
 */
export function preferredAlternative(received: FeatureExpression, alternatives: NegotiationFields['alternatives'], capabilities: FeatureExpression): PreferredAlternative | undefined {
  const base = qualityOf(received);
  let best: PreferredAlternative | undefined;
  const score = (q: DocumentQuality): [number, number] => [colourRank(q.colour), (q.xDpi ?? 0) * (q.yDpi ?? 0)];
  alternatives.forEach((a, index) => {
    const quality = qualityOf(a.expression);
    if (!isBetterFor(quality, base)) return;
    let matches: boolean;
    try {
      matches = featureSetsMatch(a.expression, capabilities);
    } catch {
      return; // too many steps (LIMIT_EXCEEDED): a stranger's expression is not worth more
    }
    if (!matches) return;
    if (best === undefined) {
      best = { index, text: a.text, quality };
      return;
    }
    const [c1, d1] = score(quality);
    const [c0, d0] = score(best.quality);
    if (c1 > c0 || (c1 === c0 && d1 > d0)) best = { index, text: a.text, quality };
  });
  return best;
}

/** "400x391 dpi, Binary, MMR" */
export function qualityText(q: DocumentQuality): string {
  const parts = [q.xDpi !== undefined ? `${q.xDpi}x${q.yDpi ?? '?'} dpi` : undefined, q.colour, q.coding].filter((x) => x !== undefined);
  return parts.length > 0 ? parts.join(', ') : 'an unstated format';
}

/**
 * Whether an MDN Disposition asks for an alternative (RFC 3297 §6.2 `deleted/
 * alternative-preferred`). Lenient: any case, white space around "/", and the "," RFC 3297's
 * own examples put where RFC 8098 §3.2.6 has ";".
 */
export function isAlternativePreferred(disposition: string): boolean {
  return /(?:^|[;,\s])deleted\s*\/\s*alternative-preferred\b/i.test(disposition);
}
