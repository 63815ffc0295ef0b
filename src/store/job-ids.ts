/**
 * Job ids and the correlation keys derived from them or stored with them.
 *
 * A job id is `YYYYMMDD-HHMMSS-xxxxxxxx`: the UTC second it was made, so ids sort by time
 * and a person can tell them apart, then 8 Crockford base32 characters (40 random bits). The
 * random part matters: the ENVID carries the id into DSNs (RFC 3461 §4.4), and whoever can
 * guess a job's ENVID can forge a DSN that marks it failed. The ENVID is `ifax-` + the id:
 * letters, digits and "-" only, so its xtext form (RFC 3461 §4) is the text itself.
 */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The shape of a job id. */
export const JOB_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-hjkmnp-tv-z]{8}$/;

/** Where the random part of an id starts. */
export const JOB_ID_RANDOM_AT = 16;

/** A new job id for time `now`. */
export function newJobId(now: Date, random: (n: number) => Uint8Array = randomBytes): string {
  const iso = now.toISOString(); // 2026-12-04T22:27:20.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  const bytes = random(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = CROCKFORD[Number(bits & 31n)] + tail;
    bits >>= 5n;
  }
  return `${stamp}-${tail}`;
}

/** The RFC 3461 ENVID of a job. */
export function envidFor(jobId: string): string {
  return `ifax-${jobId}`;
}

/**
 * The RFC 3461 §4 xtext decoding ("+2B" is "+"), as a DSN's Original-Envelope-Id carries it.
 * Lenient: a "+" not followed by two hex digits is kept as it is.
 */
export function decodeXtext(text: string): string {
  return text.replace(/\+([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The longest Message-ID kept: a header line's limit (RFC 5322 §2.1.1, 998 characters). */
export const MAX_MESSAGE_ID_CHARS = 998;

/**
 * A Message-ID as stored and compared: the text inside the first `<...>` (the whole text when
 * there are no brackets), folding white space removed. Returns undefined for an empty or
 * overlong one. Lenient, because devices quote it back in Original-Message-ID, In-Reply-To
 * or References with or without brackets and sometimes folded.
 */
export function normalizeMessageId(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /<([^<>]*)>/.exec(text);
  const inner = (m ? m[1] : text).replace(/\s+/g, '');
  if (inner === '' || inner.length > MAX_MESSAGE_ID_CHARS) return undefined;
  return inner;
}
