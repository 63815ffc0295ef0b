/**
 * Rebuilding a broken or missing cross-reference table (what PDF 32000-1 §7.5.4 and §7.5.5
 * describe as the table's job, done by search, as pdf.js and PDFium do): the file is scanned
 * in PDF_SCAN_CHUNK_BYTES blocks for "N G obj" headers (the last definition of a number wins,
 * as with incremental updates, §7.5.6) and for "trailer" dictionaries. Memory grows with the
 * number of objects, never with the file. Objects inside object streams (§7.5.7) and the
 * trailer keys of xref streams (§7.5.8.2) are found by the caller, which can decode streams.
 */

import { MAX_PDF_OBJECTS, PDF_SCAN_CHUNK_BYTES } from '../../../limits.js';
import type { Bytes } from './byte-window.js';
import { PdfDict, type PdfObject } from './model.js';
import { parseObject } from './parser.js';
import type { XrefEntry } from './xref-types.js';

/** What a scan finds: every object header, and the trailers' keys (the last trailer's first). */
export interface ScanResult {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

/** Bytes a match may straddle between blocks: "N G obj" with long numbers and spacing. */
const OVERLAP = 64;

const HEADER = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z0-9_])/g;
const TRAILER = /trailer(?![A-Za-z0-9_])/g;

/** Scans `b` for object headers and trailers. */
export function scanObjects(b: Bytes): ScanResult {
  const entries = new Map<number, XrefEntry>();
  const trailers: number[] = [];
  for (let pos = 0; pos < b.length; pos += PDF_SCAN_CHUNK_BYTES) {
    // One byte before the block, so that a number cut by the block's start is not read as its tail.
    const base = Math.max(0, pos - 1);
    const text = Buffer.from(b.slice(base, pos + PDF_SCAN_CHUNK_BYTES + OVERLAP)).toString('latin1');
    // A match starting in the overlap belongs to the next block.
    const limit = pos + PDF_SCAN_CHUNK_BYTES;
    for (const m of text.matchAll(HEADER)) {
      const at = base + (m.index ?? 0);
      if (at < pos || at >= limit) continue;
      const num = Number(m[1]);
      if (num > MAX_PDF_OBJECTS) continue;
      if (!entries.has(num) && entries.size >= MAX_PDF_OBJECTS) throw new Error(`more than MAX_PDF_OBJECTS (${MAX_PDF_OBJECTS}) objects`);
      entries.set(num, { kind: 'offset', offset: at, gen: Number(m[2]) });
    }
    for (const m of text.matchAll(TRAILER)) {
      const at = base + (m.index ?? 0);
      if (at >= pos && at < limit) trailers.push(at + 7);
    }
  }
  const trailer = new Map<string, PdfObject>();
  for (const at of trailers.reverse()) {
    let t: PdfObject;
    try {
      t = parseObject(b, at, false).value;
    } catch {
      continue;
    }
    if (t instanceof PdfDict) for (const [k, v] of t.entries) if (!trailer.has(k)) trailer.set(k, v);
  }
  return { entries, trailer: new PdfDict(trailer) };
}
