/**
 * Mails for people and for the URL load-reduction modes (SETTINGS.md smtp.scanToEmail,
 * smtp.loadReduction): RFC 2046 §5.1.3 multipart/mixed with text/plain and the pages as an
 * ordinary application/pdf attachment (RFC 8118), and a single text/plain mail that carries
 * a download URL, the size and the SHA-256 of the document instead of the document.
 */

import { IfaxError } from '../errors.js';
import { attachmentPart } from './attachment.js';
import { addressField } from './header.js';
import { MAX_LINE_LENGTH, utf8 } from './wire-format.js';
import { finishMessage, topHeaders, type MailBasics } from './mail-headers.js';
import { paramField } from './mime-params.js';
import { chooseBoundary, multipartBody, type BodyPart } from './multipart.js';
import { canonicalText, encodeTextPart } from './text-part.js';

/** Inputs of buildDocumentMail (`send --as-email`). */
export interface DocumentMailInput extends MailBasics {
  /** The text part; empty for none. */
  text: string;
  /** The pages as a PDF. */
  document: { bytes: Uint8Array; filename: string };
  /** At least 12 random bytes for the MIME boundary. */
  random: Uint8Array;
}

/** `%PDF-` (ISO 32000-1 §7.5.2). */
function isPdf(b: Uint8Array): boolean {
  return b.length >= 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d;
}

/**
 * A mail for a person: text/plain and the PDF as an attachment. CRLF lines of at most 76
 * characters, 7bit throughout.
 */
export function buildDocumentMail(input: DocumentMailInput): Uint8Array {
  if (!isPdf(input.document.bytes)) throw new IfaxError('DATA_INVALID', 'build document mail failed: the document is not a PDF file (no %PDF- header)');
  const parts: BodyPart[] = [];
  if (input.text !== '') {
    const t = encodeTextPart(input.text);
    parts.push({ headers: t.headers, body: t.body });
  }
  parts.push(attachmentPart('application/pdf', input.document.filename, input.document.bytes));
  const boundary = chooseBoundary(input.random, parts);
  const headers = topHeaders(input, []) + paramField('Content-Type', 'multipart/mixed', [['boundary', boundary]]);
  return finishMessage(headers, multipartBody(boundary, parts), 'document mail');
}

/** Inputs of buildUrlMail (`loadReduction: url-if-over | url-always`). */
export interface UrlMailInput extends MailBasics {
  /** Text before the link ("The fax is too large to mail; download it here:"). */
  text: string;
  /** The download URL (http or https). */
  url: string;
  /** Size of the document in bytes. */
  size: number;
  /** SHA-256 of the document, 64 hex digits (computed by the caller). */
  sha256: string;
  /** File name of the document, shown in the text. */
  filename?: string;
  /** Optional MDN request (extended mode), as for the fax mail. */
  mdnTo?: string;
}

/**
 * A text/plain mail with the download URL, size and SHA-256. Lines are at most 76
 * characters except the URL's own line, which is never broken (a broken URL is not
 * clickable) and may run to 998 (RFC 5322 §2.1.1); the body goes base64 only when the rest
 * of the text is not 7bit-safe, so the URL stays readable whenever possible.
 */
export function buildUrlMail(input: UrlMailInput): Uint8Array {
  let parsed: URL | undefined;
  try {
    parsed = new URL(input.url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || !/^[\x21-\x7e]+$/.test(input.url) || input.url.length > MAX_LINE_LENGTH - 8) {
    throw new IfaxError('USAGE', `build URL mail failed: ${JSON.stringify(input.url)} is not an http(s) URL of printable ASCII without spaces`, { hint: 'Check download.baseUrl.' });
  }
  if (!/^[0-9a-fA-F]{64}$/.test(input.sha256)) throw new IfaxError('USAGE', `build URL mail failed: SHA-256 ${JSON.stringify(input.sha256)} is not 64 hex digits`);
  if (!Number.isSafeInteger(input.size) || input.size < 0) throw new IfaxError('USAGE', `build URL mail failed: size ${JSON.stringify(input.size)} is not a byte count`);
  const lines = [
    ...(input.text === '' ? [] : [canonicalText(input.text).replace(/\r\n$/, ''), '']),
    ...(input.filename === undefined ? [] : [`Document: ${input.filename}`]),
    `Size: ${input.size} bytes`,
    `SHA-256: ${input.sha256.toLowerCase()}`,
    '',
    input.url,
  ];
  const body = lines.join('\n');
  const rest = encodeTextPart(lines.slice(0, -1).join('\n'), 'URL mail text');
  // The URL line alone may pass 76: when everything else is 7bit, the whole body goes 7bit
  // with that one long line; otherwise base64 (which wraps the URL too, unavoidably).
  const part = rest.transferEncoding === '7bit' ? { headers: rest.headers, body: utf8(canonicalText(body)) } : encodeTextPart(body, 'URL mail text');
  const middle = input.mdnTo === undefined ? [] : [addressField('Disposition-Notification-To', [{ address: input.mdnTo }])];
  return finishMessage(topHeaders(input, middle) + part.headers, part.body, 'URL mail', rest.transferEncoding === '7bit' ? MAX_LINE_LENGTH : undefined);
}
