/**
 * src/mime: the I-Fax mail built and taken apart as bytes (RFC 5322, MIME RFC 2045-2047 and
 * 2231, RFC 3965 / 2532 / 4142 I-Fax modes, RFC 3297 negotiation headers, RFC 2046 §5.2.2
 * message/partial, RFC 3192 fax addresses, RFC 3461 xtext). Pure: no `node:` imports, no
 * clock, no randomness of its own: time and random bytes are passed in.
 */

export { buildIfaxMessage, type IfaxMessageInput, type IfaxDocument, type IfaxMode, type AlternativeLifetime } from './ifax-message.js';
export { buildDocumentMail, buildUrlMail, type DocumentMailInput, type UrlMailInput } from './document-mail.js';
export type { MailBasics } from './mail-headers.js';
export { splitMessage, type SplitOptions } from './partial.js';
export { reassemble, readPartialInfo, type PartialInfo } from './reassemble.js';
export { parseDestination, parseAddrSpec, type Destination, type EmailDestination, type FaxDestination, type AddrSpec } from './address.js';
export { createMessageId, createEnvelopeId, envelopeIdXtext, MAX_ENVID_LENGTH, MESSAGE_ID_RANDOM_BYTES, type MessageIdInput } from './message-id.js';
export { encodeXtext, decodeXtext, orcptValue, MAX_ORCPT_LENGTH } from './xtext.js';
export { addressField, textField, dateField, formatDate, messageIdField, isMessageId, type Mailbox } from './header.js';
export { foldedField, FOLD_WIDTH } from './header-fold.js';
export { featureField } from './features-field.js';
export { BOUNDARY_RANDOM_BYTES } from './multipart.js';
