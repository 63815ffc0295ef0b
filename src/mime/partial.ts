/**
 * RFC 2046 §5.2.2 message/partial, sending side: a built (7bit) message split at line
 * boundaries (§5.2.2.1 rule 1) into fragments that each fit `splitBytes` minus
 * PARTIAL_RECEIVED_MARGIN, headers included. Header rules of §5.2.2.1: fragment 1's outer
 * header carries every field of the message except Content-*, Subject, Message-ID,
 * Encrypted and MIME-Version (rule 2: those are taken from the enclosed message on
 * reassembly); later fragments carry only From, To and Date, whose fields are discarded
 * (rule 4). Every fragment has its own Message-ID and the subject prefixed `[n/m]`, as
 * Canon devices write it, so a person sees which piece is which.
 */

import { IfaxError } from '../errors.js';
import { MAX_PARTIAL_FRAGMENTS, MIN_SPLIT_BYTES, PARTIAL_RECEIVED_MARGIN } from '../limits.js';
import { readHeaderBlock, type RawField } from './header-block.js';
import { foldedField } from './header-fold.js';
import { messageIdField } from './header.js';
import { createMessageId } from './message-id.js';
import { paramField } from './mime-params.js';
import { assertSevenBit, concatBytes, MAX_LINE_LENGTH, utf8 } from './wire-format.js';

/** Fields RFC 2046 §5.2.2.1 takes from the enclosed message; all others come from fragment 1. */
export function isEnclosedField(name: string): boolean {
  return /^(content-.*|subject|message-id|encrypted|mime-version)$/i.test(name);
}

/** Options of splitMessage. */
export interface SplitOptions {
  /** The fragment size asked for (smtp.splitSizeKB * 1024); each fragment is at most this minus PARTIAL_RECEIVED_MARGIN. */
  splitBytes: number;
  /** At least 16 random bytes: the partial id and the fragments' Message-IDs are made from them. */
  random: Uint8Array;
  /** The station's domain, for the partial id and Message-IDs. */
  domain: string;
  /** Now (for the ids). */
  time: Date;
}

/** The outer header of fragment `n` of `m` (numbers written with their real digits). */
function fragmentHeader(n: number, m: number, copied: readonly RawField[], subject: string, id: string, idLeft: string, domain: string): Uint8Array {
  const params: [string, string][] = [
    ['id', id],
    ['number', String(n)],
  ];
  // RFC 2046 §5.2.2: total is required on the final fragment and optional before it. It is
  // written where the RFC requires it (the last), as its three-piece example writes the
  // third; a receiver must reassemble without it on the others, and it cannot be wrong there.
  if (n === m) params.push(['total', String(m)]);
  const text =
    foldedField('Subject', subject === '' ? `[${n}/${m}]` : `[${n}/${m}] ${subject}`) +
    messageIdField('Message-ID', `<${n}.${idLeft}@${domain}>`) +
    'MIME-Version: 1.0\r\n' +
    paramField('Content-Type', 'message/partial', params) +
    '\r\n';
  return concatBytes([...copied.map((f) => f.raw), utf8(text)]);
}

/** Offsets just after each LF: the places a fragment may end. */
function lineEnds(message: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = message.indexOf(10); i >= 0; i = message.indexOf(10, i + 1)) ends.push(i + 1);
  return ends;
}

/**
 * Splits `message` into message/partial fragments. Returns `[message]` unchanged when it
 * already fits. Throws DATA_INVALID when the message is not 7bit with CRLF lines,
 * LIMIT_EXCEEDED when it would need more than MAX_PARTIAL_FRAGMENTS or its header does not
 * fit the first fragment, USAGE when splitBytes is below MIN_SPLIT_BYTES.
 */
export function splitMessage(message: Uint8Array, options: SplitOptions): Uint8Array[] {
  const { splitBytes } = options;
  if (!Number.isSafeInteger(splitBytes) || splitBytes < MIN_SPLIT_BYTES) {
    throw new IfaxError('USAGE', `split mail failed: fragment size ${JSON.stringify(splitBytes)} is below ${MIN_SPLIT_BYTES} bytes (MIN_SPLIT_BYTES)`, { hint: 'smtp.splitSizeKB is at least 64.' });
  }
  assertSevenBit(message, 'fragments: the message', MAX_LINE_LENGTH, 'DATA_INVALID');
  const limit = splitBytes - PARTIAL_RECEIVED_MARGIN;
  if (message.length <= limit) return [message];

  const head = readHeaderBlock(message, 'message to split');
  const outer1 = head.fields.filter((f) => !isEnclosedField(f.name));
  const outerN = head.fields.filter((f) => /^(from|to|date)$/i.test(f.name));
  const subjectField = head.fields.find((f) => /^subject$/i.test(f.name));
  const subject = subjectField === undefined ? '' : subjectField.value;
  const base = createMessageId({ domain: options.domain, random: options.random, time: options.time });
  const idLeft = base.slice(1, base.indexOf('@'));
  const domain = base.slice(base.indexOf('@') + 1, -1);
  const id = `${idLeft}@${domain}`;
  const ends = lineEnds(message);

  // The headers grow with the digits of n and m; size them for d digits, and widen d when the
  // count turns out to need more (at most five rounds: MAX_PARTIAL_FRAGMENTS has four digits).
  for (let d = 1; d <= String(MAX_PARTIAL_FRAGMENTS).length; d++) {
    const widest = 10 ** d - 1;
    const room1 = limit - fragmentHeader(widest, widest, outer1, subject, id, idLeft, domain).length;
    const roomN = limit - fragmentHeader(widest, widest, outerN, subject, id, idLeft, domain).length;
    if (head.bodyStart > room1) {
      throw new IfaxError('LIMIT_EXCEEDED', `split mail failed: the header block (${head.bodyStart} bytes) does not fit one fragment of ${limit} bytes`);
    }
    const cuts = [0];
    let start = 0;
    let prev = 0;
    for (const end of ends) {
      const room = cuts.length === 1 ? room1 : roomN;
      if (end - start > room) {
        if (prev === start) throw new IfaxError('INTERNAL', `split mail failed: a line at offset ${start} does not fit a fragment`);
        cuts.push(prev);
        start = prev;
        if (cuts.length > MAX_PARTIAL_FRAGMENTS) {
          throw new IfaxError('LIMIT_EXCEEDED', `split mail failed: ${message.length} bytes need more than ${MAX_PARTIAL_FRAGMENTS} fragments of ${splitBytes} bytes (MAX_PARTIAL_FRAGMENTS)`, { hint: 'Raise smtp.splitSizeKB.' });
        }
      }
      prev = end;
    }
    cuts.push(message.length);
    const m = cuts.length - 1;
    if (String(m).length > d) continue;
    const fragments: Uint8Array[] = [];
    for (let n = 1; n <= m; n++) {
      const header = fragmentHeader(n, m, n === 1 ? outer1 : outerN, subject, id, idLeft, domain);
      const fragment = concatBytes([header, message.subarray(cuts[n - 1], cuts[n])]);
      if (fragment.length > limit) throw new IfaxError('INTERNAL', `split mail failed: fragment ${n} is ${fragment.length} bytes, over ${limit}`);
      assertSevenBit(fragment, `fragment ${n}`);
      fragments.push(fragment);
    }
    return fragments;
  }
  throw new IfaxError('INTERNAL', 'split mail failed: fragment count did not settle');
}
