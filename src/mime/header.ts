/**
 * RFC 5322 header fields as ifax writes them: §3.2.5 unstructured text (Subject) and §3.2.5
 * phrases (display names) with RFC 2047 §5 encoded-words for anything beyond printable
 * ASCII, §3.4 mailboxes and address lists (`"Name" <addr>`), §3.3 date-time with the zone
 * offset passed in, §3.6.4 msg-id fields. Every value is refused if it holds CR, LF or NUL
 * (header-fold.ts), every address is parsed first (addr-spec.ts), and every line is folded
 * to FOLD_WIDTH.
 */

import { IfaxError } from '../errors.js';
import { parseAddrSpec } from './addr-spec.js';
import { characters, encodeWord, MAX_ENCODED_WORD, MIN_ENCODED_WORD_ROOM, pickEncoding } from './encoded-word.js';
import { assertFieldValue, FieldWriter, FOLD_WIDTH, foldedField } from './header-fold.js';

/** A mailbox: an address with an optional display name. */
export interface Mailbox {
  /** Display name, any Unicode; written quoted or as encoded-words. */
  name?: string;
  /** An addr-spec (`fax@example.com`). */
  address: string;
}

/** Printable ASCII words that can go out as they are (no `=?`, which would read as an encoded-word). */
function isPlainWord(word: string): boolean {
  return /^[\x21-\x7e]+$/.test(word) && !word.includes('=?') && word.length <= FOLD_WIDTH - 2;
}

/**
 * Adds `text` as encoded-words, the first after `ws`, each sized to the room left on its
 * line. In a phrase (display name) the text is kept in one word when it fits one, and is
 * otherwise split after a space where there is one: RFC 2047 §6.2 drops the white space
 * between adjacent encoded-words, but some decoders (Python's address parser among them)
 * keep it, and a split after a space then costs them at most a doubled space instead of a
 * space inside a word.
 */
function addEncoded(w: FieldWriter, text: string, ws: string, phrase = false): void {
  const enc = pickEncoding(text);
  const chars = characters(text);
  if (phrase) {
    const whole = encodeWord(chars, 0, enc, MAX_ENCODED_WORD);
    if (whole.next === chars.length) {
      w.add(whole.word, ws);
      return;
    }
  }
  let sep = ws;
  for (let i = 0; i < chars.length; ) {
    const here = FOLD_WIDTH - w.column - sep.length;
    const room = here >= MIN_ENCODED_WORD_ROOM ? here : FOLD_WIDTH - sep.length;
    let { word, next } = encodeWord(chars, i, enc, room);
    if (phrase && next < chars.length) {
      let space = next - 1;
      while (space > i && !(chars[space].length === 1 && (chars[space][0] === 0x20 || chars[space][0] === 0x09))) space--;
      if (space > i) ({ word, next } = encodeWord(chars.slice(0, space + 1), i, enc, room));
    }
    w.add(word, sep);
    i = next;
    sep = ' ';
  }
}

/** Splits text into words and the white space before each: [ws0, w0, ws1, w1, ...]. */
function words(text: string): { ws: string; word: string }[] {
  const out: { ws: string; word: string }[] = [];
  const re = /([ \t]*)([^ \t]+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ ws: m[1], word: m[2] });
  return out;
}

/**
 * Adds unstructured text (RFC 5322 §3.2.5): printable ASCII words as they are, and each
 * run of other words (with the white space between them) as encoded-words, so decoding
 * gives back the text exactly. Outer white space is dropped (parsers drop it anyway).
 */
function addText(w: FieldWriter, text: string): void {
  const list = words(text.trim());
  let i = 0;
  while (i < list.length) {
    const ws = i === 0 ? ' ' : list[i].ws;
    if (isPlainWord(list[i].word)) {
      w.add(list[i].word, ws);
      i++;
      continue;
    }
    let run = list[i].word;
    let j = i + 1;
    while (j < list.length && !isPlainWord(list[j].word)) run += list[j].ws + list[j++].word;
    addEncoded(w, run, ws);
    i = j;
  }
}

/** An unstructured field (Subject, Content-Description): text with encoded-words as needed. */
export function textField(name: string, value: string): string {
  assertFieldValue(name, value);
  const w = new FieldWriter(name);
  addText(w, value);
  return w.end();
}

/**
 * Adds a display name: a quoted-string when it is printable ASCII with words that fit a
 * line (folded only at its own spaces, which RFC 5322 §3.2.4 allows inside quotes), else
 * encoded-words (RFC 2047 §5(3)).
 */
function addPhrase(w: FieldWriter, name: string): void {
  const list = words(name.trim());
  const quotable = list.every((x) => /^[\x21-\x7e]+$/.test(x.word) && x.word.length <= FOLD_WIDTH - 8) && !name.includes('=?');
  if (!quotable) {
    addEncoded(w, name.trim(), ' ', true);
    return;
  }
  const esc = (s: string): string => s.replace(/(["\\])/g, '\\$1');
  list.forEach((x, i) => {
    const token = (i === 0 ? '"' : '') + esc(x.word) + (i === list.length - 1 ? '"' : '');
    w.add(token, i === 0 ? ' ' : x.ws);
  });
}

/** Adds one mailbox; `last` says whether a comma follows. */
function addMailbox(w: FieldWriter, header: string, box: Mailbox, comma: boolean): void {
  if (box.name !== undefined) assertFieldValue(header, box.name);
  assertFieldValue(header, box.address);
  let address: string;
  try {
    address = parseAddrSpec(box.address).address;
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `build mail failed: header ${JSON.stringify(header)} has an invalid address ${JSON.stringify(box.address)}`, { cause: err, context: { header } });
  }
  const tail = comma ? ',' : '';
  if (box.name === undefined || box.name.trim() === '') {
    w.add(address + tail);
    return;
  }
  addPhrase(w, box.name);
  w.add(`<${address}>${tail}`);
}

/**
 * An address field (From, To, Disposition-Notification-To): mailboxes separated by commas,
 * each `"Name" <addr>` or a bare addr-spec when it has no name.
 */
export function addressField(name: string, boxes: readonly Mailbox[]): string {
  if (boxes.length === 0) throw new IfaxError('USAGE', `build mail failed: header ${JSON.stringify(name)} needs at least one address`);
  const w = new FieldWriter(name);
  boxes.forEach((b, i) => addMailbox(w, name, b, i < boxes.length - 1));
  return w.end();
}

/** RFC 5322 §3.6.4 msg-id: `<id-left@id-right>` with dot-atom-text or a no-fold literal. */
const MSG_ID = /^<[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*@([A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*|\[[\x21-\x5a\x5e-\x7e]*\])>$/;

/** True when `id` is an RFC 5322 msg-id with its angle brackets. */
export function isMessageId(id: string): boolean {
  return MSG_ID.test(id) && id.length <= 998 - 20;
}

/** A field holding one msg-id (Message-ID, Original-Message-ID). Refuses anything else. */
export function messageIdField(name: string, id: string): string {
  assertFieldValue(name, id);
  if (!isMessageId(id)) {
    throw new IfaxError('DATA_INVALID', `build mail failed: header ${JSON.stringify(name)} value ${JSON.stringify(id)} is not a message id <left@right> (RFC 5322 §3.6.4)`, { context: { header: name } });
  }
  return new FieldWriter(name).add(id).end();
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * RFC 5322 §3.3 date-time of the instant `date` as seen in the zone `offsetMinutes` east of
 * UTC (+60 for CET): `Fri, 04 Dec 2026 23:27:20 +0100`. The offset is passed in because the
 * pure layer has no clock or zone of its own.
 */
export function formatDate(date: Date, offsetMinutes: number): string {
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 23 * 60 + 59) {
    throw new IfaxError('USAGE', `format date failed: zone offset ${JSON.stringify(offsetMinutes)} is not a whole number of minutes within ±23:59`);
  }
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new IfaxError('USAGE', 'format date failed: the date is invalid');
  const d = new Date(t + offsetMinutes * 60000);
  const year = d.getUTCFullYear();
  if (year < 1900 || year > 9999) throw new IfaxError('USAGE', `format date failed: year ${year} is outside 1900-9999 (RFC 5322 §3.3)`);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${year} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${sign}${p2(Math.floor(off / 60))}${p2(off % 60)}`;
}

/** The Date field. */
export function dateField(date: Date, offsetMinutes: number): string {
  return foldedField('Date', formatDate(date, offsetMinutes));
}
