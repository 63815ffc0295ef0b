/**
 * RFC 3461 §4 xtext: the encoding of the ESMTP ENVID and ORCPT values. Printable US-ASCII
 * from "!" to "~" stays as it is except "+" and "="; every other octet is "+" and two
 * upper-case hex digits. Decoding is strict: what is not xtext is refused, so a value read
 * back from a DSN cannot be taken for something it is not.
 */

import { IfaxError } from '../errors.js';

const HEX = '0123456789ABCDEF';

/** RFC 3461 §4.2: "The ORCPT parameter MAY be up to 500 characters in length". */
export const MAX_ORCPT_LENGTH = 500;

/** xtext of a string's octets (UTF-8 for anything beyond ASCII). */
export function encodeXtext(value: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(value)) {
    out += b >= 33 && b <= 126 && b !== 43 && b !== 61 ? String.fromCharCode(b) : '+' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** Decodes xtext (UTF-8 octets). Throws DATA_INVALID on anything that is not xtext. */
export function decodeXtext(xtext: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < xtext.length; i++) {
    const c = xtext.charCodeAt(i);
    if (c === 43) {
      const h = xtext.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(h)) {
        throw new IfaxError('DATA_INVALID', `decode xtext failed: ${JSON.stringify(xtext)} has "+" at ${i} not followed by two upper-case hex digits (RFC 3461 §4)`);
      }
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c >= 33 && c <= 126 && c !== 61) {
      bytes.push(c);
    } else {
      throw new IfaxError('DATA_INVALID', `decode xtext failed: ${JSON.stringify(xtext)} has ${JSON.stringify(xtext[i])} at ${i}, which xtext does not allow (RFC 3461 §4)`);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `decode xtext failed: ${JSON.stringify(xtext)} is not UTF-8 once decoded`, { cause: err });
  }
}

/**
 * The ORCPT value for an address (RFC 3461 §4.2): `rfc822;` and the xtext of the address.
 * Throws LIMIT_EXCEEDED past 500 characters.
 */
export function orcptValue(address: string): string {
  const value = `rfc822;${encodeXtext(address)}`;
  if (value.length > MAX_ORCPT_LENGTH) {
    throw new IfaxError('LIMIT_EXCEEDED', `build ORCPT failed: ${JSON.stringify(address)} gives ${value.length} characters (at most ${MAX_ORCPT_LENGTH}, RFC 3461 §4.2)`);
  }
  return value;
}
