/**
 * The I-Fax mail: RFC 3965 §2.2 (simple mode: Date, From, Message-ID; multipart/mixed with
 * the document as one multi-page image/tiff, §2.2.4), RFC 2532 §2.1.2 (extended mode:
 * processing confirmation by MDN request, `Disposition-Notification-To`), RFC 4142 §2.1 with
 * RFC 3297 §3.1, §4, §5, §6.1 (full mode: `Disposition-Notification-Options:
 * Alternative-available=optional,<lifetime>`, `Content-features` and `Content-alternative`
 * on the image part; a resend carries `Original-Message-ID` and offers no alternative, so
 * negotiation cannot loop, §3.3), RFC 2912 §3 (`Content-features`), RFC 3249 §3.1.1 (no
 * multipart/alternative). Layout: text/plain then the image, both only 7bit or base64.
 */

import { IfaxError } from '../errors.js';
import { MAX_PAGES } from '../limits.js';
import { attachmentPart } from './attachment.js';
import { featureField } from './features-field.js';
import { foldedField } from './header-fold.js';
import { addressField, messageIdField, textField } from './header.js';
import { finishMessage, topHeaders, type MailBasics } from './mail-headers.js';
import { paramField } from './mime-params.js';
import { chooseBoundary, multipartBody, type BodyPart } from './multipart.js';
import { encodeTextPart } from './text-part.js';

/**
 * `simple`: RFC 3965, no MDN request. `extended`: RFC 2532, may request an MDN (DSN is an
 * envelope matter). `full`: RFC 4142, requests an MDN and offers alternatives (or, as a
 * resend, names the original).
 */
export type IfaxMode = 'simple' | 'extended' | 'full';

/** The fax document: one multi-page TIFF (RFC 3965 §2.2.4). */
export interface IfaxDocument {
  bytes: Uint8Array;
  /** `image/tiff` for profiles S and F; `image/tiff-fx` for J, C, L, M (RFC 3249 §5.3). */
  contentType: 'image/tiff' | 'image/tiff-fx';
  /** File name offered to the receiver (`fax.tif`). */
  filename: string;
  /** Page count, written into Content-Description. */
  pages: number;
}

/** How long alternatives are held (RFC 3297 §6.1). */
export type AlternativeLifetime = 'transient' | 'permanent';

/** Everything buildIfaxMessage needs. */
export interface IfaxMessageInput extends MailBasics {
  mode: IfaxMode;
  /** The short plain text part; empty for none (RFC 3965 App. A: not required). */
  text: string;
  document: IfaxDocument;
  /** Address for `Disposition-Notification-To` (RFC 8098 §2.1: equal to the envelope sender). */
  mdnTo?: string;
  /** RFC 2533 expression describing the document (RFC 2912); required when full mode offers alternatives. */
  contentFeatures?: string;
  /** Full mode: one RFC 2533 expression per alternative the sender can make (RFC 3297 §4). */
  alternatives?: readonly string[];
  /** Full mode: how long the alternatives are kept (RFC 3297 §6.1); default `transient`. */
  alternativeLifetime?: AlternativeLifetime;
  /** A resend after `alternative-preferred`: the Message-ID of the original (RFC 3297 §3.3, §5). */
  originalMessageId?: string;
  /** At least 12 random bytes for the MIME boundary. */
  random: Uint8Array;
}

function usage(reason: string, hint?: string): IfaxError {
  return new IfaxError('USAGE', `build I-Fax mail failed: ${reason}`, hint === undefined ? {} : { hint });
}

/** Checks the mode rules and returns the fields that go between Date and Subject. */
function modeFields(input: IfaxMessageInput): string[] {
  const alternatives = input.alternatives ?? [];
  if (input.mode === 'simple' && input.mdnTo !== undefined) {
    throw usage('simple mode (RFC 3965) does not request an MDN', "Use mode 'extended' to ask for an MDN.");
  }
  if (input.mode !== 'full' && (alternatives.length > 0 || input.originalMessageId !== undefined || input.alternativeLifetime !== undefined)) {
    throw usage(`content negotiation (alternatives, Original-Message-ID) is full mode only, not ${input.mode}`, "Use mode 'full'.");
  }
  const fields: string[] = [];
  if (input.mdnTo !== undefined) fields.push(addressField('Disposition-Notification-To', [{ address: input.mdnTo }]));
  if (input.mode !== 'full') return fields;
  if (input.mdnTo === undefined) throw usage('full mode needs an MDN request (RFC 3297 §3.1.2, §3.3): mdnTo is missing');
  if (input.originalMessageId !== undefined) {
    if (alternatives.length > 0 || input.alternativeLifetime !== undefined) {
      throw usage('a resend must not offer alternatives again (RFC 3297 §3.3): the negotiation could loop');
    }
    fields.push(messageIdField('Original-Message-ID', input.originalMessageId));
    return fields;
  }
  if (input.contentFeatures === undefined) throw usage('full mode needs Content-features describing the document it offers alternatives to (RFC 3297 §3.1 c)');
  if (alternatives.length === 0) throw usage('full mode needs at least one alternative to offer (RFC 3297 §3.1 f)', "Use mode 'extended' when no better format can be made.");
  const lifetime = input.alternativeLifetime ?? 'transient';
  if (lifetime !== 'transient' && lifetime !== 'permanent') throw usage(`alternative lifetime ${JSON.stringify(lifetime)} is not transient or permanent`);
  fields.push(foldedField('Disposition-Notification-Options', `Alternative-available=optional,${lifetime}`));
  return fields;
}

/** TIFF files start `II*\0` or `MM\0*` (TIFF 6.0 §2). */
function isTiff(b: Uint8Array): boolean {
  return b.length >= 8 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
}

/** The image part with its description, features and alternatives. */
function imagePart(input: IfaxMessageInput): BodyPart {
  const doc = input.document;
  if (doc.contentType !== 'image/tiff' && doc.contentType !== 'image/tiff-fx') {
    throw usage(`document type ${JSON.stringify(doc.contentType)} is not image/tiff or image/tiff-fx`);
  }
  if (!isTiff(doc.bytes)) throw new IfaxError('DATA_INVALID', 'build I-Fax mail failed: the document is not a TIFF file (no II*/MM* header)');
  if (!Number.isInteger(doc.pages) || doc.pages < 1 || doc.pages > MAX_PAGES) {
    throw usage(`page count ${JSON.stringify(doc.pages)} is not 1-${MAX_PAGES} (MAX_PAGES)`);
  }
  const extra = [textField('Content-Description', `fax, ${doc.pages} page${doc.pages === 1 ? '' : 's'}`)];
  if (input.contentFeatures !== undefined) extra.push(featureField('Content-features', input.contentFeatures));
  for (const alt of input.alternatives ?? []) extra.push(featureField('Content-alternative', alt));
  return attachmentPart(doc.contentType, doc.filename, doc.bytes, extra);
}

/**
 * Builds an I-Fax mail: multipart/mixed with a text/plain part (when `text` is not empty)
 * and the TIFF as a base64 attachment. Returns the message bytes: CRLF lines of at most 76
 * characters, 7bit throughout. Throws USAGE on a mode rule broken, DATA_INVALID on a value
 * that cannot go into a header (CR, LF, NUL, bad address or id).
 */
export function buildIfaxMessage(input: IfaxMessageInput): Uint8Array {
  const middle = modeFields(input);
  const parts: BodyPart[] = [];
  if (input.text !== '') {
    const t = encodeTextPart(input.text);
    parts.push({ headers: t.headers, body: t.body });
  }
  parts.push(imagePart(input));
  const boundary = chooseBoundary(input.random, parts);
  const headers = topHeaders(input, middle) + paramField('Content-Type', 'multipart/mixed', [['boundary', boundary]]);
  return finishMessage(headers, multipartBody(boundary, parts), 'I-Fax mail');
}
