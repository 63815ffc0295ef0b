/**
 * Syntax of the values a profile names servers and mailboxes with: host names (RFC 1123),
 * IPv4 and IPv6 literals (RFC 4291 text form, RFC 4007 zone id), and e-mail addresses
 * (RFC 5322 addr-spec). Pure: no `node:` imports (node:net's isIP would do the IP part, but
 * config/schema.ts and everything it imports stay free of I/O modules, STYLE.md rule 2).
 */

/** RFC 1123 label: letters, digits, hyphens; no hyphen at either end; 1-63 characters. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
/**
 * RFC 4007 zone id after '%': an interface name (Linux allows 15 characters) or index. A
 * link-local address (fe80::/10) is unusable without it on a host with several interfaces,
 * so we accept it; characters are limited to what interface names use.
 */
const ZONE = /^[0-9A-Za-z._-]{1,32}$/;

/** A dotted-quad IPv4 address, each part 0-255 without leading zeros (which some read as octal). */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** An IPv6 address in RFC 4291 text form, with an optional embedded IPv4 tail and zone id. */
export function isIPv6(s: string): boolean {
  let addr = s;
  const pct = addr.indexOf('%');
  if (pct >= 0) {
    if (!ZONE.test(addr.slice(pct + 1))) return false;
    addr = addr.slice(0, pct);
  }
  if (!addr.includes(':')) return false;
  const lastColon = addr.lastIndexOf(':');
  const tail = addr.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    // The IPv4 tail stands for the last two groups.
    addr = addr.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = addr.indexOf('::');
  let groups: string[];
  if (dbl >= 0) {
    if (addr.indexOf('::', dbl + 1) >= 0) return false;
    const left = addr.slice(0, dbl);
    const right = addr.slice(dbl + 2);
    groups = [...(left ? left.split(':') : []), ...(right ? right.split(':') : [])];
    if (groups.length > 7) return false;
  } else {
    groups = addr.split(':');
    if (groups.length !== 8) return false;
  }
  return groups.every((g) => HEX_GROUP.test(g));
}

/**
 * A host name of RFC 1123 labels, at most 253 characters. A name whose last label is all
 * digits is not a host name (no top-level domain is numeric, RFC 3696 §2): this is what
 * rejects `999.1.1.1` and `10.0.1` instead of sending them to the resolver.
 */
export function isHostName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const labels = s.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

export type HostKind = 'hostname' | 'ipv4' | 'ipv6';

/** What `s` is as a server address, or null when it is none of the three. */
export function hostKind(s: string): HostKind | null {
  if (isIPv4(s)) return 'ipv4';
  if (isIPv6(s)) return 'ipv6';
  if (isHostName(s)) return 'hostname';
  return null;
}

/**
 * Why `s` is not a server address, in words an admin recognises ("a URL", "has a port"), or
 * null when it is one. Used to add a hint to the validation message.
 */
export function hostProblem(s: string): string | null {
  if (hostKind(s) !== null) return null;
  if (s.length === 0) return 'empty';
  if (/\s/.test(s)) return 'contains white space';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return 'a URL: give the host name only';
  if (/^\[.*\](:\d+)?$/.test(s)) return 'brackets are for URLs: give the address without them';
  if (/^[^:]+:\d+$/.test(s)) return 'has a port: give the port in the port setting';
  if (/^[0-9.]+$/.test(s)) return 'not a valid IPv4 address';
  if (s.includes('_')) return 'underscores are not allowed in host names';
  if (s.length > 253) return 'longer than 253 characters';
  if (s.endsWith('.')) return 'ends with a dot';
  return 'not a host name, IPv4 or IPv6 address';
}

/** RFC 5322 atext: the characters of an unquoted local part. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** RFC 5322 quoted-string without white space (SETTINGS.md: no white space at all). */
const QUOTED = /^"(?:[\x21\x23-\x5b\x5d-\x7e]|\\[\x21-\x7e])+"$/;

/**
 * An RFC 5322 addr-spec without white space: a dot-atom or quoted local part, '@', and a
 * domain of RFC 1123 labels or a domain literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
 * Obsolete forms (comments, folding white space) are refused: they have no place in a setting.
 */
export function isAddrSpec(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) return false;
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const lit = domain.slice(1, -1);
    if (/^IPv6:/i.test(lit)) return isIPv6(lit.slice(5)) && !lit.includes('%');
    return isIPv4(lit);
  }
  const labels = domain.split('.');
  return domain.length <= 253 && labels.every((l) => LABEL.test(l));
}
