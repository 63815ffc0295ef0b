/**
 * RFC 2045 §6 Content-Transfer-Encoding, read side: §6.8 base64 and §6.7 quoted-printable
 * decoded, 7bit / 8bit / binary (§6.2) taken as they are. Lenient as receivers must be
 * (§6.8: "any characters outside of the base64 alphabet are to be ignored"): base64 skips
 * white space and stray characters and takes a last group without its padding (some gateways
 * drop it); quoted-printable keeps an `=` that starts no valid escape as it is (§6.7 note 2).
 */

/** Values of the base64 alphabet; 255 for bytes outside it, 254 for the pad `=`. */
const VALUES = (() => {
  const t = new Uint8Array(256).fill(255);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  // RFC 4648 §5 URL-safe letters: some webmail encoders use them; they mean nothing else here.
  t[45] = 62; // '-'
  t[95] = 63; // '_'
  t[61] = 254;
  return t;
})();

/**
 * Decodes base64 text. Characters outside the alphabet are skipped; decoding stops at the
 * first `=` (padding ends the data, RFC 2045 §6.8); a final group of 2 or 3 characters
 * without padding gives its 1 or 2 bytes, a lone final character is dropped.
 */
export function decodeBase64(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((data.length * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = VALUES[data[i]];
    if (v === 255) continue;
    if (v === 254) break;
    acc = (acc << 6) | v;
    if (++n === 4) {
      out[o++] = (acc >>> 16) & 255;
      out[o++] = (acc >>> 8) & 255;
      out[o++] = acc & 255;
      acc = 0;
      n = 0;
    }
  }
  if (n === 2) out[o++] = (acc >>> 4) & 255;
  else if (n === 3) {
    out[o++] = (acc >>> 10) & 255;
    out[o++] = (acc >>> 2) & 255;
  }
  return out.subarray(0, o);
}

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
