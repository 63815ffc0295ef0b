/**
 * The I-Fax mail as Python's email package reads it: structure (multipart/mixed, text/plain,
 * image/tiff), the TIFF byte-identical, headers decoded to the original text, no defect;
 * CRLF lines of at most 76; the mode rules of RFC 3965 / 2532 / 4142 with RFC 3297; header
 * injection refused everywhere a value enters; and the corpus's real Cisco on-ramp mail
 * compared structurally.
 */

import { readFileSync } from 'node:fs';
import { IfaxError } from '../../src/errors.js';
import { allFormats, contentFeatures, formatFeatureExpression, parseFeatureExpression } from '../../src/mime/features/index.js';
import { buildIfaxMessage, type IfaxMessageInput } from '../../src/mime/ifax-message.js';
import { CISCO_EML, CISCO_TIFF, crlfLines, seededBytes, sha256 } from './fixtures.js';
import { allDefects, header, pythonParse, type OracleMessage } from './oracle.js';

const DATE = new Date(Date.UTC(2026, 11, 4, 22, 27, 20));
const FEATURES = '(& (color=Binary) (image-file-structure=TIFF-minimal) (MRC-mode=0) (image-coding=MH) (paper-size=A4) (dpi=204) (dpi-xyratio=204/196) (ua-media=stationery))';
const ALT_MMR = '(& (color=Binary) (image-file-structure=TIFF-limited) (dpi=400) (dpi-xyratio=1) (paper-size=A4) (image-coding=MMR) (MRC-mode=0) (ua-media=stationery))';
const ALT_COLOR = '(& (type="image/tiff-fx") (color=Full) (image-file-structure=TIFF-limited) (dpi=200) (image-coding=JPEG))';

function input(over: Partial<IfaxMessageInput> = {}): IfaxMessageInput {
  return {
    mode: 'extended',
    from: { name: 'Büro Köln', address: 'fax1@ifax.test' },
    to: ['fax2@ifax.test'],
    date: DATE,
    tzOffsetMinutes: 60,
    messageId: '<mjx1.abcdefghijklmnopqrstuvwxyz.ifax@ifax.test>',
    subject: 'Fax from Büro Köln (1 page)',
    text: 'Please find the fax attached.\n',
    document: { bytes: CISCO_TIFF, contentType: 'image/tiff', filename: 'fax.tif', pages: 1 },
    mdnTo: 'fax1@ifax.test',
    random: seededBytes(9, 16),
    ...over,
  };
}

function leaves(msg: OracleMessage) {
  return msg.parts.filter((p) => !p.content_type.startsWith('multipart/'));
}

function headerNames(message: Uint8Array): string[] {
  const text = Buffer.from(message).toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  return head
    .split('\r\n')
    .filter((l) => /^[^ \t]/.test(l))
    .map((l) => l.slice(0, l.indexOf(':')));
}

function unfolded(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, '');
}

describe('an extended-mode I-Fax mail', () => {
  const message = buildIfaxMessage(input());
  const parsed = pythonParse(message);

  it('has CRLF lines only, none over 76 characters, and 7bit bytes', () => {
    expect(parsed.raw).toMatchObject({ bare_lf: 0, bare_cr: 0 });
    expect(parsed.raw!.max_line).toBeLessThanOrEqual(76);
    expect(message.every((b) => b > 0 && b < 128)).toBe(true);
    expect(crlfLines(message).every((l) => l.length <= 76)).toBe(true);
  });

  it('is multipart/mixed with text/plain then image/tiff, and Python reports no defect anywhere', () => {
    expect(allDefects(parsed)).toEqual([]);
    expect(parsed.parts[0].content_type).toBe('multipart/mixed');
    expect(leaves(parsed).map((p) => p.content_type)).toEqual(['text/plain', 'image/tiff']);
    expect(parsed.parts.some((p) => p.content_type === 'multipart/alternative' || p.content_type === 'text/html')).toBe(false);
  });

  it('carries the TIFF byte-identical, base64, as an attachment with its file name', () => {
    const image = leaves(parsed)[1];
    expect(image).toMatchObject({ cte: 'base64', disposition: 'attachment', filename: 'fax.tif', payload_len: CISCO_TIFF.length, payload_sha256: sha256(CISCO_TIFF) });
    expect(image.params['name']).toBe('fax.tif');
    expect(header(image, 'Content-Description')).toBe('fax, 1 page');
  });

  it('has the text as us-ascii 7bit with CRLF line ends', () => {
    expect(leaves(parsed)[0]).toMatchObject({ charset: 'us-ascii', cte: '7bit', text: 'Please find the fax attached.\r\n' });
  });

  it('decodes From, To, Date, Subject, Message-ID and the MDN request to what was given', () => {
    expect(parsed.addresses['From/parsed']).toEqual([['Büro Köln', 'fax1@ifax.test']]);
    expect(parsed.addresses['To']).toEqual([['', 'fax2@ifax.test']]);
    expect(parsed.addresses['Disposition-Notification-To']).toEqual([['', 'fax1@ifax.test']]);
    expect(header(parsed, 'Subject')).toBe('Fax from Büro Köln (1 page)');
    expect(header(parsed, 'Message-ID')).toBe('<mjx1.abcdefghijklmnopqrstuvwxyz.ifax@ifax.test>');
    expect(parsed.date).toBe('2026-12-04T23:27:20+01:00');
    expect(header(parsed, 'MIME-Version')).toBe('1.0');
  });

  it('orders the header so the fields message/partial takes from the inner message come last', () => {
    expect(headerNames(message)).toEqual(['From', 'To', 'Date', 'Disposition-Notification-To', 'Subject', 'Message-ID', 'MIME-Version', 'Content-Type']);
  });

  it('is the same bytes for the same input (no hidden clock or randomness)', () => {
    expect(Buffer.from(buildIfaxMessage(input())).equals(Buffer.from(message))).toBe(true);
    expect(Buffer.from(buildIfaxMessage(input({ random: seededBytes(10, 16) }))).equals(Buffer.from(message))).toBe(false);
  });
});

describe('modes', () => {
  it('simple mode writes no MDN request, and refuses one', () => {
    const m = buildIfaxMessage(input({ mode: 'simple', mdnTo: undefined }));
    expect(headerNames(m)).not.toContain('Disposition-Notification-To');
    expect(allDefects(pythonParse(m))).toEqual([]);
    expect(() => buildIfaxMessage(input({ mode: 'simple' }))).toThrow(/simple mode .* does not request an MDN/);
  });

  it('extended mode may go without an MDN request (DSN only) and refuses negotiation headers', () => {
    expect(headerNames(buildIfaxMessage(input({ mdnTo: undefined })))).not.toContain('Disposition-Notification-To');
    expect(() => buildIfaxMessage(input({ alternatives: [ALT_MMR] }))).toThrow(/full mode only/);
    expect(() => buildIfaxMessage(input({ originalMessageId: '<a@b.example>' }))).toThrow(/full mode only/);
  });

  it('full mode offers alternatives: Disposition-Notification-Options, Content-features, one Content-alternative each', () => {
    const m = buildIfaxMessage(input({ mode: 'full', contentFeatures: FEATURES, alternatives: [ALT_MMR, ALT_COLOR], alternativeLifetime: 'permanent' }));
    const p = pythonParse(m);
    expect(allDefects(p)).toEqual([]);
    expect(header(p, 'Disposition-Notification-Options')).toBe('Alternative-available=optional,permanent');
    const image = leaves(p)[1];
    expect(unfolded(header(image, 'Content-features'))).toBe(unfolded(FEATURES));
    const alts = image.headers.filter(([k]) => k === 'Content-alternative').map(([, v]) => unfolded(v));
    expect(alts).toEqual([unfolded(ALT_MMR), unfolded(ALT_COLOR)]);
    expect(image.payload_sha256).toBe(sha256(CISCO_TIFF));
    expect(p.raw!.max_line).toBeLessThanOrEqual(76);
    expect(headerNames(m)).toEqual(['From', 'To', 'Date', 'Disposition-Notification-To', 'Disposition-Notification-Options', 'Subject', 'Message-ID', 'MIME-Version', 'Content-Type']);
  });

  it('full mode defaults the lifetime to transient', () => {
    const p = pythonParse(buildIfaxMessage(input({ mode: 'full', contentFeatures: FEATURES, alternatives: [ALT_MMR] })));
    expect(header(p, 'Disposition-Notification-Options')).toBe('Alternative-available=optional,transient');
  });

  it('full mode refuses to go without MDN request, Content-features or an alternative', () => {
    expect(() => buildIfaxMessage(input({ mode: 'full', mdnTo: undefined, contentFeatures: FEATURES, alternatives: [ALT_MMR] }))).toThrow(/needs an MDN request/);
    expect(() => buildIfaxMessage(input({ mode: 'full', alternatives: [ALT_MMR] }))).toThrow(/needs Content-features/);
    expect(() => buildIfaxMessage(input({ mode: 'full', contentFeatures: FEATURES }))).toThrow(/at least one alternative/);
  });

  it('a resend after alternative-preferred names the original and offers nothing again (RFC 3297 §3.3)', () => {
    const m = buildIfaxMessage(input({ mode: 'full', contentFeatures: FEATURES, originalMessageId: '<first.1@ifax.test>' }));
    const p = pythonParse(m);
    expect(header(p, 'Original-Message-ID')).toBe('<first.1@ifax.test>');
    expect(header(p, 'Disposition-Notification-Options')).toBeUndefined();
    expect(leaves(p)[1].headers.some(([k]) => k === 'Content-alternative')).toBe(false);
    expect(allDefects(p)).toEqual([]);
    expect(() => buildIfaxMessage(input({ mode: 'full', contentFeatures: FEATURES, originalMessageId: '<first.1@ifax.test>', alternatives: [ALT_MMR] }))).toThrow(/must not offer alternatives again/);
  });

  it('adds Content-features in extended mode too (the "add content information" setting)', () => {
    const p = pythonParse(buildIfaxMessage(input({ contentFeatures: FEATURES })));
    expect(unfolded(header(leaves(p)[1], 'Content-features'))).toBe(unfolded(FEATURES));
  });
});

describe('the text part and the document', () => {
  it.each([
    ['Grüße aus Köln.\nBitte bestätigen.', 'iso-8859-1', 'base64'],
    ['Факс: 3 страницы', 'utf-8', 'base64'],
    ['Mixed € sign', 'utf-8', 'base64'],
    [`A long ASCII line ${'x'.repeat(100)}`, 'us-ascii', 'base64'],
    ['line one\r\nline two\rline three\n', 'us-ascii', '7bit'],
  ])('%j goes as %s %s and decodes to the same text with CRLF line ends', (text, charset, cte) => {
    const p = pythonParse(buildIfaxMessage(input({ text })));
    const t = leaves(p)[0];
    expect(t).toMatchObject({ content_type: 'text/plain', charset, cte });
    // Python keeps the canonical CRLF of text/plain (RFC 2046 §4.1.1) as it finds it.
    const expected = text.replace(/\r\n|\r|\n/g, '\r\n');
    expect(t.text).toBe(expected.endsWith('\r\n') ? expected : `${expected}\r\n`);
    expect(allDefects(p)).toEqual([]);
    expect(p.raw!.max_line).toBeLessThanOrEqual(76);
  });

  it('leaves the text part out when the text is empty', () => {
    const p = pythonParse(buildIfaxMessage(input({ text: '' })));
    expect(leaves(p).map((x) => x.content_type)).toEqual(['image/tiff']);
  });

  it('writes a non-ASCII file name per RFC 2231 and Python reads it back', () => {
    const filename = 'Rechnung Müller – Dezember.tif';
    const p = pythonParse(buildIfaxMessage(input({ document: { bytes: CISCO_TIFF, contentType: 'image/tiff-fx', filename, pages: 3 } })));
    expect(leaves(p)[1]).toMatchObject({ content_type: 'image/tiff-fx', filename });
    expect(header(leaves(p)[1], 'Content-Description')).toBe('fax, 3 pages');
    expect(allDefects(p)).toEqual([]);
  });

  it('chooses another boundary when the text holds the first choice', () => {
    const first = buildIfaxMessage(input());
    const boundary = /boundary="([^"]+)"/.exec(Buffer.from(first).toString('latin1'))![1];
    const text = `A line that quotes the delimiter:\r\n--${boundary}\r\nand goes on.`;
    const m = buildIfaxMessage(input({ text }));
    const p = pythonParse(m);
    expect(p.parts[0].boundary).not.toBe(boundary);
    expect(leaves(p).map((x) => x.content_type)).toEqual(['text/plain', 'image/tiff']);
    expect(leaves(p)[0].text).toBe(`${text}\r\n`);
    expect(leaves(p)[1].payload_sha256).toBe(sha256(CISCO_TIFF));
  });

  it('refuses a document that is not a TIFF, a bad page count, a path in the file name', () => {
    expect(() => buildIfaxMessage(input({ document: { bytes: new Uint8Array(100), contentType: 'image/tiff', filename: 'fax.tif', pages: 1 } }))).toThrow(/not a TIFF/);
    expect(() => buildIfaxMessage(input({ document: { bytes: CISCO_TIFF, contentType: 'image/tiff', filename: 'fax.tif', pages: 0 } }))).toThrow(/page count/);
    expect(() => buildIfaxMessage(input({ document: { bytes: CISCO_TIFF, contentType: 'image/tiff', filename: '../../etc/fax.tif', pages: 1 } }))).toThrow(/path separator/);
    expect(() => buildIfaxMessage(input({ random: new Uint8Array(4) }))).toThrow(/random bytes/);
  });
});

describe('header injection', () => {
  const INJECT = '\r\nBcc: victim@example.com';
  const attempts: [string, Partial<IfaxMessageInput>, string][] = [
    ['subject', { subject: `Fax${INJECT}` }, 'Subject'],
    ['sender name', { from: { name: `Eve${INJECT}`, address: 'fax1@ifax.test' } }, 'From'],
    ['sender address', { from: { address: `fax1@ifax.test${INJECT}` } }, 'From'],
    ['recipient', { to: [`fax2@ifax.test${INJECT}`] }, 'To'],
    ['recipient (LF only)', { to: ['fax2@ifax.test\nBcc: victim@example.com'] }, 'To'],
    ['MDN address', { mdnTo: `fax1@ifax.test${INJECT}` }, 'Disposition-Notification-To'],
    ['Message-ID', { messageId: `<a@ifax.test>${INJECT}` }, 'Message-ID'],
    ['file name', { document: { bytes: CISCO_TIFF, contentType: 'image/tiff', filename: `fax.tif${INJECT}`, pages: 1 } }, 'fax.tif'],
    ['Content-features', { contentFeatures: `(dpi=200)${INJECT}` }, 'Content-features'],
    ['Content-alternative', { mode: 'full', contentFeatures: FEATURES, alternatives: [`(dpi=400)${INJECT}`] }, 'Content-alternative'],
    ['Original-Message-ID', { mode: 'full', contentFeatures: FEATURES, originalMessageId: `<a@b.example>${INJECT}` }, 'Original-Message-ID'],
    ['NUL in subject', { subject: 'Fax\0' }, 'Subject'],
  ];

  it.each(attempts)('refuses a line break in the %s with DATA_INVALID naming it', (_what, over, named) => {
    let err: unknown;
    try {
      buildIfaxMessage(input(over));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe('DATA_INVALID');
    expect((err as IfaxError).message).toContain(named);
  });
});

describe('compared with a real on-ramp mail (corpus: Cisco AS5350)', () => {
  const cisco = pythonParse(readFileSync(CISCO_EML));
  const ours = pythonParse(buildIfaxMessage(input({ mode: 'simple', mdnTo: undefined, text: '', document: { bytes: CISCO_TIFF, contentType: 'image/tiff', filename: 'Cisco_fax.tif', pages: 1 } })));

  it('has the same shape: one multipart, one base64 image/tiff attachment, the same TIFF', () => {
    const shape = (m: OracleMessage) =>
      leaves(m).map((p) => ({ type: p.content_type, cte: p.cte?.toLowerCase(), filename: p.filename, sha256: p.payload_sha256 }));
    expect(shape(ours)).toEqual(shape(cisco));
    expect(cisco.parts[0].content_type).toBe('multipart/fax-message');
    expect(ours.parts[0].content_type).toBe('multipart/mixed');
  });

  it('has every header RFC 3965 §2.2.1 asks for, as the device mail has', () => {
    for (const name of ['From', 'To', 'Date', 'Message-ID', 'Subject', 'MIME-Version']) {
      expect(header(cisco, name)).toBeDefined();
      expect(header(ours, name)).toBeDefined();
    }
    expect(allDefects(cisco)).toEqual([]);
    expect(allDefects(ours)).toEqual([]);
  });

  it('writes the image part with one Content-Type, where the device writes two', () => {
    const count = (m: OracleMessage) => leaves(m)[0].headers.filter(([k]) => k.toLowerCase() === 'content-type').length;
    expect(count(cisco)).toBe(2);
    expect(count(ours)).toBe(1);
  });
});

describe('compared with the RFC 3297 §8.1 full-mode example (corpus)', () => {
  const dir = '/work/shared/corpus/email/rfc-examples/';
  const example = pythonParse(readFileSync(`${dir}rfc3297-8.1-1-sender-initial.eml`));
  const resendExample = pythonParse(readFileSync(`${dir}rfc3297-8.1-3-sender-resend-enhanced.eml`));
  const oneLine = (v: string | undefined) => (v ?? '').trim().replace(/\s+/g, ' ');
  const exImage = example.parts[1];
  const features = oneLine(header(exImage, 'Content-features'));
  const alternative = oneLine(header(exImage, 'Content-alternative'));
  const names = (m: OracleMessage) => m.headers.map(([k]) => k.toLowerCase()).sort();

  it('writes the same fields as the initial offer, with the same values', () => {
    const ours = pythonParse(buildIfaxMessage(input({ mode: 'full', text: '', contentFeatures: features, alternatives: [alternative], alternativeLifetime: 'permanent' })));
    expect(names(ours)).toEqual(names(example));
    expect(oneLine(header(ours, 'Disposition-Notification-Options'))).toBe(oneLine(header(example, 'Disposition-Notification-Options')));
    const image = leaves(ours)[0];
    expect(image.content_type).toBe(exImage.content_type);
    expect(image.cte).toBe('base64');
    expect(oneLine(header(image, 'Content-features'))).toBe(features);
    expect(oneLine(header(image, 'Content-alternative'))).toBe(alternative);
  });

  it('writes the same fields as the resend, without Content-features when none is given', () => {
    const ours = pythonParse(buildIfaxMessage(input({ mode: 'full', text: '', originalMessageId: '<199509200019.12345@example.com>' })));
    expect(names(ours)).toEqual(names(resendExample));
    expect(header(ours, 'Original-Message-ID')).toBe(header(resendExample, 'Original-Message-Id'));
    expect(leaves(ours)[0].headers.map(([k]) => k.toLowerCase()).filter((k) => k.startsWith('content-features') || k.startsWith('content-alternative'))).toEqual([]);
    expect(allDefects(ours)).toEqual([]);
  });
});

describe('with the feature expressions of src/mime/features', () => {
  it('carries every format\'s Content-features so that it parses back to the same expression', () => {
    const formats = allFormats();
    expect(formats.length).toBeGreaterThan(5);
    const described = formats.map((f) => contentFeatures(f));
    const [first, ...rest] = described;
    const m = buildIfaxMessage(input({ mode: 'full', contentFeatures: first, alternatives: rest }));
    const p = pythonParse(m);
    expect(p.raw!.max_line).toBeLessThanOrEqual(76);
    expect(allDefects(p)).toEqual([]);
    const image = leaves(p)[1];
    const values = image.headers.filter(([k]) => k === 'Content-features' || k === 'Content-alternative').map(([, v]) => v);
    expect(values).toHaveLength(described.length);
    values.forEach((v, i) => {
      expect(formatFeatureExpression(parseFeatureExpression(v, { strict: true }).expression)).toBe(formatFeatureExpression(parseFeatureExpression(described[i], { strict: true }).expression));
    });
  });
});

describe('words that cannot be folded', () => {
  test('a Message-ID and addresses of a long domain make lines over 76, still valid (<= 998) and read by Python', () => {
    const domain = 'fax-station.branch-office.example-company.example';
    const messageId = `<mx9ma5pb.63gn6qx426tdmuur54v4aipzem.ifax@${domain}>`;
    const raw = buildIfaxMessage(input({ from: { address: `fax@${domain}` }, to: [`destination@${domain}`], messageId, mdnTo: `fax@${domain}`, mode: 'extended' }));
    const lines = crlfLines(raw);
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(76);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    const msg = pythonParse(raw);
    expect(allDefects(msg)).toEqual([]);
    expect(header(msg, 'Message-ID')).toBe(messageId);
    expect(header(msg, 'Disposition-Notification-To')).toContain(`fax@${domain}`);
  });
});
