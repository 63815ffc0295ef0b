/**
 * Cross-reference streams (PDF 32000-1 §7.5.8, PDF 1.5): the entries of a decoded /Type /XRef
 * stream by its /W field widths and /Index subsections (Table 17), entry types 0 free, 1 in
 * use at an offset, 2 in an object stream (Table 18). The stream's data is decoded by
 * filters.ts (FlateDecode with the PNG predictors, §7.4.4.4).
 */

import { MAX_PDF_OBJECTS } from '../../../limits.js';
import { PdfDict, type PdfObject } from './model.js';
import type { XrefEntry } from './xref-types.js';

/** Why an xref stream cannot be read. */
export class XrefStreamError extends Error {}

const ints = (o: PdfObject | undefined): number[] | undefined =>
  Array.isArray(o) && o.every((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0) ? o : undefined;

/** Sets each entry of the decoded stream `data` with dictionary `dict` into `into` (existing keys kept). */
export function readXrefStream(dict: PdfDict, data: Uint8Array, into: Map<number, XrefEntry>): void {
  const w = ints(dict.get('W'));
  const size = dict.get('Size');
  if (w === undefined || w.length < 3 || w.some((x) => x > 8) || typeof size !== 'number') throw new XrefStreamError('its /W or /Size is missing or out of range');
  const index = ints(dict.get('Index')) ?? [0, size];
  const width = w[0] + w[1] + w[2];
  if (width === 0) throw new XrefStreamError('its /W fields are all empty');
  let p = 0;
  const field = (n: number, dflt: number): number => {
    if (n === 0) return dflt;
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 256 + data[p++];
    return v;
  };
  for (let s = 0; s + 1 < index.length; s += 2) {
    const [first, count] = [index[s], index[s + 1]];
    if (first + count > MAX_PDF_OBJECTS) throw new XrefStreamError(`it lists objects past MAX_PDF_OBJECTS (${MAX_PDF_OBJECTS})`);
    for (let i = 0; i < count; i++) {
      if (p + width > data.length) return; // a short stream: the entries it has
      const type = field(w[0], 1);
      const a = field(w[1], 0);
      const b = field(w[2], 0);
      const num = first + i;
      if (into.has(num)) continue;
      if (type === 1) into.set(num, { kind: 'offset', offset: a, gen: b });
      else if (type === 2) into.set(num, { kind: 'compressed', stream: a, index: b });
      else if (type === 0) into.set(num, { kind: 'free' });
      // Other types are reserved (Table 18): treated as null references, i.e. left unset.
    }
  }
}
