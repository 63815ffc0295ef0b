/**
 * PDF objects from bytes: PDF 32000-1 §7.3 (every object type: §7.3.2 booleans, §7.3.3
 * numbers, §7.3.4 literal and hexadecimal strings with their escapes, §7.3.5 names with #xx,
 * §7.3.6 arrays, §7.3.7 dictionaries, §7.3.8 streams, §7.3.9 null, §7.3.10 indirect objects
 * and references). A stream's data is not read: its start is recorded (model.ts). Nesting is
 * bounded (MAX_PDF_NESTING) and so is the span one object may cover (MAX_PDF_OBJECT_BYTES):
 * a crafted file cannot recurse the stack away or make one object of the whole file.
 */

import { MAX_PDF_NESTING, MAX_PDF_OBJECT_BYTES } from '../../../limits.js';
import type { Bytes } from './byte-window.js';
import { isDigit, isRegular, isWhite, keywordAt, numberValue, regularRun, skipSpace } from './lexer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './model.js';

/** Why an object cannot be parsed; the caller turns it into its own error or a fallback. */
export class PdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'PdfSyntaxError';
  }
}

/** A parsed object and the offset just after it. */
export interface Parsed<T = PdfObject> {
  value: T;
  end: number;
}

/** Longest token (number, keyword, name) read: longer runs are garbage, not PDF. */
const MAX_TOKEN = 4096;

/** Parses one object at `pos`. `streams` false (inside an object stream, §7.5.7): no stream may follow a dictionary. */
export function parseObject(b: Bytes, pos: number, streams = true): Parsed {
  return new Parser(b, pos).object(0, streams);
}

/**
 * Parses "num gen obj <object> [endobj]" at `pos` (§7.3.10). Throws PdfSyntaxError when the
 * header is not there.
 */
export function parseIndirect(b: Bytes, pos: number): Parsed<PdfObject> & { num: number; gen: number } {
  const start = skipSpace(b, pos);
  const n = regularRun(b, start, MAX_TOKEN);
  const g = regularRun(b, skipSpace(b, n.end), MAX_TOKEN);
  const objAt = skipSpace(b, g.end);
  const num = numberValue(n.word);
  const gen = numberValue(g.word);
  if (num === undefined || gen === undefined || !Number.isInteger(num) || !Number.isInteger(gen) || !keywordAt(b, objAt, 'obj')) {
    throw new PdfSyntaxError('no "N G obj" header', start);
  }
  const { value, end } = new Parser(b, objAt + 3).object(0, true);
  const after = skipSpace(b, end);
  return { num, gen, value, end: keywordAt(b, after, 'endobj') ? after + 6 : end };
}

class Parser {
  private readonly start: number;
  constructor(
    private readonly b: Bytes,
    private pos: number,
  ) {
    this.start = pos;
  }

  object(depth: number, streams: boolean): Parsed {
    if (depth > MAX_PDF_NESTING) throw new PdfSyntaxError(`objects nested deeper than MAX_PDF_NESTING (${MAX_PDF_NESTING})`, this.pos);
    const value = this.value(depth, streams);
    return { value, end: this.pos };
  }

  private fail(what: string): never {
    throw new PdfSyntaxError(what, this.pos);
  }

  private next(): number {
    if (this.pos - this.start > MAX_PDF_OBJECT_BYTES) this.fail(`an object longer than MAX_PDF_OBJECT_BYTES (${MAX_PDF_OBJECT_BYTES})`);
    return this.b.at(this.pos++);
  }

  private value(depth: number, streams: boolean): PdfObject {
    const b = this.b;
    this.pos = skipSpace(b, this.pos);
    const c = b.at(this.pos);
    if (c === -1) this.fail('the data ends where an object was expected');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literal();
    if (c === 0x5b) return this.array(depth);
    if (c === 0x3c) return b.at(this.pos + 1) === 0x3c ? this.dictOrStream(depth, streams) : this.hex();
    if (!isRegular(c)) this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))}`);
    const { word, end } = regularRun(b, this.pos, MAX_TOKEN);
    this.pos = end;
    const n = numberValue(word);
    if (n !== undefined) return Number.isInteger(n) && n >= 0 && isDigit(word.charCodeAt(0)) ? this.maybeRef(n) : n;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return this.fail(`unexpected keyword ${JSON.stringify(word.slice(0, 40))}`);
  }

  /** "num gen R" when it follows, else the number (the lookahead is undone). */
  private maybeRef(num: number): PdfObject {
    const b = this.b;
    const g = skipSpace(b, this.pos);
    if (!isDigit(b.at(g))) return num;
    const gen = regularRun(b, g, MAX_TOKEN);
    const r = skipSpace(b, gen.end);
    if (/^\d+$/.test(gen.word) && keywordAt(b, r, 'R')) {
      this.pos = r + 1;
      return new PdfRef(num, Number(gen.word));
    }
    return num;
  }

  private name(): PdfName {
    this.pos++;
    let s = '';
    while (isRegular(this.b.at(this.pos))) {
      if (s.length > MAX_TOKEN) this.fail('a name longer than 4096 bytes');
      const c = this.next();
      const h = c === 0x23 ? hexPair(this.b.at(this.pos), this.b.at(this.pos + 1)) : -1;
      if (h >= 0) {
        s += String.fromCharCode(h);
        this.pos += 2;
      } else s += String.fromCharCode(c);
    }
    return new PdfName(s);
  }

  private literal(): PdfString {
    this.pos++;
    const out: number[] = [];
    let nest = 0;
    for (;;) {
      const c = this.next();
      if (c === -1) this.fail('a string runs past the end of the data');
      if (c === 0x28) nest++;
      else if (c === 0x29 && nest-- === 0) break;
      if (c === 0x0d) {
        // An unescaped EOL of any kind reads as one LF (§7.3.4.2).
        if (this.b.at(this.pos) === 0x0a) this.pos++;
        out.push(0x0a);
      } else if (c === 0x5c) this.escape(out);
      else out.push(c);
    }
    return new PdfString(Uint8Array.from(out), false);
  }

  /** One escape after a backslash (§7.3.4.2, Table 3); an unknown one is the character alone. */
  private escape(out: number[]): void {
    const c = this.next();
    const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };
    if (c in simple) out.push(simple[c]);
    else if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      for (let k = 0; k < 2 && this.b.at(this.pos) >= 0x30 && this.b.at(this.pos) <= 0x37; k++) v = v * 8 + (this.next() - 0x30);
      out.push(v & 0xff);
    } else if (c === 0x0d) {
      if (this.b.at(this.pos) === 0x0a) this.pos++; // line continuation
    } else if (c !== 0x0a && c !== -1) out.push(c);
  }

  private hex(): PdfString {
    this.pos++;
    const out: number[] = [];
    let high = -1;
    for (;;) {
      const c = this.next();
      if (c === 0x3e) break;
      if (c === -1) this.fail('a hexadecimal string runs past the end of the data');
      if (isWhite(c)) continue;
      const v = hexDigit(c);
      if (v < 0) this.fail('a non-hexadecimal character in a hexadecimal string');
      if (high < 0) high = v;
      else {
        out.push((high << 4) | v);
        high = -1;
      }
    }
    if (high >= 0) out.push(high << 4); // an odd final digit is followed by 0 (§7.3.4.3)
    return new PdfString(Uint8Array.from(out), true);
  }

  private array(depth: number): PdfObject[] {
    this.pos++;
    const out: PdfObject[] = [];
    for (;;) {
      this.pos = skipSpace(this.b, this.pos);
      if (this.b.at(this.pos) === 0x5d) {
        this.pos++;
        return out;
      }
      out.push(this.object(depth + 1, false).value);
    }
  }

  private dictOrStream(depth: number, streams: boolean): PdfDict | PdfStream {
    this.pos += 2;
    const entries = new Map<string, PdfObject>();
    for (;;) {
      this.pos = skipSpace(this.b, this.pos);
      const c = this.b.at(this.pos);
      if (c === 0x3e && this.b.at(this.pos + 1) === 0x3e) {
        this.pos += 2;
        break;
      }
      if (c !== 0x2f) this.fail('a dictionary key that is not a name');
      const key = this.name().name;
      entries.set(key, this.object(depth + 1, false).value);
    }
    const dict = new PdfDict(entries);
    if (!streams) return dict;
    const s = skipSpace(this.b, this.pos);
    if (!keywordAt(this.b, s, 'stream')) return dict;
    // "stream" then CRLF or LF (§7.3.8.1); a lone CR is accepted, as viewers do.
    let data = s + 6;
    if (this.b.at(data) === 0x0d) data++;
    if (this.b.at(data) === 0x0a) data++;
    this.pos = data;
    return new PdfStream(dict, data);
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function hexPair(a: number, b: number): number {
  const h = hexDigit(a);
  const l = hexDigit(b);
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}
