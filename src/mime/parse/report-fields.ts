/**
 * The machine-readable parts of delivery reports, read side: RFC 8098 §3 (the
 * message/disposition-notification fields of an MDN) and RFC 3464 §2 (the per-message and
 * per-recipient field groups of message/delivery-status), with the fax extensions of
 * RFC 2530 §3 (Media-Accept-Features) and the gateways' X-Accept-Features. Lenient as the
 * devices force us to be (STANDARDS.md): groups may lack the blank line between them (the
 * RFC 3249 §4.4.3 examples), and `Action:` may carry free text after its keyword
 * (`Action: failed with cause code - call rejected (21)`): the keyword is read, the whole
 * text kept.
 */

import { parseHeaderBlock, firstField, allFields, type HeaderField } from './header-fields.js';
import { reportAddress } from './address-list.js';

/** An MDN's disposition-notification fields (RFC 8098 §3.1-3.2). */
export interface MdnFields {
  reportingUa?: string;
  /** As written (`rfc822;addr`); `*Address` without the type. */
  originalRecipient?: string;
  originalRecipientAddress?: string;
  finalRecipient?: string;
  finalRecipientAddress?: string;
  originalMessageId?: string;
  /** The whole Disposition value, unfolded. */
  disposition: string;
  /** RFC 8098 §3.2.6 parts, lower case: `automatic-action`, `mdn-sent-automatically`, `processed`, `error`. */
  actionMode?: string;
  sendingMode?: string;
  dispositionType?: string;
  modifier?: string;
  /** Error fields (RFC 8098 §3.2.7), in order. */
  errors: string[];
  warnings: string[];
  failures: string[];
  /** Media-Accept-Features (RFC 2530 §3), unfolded. */
  mediaAcceptFeatures?: string;
  /** Every field as read. */
  fields: HeaderField[];
}

/** One per-recipient group of a DSN (RFC 3464 §2.3). */
export interface DsnRecipient {
  finalRecipient?: string;
  finalRecipientAddress?: string;
  originalRecipient?: string;
  originalRecipientAddress?: string;
  /** The Action keyword, lower case (`failed`, `delivered`, `relayed`, `delayed`, `expanded`), read leniently. */
  action: string;
  /** The Action text as written. */
  actionText: string;
  status?: string;
  diagnosticCode?: string;
  remoteMta?: string;
  /** X-Accept-Features (a gateway's capabilities), unfolded. */
  acceptFeatures?: string;
  fields: HeaderField[];
}

/** A DSN's delivery-status (RFC 3464 §2.2 message fields and the recipients). */
export interface DsnFields {
  reportingMta?: string;
  /** Original-Envelope-Id (RFC 3464 §2.2.1), as written (xtext). */
  originalEnvelopeId?: string;
  arrivalDate?: string;
  recipients: DsnRecipient[];
}

/** Field groups of a report body (blank-line separated header blocks). */
function groups(body: Uint8Array, what: string): HeaderField[][] {
  const out: HeaderField[][] = [];
  let at = 0;
  // Bounded: each round consumes at least one line.
  while (at < body.length) {
    while (at < body.length && (body[at] === 13 || body[at] === 10 || body[at] === 32 || body[at] === 9)) at++;
    if (at >= body.length) break;
    const block = parseHeaderBlock(body, at, body.length, what);
    if (block.fields.length > 0) out.push(block.fields);
    if (block.bodyStart <= at) {
      const nl = body.indexOf(10, at);
      at = nl < 0 ? body.length : nl + 1;
    } else at = block.bodyStart;
  }
  return out;
}

/** Parses a message/disposition-notification body. */
export function parseMdnFields(body: Uint8Array): MdnFields {
  const fields = groups(body, 'the disposition notification').flat();
  const get = (n: string): string | undefined => firstField(fields, n);
  const disposition = get('disposition') ?? '';
  const semi = disposition.indexOf(';');
  const [actionMode, sendingMode] = (semi >= 0 ? disposition.slice(0, semi) : '').split('/').map((s) => s.trim().toLowerCase());
  const typePart = (semi >= 0 ? disposition.slice(semi + 1) : disposition).trim().toLowerCase();
  const [dispositionType, modifier] = typePart.split('/').map((s) => s.trim());
  const out: MdnFields = {
    disposition,
    errors: allFields(fields, 'error'),
    warnings: allFields(fields, 'warning'),
    failures: allFields(fields, 'failure'),
    fields,
  };
  const set = (key: keyof MdnFields, v: string | undefined): void => {
    if (v !== undefined && v !== '') (out as unknown as Record<string, unknown>)[key] = v;
  };
  set('reportingUa', get('reporting-ua'));
  set('originalRecipient', get('original-recipient'));
  set('originalRecipientAddress', reportAddress(get('original-recipient')));
  set('finalRecipient', get('final-recipient'));
  set('finalRecipientAddress', reportAddress(get('final-recipient')));
  set('originalMessageId', get('original-message-id'));
  set('actionMode', actionMode);
  set('sendingMode', sendingMode);
  set('dispositionType', dispositionType);
  set('modifier', modifier);
  set('mediaAcceptFeatures', get('media-accept-features'));
  return out;
}

const MESSAGE_FIELDS = /^(reporting-mta|dsn-gateway|received-from-mta|arrival-date|original-envelope-id)$/i;

/** Parses a message/delivery-status body. */
export function parseDsnFields(body: Uint8Array): DsnFields {
  const dsn: DsnFields = { recipients: [] };
  for (const group of groups(body, 'the delivery status')) {
    const message = group.filter((f) => MESSAGE_FIELDS.test(f.name));
    const rest = group.filter((f) => !MESSAGE_FIELDS.test(f.name));
    dsn.reportingMta ??= firstField(message, 'reporting-mta');
    dsn.originalEnvelopeId ??= firstField(message, 'original-envelope-id');
    dsn.arrivalDate ??= firstField(message, 'arrival-date');
    if (!rest.some((f) => /^(final-recipient|original-recipient|action)$/i.test(f.name))) continue;
    const get = (n: string): string | undefined => firstField(rest, n);
    const actionText = get('action') ?? '';
    const r: DsnRecipient = { action: actionText.trim().toLowerCase().split(/[^a-z-]/)[0] ?? '', actionText, fields: rest };
    const set = (key: keyof DsnRecipient, v: string | undefined): void => {
      if (v !== undefined && v !== '') (r as unknown as Record<string, unknown>)[key] = v;
    };
    set('finalRecipient', get('final-recipient'));
    set('finalRecipientAddress', reportAddress(get('final-recipient')));
    set('originalRecipient', get('original-recipient'));
    set('originalRecipientAddress', reportAddress(get('original-recipient')));
    set('status', get('status'));
    set('diagnosticCode', get('diagnostic-code'));
    set('remoteMta', get('remote-mta'));
    set('acceptFeatures', get('x-accept-features') ?? get('media-accept-features'));
    dsn.recipients.push(r);
  }
  if (dsn.reportingMta === undefined) delete dsn.reportingMta;
  if (dsn.originalEnvelopeId === undefined) delete dsn.originalEnvelopeId;
  if (dsn.arrivalDate === undefined) delete dsn.arrivalDate;
  return dsn;
}
