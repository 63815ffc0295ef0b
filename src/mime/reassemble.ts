/**
 * RFC 2046 §5.2.2 message/partial, receiving side: fragments put back together by the
 * header rules of §5.2.2.1 (fragment 1's outer fields except Content-*, Subject,
 * Message-ID, Encrypted and MIME-Version, then those fields from the enclosed message, then
 * its body; the outer fields of fragments 2..n dropped). Every fragment is checked: the
 * same id, numbers 1..total each once, a total (required on the last fragment), and the
 * limits, so a crafted set cannot make us hold unbounded data or glue foreign pieces
 * together. The result may itself be message/partial (§5.2.2 allows that): call again.
 */

import { IfaxError } from '../errors.js';
import { MAX_PARTIAL_FRAGMENTS, MAX_REASSEMBLED_BYTES } from '../limits.js';
import { readHeaderBlock, type HeaderBlock } from './header-block.js';
import { parseParamValue } from './parse/content-params.js';
import { isEnclosedField } from './partial.js';
import { concatBytes } from './wire-format.js';

/** The message/partial parameters of one fragment. */
export interface PartialInfo {
  id: string;
  number: number;
  /** Present on the last fragment, optional on the others. */
  total?: number;
}

function invalid(reason: string): IfaxError {
  return new IfaxError('DATA_INVALID', `reassemble message/partial failed: ${reason}`);
}

function count(value: string | undefined, what: string, which: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(value)) throw invalid(`${which} has ${what}=${JSON.stringify(value)}, not a number`);
  const n = Number(value);
  if (n < 1 || n > MAX_PARTIAL_FRAGMENTS) {
    throw new IfaxError('LIMIT_EXCEEDED', `reassemble message/partial failed: ${which} has ${what}=${n}, outside 1-${MAX_PARTIAL_FRAGMENTS} (MAX_PARTIAL_FRAGMENTS)`);
  }
  return n;
}

function partialOf(head: HeaderBlock, which: string): PartialInfo | null {
  const ct = head.fields.find((f) => /^content-type$/i.test(f.name));
  if (ct === undefined) return null;
  const parsed = parseParamValue(ct.value);
  if (parsed.value !== 'message/partial') return null;
  const id = parsed.params.get('id');
  if (id === undefined || id === '') throw invalid(`${which} has no id parameter`);
  const number = count(parsed.params.get('number'), 'number', which);
  if (number === undefined) throw invalid(`${which} has no number parameter`);
  const total = count(parsed.params.get('total'), 'total', which);
  return { id, number, ...(total === undefined ? {} : { total }) };
}

/**
 * The message/partial parameters of a mail, or null when it is not a fragment: what a
 * receiver uses to group fragments by id before calling reassemble.
 */
export function readPartialInfo(message: Uint8Array): PartialInfo | null {
  return partialOf(readHeaderBlock(message, 'fragment'), 'the fragment');
}

/**
 * Reassembles a complete set of fragments (any order) into the original message. Throws
 * DATA_INVALID for a mail that is not message/partial, mixed ids, a duplicate or missing
 * number, no or conflicting totals; LIMIT_EXCEEDED past MAX_PARTIAL_FRAGMENTS or
 * MAX_REASSEMBLED_BYTES.
 */
export function reassemble(fragments: readonly Uint8Array[]): Uint8Array {
  if (fragments.length === 0) throw invalid('no fragments given');
  if (fragments.length > MAX_PARTIAL_FRAGMENTS) {
    throw new IfaxError('LIMIT_EXCEEDED', `reassemble message/partial failed: ${fragments.length} fragments (at most ${MAX_PARTIAL_FRAGMENTS}, MAX_PARTIAL_FRAGMENTS)`);
  }
  let size = 0;
  for (const f of fragments) size += f.length;
  if (size > MAX_REASSEMBLED_BYTES) {
    throw new IfaxError('LIMIT_EXCEEDED', `reassemble message/partial failed: fragments hold ${size} bytes (at most ${MAX_REASSEMBLED_BYTES}, MAX_REASSEMBLED_BYTES)`);
  }
  const byNumber = new Map<number, { head: HeaderBlock; bytes: Uint8Array }>();
  let id: string | undefined;
  let total: number | undefined;
  fragments.forEach((bytes, i) => {
    const which = `fragment ${i + 1} of those given`;
    const head = readHeaderBlock(bytes, which);
    const info = partialOf(head, which);
    if (info === null) throw invalid(`${which} is not message/partial`);
    if (id === undefined) id = info.id;
    else if (info.id !== id) throw invalid(`${which} has id ${JSON.stringify(info.id)}, the others ${JSON.stringify(id)}`);
    if (byNumber.has(info.number)) throw invalid(`number ${info.number} occurs twice`);
    if (info.total !== undefined) {
      if (total !== undefined && total !== info.total) throw invalid(`totals disagree: ${total} and ${info.total}`);
      total = info.total;
    }
    byNumber.set(info.number, { head, bytes });
  });
  if (total === undefined) throw invalid('no fragment states the total (the last one must, RFC 2046 §5.2.2)');
  const missing: number[] = [];
  for (let n = 1; n <= total; n++) if (!byNumber.has(n)) missing.push(n);
  if (missing.length > 0) throw invalid(`fragment${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''} of ${total} missing`);
  const extra = [...byNumber.keys()].filter((n) => n > total!);
  if (extra.length > 0) throw invalid(`fragment number ${extra[0]} is beyond the total ${total}`);

  const pieces: Uint8Array[] = [];
  for (let n = 1; n <= total; n++) {
    const { head, bytes } = byNumber.get(n)!;
    pieces.push(bytes.subarray(head.bodyStart));
  }
  const enclosed = concatBytes(pieces);
  const inner = readHeaderBlock(enclosed, 'the enclosed message');
  const first = byNumber.get(1)!.head;
  return concatBytes([
    ...first.fields.filter((f) => !isEnclosedField(f.name)).map((f) => f.raw),
    ...inner.fields.filter((f) => isEnclosedField(f.name)).map((f) => f.raw),
    enclosed.subarray(inner.headerEnd),
  ]);
}
