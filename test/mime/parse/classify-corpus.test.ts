import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { classifyMail } from '../../../src/mime/parse/index.js';
import { pythonParse } from '../oracle.js';

const dir = 'test/fixtures/mail/corpus';
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(`${dir}/${name}`));
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('corpus mails are classified as what they are', () => {
  test('the Cisco on-ramp fax (multipart/fax-message, Content-Type twice) is a fax whose TIFF is the corpus TIFF byte for byte', () => {
    const mail = read('cisco-onramp-fax.eml');
    const c = classifyMail(mail);
    expect(c.kind).toBe('fax');
    if (c.kind !== 'fax') return;
    expect(c.tiffs).toHaveLength(1);
    expect(c.tiffs[0].name).toBe('Cisco_fax.tif');
    expect(c.tiffs[0].contentType).toBe('image/tiff');
    expect(c.tiffs[0].bytes.length).toBe(22917);
    expect(sha(c.tiffs[0].bytes)).toBe(sha(new Uint8Array(readFileSync('test/fixtures/corpus/cisco/Cisco_fax.tif'))));
    expect(c.defects.some((d) => /2 Content-Type fields; the first is used/.test(d))).toBe(true);
    expect(c.summary.from).toEqual({ address: 'FAX=3412900100@as1.noc.telsi.net' });
    expect(c.summary.to).toEqual([{ name: 'fax', address: 'fax@ud9.ru' }]);
    expect(c.summary.subject).toBe('Cisco has received a fax message');
    expect(c.summary.messageId).toBe('<91672011161641926@as1.noc.ud9.ru>');
    expect(c.summary.returnPath).toBe('FAX=3412900100@as1.noc.telsi.net');
    // Python's email reads the same payload out of the same part.
    const py = pythonParse(mail);
    const part = py.parts.find((p) => p.content_type === 'image/tiff')!;
    expect(part.payload_sha256).toBe(sha(c.tiffs[0].bytes));
  });

  test('RFC 3249 §4.4.3.1 and §4.4.3.2 DSNs: Original-Envelope-Id, Final-Recipient, Action, Status, Diagnostic-Code', () => {
    const ok = classifyMail(read('rfc3249-4.4.3.1-dsn-success.eml'));
    const bad = classifyMail(read('rfc3249-4.4.3.2-dsn-failure.eml'));
    expect(ok.kind).toBe('dsn');
    expect(bad.kind).toBe('dsn');
    if (bad.kind !== 'dsn' || ok.kind !== 'dsn') return;
    expect(bad.dsn.originalEnvelopeId).toBe('MM123456');
    expect(bad.dsn.reportingMta).toBe('dns; example.net');
    expect(bad.dsn.recipients).toHaveLength(1);
    const r = bad.dsn.recipients[0];
    expect(r.finalRecipientAddress).toBe('ifax@example.net');
    expect(r.action).toBe('failed');
    expect(r.actionText).toBe('Failed');
    expect(r.status).toBe('5.6.1 (Media not supported)');
    expect(r.diagnosticCode).toBe('smtp; 554 5.6.1 Decode error');
    expect(ok.dsn.recipients[0].action).toMatch(/^(delivered|relayed)$/);
    expect(ok.dsn.originalEnvelopeId).toBeDefined();
  });

  test('RFC 3249 §4.4.4.1 / §4.4.4.2 MDNs: Original-Message-ID and the folded Disposition', () => {
    const ok = classifyMail(read('rfc3249-4.4.4.1-mdn-success.eml'));
    const bad = classifyMail(read('rfc3249-4.4.4.2-mdn-failure.eml'));
    expect(ok.kind).toBe('mdn');
    expect(bad.kind).toBe('mdn');
    if (bad.kind !== 'mdn' || ok.kind !== 'mdn') return;
    expect(bad.mdn.originalMessageId).toBe('<199912141823123.mary@example.net>');
    expect(bad.mdn.reportingUa).toBe('ken-ifax.example.com; barmail 1999.10');
    expect(bad.mdn.finalRecipientAddress).toBe('ken_recipient@example.com');
    expect(bad.mdn.originalRecipient).toBe('rfc822;ken_recipient@example.com');
    expect(bad.mdn.disposition).toBe('automatic-action/MDN-sent-automatically;  processed/error');
    expect(bad.mdn.dispositionType).toBe('processed');
    expect(bad.mdn.modifier).toBe('error');
    expect(ok.mdn.dispositionType).toBe('dispatched'); // RFC 3249 §4.4.4.1: printed
    expect(ok.mdn.modifier).toBeUndefined();
  });

  test('RFC 3297 §8.1 MDNs carry their multi-line Media-Accept-Features unfolded', () => {
    const alt = classifyMail(read('rfc3297-8.1-2-receiver-mdn-alternative-preferred.eml'));
    const done = classifyMail(read('rfc3297-8.1-4-receiver-mdn-processed.eml'));
    expect(alt.kind).toBe('mdn');
    expect(done.kind).toBe('mdn');
    if (alt.kind !== 'mdn' || done.kind !== 'mdn') return;
    expect(alt.mdn.dispositionType).toBe('deleted');
    expect(alt.mdn.modifier).toBe('alternative-preferred');
    expect(alt.mdn.originalMessageId).toBe('<199509200019.12345@example.com>');
    expect(alt.mdn.mediaAcceptFeatures).toMatch(/^\(& \(type="image\/tiff"\)\s+\(color=Binary\).*\(ua-media=stationery\) \)$/);
    expect(alt.mdn.mediaAcceptFeatures).not.toMatch(/[\r\n]/);
    expect(done.mdn.dispositionType).toBe('processed');
    expect(done.mdn.originalMessageId).toBe('<199509200021.12345@example.com>');
  });

  test('RFC 3297 §8.1 sender mails are faxes asking for an MDN (their TIFF is an RFC placeholder)', () => {
    for (const name of ['rfc3297-8.1-1-sender-initial.eml', 'rfc3297-8.1-3-sender-resend-enhanced.eml']) {
      const c = classifyMail(read(name));
      expect(c.kind).toBe('fax');
      expect(c.summary.dispositionNotificationTo).toEqual([{ address: 'Jane_Sender@example.com' }]);
      expect(c.summary.from).toEqual({ name: 'Jane Sender', address: 'Jane_Sender@example.com' });
    }
  });
});
