/**
 * RFC 2046 §5.1.1 multipart bodies: the boundary (§5.1.1: at most 70 characters of bchars,
 * and it "must not appear inside any of the encapsulated parts") and the body layout
 * `--boundary CRLF part CRLF ... --boundary-- CRLF`, with no preamble or epilogue (some fax
 * devices show a preamble as text).
 */

import { IfaxError } from '../errors.js';
import { concatBytes, indexOfBytes, utf8 } from './wire-format.js';

/** One body part: its header fields (folded, CRLF-ended) and its encoded body (CRLF lines). */
export interface BodyPart {
  headers: string;
  body: Uint8Array;
}

/** Random bytes a boundary needs (96 bits). */
export const BOUNDARY_RANDOM_BYTES = 12;

/** Tries with a suffix before giving up: a boundary found in a part is already unlikely. */
const MAX_BOUNDARY_TRIES = 100;

/**
 * A boundary from `random` that occurs in none of `parts`. It starts `=_`: that cannot occur
 * in base64 or quoted-printable data; only a 7bit text part could hold it, and then a
 * numbered variant is tried.
 */
export function chooseBoundary(random: Uint8Array, parts: readonly BodyPart[]): string {
  if (random.length < BOUNDARY_RANDOM_BYTES) {
    throw new IfaxError('USAGE', `build mail failed: ${random.length} random bytes given for the boundary, at least ${BOUNDARY_RANDOM_BYTES} needed`);
  }
  let hex = '';
  for (const b of random.subarray(0, BOUNDARY_RANDOM_BYTES)) hex += b.toString(16).padStart(2, '0');
  const base = `=_ifax_${hex}`;
  const encoded = parts.map((p) => [utf8(p.headers), p.body]);
  for (let n = 0; n < MAX_BOUNDARY_TRIES; n++) {
    const boundary = n === 0 ? base : `${base}_${n}`;
    const marker = utf8(`--${boundary}`);
    if (encoded.every(([h, b]) => indexOfBytes(h, marker) < 0 && indexOfBytes(b, marker) < 0)) return boundary;
  }
  throw new IfaxError('INTERNAL', `build mail failed: no boundary free of the parts after ${MAX_BOUNDARY_TRIES} tries`);
}

/** The multipart body: each part between delimiter lines, then the close delimiter. */
export function multipartBody(boundary: string, parts: readonly BodyPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(utf8(`--${boundary}\r\n${p.headers}\r\n`), p.body);
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1): a body that
    // ends in CRLF keeps its last line break only if another one is written.
    chunks.push(utf8('\r\n'));
  }
  chunks.push(utf8(`--${boundary}--\r\n`));
  return concatBytes(chunks);
}
