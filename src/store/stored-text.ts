/**
 * Text from outside (server replies, MDN/DSN fields, error messages) as the store keeps it:
 * registered secrets masked (an SMTP AUTH error can echo what was sent), control characters
 * replaced by spaces (a forged DSN must not put terminal escape sequences into `ifax jobs`),
 * and cut at MAX_STORED_TEXT_CHARS.
 */
import { MAX_STORED_TEXT_CHARS } from '../limits.js';
import { redact } from '../secrets.js';

// C0 controls and DEL, plus the C1 range (ESC's 8-bit forms), line breaks included: a stored text is one line.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** The stored form of `text`; null stays null. */
export function storedText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const one = redact(text).replace(CONTROLS, ' ').trim();
  return one.length > MAX_STORED_TEXT_CHARS ? one.slice(0, MAX_STORED_TEXT_CHARS - 1) + '…' : one;
}
