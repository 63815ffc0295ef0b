/**
 * A PDF's objects, read lazily from a random-access source (PDF 32000-1 §7.5: file structure;
 * §7.3.10: indirect objects and references, a reference to a missing or free object being
 * null). The xref chain is read at open (xref.ts), or rebuilt by a scan when it is broken or
 * missing (rebuild.ts); then each object is parsed from the file when first asked for, object
 * streams (§7.5.7) decoded when one of their objects is, and stream data (§7.3.8) read only by
 * streamBytes()/decodeStream(), never kept. Parsed objects and decoded object streams are
 * cached within bounds (PDF_OBJECT_CACHE_BYTES, PDF_OBJSTM_CACHE), so memory stays flat
 * whatever the file's size. Encryption (§7.6) is only detected: `encrypted` is true and the
 * caller reads nothing more (strings and streams would be ciphertext).
 */

import type { ByteSource } from '../../pbm.js';
import { MAX_PDF_OBJSTM_BYTES, MAX_PDF_REF_CHAIN, PDF_OBJECT_CACHE_BYTES, PDF_OBJSTM_CACHE } from '../../../limits.js';
import { windowBytes, type Bytes } from './byte-window.js';
import { decodeFilters, type FilterStep } from './filters.js';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from './model.js';
import { objectInStream, readObjectStream, type ObjectStream } from './object-stream.js';
import { parseIndirect } from './parser.js';
import { scanObjects } from './rebuild.js';
import { streamExtent } from './stream-data.js';
import { decodeDirect, readXref } from './xref.js';
import type { XrefEntry } from './xref-types.js';

/** Why the document's objects cannot be read (no catalog, nothing that looks like a PDF). */
export class PdfReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfReadError';
  }
}

/** The objects of one PDF file. */
export class PdfObjects {
  private entries: Map<number, XrefEntry>;
  /** The merged trailer dictionary (§7.5.5). */
  trailer: PdfDict;
  /** True when the xref chain was unreadable and the table was rebuilt by a scan. */
  rebuilt = false;
  /** Why the chain was rebuilt, for notes. */
  rebuildReason?: string;
  private readonly cache = new Map<number, { value: PdfObject; cost: number }>();
  private cacheBytes = 0;
  private readonly objStms = new Map<number, ObjectStream>();
  private readonly fetching = new Set<number>();

  private constructor(private readonly b: Bytes) {
    let xref;
    try {
      xref = readXref(b);
      if (!(this.resolveIn(xref.trailer.get('Root'), xref.entries) instanceof PdfDict)) throw new Error('the trailer has no /Root catalog');
    } catch (err) {
      xref = undefined;
      this.rebuildReason = (err as Error).message;
    }
    this.entries = xref?.entries ?? new Map();
    this.trailer = xref?.trailer ?? new PdfDict();
    if (xref === undefined) this.rebuild();
  }

  /** Reads the xref of `source` (or rebuilds it). Throws PdfReadError when there is no catalog at all. */
  static open(source: ByteSource): PdfObjects {
    return new PdfObjects(windowBytes(source));
  }

  /** The trailer has /Encrypt (§7.6.1): strings and streams are encrypted. */
  get encrypted(): boolean {
    return this.trailer.get('Encrypt') !== undefined;
  }

  /** The document catalog (§7.7.2). */
  catalog(): PdfDict {
    const root = this.resolve(this.trailer.get('Root'));
    if (!(root instanceof PdfDict)) throw new PdfReadError('the file has no document catalog (/Root)');
    return root;
  }

  /** `o` with references followed (a chain of them bounded by MAX_PDF_REF_CHAIN); a missing object is null. */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    for (let i = 0; o instanceof PdfRef; i++) {
      if (i >= MAX_PDF_REF_CHAIN) return null;
      o = this.object(o.num);
    }
    return o;
  }

  /** `dict[key]`, resolved. */
  get(dict: PdfDict, key: string): PdfObject | undefined {
    return this.resolve(dict.get(key));
  }

  /** The stream's raw data, as stored (before any filter): read from the file now, not kept. */
  streamBytes(s: PdfStream): Uint8Array {
    const length = this.get(s.dict, 'Length');
    const extent = streamExtent(this.b, s.dataStart, typeof length === 'number' ? length : undefined);
    if (extent === undefined) throw new PdfReadError(`the stream at offset ${s.dataStart} has no "endstream"`);
    return this.b.slice(extent.start, extent.end);
  }

  /** The stream's data through its filters (filters.ts), at most `max` bytes. */
  decodeStream(s: PdfStream, max: number): Uint8Array {
    return decodeFilters(this.streamBytes(s), this.filterSteps(s.dict), max);
  }

  /** The stream's /Filter and /DecodeParms, resolved, as steps; a filter that is not a name throws. */
  filterSteps(dict: PdfDict): FilterStep[] {
    const f = this.get(dict, 'Filter');
    const p = this.get(dict, 'DecodeParms');
    const names = f === undefined || f === null ? [] : Array.isArray(f) ? f.map((x) => this.resolve(x)) : [f];
    const parms = p === undefined || p === null ? [] : Array.isArray(p) ? p.map((x) => this.resolve(x)) : [p];
    return names.map((n, i) => {
      if (!(n instanceof PdfName)) throw new PdfReadError('a stream names a filter that is not a name');
      const q = parms[i];
      return q instanceof PdfDict ? { name: n.name, parms: q } : { name: n.name };
    });
  }

  /** Object `num` (its newest definition), or null when it is missing, free or unreadable. */
  object(num: number): PdfObject {
    const hit = this.cache.get(num);
    if (hit !== undefined) return hit.value;
    if (this.fetching.has(num)) return null; // an object stream inside itself
    this.fetching.add(num);
    try {
      const got = this.fetch(num);
      if (got === undefined) return null;
      this.remember(num, got.value, got.cost);
      return got.value;
    } finally {
      this.fetching.delete(num);
    }
  }

  private fetch(num: number): { value: PdfObject; cost: number } | undefined {
    const e = this.entries.get(num);
    if (e === undefined || e.kind === 'free') return undefined;
    if (e.kind === 'compressed') {
      const stm = this.objectStream(e.stream);
      const value = stm && objectInStream(stm, num, e.index);
      return value === undefined ? undefined : { value, cost: 256 };
    }
    try {
      const got = parseIndirect(this.b, e.offset);
      if (got.num === num) return { value: got.value, cost: got.end - e.offset };
    } catch {
      // fall through: the table points at the wrong place
    }
    // A wrong offset means a broken table: rebuild once, then look again.
    if (!this.rebuilt) {
      this.rebuildReason = `object ${num}'s xref entry points at offset ${e.offset}, where it is not`;
      this.rebuild();
      return this.fetch(num);
    }
    return undefined;
  }

  private remember(num: number, value: PdfObject, cost: number): void {
    // Streams are cached by their dictionary only: their data is never held.
    this.cache.set(num, { value, cost });
    this.cacheBytes += cost;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= PDF_OBJECT_CACHE_BYTES) break;
      this.cache.delete(k);
      this.cacheBytes -= v.cost;
    }
  }

  private objectStream(num: number): ObjectStream | undefined {
    const hit = this.objStms.get(num);
    if (hit !== undefined) return hit;
    const s = this.object(num);
    if (!(s instanceof PdfStream)) return undefined;
    let stm: ObjectStream;
    try {
      stm = readObjectStream(s.dict, this.decodeStream(s, MAX_PDF_OBJSTM_BYTES));
    } catch {
      return undefined;
    }
    if (this.objStms.size >= PDF_OBJSTM_CACHE) this.objStms.delete(this.objStms.keys().next().value as number);
    this.objStms.set(num, stm);
    return stm;
  }

  /** Rebuilds the table by scanning (rebuild.ts), then indexes object streams and xref-stream trailers. */
  private rebuild(): void {
    this.rebuilt = true;
    this.cache.clear();
    this.cacheBytes = 0;
    this.objStms.clear();
    const scan = scanObjects(this.b);
    const direct = scan.entries;
    const entries = new Map(direct);
    const trailer = new Map(scan.trailer.entries);
    let catalog: number | undefined;
    for (const [num, e] of direct) {
      if (e.kind !== 'offset') continue;
      let value: PdfObject;
      try {
        value = parseIndirect(this.b, e.offset).value;
      } catch {
        continue;
      }
      const dict = value instanceof PdfStream ? value.dict : value instanceof PdfDict ? value : undefined;
      const type = dict?.get('Type');
      const typeName = type instanceof PdfName ? type.name : undefined;
      if (typeName === 'Catalog') catalog = num;
      if (!(value instanceof PdfStream)) continue;
      if (typeName === 'XRef') {
        for (const [k, v] of value.dict.entries) if (!trailer.has(k)) trailer.set(k, v);
      } else if (typeName === 'ObjStm') {
        try {
          const stm = readObjectStream(value.dict, decodeDirect(this.b, value));
          stm.objects.forEach((o, index) => {
            if (!direct.has(o.num)) entries.set(o.num, { kind: 'compressed', stream: num, index });
          });
        } catch {
          // an unreadable object stream: its objects stay missing
        }
      }
    }
    this.entries = entries;
    if (!(this.resolveIn(trailer.get('Root'), entries) instanceof PdfDict) && catalog !== undefined) trailer.set('Root', new PdfRef(catalog, 0));
    this.trailer = new PdfDict(trailer);
    if (!(this.resolve(this.trailer.get('Root')) instanceof PdfDict)) throw new PdfReadError(`the file has no document catalog (its xref: ${this.rebuildReason ?? 'rebuilt'})`);
  }

  /** Resolves `o` against `entries` before they are this document's (the constructor's check). */
  private resolveIn(o: PdfObject | undefined, entries: Map<number, XrefEntry>): PdfObject | undefined {
    const saved = this.entries;
    const rebuilt = this.rebuilt;
    this.entries = entries;
    // No rebuild while checking: a wrong entry here means the chain is unusable.
    this.rebuilt = true;
    try {
      return this.resolve(o);
    } finally {
      this.entries = saved;
      this.rebuilt = rebuilt;
      this.cache.clear();
      this.cacheBytes = 0;
    }
  }
}
