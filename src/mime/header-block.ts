/**
 * RFC 5322 §2.2 and §2.2.3 read side, for message/partial: a message's header block taken
 * apart into raw fields (each with its continuation lines and line endings, kept byte for
 * byte so reassembly can write them back unchanged). The fields are read by the receiving
 * side's parseHeaderBlock (parse/header-fields.ts, with its size bounds); this view is
 * stricter than that lenient reader: a line that is neither a field nor a continuation
 * (nor the empty line ending the block) is refused rather than taken as the body start,
 * since bytes written back from a guessed header would glue a wrong message together.
 * Parameters of a field are read by parse/content-params.ts.
 */

import { IfaxError } from '../errors.js';
import { parseHeaderBlock } from './parse/header-fields.js';

/** One header field as it stood: name, the raw bytes from its name to its last line end, and its unfolded value. */
export interface RawField {
  name: string;
  raw: Uint8Array;
  /** The value unfolded (line ends removed), without the name and colon, trimmed. */
  value: string;
}

/** The header block of a message. */
export interface HeaderBlock {
  fields: RawField[];
  /** Offset of the empty line that ends the header block (message length when there is none). */
  headerEnd: number;
  /** Offset of the body (after the empty line). */
  bodyStart: number;
}

const latin1 = new TextDecoder('latin1');

function notAField(bytes: Uint8Array, at: number, what: string): IfaxError {
  const line = latin1.decode(bytes.subarray(at, Math.min(bytes.length, at + 60))).split(/\r?\n|\r/)[0];
  return new IfaxError('DATA_INVALID', `read ${what} failed: header line at offset ${at} is not a field: ${JSON.stringify(line)}`);
}

/** Splits off the header fields of `bytes`. `what` names the message in errors. */
export function readHeaderBlock(bytes: Uint8Array, what: string): HeaderBlock {
  const head = parseHeaderBlock(bytes, 0, bytes.length, what);
  const fields = head.fields.map((f, i) => ({ name: f.name, value: f.value, raw: head.raw[i] }));
  const offset = (r: Uint8Array): number => r.byteOffset - bytes.byteOffset;
  // A line before the first field (a stray continuation, an mbox "From " line) is not skipped here.
  if (head.raw.length > 0 && offset(head.raw[0]) !== 0) throw notAField(bytes, 0, what);
  const last = head.raw[head.raw.length - 1];
  const headerEnd = last === undefined ? 0 : offset(last) + last.length;
  if (headerEnd === bytes.length) return { fields, headerEnd, bodyStart: bytes.length };
  // What lies between the last field and the body must be the empty line.
  const gap = latin1.decode(bytes.subarray(headerEnd, head.bodyStart));
  if (!/^\r?\n$|^\r$/.test(gap)) throw notAField(bytes, headerEnd, what);
  return { fields, headerEnd, bodyStart: head.bodyStart };
}
