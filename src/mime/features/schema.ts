/**
 * RFC 2879 §3 (content feature schema for Internet fax, V2), its predecessor RFC 2531 §3.7
 * (TIFF-S, TIFF-F, ... as image-file-structure values), RFC 2534 §3 (paper-size, dpi,
 * dpi-xyratio, ua-media, color) and RFC 2913 (`type`, the MIME content type): the feature tags
 * a fax capability statement uses, each with its kind of value. Unknown tags are legal
 * (RFC 2533 §4.2.3: they are still processed as feature tags); this table only lets ifax
 * name what it reads and check that the tags it acts on carry values of the right kind.
 * Pure: no `node:` imports.
 */

import type { FeatureExpression, FeatureValue } from './expression.js';

/** The kind of value a tag takes. */
export type FeatureValueKind = 'token' | 'integer' | 'rational' | 'string' | 'boolean';

/** One registered feature tag. */
export interface FeatureTag {
  /** The tag as its registration spells it. */
  name: string;
  kind: FeatureValueKind;
  /** Registered values of a token (or string) tag; the lists "may be extended by further registrations". */
  values?: readonly string[];
  /** Values compare case-insensitively even when quoted (MIME types: RFC 2045 §5.1). */
  foldCase?: boolean;
  /** Where the tag is defined. */
  ref: string;
}

/** image-file-structure values (RFC 2879 §3.7). TIFF-minimal is profile S's structure, TIFF-limited profile F's IFD placement. */
export const FILE_STRUCTURES = ['TIFF', 'TIFF-limited', 'TIFF-minimal', 'TIFF-MRC', 'TIFF-MRC-limited'] as const;

/** RFC 2531 §3.7's profile names, still sent by older devices (RFC 2879 obsoletes it). */
export const RFC2531_FILE_STRUCTURES = ['TIFF-S', 'TIFF-F', 'TIFF-J', 'TIFF-C', 'TIFF-L', 'TIFF-M'] as const;

/** image-coding values (RFC 2879 §3.7). */
export const IMAGE_CODINGS = ['MH', 'MR', 'MMR', 'JBIG', 'JPEG'] as const;

/** color values (RFC 2879 §3.5, RFC 2534). */
export const COLOR_CAPABILITIES = ['Binary', 'Limited', 'Mapped', 'Grey', 'Full'] as const;

/** The feature tags of fax capability statements. */
export const FEATURE_TAGS: readonly FeatureTag[] = [
  { name: 'type', kind: 'string', foldCase: true, ref: 'RFC 2913' },
  { name: 'image-file-structure', kind: 'token', values: [...FILE_STRUCTURES, ...RFC2531_FILE_STRUCTURES], ref: 'RFC 2879 §3.7' },
  { name: 'image-coding', kind: 'token', values: IMAGE_CODINGS, ref: 'RFC 2879 §3.7' },
  { name: 'image-coding-constraint', kind: 'token', values: ['JBIG-T85', 'JBIG-T43', 'JPEG-T4E'], ref: 'RFC 2879 §3.7' },
  { name: 'JBIG-stripe-size', kind: 'integer', ref: 'RFC 2879 §3.7' },
  { name: 'image-interleave', kind: 'token', values: ['Stripe', 'Plane'], ref: 'RFC 2879 §3.7' },
  { name: 'color-subsampling', kind: 'string', values: ['1:1:1', '4:1:1'], ref: 'RFC 2879 §3.7' },
  { name: 'MRC-mode', kind: 'integer', ref: 'RFC 2879 §3.8' },
  { name: 'MRC-max-stripe-size', kind: 'integer', ref: 'RFC 2879 §3.8' },
  { name: 'color', kind: 'token', values: COLOR_CAPABILITIES, ref: 'RFC 2879 §3.5' },
  { name: 'color-levels', kind: 'integer', ref: 'RFC 2879 §3.6' },
  { name: 'color-space', kind: 'token', values: ['Device-RGB', 'Device-CMY', 'Device-CMYK', 'CIELAB'], ref: 'RFC 2879 §3.6' },
  { name: 'color-illuminant', kind: 'token', ref: 'RFC 2879 §3.6' },
  ...['L', 'a', 'b'].flatMap((c): FeatureTag[] => [
    { name: `CIELAB-${c}-depth`, kind: 'integer', ref: 'RFC 2879 §3.6' },
    { name: `CIELAB-${c}-min`, kind: 'integer', ref: 'RFC 2879 §3.6' },
    { name: `CIELAB-${c}-max`, kind: 'integer', ref: 'RFC 2879 §3.6' },
  ]),
  { name: 'paper-size', kind: 'token', values: ['A4', 'A3', 'B4', 'letter', 'legal'], ref: 'RFC 2879 §3.4' },
  { name: 'ua-media', kind: 'token', values: ['screen', 'screen-paged', 'stationery', 'transparency', 'envelope', 'envelope-plain', 'continuous'], ref: 'RFC 2879 §3.3' },
  { name: 'dpi', kind: 'integer', ref: 'RFC 2879 §3.2' },
  { name: 'dpi-xyratio', kind: 'rational', ref: 'RFC 2879 §3.2' },
  { name: 'size-x', kind: 'rational', ref: 'RFC 2879 §3.1' },
  { name: 'size-y', kind: 'rational', ref: 'RFC 2879 §3.1' },
];

const BY_NAME = new Map(FEATURE_TAGS.map((t) => [t.name.toLowerCase(), t]));

/** The registered tag of a name, matched case-insensitively; undefined for a tag this schema does not know. */
export function featureTag(name: string): FeatureTag | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Whether the values of a tag compare case-insensitively even as quoted strings. */
export function foldsCase(attr: string): boolean {
  return featureTag(attr)?.foldCase === true;
}

/**
 * RFC 2531 values that RFC 2879 renamed: `image-file-structure=TIFF-S` is `TIFF-minimal`
 * (RFC 2879 §3.7: "also known as TIFF-S"). Returns the modern token, or undefined when the
 * value needs no change. The other RFC 2531 profile names (TIFF-F, -J, -C, -L, -M) have no
 * one-to-one successor (RFC 2879 separates structure from coding): they are kept as written
 * and the sendable formats state them where they apply.
 */
export function normaliseLegacyValue(attr: string, v: FeatureValue): { kind: 'token'; value: string } | undefined {
  if (attr.toLowerCase() !== 'image-file-structure') return undefined;
  if ((v.kind === 'token' || v.kind === 'string') && v.value.toLowerCase() === 'tiff-s') return { kind: 'token', value: 'TIFF-minimal' };
  return undefined;
}

function kindOk(kind: FeatureValueKind, v: FeatureValue): boolean {
  switch (kind) {
    case 'integer':
      return v.kind === 'number' && v.denominator === 1;
    case 'rational':
      return v.kind === 'number';
    case 'token':
      return v.kind === 'token';
    case 'string':
      return v.kind === 'string' || v.kind === 'token';
    case 'boolean':
      return v.kind === 'boolean';
  }
}

/**
 * Sentences on values of the wrong kind for their tag (`(dpi=high)`, `(paper-size=7)`), for
 * -v output: such a comparison is still evaluated by RFC 2533's rules (it can only be unequal
 * to what ifax sends), so this is advice, not an error.
 */
export function schemaWarnings(e: FeatureExpression): string[] {
  const out: string[] = [];
  const visit = (n: FeatureExpression): void => {
    if (n.type === 'and' || n.type === 'or') n.operands.forEach(visit);
    else if (n.type === 'not') visit(n.operand);
    else {
      const tag = featureTag(n.attr);
      if (tag === undefined) return;
      const values = n.type === 'compare' ? [n.value] : n.entries.flatMap((x) => (x.kind === 'value' ? [x.value] : [x.low, x.high]));
      for (const v of values) {
        if (!kindOk(tag.kind, v)) out.push(`${n.attr}: value of the wrong kind (a ${tag.kind} is expected, ${tag.ref})`);
      }
    }
  };
  visit(e);
  return [...new Set(out)];
}
