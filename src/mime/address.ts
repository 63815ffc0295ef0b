/**
 * RFC 5322 §3.4.1 and RFC 3192 §4: one destination as typed by a user (`--to`) parsed into
 * either an e-mail address or an offramp fax address (FAX=+number@gateway). Anything else
 * (a display name, a list, a bare phone number, an address-book name) is refused here:
 * address-book names are resolved before this is called.
 */

import { parseAddrSpec, quoteLocalPart } from './addr-spec.js';
import { looksLikeFaxLocalPart, parseFaxLocalPart } from './fax-address.js';

export { parseAddrSpec, type AddrSpec } from './addr-spec.js';

/** An ordinary mailbox (an I-Fax device or a person). */
export interface EmailDestination {
  kind: 'email';
  /** The address in its simplest form, for RCPT TO and the To header. */
  address: string;
  localPart: string;
  domain: string;
}

/** A G3 fax reached through an offramp gateway (RFC 3192). */
export interface FaxDestination {
  kind: 'fax';
  /** The address as ifax sends it (without RFC 3192 §4's optional quotes and slashes). */
  address: string;
  /** The global number, separators removed: `+49301234567`. */
  phone: string;
  /** The number as written: `+49-30-1234567`. */
  written: string;
  /** T.33 sub-address, digits. */
  subAddress?: string;
  /** Other qualif-type1 elements, keyword as written. */
  parameters: Record<string, string>;
  /** The offramp gateway's domain. */
  gateway: string;
}

export type Destination = EmailDestination | FaxDestination;

/**
 * Parses one destination. Throws IfaxError USAGE with the reason and a hint for anything
 * that is neither an addr-spec nor a valid RFC 3192 fax address.
 */
export function parseDestination(input: string): Destination {
  const spec = parseAddrSpec(input);
  if (!looksLikeFaxLocalPart(spec.localPart)) {
    return { kind: 'email', address: spec.address, localPart: spec.localPart, domain: spec.domain };
  }
  const fax = parseFaxLocalPart(spec.localPart, input.trim());
  return {
    kind: 'fax',
    address: `${quoteLocalPart(fax.localPart)}@${spec.domain}`,
    phone: fax.phone,
    written: fax.written,
    ...(fax.subAddress === undefined ? {} : { subAddress: fax.subAddress }),
    parameters: fax.parameters,
    gateway: spec.domain,
  };
}
