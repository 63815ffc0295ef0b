/**
 * RFC 2046 §4.1 text/plain (canonical form: lines end in CRLF; §4.1.2 charset) with the
 * transfer encodings of RFC 2045 §6 this module uses: 7bit for US-ASCII with short lines,
 * else base64. Charset choice follows the devices: Ricoh takes only US-ASCII and ISO-8859
 * (STANDARDS.md), so text that fits ISO-8859-1 is sent in it; anything else in UTF-8.
 */

import { IfaxError } from '../errors.js';
import { base64Lines } from './base64.js';
import { FOLD_WIDTH } from './header-fold.js';
import { paramField } from './mime-params.js';
import { utf8 } from './wire-format.js';

/** A text/plain body ready for a MIME part. */
export interface TextPart {
  /** `us-ascii`, `iso-8859-1` or `utf-8`. */
  charset: 'us-ascii' | 'iso-8859-1' | 'utf-8';
  transferEncoding: '7bit' | 'base64';
  /** The part's Content-Type and Content-Transfer-Encoding fields, folded, CRLF-ended. */
  headers: string;
  /** The encoded body, CRLF lines. */
  body: Uint8Array;
}

/** Text with every line ending (CRLF, CR, LF) made CRLF and a final CRLF. */
export function canonicalText(text: string): string {
  const t = text.replace(/\r\n|\r|\n/g, '\r\n');
  return t.endsWith('\r\n') || t === '' ? t : `${t}\r\n`;
}

/**
 * Encodes `text` as a text/plain part. 7bit when it is printable US-ASCII (tabs allowed)
 * with lines of at most FOLD_WIDTH; else base64 in ISO-8859-1 when every character is in
 * it (C1 controls excluded: they are not text), in UTF-8 otherwise. Refuses NUL.
 */
export function encodeTextPart(text: string, what = 'text'): TextPart {
  if (text.includes('\0')) throw new IfaxError('DATA_INVALID', `build mail failed: the ${what} contains a NUL character`);
  const canon = canonicalText(text);
  const lines = canon.split('\r\n');
  const sevenBit = /^[\x20-\x7e\t\r\n]*$/.test(canon) && lines.every((l) => l.length <= FOLD_WIDTH);
  let charset: TextPart['charset'];
  let bytes: Uint8Array;
  const codes = Array.from(canon, (c) => c.codePointAt(0)!);
  if (codes.every((c) => c <= 0x7f)) {
    charset = 'us-ascii';
    bytes = utf8(canon);
  } else if (codes.every((c) => c <= 0x7f || (c >= 0xa0 && c <= 0xff))) {
    charset = 'iso-8859-1';
    bytes = Uint8Array.from(canon, (c) => c.charCodeAt(0));
  } else {
    charset = 'utf-8';
    bytes = utf8(canon);
  }
  const transferEncoding = sevenBit ? '7bit' : 'base64';
  const headers = paramField('Content-Type', 'text/plain', [['charset', charset]]) + `Content-Transfer-Encoding: ${transferEncoding}\r\n`;
  return { charset, transferEncoding, headers, body: sevenBit ? bytes : base64Lines(bytes) };
}
