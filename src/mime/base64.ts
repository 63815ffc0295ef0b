/**
 * RFC 2045 §6.8 base64 Content-Transfer-Encoding: 76-character lines ending in CRLF, written
 * straight into a byte array (a 3 MB TIFF would otherwise pass through a 4 MB string).
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
