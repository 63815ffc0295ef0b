import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { contentFeatures, makeFormat, mediaAcceptFeatures, describeReceiveCapabilities, parseFeatureExpression } from '../../../src/mime/features/index.js';
import {
  buildMdn,
  classifyMail,
  isAlternativePreferred,
  isBetterFor,
  preferredAlternative,
  qualityOf,
  readAlternativeOffer,
  readNegotiationFields,
} from '../../../src/mime/parse/index.js';
import { buildIfaxMessage } from '../../../src/mime/index.js';

const profileS = makeFormat('S', 'MH', 'fine', 'A4', 'bw');
const profileFSuperfine = makeFormat('F', 'MMR', 'superfine', 'A4', 'bw');
const profileFFineMmr = makeFormat('F', 'MMR', 'fine', 'A4', 'bw');
const colour = makeFormat('C', 'JPEG', 'fine', 'A4', 'color');
const expr = (text: string) => parseFeatureExpression(text).expression;

describe('readAlternativeOffer (RFC 3297 §4, RFC 8098 §2.2)', () => {
  test('the RFC form, in any case and spacing, among other parameters', () => {
    expect(readAlternativeOffer('Alternative-available=optional,transient')).toEqual({ lifetime: 'transient', importance: 'optional' });
    expect(readAlternativeOffer(' signed-receipt=optional,pkcs7-signature ; ALTERNATIVE-AVAILABLE = Optional , Permanent ')).toEqual({ lifetime: 'permanent', importance: 'optional' });
  });
  test('leniently: no importance, no or an unknown lifetime, quoted values; each noted', () => {
    const notes: string[] = [];
    expect(readAlternativeOffer('Alternative-available=permanent', notes)).toEqual({ lifetime: 'permanent', importance: 'optional' });
    expect(readAlternativeOffer('Alternative-available=required', notes)).toEqual({ lifetime: 'transient', importance: 'required' });
    expect(readAlternativeOffer('Alternative-available=optional,"forever"', notes)).toEqual({ lifetime: 'transient', importance: 'optional' });
    expect(readAlternativeOffer('Alternative-available', notes)).toEqual({ lifetime: 'transient', importance: 'optional' });
    expect(notes).toHaveLength(5);
    expect(notes[2]).toMatch(/lifetime "forever"; read as transient/);
  });
  test('no offer: absent, another attribute, or Alternative-not-available', () => {
    expect(readAlternativeOffer(undefined)).toBeUndefined();
    expect(readAlternativeOffer('signed-receipt=optional,pkcs7-signature')).toBeUndefined();
    expect(readAlternativeOffer('Alternative-not-available=required,(TRUE)')).toBeUndefined();
  });
});

describe('which alternative is better (isBetterFor, preferredAlternative)', () => {
  test('qualityOf reads dpi, the vertical dpi from dpi-xyratio, colour and coding of a Content-features', () => {
    expect(qualityOf(expr(contentFeatures(profileS)))).toEqual({ xDpi: 204, yDpi: 196, colour: 'Binary', coding: 'MH' });
    expect(qualityOf(expr(contentFeatures(profileFSuperfine)))).toEqual({ xDpi: 400, yDpi: 400, colour: 'Binary', coding: 'MMR' });
    // A choice (| ...) pins nothing: unknown, never counted as a gain.
    expect(qualityOf(expr('(& (| (dpi=200) (dpi=400)) (color=Binary))'))).toEqual({ colour: 'Binary' });
  });
  test('more resolution or colour is better; coding alone is not; a trade is not', () => {
    const s = qualityOf(expr(contentFeatures(profileS)));
    expect(isBetterFor(qualityOf(expr(contentFeatures(profileFSuperfine))), s)).toBe(true);
    expect(isBetterFor(qualityOf(expr(contentFeatures(colour))), s)).toBe(true);
    expect(isBetterFor(qualityOf(expr(contentFeatures(profileFFineMmr))), s)).toBe(false);
    expect(isBetterFor(s, qualityOf(expr(contentFeatures(profileFSuperfine))))).toBe(false);
    // 200 x 200 is the same class as 204 x 196 (RFC 3949 §4.5.2).
    expect(isBetterFor({ xDpi: 200, yDpi: 200, colour: 'Binary' }, s)).toBe(false);
    // Colour at a lower resolution than the black-and-white received: a trade, kept.
    expect(isBetterFor({ xDpi: 200, yDpi: 100, colour: 'Full' }, s)).toBe(false);
  });
  test('only an alternative this station can read is chosen; of two, the richer', () => {
    const received = expr(contentFeatures(profileS));
    const alts = [profileFFineMmr, profileFSuperfine, colour].map((f) => ({ text: contentFeatures(f), expression: expr(contentFeatures(f)) }));
    const all = describeReceiveCapabilities({ compression: ['MH', 'MR', 'MMR', 'JPEG'], paperSizes: ['A4'], maxResolution: 'superfine' });
    const bw = describeReceiveCapabilities({ compression: ['MH', 'MR', 'MMR'], paperSizes: ['A4'], maxResolution: 'superfine' });
    const mhOnly = describeReceiveCapabilities({ compression: ['MH'], paperSizes: ['A4'], maxResolution: 'superfine' });
    const fineOnly = describeReceiveCapabilities({ compression: ['MH', 'MMR'], paperSizes: ['A4'], maxResolution: 'fine' });
    expect(preferredAlternative(received, alts, all)?.index).toBe(2);
    expect(preferredAlternative(received, alts, bw)?.index).toBe(1);
    expect(preferredAlternative(received, alts, mhOnly)).toBeUndefined();
    expect(preferredAlternative(received, alts, fineOnly)).toBeUndefined();
  });
});

test('readNegotiationFields reads a full-mode I-Fax built by buildIfaxMessage; a resend is recognised', () => {
  const base = {
    mode: 'full' as const,
    from: { address: 'sender@elsewhere.test' },
    to: ['fax@station.test'],
    date: new Date('2026-12-04T08:00:00Z'),
    tzOffsetMinutes: 0,
    messageId: '<full.1@elsewhere.test>',
    subject: 'Fax',
    text: '',
    document: { bytes: new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0]), contentType: 'image/tiff' as const, filename: 'fax.tif', pages: 1 },
    mdnTo: 'sender@elsewhere.test',
    random: new Uint8Array(16).fill(5),
  };
  const c = classifyMail(buildIfaxMessage({ ...base, contentFeatures: contentFeatures(profileS), alternatives: [contentFeatures(profileFSuperfine), contentFeatures(colour)], alternativeLifetime: 'permanent' }));
  if (c.kind !== 'fax') throw new Error(c.kind);
  const f = readNegotiationFields(c.summary.headers, c.tiffs[0].headers);
  expect(f.offer).toEqual({ lifetime: 'permanent', importance: 'optional' });
  expect(f.resendOf).toBeUndefined();
  expect(f.alternatives.map((a) => a.text)).toEqual([contentFeatures(profileFSuperfine), contentFeatures(colour)]);
  expect(qualityOf(f.contentFeatures!)).toMatchObject({ coding: 'MH', yDpi: 196 });
  expect(f.notes).toEqual([]);
  const resend = classifyMail(buildIfaxMessage({ ...base, messageId: '<full.2@elsewhere.test>', originalMessageId: '<full.1@elsewhere.test>' }));
  expect(readNegotiationFields(resend.summary.headers).resendOf).toBe('<full.1@elsewhere.test>');
  // An alternative that does not parse is skipped with a note, the others kept.
  const g = readNegotiationFields([{ name: 'Content-alternative', value: '(& (dpi=400) (=Binary))' }, { name: 'Content-alternative', value: contentFeatures(profileFSuperfine) }]);
  expect(g.alternatives).toHaveLength(1);
  expect(g.notes[0]).toMatch(/^Content-alternative 1 skipped: /);
});

test('isAlternativePreferred: RFC 8098 ";" and the "," of RFC 3297 §6.2 examples; other dispositions are not', () => {
  expect(isAlternativePreferred('automatic-action/MDN-sent-automatically; deleted/alternative-preferred')).toBe(true);
  expect(isAlternativePreferred('automatic-action/MDN-sent-automatically,\r\n   Deleted / Alternative-Preferred')).toBe(true);
  expect(isAlternativePreferred('automatic-action/MDN-sent-automatically; deleted')).toBe(false);
  expect(isAlternativePreferred('automatic-action/MDN-sent-automatically; deleted/original-lost')).toBe(false);
  expect(isAlternativePreferred('automatic-action/MDN-sent-automatically; processed')).toBe(false);
});

test('buildMdn with alternativePreferred: Python reads deleted/alternative-preferred, Original-Message-ID and Media-Accept-Features', () => {
  const caps = mediaAcceptFeatures({ compression: ['MH', 'MMR'], paperSizes: ['A4'], resolutions: null, maxResolution: 'superfine' });
  const raw = buildMdn({
    from: { address: 'fax@station.example' },
    to: 'sender@elsewhere.example',
    date: new Date('2026-12-04T10:00:00Z'),
    tzOffsetMinutes: 0,
    messageId: '<mdn.2@station.example>',
    reportingUa: 'station.example; ifax 0.1',
    finalRecipient: 'fax@station.example',
    originalMessageId: '<orig.43@elsewhere.example>',
    result: { alternativePreferred: '400x400 dpi, Binary, MMR rather than 204x196 dpi, Binary, MH' },
    mediaAcceptFeatures: caps,
    random: new Uint8Array(16).fill(8),
  });
  const code = `
import sys, json
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(sys.stdin.buffer.read())
dn = [p for p in m.iter_parts() if p.get_content_type() == 'message/disposition-notification'][0].get_payload()[0]
text = [p for p in m.iter_parts() if p.get_content_type() == 'text/plain'][0].get_content()
defects = [type(d).__name__ for p in m.walk() for d in p.defects]
print(json.dumps({'type': m.get_content_type(), 'disp': str(dn['Disposition']), 'omid': str(dn['Original-Message-ID']), 'maf': str(dn['Media-Accept-Features']), 'text': text, 'defects': defects}))`;
  const r = spawnSync('python3', ['-c', code], { input: raw });
  expect(r.stderr.toString()).toBe('');
  const py = JSON.parse(r.stdout.toString());
  expect(py).toMatchObject({ type: 'multipart/report', disp: 'automatic-action/MDN-sent-automatically; deleted/alternative-preferred', omid: '<orig.43@elsewhere.example>', defects: [] });
  expect(py.maf.replace(/\s+/g, ' ')).toBe(caps.replace(/\s+/g, ' '));
  expect(py.text).toMatch(/alternative form of it is requested: 400x400 dpi, Binary, MMR rather than 204x196 dpi, Binary, MH/);
  // Our own reader sees the same disposition.
  const back = classifyMail(raw);
  expect(back.kind === 'mdn' && isAlternativePreferred(back.mdn.disposition)).toBe(true);
});

test('RFC 3297 §8.1 initial message (corpus): the permanent offer, the folded Content-features and Content-alternative, and the alternative a MMR superfine station asks for', () => {
  const c = classifyMail(new Uint8Array(readFileSync('test/fixtures/mail/corpus/rfc3297-8.1-1-sender-initial.eml')));
  if (c.kind !== 'fax') throw new Error(`classified as ${c.kind}`);
  const f = readNegotiationFields(c.summary.headers, c.tiffs[0].headers);
  expect(f.offer).toEqual({ lifetime: 'permanent', importance: 'optional' });
  expect(qualityOf(f.contentFeatures!)).toEqual({ xDpi: 200, yDpi: 200, colour: 'Binary', coding: 'MH' });
  expect(f.alternatives.map((a) => qualityOf(a.expression))).toEqual([{ xDpi: 400, yDpi: 400, colour: 'Binary', coding: 'MMR' }]);
  const mmrSuperfine = describeReceiveCapabilities({ compression: ['MH', 'MMR'], paperSizes: ['A4'], maxResolution: 'superfine' });
  const mmrFine = describeReceiveCapabilities({ compression: ['MH', 'MMR'], paperSizes: ['A4'], maxResolution: 'fine' });
  expect(preferredAlternative(f.contentFeatures!, f.alternatives, mmrSuperfine)?.index).toBe(0);
  expect(preferredAlternative(f.contentFeatures!, f.alternatives, mmrFine)).toBeUndefined();
});
