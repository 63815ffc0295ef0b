/**
 * RFC 5322 §2.2 and §2.2.3 read side, for message/partial: a message's header block taken
 * apart into raw fields (each with its continuation lines and line endings, kept byte for
 * byte so reassembly can write them back unchanged). Parameters of a field are read by
 * parse/content-params.ts. Lenient about LF-only line ends (a mailbox may have stored them so);
 * strict about lines that are neither a field nor a continuation.
 */

import { IfaxError } from '../errors.js';

/** One header field as it stood: name and the raw bytes from its name to its last line end. */
export interface RawField {
  name: string;
  raw: Uint8Array;
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

/** Splits off the header fields of `bytes`. `what` names the message in errors. */
export function readHeaderBlock(bytes: Uint8Array, what: string): HeaderBlock {
  const fields: RawField[] = [];
  let at = 0;
  while (at < bytes.length) {
    let end = bytes.indexOf(10, at);
    end = end < 0 ? bytes.length : end + 1;
    const first = bytes[at];
    if (first === 13 || first === 10) {
      return { fields, headerEnd: at, bodyStart: end };
    }
    if (first === 32 || first === 9) {
      const last = fields[fields.length - 1];
      if (last === undefined) throw new IfaxError('DATA_INVALID', `read ${what} failed: the header starts with a continuation line`);
      const joined = new Uint8Array(last.raw.length + end - at);
      joined.set(last.raw);
      joined.set(bytes.subarray(at, end), last.raw.length);
      last.raw = joined;
    } else {
      const colon = bytes.subarray(at, end).indexOf(58);
      const name = colon > 0 ? latin1.decode(bytes.subarray(at, at + colon)) : '';
      if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
        throw new IfaxError('DATA_INVALID', `read ${what} failed: header line at offset ${at} is not a field: ${JSON.stringify(latin1.decode(bytes.subarray(at, Math.min(end, at + 60))))}`);
      }
      fields.push({ name, raw: bytes.slice(at, end) });
    }
    at = end;
  }
  return { fields, headerEnd: bytes.length, bodyStart: bytes.length };
}

/** A field's value, unfolded (line ends removed), without its name and colon. */
export function fieldValue(field: RawField): string {
  return latin1
    .decode(field.raw)
    .slice(field.name.length + 1)
    .replace(/\r?\n/g, '')
    .trim();
}

