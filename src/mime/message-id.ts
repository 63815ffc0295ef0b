/**
 * RFC 5322 §3.6.4 Message-ID (unique, `<left@right>` with the station's domain on the
 * right) and RFC 3461 §4.4 ENVID (at most 100 characters of xtext, printable ASCII before
 * encoding). Randomness and time are passed in: the pure layer has neither. MDNs are matched
 * to jobs by Message-ID and DSNs by ENVID (RFC 3249 §4.2-4.3), so both must be unique.
 */

import { IfaxError } from '../errors.js';
import { parseAddrSpec } from './addr-spec.js';
import { encodeXtext } from './xtext.js';

/** RFC 3461 §4.4: "The ENVID parameter MAY be up to 100 characters in length". */
export const MAX_ENVID_LENGTH = 100;

/**
 * Random bytes a Message-ID needs: 16 (128 bits) makes a collision between any two ids
 * ever written negligible, with or without the time.
 */
export const MESSAGE_ID_RANDOM_BYTES = 16;

/** RFC 4648 §6 base32 (lower case, no padding): letters and digits, safe in ids, xtext, URLs and file names. */
export function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out;
}

function needRandom(random: Uint8Array, what: string): void {
  if (random.length < MESSAGE_ID_RANDOM_BYTES) {
    throw new IfaxError('USAGE', `create ${what} failed: ${random.length} random bytes given, at least ${MESSAGE_ID_RANDOM_BYTES} needed`);
  }
}

function timePart(time: Date): string {
  const t = time.getTime();
  if (!Number.isFinite(t) || t < 0) throw new IfaxError('USAGE', 'create message id failed: the time is invalid');
  return t.toString(36);
}

/** Inputs of createMessageId. */
export interface MessageIdInput {
  /** The station's domain (the right side of its address), or a domain literal. */
  domain: string;
  /** At least MESSAGE_ID_RANDOM_BYTES random bytes (crypto.randomBytes in the caller). */
  random: Uint8Array;
  /** Now. */
  time: Date;
}

/** A new Message-ID: `<time36.random32.ifax@domain>`, angle brackets included. */
export function createMessageId(input: MessageIdInput): string {
  needRandom(input.random, 'message id');
  let domain: string;
  try {
    domain = parseAddrSpec(`x@${input.domain}`).domain;
  } catch (err) {
    throw new IfaxError('USAGE', `create message id failed: ${JSON.stringify(input.domain)} is not a domain`, { cause: err, hint: 'The Message-ID domain is the domain of the station address (device.email).' });
  }
  return `<${timePart(input.time)}.${base32(input.random.subarray(0, MESSAGE_ID_RANDOM_BYTES))}.ifax@${domain}>`;
}

/**
 * A new envelope id for a job: `ifax.<time36>.<random32>`, letters, digits and dots only, so
 * its xtext is itself (43 characters, well under 100).
 */
export function createEnvelopeId(input: { random: Uint8Array; time: Date }): string {
  needRandom(input.random, 'envelope id');
  return `ifax.${timePart(input.time)}.${base32(input.random.subarray(0, MESSAGE_ID_RANDOM_BYTES))}`;
}

/**
 * The ENVID xtext for an existing id (a job id chosen elsewhere). The id must be printable
 * ASCII (RFC 3461 §4.4) and its xtext at most 100 characters; throws USAGE otherwise.
 */
export function envelopeIdXtext(id: string): string {
  if (id === '' || !/^[\x20-\x7e]+$/.test(id)) {
    throw new IfaxError('USAGE', `build ENVID failed: ${JSON.stringify(id)} is not printable US-ASCII (RFC 3461 §4.4)`);
  }
  const x = encodeXtext(id);
  if (x.length > MAX_ENVID_LENGTH) {
    throw new IfaxError('USAGE', `build ENVID failed: ${JSON.stringify(id)} is ${x.length} characters as xtext (at most ${MAX_ENVID_LENGTH}, RFC 3461 §4.4)`);
  }
  return x;
}
