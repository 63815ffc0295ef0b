/**
 * RFC 2045 §6 Content-Transfer-Encoding, read side: §6.8 base64 (decodeBase64 of ../base64.ts,
 * which skips white space and stray characters, RFC 2045 §6.8) and §6.7 quoted-printable
 * decoded, 7bit / 8bit / binary (§6.2) taken as they are. Lenient as receivers must be:
 * quoted-printable keeps an `=` that starts no valid escape as it is (§6.7 note 2).
 */

import { decodeBase64 } from '../base64.js';

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 65 && b <= 70) return b - 55;
  if (b >= 97 && b <= 102) return b - 87; // lower case: RFC 2045 §6.7 (1) asks receivers to take it
  return -1;
}

/**
 * Decodes quoted-printable: `=XX` to its byte, `=` at a line end joins the lines (soft line
 * break, CRLF or bare LF), white space at the end of a line is dropped (§6.7 rule 3: it may
 * have been added by a transport), anything else kept as it is.
 */
export function decodeQuotedPrintable(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  let o = 0;
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    if (b === 61) {
      // Soft line break: "=" then optional white space then the line end.
      let j = i + 1;
      while (j < data.length && (data[j] === 32 || data[j] === 9)) j++;
      if (j < data.length && (data[j] === 13 || data[j] === 10)) {
        i = data[j] === 13 && data[j + 1] === 10 ? j + 2 : j + 1;
        continue;
      }
      if (j === data.length) break;
      const hi = hexValue(data[i + 1] ?? 0);
      const lo = hexValue(data[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 3;
        continue;
      }
      out[o++] = b;
      i++;
      continue;
    }
    if (b === 32 || b === 9) {
      let j = i;
      while (j < data.length && (data[j] === 32 || data[j] === 9)) j++;
      if (j === data.length || data[j] === 13 || data[j] === 10) {
        i = j;
        continue;
      }
      while (i < j) out[o++] = data[i++];
      continue;
    }
    out[o++] = b;
    i++;
  }
  return out.subarray(0, o);
}

/**
 * The body of a part decoded by its Content-Transfer-Encoding (case ignored). Unknown
 * encodings (x-uuencode, a typo) are taken as they are, as RFC 2045 §6.4 says a receiver may
 * treat the body as application/octet-stream: the caller sees the raw bytes, never nothing.
 */
export function decodeTransfer(encoding: string, body: Uint8Array): Uint8Array {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return body;
  }
}
