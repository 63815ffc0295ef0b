/**
 * RFC 5322 §3.6 (origination date, originator, destination, identification and
 * informational fields) and RFC 2045 §4 (MIME-Version): the top header block every mail of
 * this module starts with, in one order. Fields that RFC 2046 §5.2.2.1 takes from the inner
 * message on reassembly (Subject, Message-ID, MIME-Version, Content-*) come last, so a split
 * and reassembled mail comes back byte for byte (partial.ts).
 */

import { addressField, dateField, messageIdField, textField, type Mailbox } from './header.js';
import { MAX_LINE_LENGTH, assertSevenBit, concatBytes, utf8 } from './wire-format.js';

/** What every mail carries: who, to whom, when, what about, and its id. */
export interface MailBasics {
  /** The sender (From). */
  from: Mailbox;
  /** The header To: addr-specs or mailboxes with names. At least one. */
  to: readonly (string | Mailbox)[];
  /** The sending time. */
  date: Date;
  /** The local zone's offset from UTC in minutes, east positive (+60 for CET). */
  tzOffsetMinutes: number;
  /** From createMessageId: `<...@domain>`. */
  messageId: string;
  /** Subject, any Unicode. */
  subject: string;
}

/**
 * The top header block: From, To, Date, then `middle` (already formatted fields), then
 * Subject, Message-ID, MIME-Version; the caller adds the Content-* fields.
 */
export function topHeaders(basics: MailBasics, middle: readonly string[]): string {
  const to = basics.to.map((t) => (typeof t === 'string' ? { address: t } : t));
  return [
    addressField('From', [basics.from]),
    addressField('To', to),
    dateField(basics.date, basics.tzOffsetMinutes),
    ...middle,
    textField('Subject', basics.subject),
    messageIdField('Message-ID', basics.messageId),
    'MIME-Version: 1.0\r\n',
  ].join('');
}

/**
 * Header block and body joined by the empty line, checked to be 7bit with CRLF lines of at
 * most `maxLine` characters: RFC 5322's hard limit of 998 unless a builder asks for less.
 * Folding keeps lines at 76 characters (header-fold.ts) wherever there is white space to fold at; a word that has
 * none (a Message-ID or an address of a long domain) may not be split, and such a line is
 * still a valid mail (RFC 5322 §2.1.1: 78 is a SHOULD, 998 a MUST).
 */
export function finishMessage(headers: string, body: Uint8Array, what: string, maxLine = MAX_LINE_LENGTH): Uint8Array {
  const out = concatBytes([utf8(`${headers}\r\n`), body]);
  assertSevenBit(out, what, maxLine);
  return out;
}
