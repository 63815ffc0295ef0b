/**
 * RFC 2045 / 2046 MIME structure, read side: a message taken apart into its body parts.
 * §5.1 multipart bodies split at their delimiter lines (`--boundary`, the CRLF before it
 * belongs to it, the close delimiter `--boundary--`; preamble and epilogue ignored); any
 * multipart subtype this reader does not know (Cisco's multipart/fax-message, a vendor's
 * own) is read as multipart/mixed (§5.1.3 asks exactly that); leaf bodies decoded by their
 * transfer encoding. RFC 2045 §5.2 defaults (text/plain; charset=us-ascii) for a missing or
 * unreadable Content-Type, §5.1.5 message/rfc822 inside multipart/digest.
 *
 * Duplicate Content-Type fields (Cisco's on-ramp writes the same one twice): the first wins.
 * RFC 2045 allows one; Python's email, Thunderbird and postal-mime all take the first, so the
 * mail is read here as the mail clients a user checks it with read it.
 *
 * Bounded: MAX_MAIL_BYTES, MAX_MIME_DEPTH, MAX_MIME_PARTS, MAX_DECODED_MAIL_BYTES.
 */

import { IfaxError } from '../../errors.js';
import { MAX_DECODED_MAIL_BYTES, MAX_MAIL_BYTES, MAX_MIME_DEPTH, MAX_MIME_PARTS } from '../../limits.js';
import { parseParamValue } from './content-params.js';
import { firstField, parseHeaderBlock, type HeaderField } from './header-fields.js';
import { decodeTransfer } from './transfer-decode.js';

/** One body part (or the message itself). */
export interface MimePart {
  /** "" for the message, "1", "1.2"... for parts (IMAP numbering). */
  path: string;
  headers: HeaderField[];
  /** `type/subtype`, lower case. */
  type: string;
  params: Map<string, string>;
  /** `attachment`, `inline` or '' when there is no Content-Disposition. */
  disposition: string;
  /** Content-Disposition filename, else Content-Type name; undefined when neither. */
  filename?: string;
  transferEncoding: string;
  /** The decoded body of a leaf part; empty for multiparts. */
  body: Uint8Array;
  /** Parts of a multipart. */
  children: MimePart[];
  /** What did not stop reading (no close delimiter, a duplicated Content-Type...). */
  defects: string[];
}

interface Budget {
  parts: number;
  decoded: number;
}

function limit(reason: string): IfaxError {
  return new IfaxError('LIMIT_EXCEEDED', `read mail failed: ${reason}`);
}

const encoder = new TextEncoder();

/** True when `bytes[at..]` from a delimiter marker ends a delimiter line (`--`, white space, line end). */
function delimiterEnd(bytes: Uint8Array, at: number, end: number): { close: boolean; next: number } | null {
  let i = at;
  let close = false;
  if (bytes[i] === 45 && bytes[i + 1] === 45 && i + 1 < end) {
    close = true;
    i += 2;
  }
  while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
  if (i >= end) return { close, next: end };
  if (bytes[i] === 10) return { close, next: i + 1 };
  if (bytes[i] === 13) return { close, next: bytes[i + 1] === 10 ? i + 2 : i + 1 };
  return null;
}

/** Body ranges of a multipart between `start` and `end`; `closed` false when there is no close delimiter. */
function splitMultipart(bytes: Uint8Array, start: number, end: number, boundary: string): { ranges: [number, number][]; closed: boolean; found: boolean } {
  const marker = encoder.encode(`--${boundary}`);
  const ranges: [number, number][] = [];
  let partStart = -1;
  let at = start;
  let found = false;
  while (at < end) {
    const hit = indexOf(bytes, marker, at, end);
    if (hit < 0) break;
    const lineStart = hit === start || bytes[hit - 1] === 10;
    const tail = lineStart ? delimiterEnd(bytes, hit + marker.length, end) : null;
    if (tail === null) {
      at = hit + 1;
      continue;
    }
    found = true;
    if (partStart >= 0) {
      // The line end before the delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      let e = hit;
      if (e > partStart && bytes[e - 1] === 10) e--;
      if (e > partStart && bytes[e - 1] === 13) e--;
      ranges.push([partStart, e]);
    }
    if (tail.close) return { ranges, closed: true, found };
    partStart = tail.next;
    at = tail.next;
  }
  if (partStart >= 0) ranges.push([partStart, end]);
  return { ranges, closed: false, found };
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  const first = needle[0];
  const last = end - needle.length;
  outer: for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

function parsePart(bytes: Uint8Array, start: number, end: number, path: string, depth: number, defaultType: string, budget: Budget): MimePart {
  if (++budget.parts > MAX_MIME_PARTS) throw limit(`more than ${MAX_MIME_PARTS} body parts (MAX_MIME_PARTS)`);
  const head = parseHeaderBlock(bytes, start, end, path === '' ? 'the message' : `part ${path}`);
  const defects = [...head.defects];
  const types = head.fields.filter((f) => f.name.toLowerCase() === 'content-type');
  if (types.length > 1) defects.push(`${types.length} Content-Type fields; the first is used`);
  let type = defaultType;
  let params = new Map<string, string>();
  if (types.length > 0) {
    const ct = parseParamValue(types[0].value);
    if (/^[^/\s]+\/[^/\s]+$/.test(ct.value)) {
      type = ct.value;
      params = ct.params;
    } else {
      // RFC 2045 §5.2: an unreadable Content-Type is taken as the default (text/plain; us-ascii).
      defects.push(`Content-Type ${JSON.stringify(types[0].value)} cannot be read; taken as text/plain`);
      type = 'text/plain';
    }
  }
  const cd = firstField(head.fields, 'content-disposition');
  const disp = cd === undefined ? undefined : parseParamValue(cd);
  const filename = disp?.params.get('filename') ?? params.get('name');
  const transferEncoding = (firstField(head.fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const part: MimePart = {
    path,
    headers: head.fields,
    type,
    params,
    disposition: disp?.value ?? '',
    ...(filename !== undefined && filename !== '' ? { filename } : {}),
    transferEncoding,
    body: new Uint8Array(0),
    children: [],
    defects,
  };
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary !== undefined && boundary !== '') {
    if (depth >= MAX_MIME_DEPTH) throw limit(`multiparts nested more than ${MAX_MIME_DEPTH} deep (MAX_MIME_DEPTH)`);
    const split = splitMultipart(bytes, head.bodyStart, end, boundary);
    if (split.found) {
      if (!split.closed) defects.push(`no close delimiter for boundary ${JSON.stringify(boundary)}`);
      const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      split.ranges.forEach(([s, e], i) => part.children.push(parsePart(bytes, s, e, path === '' ? String(i + 1) : `${path}.${i + 1}`, depth + 1, childDefault, budget)));
      return part;
    }
    defects.push(`boundary ${JSON.stringify(boundary)} never occurs; the body is read as text`);
    part.type = 'text/plain';
  } else if (type.startsWith('multipart/')) {
    defects.push('multipart without a boundary; the body is read as text');
    part.type = 'text/plain';
  }
  const raw = bytes.subarray(head.bodyStart, end);
  part.body = part.type.startsWith('multipart/') ? raw : decodeTransfer(transferEncoding, raw);
  budget.decoded += part.body.length;
  if (budget.decoded > MAX_DECODED_MAIL_BYTES) throw limit(`the parts decode to more than ${MAX_DECODED_MAIL_BYTES} bytes (MAX_DECODED_MAIL_BYTES)`);
  return part;
}

/**
 * Parses a whole message. Throws LIMIT_EXCEEDED past a limit of src/limits.ts; anything else
 * that is wrong is read leniently and listed in the parts' `defects`.
 */
export function parseMime(bytes: Uint8Array): MimePart {
  if (bytes.length > MAX_MAIL_BYTES) throw limit(`the mail is ${bytes.length} bytes (at most ${MAX_MAIL_BYTES}, MAX_MAIL_BYTES)`);
  return parsePart(bytes, 0, bytes.length, '', 0, 'text/plain', { parts: 0, decoded: 0 });
}

/** Every leaf part of `root` in order (multiparts walked, message/* parts not opened). */
export function leafParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const walk = (p: MimePart): void => {
    if (p.children.length > 0 || p.type.startsWith('multipart/')) p.children.forEach(walk);
    else out.push(p);
  };
  walk(root);
  return out;
}
