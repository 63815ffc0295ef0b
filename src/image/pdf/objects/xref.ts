/**
 * The cross-reference chain: PDF 32000-1 §7.5.5 (the trailer and startxref at the file's end),
 * §7.5.4 (classic xref tables and their subsections), §7.5.6 (incremental updates: each
 * section's /Prev points to the one before; the newest entry for an object wins), §7.5.8
 * (cross-reference streams) and §7.5.8.4 (hybrid files: a table's /XRefStm stream gives the
 * compressed objects the table lists as free). The chain is bounded (MAX_PDF_XREF_SECTIONS)
 * and each section is read once, so a /Prev loop ends. Anything unreadable throws XrefError:
 * the caller rebuilds the table by scanning (rebuild.ts).
 */

import { MAX_PDF_OBJECTS, MAX_PDF_XREF_SECTIONS, MAX_PDF_XREF_STREAM_BYTES } from '../../../limits.js';
import type { Bytes } from './byte-window.js';
import { decodeFilters, type FilterStep } from './filters.js';
import { isDigit, keywordAt, numberValue, regularRun, skipSpace } from './lexer.js';
import { PdfDict, PdfName, PdfStream, type PdfObject } from './model.js';
import { parseIndirect, parseObject } from './parser.js';
import { streamExtent } from './stream-data.js';
import { readXrefStream } from './xref-stream.js';
import type { XrefEntry } from './xref-types.js';

/** Why the xref chain cannot be read as it stands. */
export class XrefError extends Error {}

/** The merged table and trailer. */
export interface Xref {
  entries: Map<number, XrefEntry>;
  /** The newest trailer's keys, older trailers filling what it lacks. */
  trailer: PdfDict;
}

/** Bytes at the end searched for "startxref": the spec says 1024; some writers add junk after %%EOF. */
const TAIL_BYTES = 4096;

/** Reads the chain from the file's last startxref. */
export function readXref(b: Bytes): Xref {
  const entries = new Map<number, XrefEntry>();
  const trailer = new Map<string, PdfObject>();
  const queue = [startXref(b)];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const at = queue.shift() as number;
    if (seen.has(at)) continue; // a /Prev loop
    if (seen.size >= MAX_PDF_XREF_SECTIONS) throw new XrefError(`more than MAX_PDF_XREF_SECTIONS (${MAX_PDF_XREF_SECTIONS}) xref sections`);
    seen.add(at);
    const section = readSection(b, at);
    // Hybrid file: the stream's entries stand in for the table's free ones (§7.5.8.4).
    const stm = section.trailer.get('XRefStm');
    if (typeof stm === 'number' && !seen.has(stm)) {
      seen.add(stm);
      const hidden = readSection(b, stm).entries;
      for (const [num, e] of hidden) if (section.entries.get(num)?.kind !== 'offset') section.entries.set(num, e);
    }
    for (const [num, e] of section.entries) if (!entries.has(num)) entries.set(num, e);
    for (const [k, v] of section.trailer.entries) if (!trailer.has(k) && k !== 'Prev' && k !== 'XRefStm') trailer.set(k, v);
    const prev = section.trailer.get('Prev');
    if (typeof prev === 'number') queue.push(prev);
  }
  return { entries, trailer: new PdfDict(trailer) };
}

function startXref(b: Bytes): number {
  const from = Math.max(0, b.length - TAIL_BYTES);
  const tail = Buffer.from(b.slice(from, b.length)).toString('latin1');
  const i = tail.lastIndexOf('startxref');
  if (i < 0) throw new XrefError('no "startxref" at the end of the file');
  const pos = skipSpace(b, from + i + 9);
  const n = numberValue(regularRun(b, pos, 20).word);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n >= b.length) throw new XrefError('"startxref" is not followed by an offset in the file');
  return n;
}

/** One section at `at`: a classic table with its trailer, or an xref stream (its dictionary is the trailer). */
function readSection(b: Bytes, at: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
  const pos = skipSpace(b, at);
  if (keywordAt(b, pos, 'xref')) return readTable(b, pos + 4);
  if (!isDigit(b.at(pos))) throw new XrefError(`no xref table or stream at offset ${at}`);
  let obj: PdfObject;
  try {
    obj = parseIndirect(b, pos).value;
  } catch (err) {
    throw new XrefError(`no xref stream at offset ${at} (${(err as Error).message})`);
  }
  if (!(obj instanceof PdfStream) || !(obj.dict.get('Type') instanceof PdfName) || (obj.dict.get('Type') as PdfName).name !== 'XRef') {
    throw new XrefError(`the object at offset ${at} is not an xref stream`);
  }
  const entries = new Map<number, XrefEntry>();
  readXrefStream(obj.dict, decodeDirect(b, obj), entries);
  return { entries, trailer: obj.dict };
}

/** A stream whose /Length, /Filter and /DecodeParms are direct, as an xref stream's must be (§7.5.8.2). */
export function decodeDirect(b: Bytes, s: PdfStream): Uint8Array {
  const length = s.dict.get('Length');
  const extent = streamExtent(b, s.dataStart, typeof length === 'number' ? length : undefined);
  if (extent === undefined) throw new XrefError('a stream has no "endstream"');
  if (extent.end - extent.start > MAX_PDF_XREF_STREAM_BYTES) throw new XrefError(`a stream is over MAX_PDF_XREF_STREAM_BYTES (${MAX_PDF_XREF_STREAM_BYTES})`);
  const filters = s.dict.get('Filter');
  const parms = s.dict.get('DecodeParms');
  const names = filters === undefined ? [] : Array.isArray(filters) ? filters : [filters];
  const plist = parms === undefined ? [] : Array.isArray(parms) ? parms : [parms];
  const steps: FilterStep[] = names.map((n, i) => {
    if (!(n instanceof PdfName)) throw new XrefError('a stream names its filter by reference');
    const p = plist[i];
    return p instanceof PdfDict ? { name: n.name, parms: p } : { name: n.name };
  });
  try {
    return decodeFilters(b.slice(extent.start, extent.end), steps, MAX_PDF_XREF_STREAM_BYTES);
  } catch (err) {
    throw new XrefError((err as Error).message);
  }
}

/** A classic table after "xref": subsections "first count" and their entries, then "trailer <<...>>". */
function readTable(b: Bytes, pos: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
  const entries = new Map<number, XrefEntry>();
  const word = (): string => {
    pos = skipSpace(b, pos);
    const r = regularRun(b, pos, 20);
    pos = r.end;
    return r.word;
  };
  for (;;) {
    pos = skipSpace(b, pos);
    if (keywordAt(b, pos, 'trailer')) break;
    const first = Number(word());
    const count = Number(word());
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > MAX_PDF_OBJECTS) {
      throw new XrefError('an xref subsection header is not "first count" within MAX_PDF_OBJECTS');
    }
    for (let i = 0; i < count; i++) {
      const offset = Number(word());
      const gen = Number(word());
      const type = word();
      if (!Number.isInteger(offset) || !Number.isInteger(gen) || (type !== 'n' && type !== 'f')) throw new XrefError(`a malformed xref entry for object ${first + i}`);
      if (!entries.has(first + i)) entries.set(first + i, type === 'n' ? { kind: 'offset', offset, gen } : { kind: 'free' });
    }
  }
  const t = parseObject(b, pos + 7, false).value;
  if (!(t instanceof PdfDict)) throw new XrefError('"trailer" is not followed by a dictionary');
  return { entries, trailer: t };
}
