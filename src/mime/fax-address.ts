/**
 * RFC 3192 §2-4 (minimal fax address: `FAX=` global-phone, optional `/T33S=` sub-address,
 * `-` and `.` as written separators, the optional quotes and slashes of §4) and RFC 3191 §2
 * (other qualif-type1 elements `/keyword=value`): takes apart the local part of an offramp
 * address. The number is E.164 (ITU-T E.164 §6: at most 15 digits).
 */

import { IfaxError } from '../errors.js';

/** ITU-T E.164 §6: an international number has at most 15 digits. */
export const MAX_E164_DIGITS = 15;

/** A fax number taken from the local part of an RFC 3192 address. */
export interface FaxNumber {
  /** The global number with separators removed: `+49301234567`. */
  phone: string;
  /** The number as written, separators kept: `+49-30-1234567`. */
  written: string;
  /** The T.33 sub-address (`/T33S=`), digits only. */
  subAddress?: string;
  /** Other qualif-type1 elements (RFC 3191), keyword as written, in order. */
  parameters: Record<string, string>;
  /** The local part as ifax writes it: without the optional quotes and slashes of §4. */
  localPart: string;
}

const KEYWORD = /^[A-Za-z][A-Za-z0-9-]*$/;
const VALUE = /^[A-Za-z0-9\-.+#*_]+$/;

function refuse(input: string, reason: string, hint?: string): IfaxError {
  return new IfaxError('USAGE', `parse fax address failed: ${JSON.stringify(input)} ${reason}`, {
    hint: hint ?? 'Write a fax number in international form with its gateway: FAX=+49301234567@gateway.example.com, a sub-address as FAX=+49301234567/T33S=123@gateway.example.com (RFC 3192).',
  });
}

/** True when a local part is meant as a fax address (after the optional `/` of §4). */
export function looksLikeFaxLocalPart(localPart: string): boolean {
  return /^\/?fax=/i.test(localPart);
}

/**
 * Parses an RFC 3192 local part (already unquoted). `input` is the whole address, for
 * messages. Throws USAGE on anything that is not a minimal fax address.
 */
export function parseFaxLocalPart(localPart: string, input: string): FaxNumber {
  let text = localPart;
  if (text.startsWith('/')) text = text.slice(1);
  if (text.endsWith('/')) text = text.slice(0, -1);
  const eq = text.indexOf('=');
  const selector = text.slice(0, eq);
  const [phonePart, ...qualifs] = text.slice(eq + 1).split('/');
  if (!/^\+[0-9.-]*$/.test(phonePart)) {
    const why = phonePart.startsWith('+') ? `has a character other than digits, "-" and "." in the number ${JSON.stringify(phonePart)}` : `has no "+" and country code in the number ${JSON.stringify(phonePart)}`;
    throw refuse(input, why);
  }
  const digits = phonePart.replace(/[.-]/g, '');
  if (digits.length < 2) throw refuse(input, 'has no digits in the number');
  if (digits.length - 1 > MAX_E164_DIGITS) throw refuse(input, `has ${digits.length - 1} digits (an international number has at most ${MAX_E164_DIGITS}, ITU-T E.164)`);
  const parameters: Record<string, string> = {};
  const seen = new Set<string>();
  let subAddress: string | undefined;
  for (const q of qualifs) {
    const m = /^([^=]*)=(.*)$/.exec(q);
    if (!m || !KEYWORD.test(m[1]) || !VALUE.test(m[2])) {
      throw refuse(input, `has a malformed element ${JSON.stringify('/' + q)} (expected /KEYWORD=value)`);
    }
    const key = m[1].toUpperCase();
    if (seen.has(key)) {
      throw refuse(input, `has ${JSON.stringify(m[1])} twice`, key === 'T33S' ? 'Several sub-addresses need one address each (RFC 3192 §4.1): send to FAX=+.../T33S=1@gw and FAX=+.../T33S=2@gw.' : undefined);
    }
    seen.add(key);
    if (key === 'T33S') {
      if (!/^[0-9]+$/.test(m[2])) throw refuse(input, `has a sub-address ${JSON.stringify(m[2])} that is not all digits (RFC 3192 §2: sub-addr = 1*DIGIT)`);
      subAddress = m[2];
    } else {
      parameters[m[1]] = m[2];
    }
  }
  return {
    phone: digits,
    written: phonePart,
    ...(subAddress === undefined ? {} : { subAddress }),
    parameters,
    localPart: `${selector}=${[phonePart, ...qualifs].join('/')}`,
  };
}
