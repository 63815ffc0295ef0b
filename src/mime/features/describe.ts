/**
 * The expressions ifax writes: RFC 2912 §3 `Content-features` for a body part it sends
 * (ifaxAdvanced.addContentInfo), and RFC 2530 §3 `Media-Accept-Features` for the MDNs it
 * answers with (receiveCaps, SETTINGS.md §7), in the RFC 2879 §4 form: dpi with its
 * dpi-xyratio pairs, codings and papers as sets. Both parse back with parseFeatureExpression
 * and match what they describe (RFC 2533 §5). Pure: no `node:` imports.
 */

import { IfaxError } from '../../errors.js';
import { FAX_CODINGS, RESOLUTION_NAMES, type PaperName, type ResolutionName } from '../../fax/vocabulary.js';
import {
  and,
  eq,
  formatFeatureExpression,
  integer,
  oneOfValues,
  or,
  quoted,
  rational,
  token,
  type FeatureExpression,
  type FormatOptions,
} from './expression.js';
import { dpiFeatures, type FaxFormat } from './formats.js';

/**
 * What a format's file is, as the Content-features of its body part (RFC 2912 §4.2 form):
 * type, structure (profile S TIFF-minimal, F and C TIFF-limited as in RFC 3297 §8.1), coding,
 * colour, dpi, paper.
 */
export function describeFormat(f: FaxFormat): FeatureExpression {
  const parts: FeatureExpression[] = [
    eq('type', quoted(f.contentType)),
    eq('color', token(f.colour === 'bw' ? 'Binary' : f.colour === 'gray' ? 'Grey' : 'Full')),
    eq('image-file-structure', token(f.profile === 'S' ? 'TIFF-minimal' : 'TIFF-limited')),
    dpiFeatures(f.dpi),
    eq('paper-size', token(f.paper)),
    eq('image-coding', token(f.coding)),
  ];
  if (f.profile === 'C') {
    parts.push(eq('image-coding-constraint', token('JPEG-T4E')), eq('color-space', token('CIELAB')));
    if (f.colour === 'color') parts.push(eq('color-subsampling', quoted('4:1:1')));
  }
  parts.push(eq('MRC-mode', integer(0)));
  return flatten(and(...parts));
}

/** The Content-features value of a format, on one line (or laid out as RFC 2912 does with `multiline`). */
export function contentFeatures(f: FaxFormat, options: FormatOptions = {}): string {
  return formatFeatureExpression(describeFormat(f), options);
}

/** This station's receive capabilities (SETTINGS.md §6-7). */
export interface ReceiveCapabilities {
  /** receiveCaps.compression: MH, MR, MMR, JPEG. */
  compression: readonly string[];
  /** receiveCaps.paperSizes. */
  paperSizes: readonly PaperName[];
  /** receiveCaps.resolutions; null or undefined = all up to maxResolution. */
  resolutions?: readonly ResolutionName[] | null | undefined;
  /** ifaxAdvanced.maxResolution. */
  maxResolution: ResolutionName;
}

/** The receive capabilities of a profile's settings (receiveCaps and ifaxAdvanced.maxResolution). */
export function receiveCapabilitiesOf(settings: {
  receiveCaps: { compression: readonly string[]; paperSizes: readonly PaperName[]; resolutions?: readonly ResolutionName[] | null | undefined };
  ifaxAdvanced: { maxResolution: ResolutionName };
}): ReceiveCapabilities {
  return { ...settings.receiveCaps, maxResolution: settings.ifaxAdvanced.maxResolution };
}

/**
 * The dpi / dpi-xyratio pairs ifax reads for each resolution name, grouped by dpi as RFC 2879
 * §4 writes them: both the metric T.4 pair and its inch-based equivalent (RFC 3949 §4.5.2),
 * and at superfine the 204 x 391 and 408 x 391 that the TIFF reader takes as well.
 */
const READ_PAIRS: Readonly<Record<ResolutionName, readonly [number, number][]>> = {
  standard: [
    [204, 98],
    [200, 100],
  ],
  fine: [
    [204, 196],
    [200, 200],
  ],
  superfine: [
    [204, 391],
    [400, 400],
    [408, 391],
  ],
  ultrafine: [[600, 600]],
};

function configInvalid(key: string, why: string): IfaxError {
  return new IfaxError('CONFIG_INVALID', `Describing receive capabilities failed: ${key} ${why}`, {
    context: { key },
    hint: `Set ${key} to at least one value (ifax config set ${key} ...).`,
  });
}

/**
 * This station's capabilities as the Media-Accept-Features expression of its MDNs, in the
 * form of STANDARDS.md / RFC 2879 §4.1: `(& (color=Binary) (image-file-structure=...)
 * (MRC-mode=0) (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]) (| (& (dpi=204)
 * (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))) (ua-media=stationery))`,
 * with a `(| ...)` of a black-and-white and a JPEG colour/grey branch when JPEG is taken.
 */
export function describeReceiveCapabilities(caps: ReceiveCapabilities): FeatureExpression {
  const maxRank = RESOLUTION_NAMES.indexOf(caps.maxResolution);
  const resolutions = (caps.resolutions ?? RESOLUTION_NAMES).filter((r) => RESOLUTION_NAMES.indexOf(r) <= maxRank);
  if (resolutions.length === 0) throw configInvalid('receiveCaps.resolutions', `has none up to ifaxAdvanced.maxResolution (${caps.maxResolution})`);
  if (caps.paperSizes.length === 0) throw configInvalid('receiveCaps.paperSizes', 'is empty');
  const wanted = new Set(caps.compression.map((c) => c.toUpperCase()));
  const codings = FAX_CODINGS.filter((c) => wanted.has(c));
  const jpeg = wanted.has('JPEG');
  if (codings.length === 0 && !jpeg) throw configInvalid('receiveCaps.compression', 'names no coding (MH, MR, MMR, JPEG)');

  const branches: FeatureExpression[] = [];
  if (codings.length > 0) {
    // Resolutions in RESOLUTION_NAMES order, their pairs grouped by dpi (first appearance order).
    const byDpi = new Map<number, [number, number][]>();
    for (const r of RESOLUTION_NAMES) {
      if (!resolutions.includes(r)) continue;
      for (const [x, y] of READ_PAIRS[r]) byDpi.set(x, [...(byDpi.get(x) ?? []), [x, y]]);
    }
    const dpi = or(
      ...[...byDpi].map(([x, pairs]) =>
        and(eq('dpi', integer(x)), oneOfValues('dpi-xyratio', pairs.map(([px, py]) => (px === py ? integer(1) : rational(px, py))))),
      ),
    );
    branches.push(
      and(
        eq('color', token('Binary')),
        // TIFF-minimal first: what a simple-mode sender looks for (RFC 2879 §4.1); the reader takes any TIFF.
        oneOfValues('image-file-structure', ['TIFF-minimal', 'TIFF-limited', 'TIFF'].map(token)),
        oneOfValues('image-coding', codings.map(token)),
        dpi,
      ),
    );
  }
  if (jpeg) {
    // Profile C pages are square 100-400 dpi (RFC 3949 §6.2.1); 300 and 400 only with superfine or above taken.
    const hi = resolutions.some((r) => RESOLUTION_NAMES.indexOf(r) >= RESOLUTION_NAMES.indexOf('superfine'));
    branches.push(
      and(
        oneOfValues('color', [token('Grey'), token('Full')]),
        oneOfValues('image-file-structure', ['TIFF-limited', 'TIFF'].map(token)),
        eq('image-coding', token('JPEG')),
        eq('image-coding-constraint', token('JPEG-T4E')),
        eq('color-space', token('CIELAB')),
        oneOfValues('dpi', (hi ? [100, 200, 300, 400] : [100, 200]).map(integer)),
        eq('dpi-xyratio', integer(1)),
      ),
    );
  }
  const body = branches.length === 1 ? (branches[0]!.type === 'and' ? branches[0]!.operands : [branches[0]!]) : [or(...branches)];
  return and(...body, eq('MRC-mode', integer(0)), oneOfValues('paper-size', caps.paperSizes.map(token)), eq('ua-media', token('stationery')));
}

/** The Media-Accept-Features value announcing `caps` (one line, or laid out with `multiline`). */
export function mediaAcceptFeatures(caps: ReceiveCapabilities, options: FormatOptions = {}): string {
  return formatFeatureExpression(describeReceiveCapabilities(caps), options);
}

/** (& a (& b c)) -> (& a b c): nested conjunctions written flat, as the RFC examples do. */
function flatten(e: FeatureExpression): FeatureExpression {
  if (e.type !== 'and') return e;
  return {
    type: 'and',
    operands: e.operands.flatMap((o) => {
      const f = flatten(o);
      return f.type === 'and' && f.params === undefined ? f.operands : [f];
    }),
  };
}
