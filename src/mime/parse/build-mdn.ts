/**
 * RFC 8098 §3 message disposition notifications, sending side, for a received fax:
 * multipart/report (RFC 6522) with report-type=disposition-notification, a human-readable
 * text/plain part, and the message/disposition-notification part with Reporting-UA (§3.2.1),
 * Original-Recipient when the fax named one (§3.2.3), Final-Recipient (§3.2.4),
 * Original-Message-ID (§3.2.5), Disposition `automatic-action/MDN-sent-automatically;
 * processed` or `processed/error` with an Error field (§3.2.6-3.2.7), or `deleted/
 * alternative-preferred` asking a full-mode sender for an alternative (RFC 3297 §3.2, §6.2;
 * RFC 4142 §6.2; it then MUST carry Original-Message-ID and SHOULD carry
 * Media-Accept-Features), and
 * Media-Accept-Features (RFC 2530 §3: this station's capabilities, RFC 2879 syntax), folded
 * at its white space. RFC 3834 §5 Auto-Submitted marks it automatic; it never asks for an
 * MDN itself (RFC 8098 §2.1: an MDN is never requested of an MDN). The original message is
 * not attached (RFC 3249 §4.4.4.1 omits it too; a fax would double the answer's size).
 */

import { IfaxError } from '../../errors.js';
import { foldedField, FOLD_WIDTH } from '../header-fold.js';
import { messageIdField, isMessageId, type Mailbox } from '../header.js';
import { finishMessage, topHeaders } from '../mail-headers.js';
import { paramField } from '../mime-params.js';
import { chooseBoundary, multipartBody, type BodyPart } from '../multipart.js';
import { encodeTextPart } from '../text-part.js';
import { utf8 } from '../wire-format.js';

/** The disposition an MDN reports. */
export type MdnResult = { processed: true } | { processed: false; error: string } | { alternativePreferred: string };

/** What an MDN says. */
export interface MdnInput {
  /** This station (From). */
  from: Mailbox;
  /** The Disposition-Notification-To address (To). */
  to: string;
  date: Date;
  tzOffsetMinutes: number;
  /** The MDN's own Message-ID (createMessageId). */
  messageId: string;
  /** Subject; default `Disposition notification: <original subject>`. */
  subject?: string;
  /** The fax's subject, for the default subject and the text. */
  originalSubject?: string;
  /** Reporting-UA: `host; product version` (RFC 8098 §3.2.1). */
  reportingUa: string;
  /** The fax's Original-Recipient header, when it had one (RFC 8098 §3.2.3). */
  originalRecipient?: string;
  /** This station's address, which received the fax. */
  finalRecipient: string;
  /** The fax's Message-ID. */
  originalMessageId: string;
  /**
   * `processed`, a failure with its reason (`processed/error` + Error), or a request for the
   * alternative described (`deleted/alternative-preferred`, RFC 3297 §6.2), said in the text.
   */
  result: MdnResult;
  /** This station's capabilities (RFC 2533 expression), or none. */
  mediaAcceptFeatures?: string;
  /** At least BOUNDARY_RANDOM_BYTES random bytes for the boundary. */
  random: Uint8Array;
}

/** Printable US-ASCII of `text` (report fields are ASCII, RFC 8098 §3.1), other characters as `?`. */
function ascii(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
}

/** `rfc822;addr`, the address type of RFC 3464 §2.1.2. */
function recipientValue(addr: string): string {
  const a = addr.replace(/^\s*rfc822\s*;/i, '').trim();
  return `rfc822;${ascii(a)}`;
}

/** Builds the MDN mail (7bit, CRLF lines). Throws DATA_INVALID for an address or id that cannot go in a header. */
export function buildMdn(input: MdnInput): Uint8Array {
  const r = input.result;
  const alternative = 'alternativePreferred' in r ? r.alternativePreferred : undefined;
  const ok = alternative !== undefined || (r as { processed: boolean }).processed;
  const subjectText = input.originalSubject ? `"${input.originalSubject}"` : 'without a subject';
  const head = `The fax ${input.originalMessageId} (${subjectText}) sent to ${input.finalRecipient} was received`;
  const tail = '\r\n\r\nThis is an automatic disposition notification (RFC 8098).\r\n';
  const text =
    alternative !== undefined
      ? `${head}. An alternative form of it is requested: ${alternative}.\r\nPlease send it again in the best format the capabilities below allow (RFC 3297).${tail}`
      : ok
        ? `${head} and processed.${tail}`
        : `${head}, but could not be processed:\r\n\r\n  ${(r as { error: string }).error}${tail}`;
  const human = encodeTextPart(text, 'notification text');

  const fields: string[] = [foldedField('Reporting-UA', ascii(input.reportingUa))];
  if (input.originalRecipient !== undefined && input.originalRecipient.trim() !== '') fields.push(foldedField('Original-Recipient', recipientValue(input.originalRecipient)));
  fields.push(foldedField('Final-Recipient', recipientValue(input.finalRecipient)));
  const omid = input.originalMessageId.trim();
  // A Message-ID that is not strict RFC 5322 syntax (some gateways write one) is still echoed
  // as it was: the sender matches its job by these characters.
  fields.push(isMessageId(omid) ? messageIdField('Original-Message-ID', omid) : foldedField('Original-Message-ID', ascii(omid)));
  const disposition = alternative !== undefined ? 'deleted/alternative-preferred' : ok ? 'processed' : 'processed/error';
  fields.push(foldedField('Disposition', `automatic-action/MDN-sent-automatically; ${disposition}`));
  if (!ok) {
    const reason = ascii((r as { error: string }).error);
    fields.push(foldedField('Error', reason.length > 900 ? `${reason.slice(0, 900)}...` : reason));
  }
  if (input.mediaAcceptFeatures !== undefined && input.mediaAcceptFeatures.trim() !== '') {
    fields.push(foldedField('Media-Accept-Features', ascii(input.mediaAcceptFeatures)));
  }
  const report = fields.join('');
  if (report.split('\r\n').some((l) => l.length > 998)) throw new IfaxError('INTERNAL', 'build MDN failed: a report line does not fold');

  const parts: BodyPart[] = [
    { headers: human.headers, body: human.body },
    { headers: 'Content-Type: message/disposition-notification\r\nContent-Transfer-Encoding: 7bit\r\n', body: utf8(report) },
  ];
  const boundary = chooseBoundary(input.random, parts);
  const subject = input.subject ?? `Disposition notification${input.originalSubject ? `: ${input.originalSubject}` : ''}`;
  const headers =
    topHeaders({ from: input.from, to: [input.to], date: input.date, tzOffsetMinutes: input.tzOffsetMinutes, messageId: input.messageId, subject }, [
      foldedField('Auto-Submitted', 'auto-replied'),
      ...(isMessageId(omid) ? [messageIdField('In-Reply-To', omid), messageIdField('References', omid)] : []),
    ]) +
    paramField('Content-Type', 'multipart/report', [
      ['report-type', 'disposition-notification'],
      ['boundary', boundary],
    ]);
  return finishMessage(headers, multipartBody(boundary, parts), 'MDN', Math.max(FOLD_WIDTH, 998));
}
