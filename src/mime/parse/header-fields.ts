/**
 * RFC 5322 §2.2 header fields, read side: a header block split into fields, §2.2.3 unfolding
 * (a CRLF followed by white space is removed), lookups by name. Lenient as mail readers are:
 * LF-only line ends, an mbox "From " line before the first field, and a block that ends
 * without its empty line (a line that is neither a field nor a continuation starts the body,
 * as Python's email and most readers do: the RFC 3249 examples put a placeholder line there).
 * Bounded by MAX_MAIL_HEADER_BYTES and MAX_MAIL_HEADER_FIELDS.
 */

import { IfaxError } from '../../errors.js';
import { MAX_MAIL_HEADER_BYTES, MAX_MAIL_HEADER_FIELDS } from '../../limits.js';
import { FIELD_NAME } from '../header-fold.js';
import { headerText } from './charset.js';

/** One field: its name as written, and its value unfolded (line ends removed, outer white space trimmed). */
export interface HeaderField {
  name: string;
  value: string;
}

/** A header block taken apart. */
export interface ParsedHeaders {
  fields: HeaderField[];
  /**
   * Each field's bytes as written, name to its last line end (continuations and line ends
   * kept), in the order of `fields`: what message/partial reassembly writes back unchanged.
   */
  raw: Uint8Array[];
  /** Offset of the body in the bytes given. */
  bodyStart: number;
  /** Problems met that did not stop reading ("no empty line after the header"). */
  defects: string[];
}

/** Reads the header block of `bytes` from `start` to `end`. `what` names it in errors. */
export function parseHeaderBlock(bytes: Uint8Array, start: number, end: number, what: string): ParsedHeaders {
  const fields: HeaderField[] = [];
  const spans: Uint8Array[] = [];
  const defects: string[] = [];
  let raw: Uint8Array[] = [];
  let name = '';
  let fieldStart = start;
  let fieldEnd = start;
  const push = (): void => {
    if (name === '') return;
    if (fields.length >= MAX_MAIL_HEADER_FIELDS) {
      throw new IfaxError('LIMIT_EXCEEDED', `read mail failed: ${what} has more than ${MAX_MAIL_HEADER_FIELDS} header fields (MAX_MAIL_HEADER_FIELDS)`);
    }
    let size = 0;
    for (const r of raw) size += r.length;
    // Checked before decoding: one field of megabytes (a line without an end) is never made a string.
    if (size > MAX_MAIL_HEADER_BYTES) {
      throw new IfaxError('LIMIT_EXCEEDED', `read mail failed: a header field of ${what} is over ${MAX_MAIL_HEADER_BYTES} bytes (MAX_MAIL_HEADER_BYTES)`);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const r of raw) {
      all.set(r, at);
      at += r.length;
    }
    const text = headerText(all);
    fields.push({ name, value: text.replace(/\r?\n|\r/g, '').trim() });
    spans.push(bytes.subarray(fieldStart, fieldEnd));
    name = '';
    raw = [];
  };
  let at = start;
  let first = true;
  while (at < end) {
    if (at - start > MAX_MAIL_HEADER_BYTES) {
      throw new IfaxError('LIMIT_EXCEEDED', `read mail failed: the header of ${what} is over ${MAX_MAIL_HEADER_BYTES} bytes (MAX_MAIL_HEADER_BYTES)`);
    }
    let nl = bytes.indexOf(10, at);
    if (nl < 0 || nl >= end) nl = end - 1;
    const lineEnd = nl + 1;
    const b = bytes[at];
    if (b === 10 || (b === 13 && (bytes[at + 1] === 10 || at + 1 === end))) {
      push();
      return { fields, raw: spans, bodyStart: Math.min(lineEnd, end), defects };
    }
    if (b === 32 || b === 9) {
      if (name === '') {
        if (first) defects.push('the header starts with a continuation line');
        // A continuation with nothing to continue: skipped (Python records a defect too).
      } else {
        raw.push(bytes.subarray(at, lineEnd));
        fieldEnd = lineEnd;
      }
    } else {
      const line = bytes.subarray(at, lineEnd);
      const colon = line.indexOf(58);
      const candidate = colon > 0 ? headerText(line.subarray(0, colon)).trimEnd() : '';
      if (first && colon < 0 && /^From /.test(headerText(line.subarray(0, 5)))) {
        // mbox separator line ("From sender date"): not a field, not the body.
      } else if (!FIELD_NAME.test(candidate)) {
        push();
        defects.push(`no empty line after the header; body starts at offset ${at}`);
        return { fields, raw: spans, bodyStart: at, defects };
      } else {
        push();
        // White space before the colon ("Subject :") is obsolete syntax (RFC 5322 §4.5.3), still read.
        name = candidate;
        raw = [line.subarray(colon + 1)];
        fieldStart = at;
        fieldEnd = lineEnd;
      }
    }
    first = false;
    at = lineEnd;
  }
  push();
  if (fields.length > 0) defects.push('the mail ends inside its header');
  return { fields, raw: spans, bodyStart: end, defects };
}

/** The first field named `name` (case ignored), or undefined. */
export function firstField(fields: readonly HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}

/** Every field named `name` (case ignored), in order. */
export function allFields(fields: readonly HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  return fields.filter((f) => f.name.toLowerCase() === lower).map((f) => f.value);
}
