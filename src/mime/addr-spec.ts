/**
 * RFC 5322 §3.4.1 addr-spec (local-part as dot-atom or quoted-string, domain as dot-atom or
 * domain literal), with the RFC 5321 §4.5.3.1 size limits and §4.1.2 domain rules that SMTP
 * adds: the parser behind destinations and behind every address this module writes into a
 * header, so an address that could break a header or an SMTP command never gets that far.
 * Comments, folding white space and obsolete forms are not accepted: a destination is typed
 * by a person or stored by us, never copied from an old mail header.
 */

import { IfaxError } from '../errors.js';

/** RFC 5321 §4.5.3.1.1: a local part has at most 64 octets. */
export const MAX_LOCAL_PART = 64;
/** RFC 5321 §4.5.3.1.3 path of 256 octets minus the angle brackets. */
export const MAX_ADDRESS = 254;
/** RFC 1035 §2.3.4: 63 octets a label, 253 a name. */
const MAX_LABEL = 63;
const MAX_DOMAIN = 253;

/** RFC 5322 §3.2.3 atext. */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** An addr-spec taken apart. */
export interface AddrSpec {
  /** The local part's content, unquoted (`a b` for `"a b"`). */
  localPart: string;
  /** The domain as written, or the literal with its brackets (`[192.0.2.1]`). */
  domain: string;
  /** The address in its simplest form: dot-atom local part when possible, else quoted. */
  address: string;
}

function refuse(input: string, reason: string, hint?: string): IfaxError {
  return new IfaxError('USAGE', `parse address failed: ${JSON.stringify(input)} ${reason}`, {
    hint: hint ?? 'Write an address as local-part@domain, e.g. fax@example.com, or a fax number as FAX=+49301234567@gateway.example.com (RFC 3192).',
  });
}

/** Writes a local part in its simplest legal form (RFC 5321 §4.1.2: quote only when needed). */
export function quoteLocalPart(local: string): string {
  if (DOT_ATOM.test(local)) return local;
  return `"${local.replace(/(["\\])/g, '\\$1')}"`;
}

function checkIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function checkIpv6(text: string): boolean {
  let groups = text;
  let extra = 0;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    if (!checkIpv4(v4[1])) return false;
    groups = text.slice(0, v4.index + 1) + '0';
    extra = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const count = (h: string): number | null => {
    if (h === '') return 0;
    const g = h.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g.length : null;
  };
  const a = count(halves[0]);
  const b = halves.length === 2 ? count(halves[1]) : 0;
  if (a === null || b === null) return false;
  const total = a + b + extra;
  return halves.length === 2 ? total <= 7 : total === 8;
}

/** Checks a domain (dot-atom of host name labels, or a literal) and returns it as written. */
function parseDomain(input: string, domain: string): string {
  if (domain === '') throw refuse(input, 'has no domain after "@"');
  if (domain.startsWith('[')) {
    const inner = /^\[(.*)\]$/.exec(domain)?.[1];
    const ok = inner !== undefined && (checkIpv4(inner) || (/^IPv6:/i.test(inner) && checkIpv6(inner.slice(5))));
    if (!ok) throw refuse(input, `has a malformed address literal ${JSON.stringify(domain)}`, 'Write [192.0.2.1] or [IPv6:2001:db8::1] (RFC 5321 §4.1.3).');
    return domain;
  }
  if (domain.length > MAX_DOMAIN) throw refuse(input, `has a domain of ${domain.length} characters (at most ${MAX_DOMAIN})`);
  for (const label of domain.split('.')) {
    if (label === '') throw refuse(input, `has an empty label in domain ${JSON.stringify(domain)}`);
    if (label.length > MAX_LABEL) throw refuse(input, `has a domain label of ${label.length} characters (at most ${MAX_LABEL})`);
    if (!LABEL.test(label)) throw refuse(input, `has an invalid domain label ${JSON.stringify(label)}`, 'Domain labels are letters, digits and inner hyphens (RFC 5321 §4.1.2).');
  }
  return domain;
}

/**
 * Parses an addr-spec. Throws USAGE naming what is wrong; the input is trimmed of outer
 * white space only.
 */
export function parseAddrSpec(raw: string): AddrSpec {
  const input = raw.trim();
  if (input === '') throw refuse(raw, 'is empty');
  if (/[^\x20-\x7e]/.test(input)) {
    throw refuse(input, 'contains a character outside printable US-ASCII', 'Non-ASCII addresses need SMTPUTF8, which ifax does not use; write the domain in its xn-- (punycode) form.');
  }
  let local: string;
  let rest: string;
  if (input.startsWith('"')) {
    let i = 1;
    local = '';
    for (; i < input.length && input[i] !== '"'; i++) {
      if (input[i] === '\\') {
        i++;
        if (i >= input.length) break;
      }
      local += input[i];
    }
    if (input[i] !== '"') throw refuse(input, 'has an unterminated quoted local part');
    rest = input.slice(i + 1);
    if (!rest.startsWith('@')) throw refuse(input, 'has text between the quoted local part and "@"');
    rest = rest.slice(1);
  } else {
    const at = input.lastIndexOf('@');
    if (at < 0) throw refuse(input, 'has no "@"');
    local = input.slice(0, at);
    rest = input.slice(at + 1);
    if (local === '') throw refuse(input, 'has no local part before "@"');
    if (!DOT_ATOM.test(local)) {
      const why = /\s/.test(local) ? 'has white space in the local part' : local.includes('@') ? 'has more than one "@"' : /^\.|\.$|\.\./.test(local) ? 'has a misplaced dot in the local part' : 'has a character that needs quoting in the local part';
      throw refuse(input, why);
    }
  }
  if (rest.includes('@') && !rest.startsWith('[')) throw refuse(input, 'has more than one "@"');
  const domain = parseDomain(input, rest);
  if (local.length > MAX_LOCAL_PART) throw refuse(input, `has a local part of ${local.length} characters (at most ${MAX_LOCAL_PART}, RFC 5321 §4.5.3.1.1)`);
  const address = `${quoteLocalPart(local)}@${domain}`;
  if (address.length > MAX_ADDRESS) throw refuse(input, `is ${address.length} characters long (at most ${MAX_ADDRESS})`);
  return { localPart: local, domain, address };
}

/** True when `text` is an RFC 5322 atom (for callers that choose between atom and quoted forms). */
export function isAtom(text: string): boolean {
  return ATOM.test(text);
}
