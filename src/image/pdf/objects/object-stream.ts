/**
 * Object streams (PDF 32000-1 §7.5.7, PDF 1.5): a /Type /ObjStm stream holds /N objects, its
 * decoded data starting with N pairs "objnum offset" and the objects themselves from /First.
 * The objects in it are not streams, and no "obj" keywords surround them. Pure: the caller
 * decodes the stream and caches the result (document.ts, bounded by PDF_OBJSTM_CACHE).
 */

import { MAX_PDF_OBJECTS } from '../../../limits.js';
import { memoryBytes, type Bytes } from './byte-window.js';
import { numberValue, regularRun, skipSpace } from './lexer.js';
import type { PdfDict, PdfObject } from './model.js';
import { parseObject } from './parser.js';

/** A decoded object stream: where each of its objects starts. */
export interface ObjectStream {
  data: Bytes;
  /** Object numbers in stream order, with their offsets in `data`. */
  objects: { num: number; offset: number }[];
}

/** Why an object stream cannot be read. */
export class ObjectStreamError extends Error {}

/** Reads the header of the decoded object stream `decoded` with dictionary `dict`. */
export function readObjectStream(dict: PdfDict, decoded: Uint8Array): ObjectStream {
  const n = dict.get('N');
  const first = dict.get('First');
  if (typeof n !== 'number' || typeof first !== 'number' || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || n > MAX_PDF_OBJECTS || first < 0 || first > decoded.length) {
    throw new ObjectStreamError('its /N or /First is missing or out of range');
  }
  const data = memoryBytes(decoded);
  const objects: ObjectStream['objects'] = [];
  let pos = 0;
  for (let i = 0; i < n && pos < first; i++) {
    const a = regularRun(data, skipSpace(data, pos), 20);
    const b = regularRun(data, skipSpace(data, a.end), 20);
    pos = b.end;
    const num = numberValue(a.word);
    const off = numberValue(b.word);
    if (num === undefined || off === undefined || !Number.isInteger(num) || !Number.isInteger(off) || num < 0 || off < 0) break;
    objects.push({ num, offset: first + off });
  }
  return { data, objects };
}

/**
 * Object `num`, the `index`-th of the stream (its xref entry's index); when the index does not
 * hold it (a damaged table), the first with that number. Undefined when the stream lacks it.
 */
export function objectInStream(stm: ObjectStream, num: number, index: number): PdfObject | undefined {
  const at = stm.objects[index]?.num === num ? stm.objects[index] : stm.objects.find((o) => o.num === num);
  if (at === undefined) return undefined;
  return parseObject(stm.data, at.offset, false).value;
}
