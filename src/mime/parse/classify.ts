/**
 * What an incoming mail is, for `ifax receive`: an Internet fax (ITU-T T.37 / RFC 3965: TIFF
 * body parts, RFC 3302 image/tiff and RFC 3950 image/tiff-fx, or what gateways really send:
 * application/octet-stream or any attachment named .tif/.tiff/.tfx, in any multipart), an
 * MDN (RFC 8098 multipart/report; disposition-notification), a DSN (RFC 3464
 * multipart/report; delivery-status, RFC 6533 global-delivery-status), a fragment (RFC 2046
 * §5.2.2 message/partial), or something else. Reports are recognised by their
 * machine-readable part wherever it is: devices that forget the report-type parameter still
 * write the part (RFC 3249 §4.4 shows both).
 */

import { decodeCharset } from './charset.js';
import { decodeEncodedWords } from './encoded-words.js';
import { allFields, firstField, parseHeaderBlock, type HeaderField } from './header-fields.js';
import { leafParts, parseMime, type MimePart } from './mime-tree.js';
import { parseAddressList, parseReturnPath, type ParsedMailbox } from './address-list.js';
import { parseDsnFields, parseMdnFields, type DsnFields, type MdnFields } from './report-fields.js';
import { MAX_NOTE_CHARS } from '../../limits.js';

/** The header fields every kind of mail is described by. */
export interface MailSummary {
  from?: ParsedMailbox;
  to: ParsedMailbox[];
  subject?: string;
  /** The Date field as written. */
  date?: string;
  messageId?: string;
  /** Return-Path as the delivering MTA wrote it ('' for the null sender <>). */
  returnPath?: string;
  /** Disposition-Notification-To mailboxes (RFC 8098 §2.1); empty when no MDN is asked for. */
  dispositionNotificationTo: ParsedMailbox[];
  /** Disposition-Notification-Options (RFC 8098 §2.2), as written. */
  dispositionNotificationOptions?: string;
  /** Original-Recipient (RFC 8098 §2.3), as written. */
  originalRecipient?: string;
  /** Auto-Submitted (RFC 3834 §5), lower case. */
  autoSubmitted?: string;
  inReplyTo?: string;
  references?: string;
  /** Every top-level field as read. */
  headers: HeaderField[];
}

/** A TIFF found in the mail. */
export interface TiffPart {
  /** File name from the part, else `fax-N.tif`. */
  name: string;
  contentType: string;
  bytes: Uint8Array;
  /** The part's number ("1", "2.1"). */
  path: string;
  /** The part's header fields (Content-features, Content-alternative: RFC 2912, RFC 3297 §4). */
  headers: HeaderField[];
}

export type ClassifiedMail =
  | { kind: 'fax'; summary: MailSummary; tiffs: TiffPart[]; note?: string; defects: string[] }
  | { kind: 'mdn'; summary: MailSummary; mdn: MdnFields; returnedMessageId?: string; defects: string[] }
  | { kind: 'dsn'; summary: MailSummary; dsn: DsnFields; returnedMessageId?: string; defects: string[] }
  | { kind: 'partial'; summary: MailSummary; partial: { id: string; number: number; total?: number }; defects: string[] }
  | { kind: 'other'; summary: MailSummary; reason: string; defects: string[] };

const TIFF_NAME = /\.(tif|tiff|tfx)$/i;

function isTiffMagic(b: Uint8Array): boolean {
  return b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
}

/** Whether a leaf part is a fax image. application/octet-stream counts only when it holds a TIFF. */
function isTiffPart(p: MimePart): boolean {
  if (p.type === 'image/tiff' || p.type === 'image/tiff-fx') return true;
  if (p.filename !== undefined && TIFF_NAME.test(p.filename)) return true;
  return p.type === 'application/octet-stream' && isTiffMagic(p.body);
}

function summarize(root: MimePart): MailSummary {
  const h = root.headers;
  const text = (n: string): string | undefined => {
    const v = firstField(h, n);
    return v === undefined ? undefined : decodeEncodedWords(v);
  };
  const s: MailSummary = {
    to: [...parseAddressList(firstField(h, 'to')), ...parseAddressList(firstField(h, 'cc'))],
    dispositionNotificationTo: parseAddressList(firstField(h, 'disposition-notification-to')),
    headers: h,
  };
  const from = parseAddressList(firstField(h, 'from'))[0];
  if (from) s.from = from;
  const put = (key: keyof MailSummary, v: string | undefined): void => {
    if (v !== undefined) (s as unknown as Record<string, unknown>)[key] = v;
  };
  put('subject', text('subject'));
  put('date', firstField(h, 'date'));
  put('messageId', firstField(h, 'message-id'));
  // The topmost Return-Path is the one the final delivery wrote (trace fields are prepended,
  // RFC 5321 §4.4); any below it came with the mail and may be stale or forged.
  put('returnPath', parseReturnPath(allFields(h, 'return-path')[0]));
  put('dispositionNotificationOptions', firstField(h, 'disposition-notification-options'));
  put('originalRecipient', firstField(h, 'original-recipient'));
  put('autoSubmitted', firstField(h, 'auto-submitted')?.trim().toLowerCase());
  put('inReplyTo', firstField(h, 'in-reply-to'));
  put('references', firstField(h, 'references'));
  return s;
}

function allDefects(root: MimePart): string[] {
  const out: string[] = [];
  const walk = (p: MimePart): void => {
    for (const d of p.defects) out.push(p.path === '' ? d : `part ${p.path}: ${d}`);
    p.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** The Message-ID of the returned message or its headers (text/rfc822-headers, message/rfc822). */
function returnedMessageId(leaves: MimePart[]): string | undefined {
  for (const p of leaves) {
    if (p.type === 'text/rfc822-headers' || p.type === 'message/rfc822' || p.type === 'message/rfc822-headers' || p.type === 'message/global' || p.type === 'message/global-headers') {
      const head = parseHeaderBlock(p.body, 0, p.body.length, `part ${p.path}`);
      const id = firstField(head.fields, 'message-id');
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** The text of the first text/plain part that is not an attachment, bounded by MAX_NOTE_CHARS. */
function noteOf(leaves: MimePart[]): string | undefined {
  const p = leaves.find((x) => x.type === 'text/plain' && x.disposition !== 'attachment');
  if (p === undefined) return undefined;
  const text = decodeCharset(p.body, p.params.get('charset') ?? 'us-ascii').replace(/\r\n?/g, '\n').trim();
  if (text === '') return undefined;
  return text.length > MAX_NOTE_CHARS ? `${text.slice(0, MAX_NOTE_CHARS)}\n[... cut at ${MAX_NOTE_CHARS} characters]` : text;
}

/**
 * Classifies a raw mail. Throws LIMIT_EXCEEDED when it passes a limit of src/limits.ts;
 * otherwise every mail gets a kind (`other` with the reason when it is none of the others).
 */
export function classifyMail(bytes: Uint8Array): ClassifiedMail {
  const root = parseMime(bytes);
  const summary = summarize(root);
  const defects = allDefects(root);
  if (root.type === 'message/partial') {
    const id = root.params.get('id');
    const number = Number(root.params.get('number'));
    const totalText = root.params.get('total');
    const total = totalText === undefined ? undefined : Number(totalText);
    if (id === undefined || id === '' || !Number.isInteger(number) || number < 1 || (total !== undefined && (!Number.isInteger(total) || total < 1))) {
      return { kind: 'other', summary, reason: 'message/partial without a valid id, number or total (RFC 2046 §5.2.2)', defects };
    }
    return { kind: 'partial', summary, partial: { id, number, ...(total !== undefined ? { total } : {}) }, defects };
  }
  const leaves = leafParts(root);
  const mdnPart = leaves.find((p) => p.type === 'message/disposition-notification' || p.type === 'message/global-disposition-notification');
  if (mdnPart) {
    const rid = returnedMessageId(leaves);
    return { kind: 'mdn', summary, mdn: parseMdnFields(mdnPart.body), ...(rid ? { returnedMessageId: rid } : {}), defects };
  }
  const dsnPart = leaves.find((p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  if (dsnPart) {
    const rid = returnedMessageId(leaves);
    return { kind: 'dsn', summary, dsn: parseDsnFields(dsnPart.body), ...(rid ? { returnedMessageId: rid } : {}), defects };
  }
  const tiffs = leaves.filter(isTiffPart).map((p, i) => ({ name: p.filename ?? `fax-${i + 1}.tif`, contentType: p.type, bytes: p.body, path: p.path, headers: p.headers }));
  if (tiffs.length > 0) {
    const note = noteOf(leaves);
    return { kind: 'fax', summary, tiffs, ...(note !== undefined ? { note } : {}), defects };
  }
  const types = [...new Set(leaves.map((p) => p.type))].slice(0, 8).join(', ');
  return { kind: 'other', summary, reason: `no fax image (TIFF) and not a report; parts: ${types || 'none'}`, defects };
}
