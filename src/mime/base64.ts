/**
 * RFC 2045 §6.8 base64 Content-Transfer-Encoding: 76-character lines ending in CRLF, written
 * straight into a byte array (a 3 MB TIFF would otherwise pass through a 4 MB string); and
 * the lenient decoder receivers need (§6.8: "any characters outside of the base64 alphabet
 * are to be ignored"), for bodies and RFC 2047 "B" encoded-words alike.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='

/** RFC 2045 §6.8: "encoded lines must not be longer than 76 characters". */
export const BASE64_LINE = 76;

/** Input bytes of one full 76-character line. */
const LINE_BYTES = (BASE64_LINE / 4) * 3;

/** Base64 of `data` in lines of 76 characters, each ending in CRLF (none for empty input). */
export function base64Lines(data: Uint8Array): Uint8Array {
  const chars = Math.ceil(data.length / 3) * 4;
  const lines = Math.ceil(chars / BASE64_LINE);
  const out = new Uint8Array(chars + lines * 2);
  let o = 0;
  let i = 0;
  // Whole lines first, in a loop without a per-character column check: this runs once per mail
  // over the whole document (megabytes), mostly before the JIT has warmed up.
  const whole = data.length - (data.length % LINE_BYTES);
  for (; i < whole; ) {
    const lineEnd = i + LINE_BYTES;
    for (; i < lineEnd; i += 3) {
      const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      out[o] = CODES[n >>> 18];
      out[o + 1] = CODES[(n >>> 12) & 63];
      out[o + 2] = CODES[(n >>> 6) & 63];
      out[o + 3] = CODES[n & 63];
      o += 4;
    }
    out[o++] = 13;
    out[o++] = 10;
  }
  if (i === data.length) return out.subarray(0, o);
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out[o++] = CODES[n >>> 18];
    out[o++] = CODES[(n >>> 12) & 63];
    out[o++] = CODES[(n >>> 6) & 63];
    out[o++] = CODES[n & 63];
  }
  const rest = data.length - i;
  if (rest > 0) {
    const n = (data[i] << 16) | (rest === 2 ? data[i + 1] << 8 : 0);
    out[o++] = CODES[n >>> 18];
    out[o++] = CODES[(n >>> 12) & 63];
    out[o++] = rest === 2 ? CODES[(n >>> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  out[o++] = 13;
  out[o++] = 10;
  return out.subarray(0, o);
}

/** Base64 of `data` as one string without line breaks (RFC 2047 "B" encoded-words). */
export function base64String(data: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    s += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = data.length - i;
  if (rest > 0) {
    const n = (data[i] << 16) | (rest === 2 ? data[i + 1] << 8 : 0);
    s += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + (rest === 2 ? ALPHABET[(n >>> 6) & 63] : '=') + '=';
  }
  return s;
}

/** Values of the base64 alphabet; 255 for bytes outside it, 254 for the pad `=`. */
const VALUES = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 64; i++) t[CODES[i]] = i;
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
