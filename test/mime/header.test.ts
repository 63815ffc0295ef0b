/**
 * Header writing (RFC 5322 folding, RFC 2047 encoded-words, display names, dates, RFC 2231
 * parameters), checked by Python's email package decoding every value back to the
 * original, and by our own reading of every encoded-word (length, whole UTF-8 sequences).
 */

import { IfaxError } from '../../src/errors.js';
import { addressField, dateField, formatDate, messageIdField, textField } from '../../src/mime/header.js';
import { foldedField } from '../../src/mime/header-fold.js';
import { paramField } from '../../src/mime/mime-params.js';
import { featureField } from '../../src/mime/features-field.js';
import { allDefects, header, pythonParse } from './oracle.js';

function mini(headers: string): Uint8Array {
  return Buffer.from(`${headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nbody\r\n`, 'latin1');
}

/** Every encoded-word of a header: at most 75 characters, and its bytes whole UTF-8. */
function checkEncodedWords(field: string): number {
  const words = field.match(/=\?[^?]+\?[BQbq]\?[^?]*\?=/g) ?? [];
  for (const w of words) {
    expect(w.length).toBeLessThanOrEqual(75);
    const [, charset, enc, text] = /^=\?([^?]+)\?([BQ])\?([^?]*)\?=$/.exec(w)!;
    expect(charset).toBe('utf-8');
    const bytes =
      enc === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    // fatal: a word that ends inside a UTF-8 sequence throws here.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
  }
  return words.length;
}

function checkLines(field: string): void {
  expect(field.endsWith('\r\n')).toBe(true);
  const lines = field.slice(0, -2).split('\r\n');
  for (const [i, l] of lines.entries()) {
    expect(l.length).toBeLessThanOrEqual(76);
    expect(/[\r\n]/.test(l)).toBe(false);
    if (i > 0) expect(l).toMatch(/^[ \t]/);
  }
}

const SUBJECTS = [
  'Fax from reception (3 pages)',
  'Fax from Büro Köln (3 pages)',
  'Факс от офиса: счёт №42 за декабрь 2026 года, пожалуйста подтвердите получение документа',
  '传真文件 '.repeat(25).trim(),
  '📠 fax 📠📠📠 '.repeat(12).trim(),
  'x'.repeat(200),
  'A literal =?utf-8?q?not-an-encoded-word?= in the text',
  'two  spaces and\ta tab',
  'Quote " and backslash \\ and (parens)',
  'ends in a non-ASCII é',
  '[1/3] Grüße aus München — Telefax für Frau Ünal',
  'ümlaut'.repeat(40),
  'Mixed ASCII words with one Überweisung in the middle and more ASCII words after it to fold',
];

describe('unstructured fields (Subject)', () => {
  it('writes printable ASCII as it is', () => {
    expect(textField('Subject', 'Fax from reception (3 pages)')).toBe('Subject: Fax from reception (3 pages)\r\n');
  });

  it.each(SUBJECTS)('Python decodes %j back to the same text, lines <= 76, words <= 75 and whole characters', (subject) => {
    const field = textField('Subject', subject);
    checkLines(field);
    if (/^[\x20-\x7e\t]*$/.test(subject) && !subject.includes('=?') && !/\S{70}/.test(subject)) expect(checkEncodedWords(field)).toBe(0);
    else expect(checkEncodedWords(field)).toBeGreaterThan(0);
    const parsed = pythonParse(mini(field));
    expect(header(parsed, 'Subject')).toBe(subject);
    expect(allDefects(parsed)).toEqual([]);
  });

  it('writes an empty subject as an empty field, which Python reads without defect', () => {
    const field = textField('Subject', '');
    expect(field).toBe('Subject:\r\n');
    const parsed = pythonParse(mini(field));
    expect(header(parsed, 'Subject')).toBe('');
    expect(allDefects(parsed)).toEqual([]);
  });

  it('refuses a field name with a colon, space or line break', () => {
    for (const name of ['Bcc: x', 'X-Bad:Name', 'X-Bad\r\nBcc', '']) expect(() => textField(name, 'v')).toThrow(/is not a field name/);
  });

  it('refuses CR, LF and NUL, naming the header (no header injection)', () => {
    for (const bad of ['Hi\r\nBcc: victim@example.com', 'Hi\nBcc: x@y', 'Hi\rthere', 'nul\0byte']) {
      let err: unknown;
      try {
        textField('Subject', bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IfaxError);
      expect((err as IfaxError).code).toBe('DATA_INVALID');
      expect((err as IfaxError).message).toContain('"Subject"');
    }
  });
});

describe('address fields', () => {
  const cases: [string, string][] = [
    ['Reception', 'fax@example.com'],
    ['Müller, Hans', 'hans@example.de'],
    ['O"Brien \\ Co', 'ob@example.com'],
    ['山田太郎', 'taro@example.jp'],
    ['A very long display name with many words '.repeat(3).trim(), 'long@example.com'],
    ['=?utf-8?q?looks-encoded?=', 'x@example.com'],
    ['Fax Gateway', 'FAX=+49301234567/T33S=12@gw.example.com'],
  ];

  it.each(cases)('Python reads name %j and address %j back', (name, address) => {
    const field = addressField('From', [{ name, address }]);
    checkLines(field);
    checkEncodedWords(field);
    const parsed = pythonParse(mini(field));
    expect(parsed.addresses['From/parsed']).toEqual([[name, address]]);
    expect(parsed.addresses['From/rfc2047']).toEqual([[name, address]]);
    expect(allDefects(parsed)).toEqual([]);
  });

  it('writes "Name" <addr>, and a bare address without a name', () => {
    expect(addressField('From', [{ name: 'Reception', address: 'fax@example.com' }])).toBe('From: "Reception" <fax@example.com>\r\n');
    expect(addressField('Disposition-Notification-To', [{ address: 'fax@example.com' }])).toBe('Disposition-Notification-To: fax@example.com\r\n');
  });

  it('folds a list of many addresses after the commas, and Python reads them all', () => {
    const boxes = Array.from({ length: 12 }, (_, i) => ({ name: i % 2 ? `Ünit ${i}` : `Unit ${i}`, address: `unit${i}@branch-office.example.com` }));
    const field = addressField('To', boxes);
    checkLines(field);
    expect(field.split('\r\n').length).toBeGreaterThan(5);
    const parsed = pythonParse(mini(`From: a@example.com\r\n${field}`));
    expect(parsed.addresses['To']).toEqual(boxes.map((b) => [b.name, b.address]));
  });

  it('refuses an invalid address or a line break in a name, naming the header', () => {
    expect(() => addressField('To', [{ address: 'no-at-sign' }])).toThrow(/header "To" has an invalid address/);
    expect(() => addressField('To', [{ address: 'a@b.example>\r\nBcc: x@y' }])).toThrow(/header "To" contains a CR/);
    expect(() => addressField('From', [{ name: 'Eve\nBcc: x@y', address: 'e@example.com' }])).toThrow(/header "From" contains a LF/);
    expect(() => addressField('To', [])).toThrow(IfaxError);
  });
});

describe('dates', () => {
  const instant = new Date(Date.UTC(2026, 11, 4, 22, 27, 20));
  it.each([
    [60, 'Fri, 04 Dec 2026 23:27:20 +0100', '2026-12-04T23:27:20+01:00'],
    [0, 'Fri, 04 Dec 2026 22:27:20 +0000', '2026-12-04T22:27:20+00:00'],
    [-330, 'Fri, 04 Dec 2026 16:57:20 -0530', '2026-12-04T16:57:20-05:30'],
    [14 * 60, 'Sat, 05 Dec 2026 12:27:20 +1400', '2026-12-05T12:27:20+14:00'],
  ])('offset %d minutes gives %j, which Python reads as the same instant', (offset, text, iso) => {
    expect(formatDate(instant, offset)).toBe(text);
    expect(pythonParse(mini(dateField(instant, offset))).date).toBe(iso);
  });

  it('refuses offsets that are not whole minutes within 24 hours, and invalid dates', () => {
    expect(() => formatDate(instant, 30.5)).toThrow(IfaxError);
    expect(() => formatDate(instant, 24 * 60)).toThrow(IfaxError);
    expect(() => formatDate(new Date(NaN), 0)).toThrow(IfaxError);
  });
});

describe('message ids, parameters and feature expressions', () => {
  it('writes a msg-id and refuses anything else', () => {
    expect(messageIdField('Message-ID', '<abc.def@example.com>')).toBe('Message-ID: <abc.def@example.com>\r\n');
    expect(() => messageIdField('Message-ID', 'abc@example.com')).toThrow(/not a message id/);
    expect(() => messageIdField('Original-Message-ID', '<a@b>\r\nBcc: x@y')).toThrow(/"Original-Message-ID" contains a CR/);
  });

  it.each([
    ['fax.tif'],
    ['Rechnung für Müller – Dezember 2026 (Kopie).tif'],
    ['a-very-long-ascii-file-name-that-cannot-fit-on-one-header-line-at-all-really.tif'],
    ['with space and "quotes".tif'],
    ['請求書_2026年12月_株式会社サンプル_ファクス送信分_最終版.tif'],
  ])('Python reads file name %j back from RFC 2045/2231 parameters', (filename) => {
    const type = paramField('Content-Type', 'text/plain', [['name', filename]]);
    const disposition = paramField('Content-Disposition', 'attachment', [['filename', filename]]);
    checkLines(type);
    checkLines(disposition);
    const field = type + disposition;
    const msg = Buffer.from(`From: a@example.com\r\nMIME-Version: 1.0\r\n${field}Content-Transfer-Encoding: 7bit\r\n\r\nbody\r\n`, 'latin1');
    const parsed = pythonParse(msg);
    expect(parsed.parts[0].filename).toBe(filename);
    expect(parsed.parts[0].params['name']).toBe(filename);
    expect(allDefects(parsed)).toEqual([]);
  });

  it('folds a feature expression at white space, adding it between terms written without', () => {
    const expr = '(&(color=Binary)(image-file-structure=TIFF-minimal)(MRC-mode=0)(image-coding=[MH,MR,MMR])(paper-size=[A4,B4])(|(&(dpi=204)(dpi-xyratio=[204/98,204/196]))(&(dpi=200)(dpi-xyratio=[200/100,1])))(ua-media=stationery)(type="image/tiff"))';
    const field = featureField('Content-features', expr);
    checkLines(field);
    const unfolded = field.replace(/\r\n(?=[ \t])/g, '').replace(/^Content-features: /, '').replace(/\r\n$/, '');
    expect(unfolded.replace(/ /g, '')).toBe(expr);
    expect(unfolded).toContain('(& (color=Binary) (image-file-structure=TIFF-minimal)');
    expect(() => featureField('Content-features', '(a=b)\r\nBcc: x@y')).toThrow(/"Content-features" contains a CR/);
    expect(() => featureField('Content-alternative', 'dpi=200')).toThrow(/not a feature expression/);
  });

  it('keeps a space inside a quoted value when it adds folding points', () => {
    const field = featureField('Content-features', '(&(type="a (b)")(x=1))');
    expect(field).toBe('Content-features: (& (type="a (b)") (x=1))\r\n');
  });

  it('foldedField keeps white space exactly when unfolded', () => {
    const value = 'Alternative-available=optional,transient';
    expect(foldedField('Disposition-Notification-Options', value)).toBe(`Disposition-Notification-Options: ${value}\r\n`);
  });
});
