/**
 * RFC 5322 §3.4 address lists, read side, leniently: `"Name" <addr>`, `Name <addr>`,
 * `addr (comment)`, bare `addr`, groups (`undisclosed-recipients:;`), with RFC 2047 names
 * decoded. What real fax gateways write passes (Cisco: `"" <FAX=3412900100@host>`); an
 * entry without an `@` is dropped rather than guessed at. Addresses are compared by the
 * callers without regard to case.
 */

import { decodeEncodedWords } from './encoded-words.js';
import { splitOutside } from './structured-text.js';

/** One address of a list, with its display name when it has one. */
export interface ParsedMailbox {
  name?: string;
  address: string;
}

function oneMailbox(entry: string): ParsedMailbox | undefined {
  let text = entry.trim();
  // A group's name ("Friends: a@b, c@d;"): the part before an unquoted colon outside <>.
  const group = /^[^"<]*?:(.*)$/s.exec(text);
  if (group && !/^[^<]*@[^<]*:/.test(text)) text = group[1].trim();
  const angle = /<([^<>]*)>/.exec(text);
  if (angle) {
    const address = angle[1].replace(/^@[^:]*:/, '').trim(); // obsolete source route (RFC 5322 §4.4)
    if (!address.includes('@')) return undefined;
    let name = text.slice(0, angle.index).trim().replace(/\((?:[^()\\]|\\.)*\)/g, '').trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    name = decodeEncodedWords(name).trim();
    return name === '' ? { address } : { name, address };
  }
  const comment = /\(((?:[^()\\]|\\.)*)\)/.exec(text);
  const address = text.replace(/\((?:[^()\\]|\\.)*\)/g, '').trim();
  if (!address.includes('@') || /\s/.test(address)) return undefined;
  const name = comment ? decodeEncodedWords(comment[1]).trim() : '';
  return name === '' ? { address } : { name, address };
}

/** The mailboxes of an address field's value (From, To, Disposition-Notification-To). */
export function parseAddressList(value: string | undefined): ParsedMailbox[] {
  if (value === undefined) return [];
  const out: ParsedMailbox[] = [];
  // Commas separate entries; a group's closing ";" ends its last one (RFC 5322 §3.4).
  for (const entry of splitOutside(value, ',;', true)) {
    const box = oneMailbox(entry);
    if (box) out.push(box);
  }
  return out;
}

/** The address of a Return-Path (`<addr>`, `<>` for the null sender: then ''). */
export function parseReturnPath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /<([^<>]*)>/.exec(value);
  return (m ? m[1] : value).replace(/^@[^:]*:/, '').trim();
}

/** The text of a report field's address (`rfc822; addr`), without its type and brackets. */
export function reportAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const text = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<(.*)>$/, '$1').trim();
  return text === '' ? undefined : text;
}
