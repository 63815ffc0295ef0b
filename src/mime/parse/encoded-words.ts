/**
 * RFC 2047 §6 read side: encoded-words (`=?charset?B|Q?text?=`, §2; an RFC 2231 §5 language
 * suffix `charset*lang` allowed) in unstructured text and phrases decoded. §6.2: white space
 * between two adjacent encoded-words is dropped. Adjacent words of the same charset are
 * decoded together, because encoders (Outlook among them) split a multi-octet character
 * across two words although §5 forbids it. A word that does not decode is kept as it stands.
 */

import { decodeBase64 } from '../base64.js';
import { decodeCharset } from './charset.js';

const WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Text whose octets are written `<escape>XX` (two hex digits) or as themselves, to bytes: RFC
 * 2047 §4.2 "Q" (`=`) and RFC 2231 §4 parameter values (`%`). An escape not followed by two
 * hex digits is kept as it is; characters above U+00FF are cut to their low byte (what such
 * a value can only have meant as octets).
 */
export function hexEscapedBytes(text: string, escape: '=' | '%'): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === escape && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(text.charCodeAt(i) & 255);
  }
  return Uint8Array.from(out);
}

function wordBytes(enc: string, text: string): Uint8Array {
  return enc.toUpperCase() === 'B' ? decodeBase64(Uint8Array.from(text, (c) => c.charCodeAt(0) & 255)) : hexEscapedBytes(text.replace(/_/g, ' '), '='); // §4.2 (2): "_" is a space
}

/** Text with its encoded-words decoded. */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  let out = '';
  let last = 0;
  let run: { charset: string; bytes: Uint8Array[] } | null = null;
  const flush = (): void => {
    if (run === null) return;
    let size = 0;
    for (const b of run.bytes) size += b.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const b of run.bytes) {
      all.set(b, at);
      at += b.length;
    }
    out += decodeCharset(all, run.charset);
    run = null;
  };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    const between = text.slice(last, m.index);
    const charset = m[1].split('*')[0].toLowerCase();
    const bytes = wordBytes(m[2], m[3]);
    if (run !== null && /^[ \t\r\n]*$/.test(between)) {
      if ((run as { charset: string }).charset === charset) {
        (run as { bytes: Uint8Array[] }).bytes.push(bytes);
      } else {
        flush();
        run = { charset, bytes: [bytes] };
      }
    } else {
      flush();
      out += between;
      run = { charset, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + text.slice(last);
}
