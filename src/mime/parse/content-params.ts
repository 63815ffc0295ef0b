/**
 * RFC 2045 §5.1 Content-Type and RFC 2183 §2 Content-Disposition values, read side: the
 * type (lower-cased) and parameters, with RFC 2231 §3 continuations (`name*0`, `name*1`...,
 * put together in number order) and §4 charset-tagged values (`name*=utf-8'en'%E2%82%AC`).
 * Lenient where real mail is sloppy: comments (RFC 5322 CFWS) skipped, a missing `;`,
 * unquoted values with spaces up to the next `;`, a quoted value with RFC 2047 encoded-words
 * in it (what Outlook writes for file names) decoded.
 */

import { decodeCharset } from './charset.js';
import { decodeEncodedWords, hexEscapedBytes } from './encoded-words.js';
import { splitOutside, withoutComments } from './structured-text.js';

/** A parsed Content-Type or Content-Disposition. */
export interface ParamValue {
  /** `type/subtype` or the disposition type, lower case; '' when none could be read. */
  value: string;
  /** Parameters by lower-case name, fully decoded. */
  params: Map<string, string>;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.startsWith('"')) {
    const end = t.lastIndexOf('"');
    return (end > 0 ? t.slice(1, end) : t.slice(1)).replace(/\\(.)/g, '$1');
  }
  return t;
}

/** Parses `value; a=b; c*0="d"; c*1*=...`. */
export function parseParamValue(text: string): ParamValue {
  const pieces = splitOutside(withoutComments(text), ';');
  const value = (pieces[0] ?? '').trim().toLowerCase().replace(/\s+/g, '');
  // name -> sections: index -> { text, extended }
  const sections = new Map<string, Map<number, { text: string; extended: boolean }>>();
  const plain = new Map<string, string>();
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const rawName = piece.slice(0, eq).trim().toLowerCase();
    const rawValue = piece.slice(eq + 1).trim();
    const m = /^([^*\s]+)(?:\*(\d{1,3}))?(\*)?$/.exec(rawName);
    if (!m) continue;
    const [, name, num, star] = m;
    if (num === undefined && star === undefined) {
      if (!plain.has(name)) plain.set(name, decodeEncodedWords(unquote(rawValue)));
      continue;
    }
    const index = num === undefined ? 0 : Number(num);
    let map = sections.get(name);
    if (map === undefined) sections.set(name, (map = new Map()));
    if (!map.has(index)) map.set(index, { text: star ? rawValue.replace(/^"|"$/g, '') : unquote(rawValue), extended: star !== undefined });
  }
  const params = new Map<string, string>(plain);
  for (const [name, map] of sections) {
    const indexes = [...map.keys()].sort((a, b) => a - b);
    let charset = 'us-ascii';
    const bytes: number[] = [];
    let text = '';
    const flushBytes = (): void => {
      if (bytes.length > 0) text += decodeCharset(Uint8Array.from(bytes), charset);
      bytes.length = 0;
    };
    // RFC 2231 §3: sections are numbered from 0 without gaps; a gap ends the value there.
    for (let k = 0; k < indexes.length && indexes[k] === k; k++) {
      const s = map.get(k)!;
      if (s.extended) {
        let t = s.text;
        if (k === 0) {
          const parts = /^([^']*)'[^']*'(.*)$/.exec(t);
          if (parts) {
            charset = parts[1] || 'us-ascii';
            t = parts[2];
          }
        }
        bytes.push(...hexEscapedBytes(t, '%'));
      } else {
        flushBytes();
        text += s.text;
      }
    }
    flushBytes();
    // RFC 2231 wins over a plain parameter of the same name: it is the one written for readers that know it.
    params.set(name, text);
  }
  return { value, params };
}
