/**
 * RFC 2046 §4.1.2 charsets, read side: bytes to text by the charset a mail names. The
 * WHATWG decoders (TextDecoder) know every charset real mail uses (ISO-8859-*, windows-125x,
 * Shift_JIS, ISO-2022-JP, GB18030, KOI8-R...); a charset they do not know is read as
 * ISO-8859-1, which keeps every byte visible rather than failing the mail.
 */

type Decoder = InstanceType<typeof TextDecoder>;

const cache = new Map<string, Decoder>();

/** A decoder for `charset` (label as in the mail; unknown or empty: windows-1252, a superset of ISO-8859-1). */
function decoderFor(charset: string): Decoder {
  const label = charset.trim().toLowerCase() || 'us-ascii';
  let d = cache.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = new TextDecoder('latin1');
    }
    cache.set(label, d);
  }
  return d;
}

/** `bytes` as text in `charset`; invalid sequences become U+FFFD (never an exception). */
export function decodeCharset(bytes: Uint8Array, charset: string): string {
  return decoderFor(charset).decode(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Raw header bytes as text: UTF-8 when they are valid UTF-8 (RFC 6532 internationalized
 * headers, and what most 8-bit header writers mean), else ISO-8859-1 byte for byte.
 */
export function headerText(bytes: Uint8Array): string {
  for (const b of bytes) {
    if (b > 127) {
      try {
        return strictUtf8.decode(bytes);
      } catch {
        return latin1.decode(bytes);
      }
    }
  }
  return latin1.decode(bytes);
}
