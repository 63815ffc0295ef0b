import { IfaxError } from '../../../src/errors.js';
import { MAX_MAIL_HEADER_BYTES, MAX_MIME_DEPTH, MAX_MIME_PARTS } from '../../../src/limits.js';
import { classifyMail, decodeBase64, decodeEncodedWords, decodeQuotedPrintable, leafParts, parseAddressList, parseMime, parseParamValue } from '../../../src/mime/parse/index.js';
import { pythonParse } from '../oracle.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('transfer encodings', () => {
  test('base64 ignores line breaks and stray characters, and takes a last group without padding', () => {
    expect(text(decodeBase64(enc('SGVs\r\nbG8g d29y\tbGQ=')))).toBe('Hello world');
    expect(text(decodeBase64(enc('SGVsbG8gd29ybGQ')))).toBe('Hello world');
    expect(text(decodeBase64(enc('SGk')))).toBe('Hi');
    expect(text(decodeBase64(enc('SGk=\r\nIGlnbm9yZWQ=')))).toBe('Hi');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBase64(enc(Buffer.from(all).toString('base64').replace(/(.{76})/g, '$1\r\n')))).toEqual(all);
  });

  test('quoted-printable: escapes, soft breaks (CRLF and LF), trailing white space dropped, bad escapes kept', () => {
    expect(text(decodeQuotedPrintable(enc('Gr=C3=BC=c3=9fe =\r\nan alle=\nwelt  \r\nnext =ZZ end=')))).toBe('Grüße an allewelt\r\nnext =ZZ end');
  });
});

describe('header values', () => {
  test('RFC 2047 words: B and Q, adjacent words joined (a character split across words too), other text kept', () => {
    expect(decodeEncodedWords('=?utf-8?Q?Gr=C3=BC=C3=9Fe?= =?utf-8?B?IGF1cyBLw7Zsbg==?= from =?iso-8859-1?q?M=FCnchen?=')).toBe('Grüße aus Köln from München');
    // "€" (E2 82 AC) split over two words, as Outlook does.
    expect(decodeEncodedWords('=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=')).toBe('€');
    expect(decodeEncodedWords('=?utf-8*de?Q?a_b?=')).toBe('a b');
    expect(decodeEncodedWords('not =?encoded')).toBe('not =?encoded');
  });

  test('RFC 2231 continuations and charsets; comments; a first parameter wins over a repeated one', () => {
    const p = parseParamValue("attachment; filename*0*=utf-8''%C3%BCber; filename*1=\" die Br\"; filename*2*=%C3%BCcke.tif (comment); size=12");
    expect(p.value).toBe('attachment');
    expect(p.params.get('filename')).toBe('über die Brücke.tif');
    expect(p.params.get('size')).toBe('12');
    const q = parseParamValue('Image/TIFF ; name="=?utf-8?Q?F=C3=A4x.tif?="; application=faxbw; name=other');
    expect(q.value).toBe('image/tiff');
    expect(q.params.get('name')).toBe('Fäx.tif');
    expect(q.params.get('application')).toBe('faxbw');
  });

  test('address lists as gateways write them', () => {
    expect(parseAddressList('"" <FAX=3412900100@as1.noc.telsi.net>')).toEqual([{ address: 'FAX=3412900100@as1.noc.telsi.net' }]);
    expect(parseAddressList('=?utf-8?Q?J=C3=BCrgen?= <j@x.example>, plain@y.example (Plain Name), undisclosed-recipients:;')).toEqual([
      { name: 'Jürgen', address: 'j@x.example' },
      { name: 'Plain Name', address: 'plain@y.example' },
    ]);
    expect(parseAddressList('"Doe, Jane" <jane@z.example>')).toEqual([{ name: 'Doe, Jane', address: 'jane@z.example' }]);
  });
});

function tiffBytes(): Uint8Array {
  // The smallest TIFF header: enough for classification (magic), not for decoding.
  return Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 0, 0]);
}

describe('structure', () => {
  test('an unknown multipart subtype is read as mixed; TIFFs found by type, by name and by magic; the text part is the note', () => {
    const b64 = Buffer.from(tiffBytes()).toString('base64');
    const mail = enc(
      [
        'From: a@b.example',
        'To: fax@c.example',
        'Subject: =?utf-8?q?Fax_f=C3=BCr_dich?=',
        'MIME-Version: 1.0',
        'Content-Type: multipart/x-vendor-fax; boundary="outer"',
        '',
        'preamble',
        '--outer',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Bitte faxen: Gr=FC=DFe',
        '--outer',
        'Content-Type: multipart/alternative; boundary=inner',
        '',
        '--inner',
        'Content-Type: application/octet-stream',
        'Content-Transfer-Encoding: base64',
        '',
        b64,
        '--inner',
        'Content-Type: application/binary',
        'Content-Disposition: attachment; filename="PAGE2.TFX"',
        'Content-Transfer-Encoding: base64',
        '',
        b64,
        '--inner--',
        '--outer',
        'Content-Type: image/tiff-fx',
        'Content-Transfer-Encoding: base64',
        '',
        b64,
        '--outer',
        'Content-Type: application/octet-stream; name="readme.bin"',
        '',
        'not a tiff',
        '--outer--',
        'epilogue',
        '',
      ].join('\r\n'),
    );
    const c = classifyMail(mail);
    expect(c.kind).toBe('fax');
    if (c.kind !== 'fax') return;
    expect(c.tiffs.map((t) => [t.path, t.contentType, t.name])).toEqual([
      ['2.1', 'application/octet-stream', 'fax-1.tif'],
      ['2.2', 'application/binary', 'PAGE2.TFX'],
      ['3', 'image/tiff-fx', 'fax-3.tif'],
    ]);
    for (const t of c.tiffs) expect(t.bytes).toEqual(tiffBytes());
    expect(c.note).toBe('Bitte faxen: Grüße');
    expect(c.summary.subject).toBe('Fax für dich');
    // Python reads the same leaves with the same payloads.
    const py = pythonParse(mail);
    const ours = leafParts(parseMime(mail));
    const pyLeaves = py.parts.filter((p) => !p.content_type.startsWith('multipart/'));
    expect(ours.map((p) => p.body.length)).toEqual(pyLeaves.map((p) => p.payload_len));
  });

  test('LF-only line ends, a missing close delimiter and a missing header/body separator are read', () => {
    const mail = enc('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/tiff\nContent-Transfer-Encoding: base64\n\n' + Buffer.from(tiffBytes()).toString('base64') + '\n--b\n[placeholder line]\n');
    const root = parseMime(mail);
    expect(root.children).toHaveLength(2);
    expect(root.children[0].body).toEqual(tiffBytes());
    expect(root.defects.join()).toMatch(/no close delimiter/);
    expect(text(root.children[1].body)).toBe('[placeholder line]\n');
  });

  test('limits: nesting depth, part count and header size are refused with LIMIT_EXCEEDED naming the limit', () => {
    let deep = 'x';
    for (let i = 0; i <= MAX_MIME_DEPTH; i++) deep = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${deep}\r\n--b${i}--\r\n`;
    expect(() => parseMime(enc(deep))).toThrow(/MAX_MIME_DEPTH/);
    const many = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n' + '--b\r\n\r\nx\r\n'.repeat(MAX_MIME_PARTS + 1) + '--b--\r\n';
    expect(() => parseMime(enc(many))).toThrow(/MAX_MIME_PARTS/);
    const big = `Subject: ${'a'.repeat(MAX_MAIL_HEADER_BYTES + 10)}\r\n\r\nbody`;
    try {
      parseMime(enc(big));
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(IfaxError);
      expect((err as IfaxError).code).toBe('LIMIT_EXCEEDED');
      expect((err as IfaxError).message).toMatch(/MAX_MAIL_HEADER_BYTES/);
    }
  });

  test('a plain text mail and a mail with only a PDF are "other", naming their parts', () => {
    const plain = classifyMail(enc('From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n'));
    expect(plain.kind).toBe('other');
    if (plain.kind === 'other') expect(plain.reason).toMatch(/text\/plain/);
    const pdf = classifyMail(enc('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\n%PDF-1.4\r\n--x--\r\n'));
    expect(pdf.kind).toBe('other');
  });

  test('message/partial: id, number and total', () => {
    const c = classifyMail(enc('From: a@b.example\r\nContent-Type: message/partial; id="abc@x"; number=2; total=3\r\n\r\nbody\r\n'));
    expect(c).toMatchObject({ kind: 'partial', partial: { id: 'abc@x', number: 2, total: 3 } });
    expect(classifyMail(enc('Content-Type: message/partial; number=2\r\n\r\nx')).kind).toBe('other');
  });

  test('a DSN with a gateway\'s free-text Action and X-Accept-Features, and several recipient groups', () => {
    const mail = enc(
      [
        'From: MAILER-DAEMON@gw.example',
        'Content-Type: multipart/report; report-type=delivery-status; boundary=r',
        '',
        '--r',
        'Content-Type: text/plain',
        '',
        'Your fax failed.',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; gw.example',
        'Original-Envelope-Id: ifax.abc+2Bdef',
        '',
        'Final-Recipient: rfc822; FAX=123@gw.example',
        'Action: failed with cause code - call rejected (21)',
        'Status: 5.3.0',
        'X-Accept-Features: (& (image-coding=MH)',
        '  (paper-size=A4))',
        '',
        'Final-Recipient: rfc822;other@gw.example',
        'Action: delivered',
        'Status: 2.0.0',
        '--r',
        'Content-Type: text/rfc822-headers',
        '',
        'Message-ID: <orig@us.example>',
        'Subject: fax',
        '--r--',
      ].join('\r\n'),
    );
    const c = classifyMail(mail);
    expect(c.kind).toBe('dsn');
    if (c.kind !== 'dsn') return;
    expect(c.dsn.originalEnvelopeId).toBe('ifax.abc+2Bdef');
    expect(c.returnedMessageId).toBe('<orig@us.example>');
    expect(c.dsn.recipients.map((r) => [r.finalRecipientAddress, r.action, r.status])).toEqual([
      ['FAX=123@gw.example', 'failed', '5.3.0'],
      ['other@gw.example', 'delivered', '2.0.0'],
    ]);
    expect(c.dsn.recipients[0].actionText).toBe('failed with cause code - call rejected (21)');
    expect(c.dsn.recipients[0].acceptFeatures).toBe('(& (image-coding=MH)  (paper-size=A4))');
  });
});

describe('robustness', () => {
  test('mutated corpus mails are classified or refused with an IfaxError, never anything else (bounded: 300 cases)', async () => {
    const { readFileSync } = await import('node:fs');
    const { prng } = await import('../../helpers/prng.js');
    const sources = ['cisco-onramp-fax.eml', 'rfc3249-4.4.3.2-dsn-failure.eml', 'rfc3297-8.1-2-receiver-mdn-alternative-preferred.eml'].map((n) => new Uint8Array(readFileSync(`test/fixtures/mail/corpus/${n}`)));
    const rnd = prng(2533);
    const kinds = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const src = sources[i % sources.length];
      const m = src.slice(0, Math.max(1, Math.floor(src.length * (0.2 + 0.8 * rnd()))));
      for (let k = 0; k < 1 + Math.floor(rnd() * 20); k++) m[Math.floor(rnd() * m.length)] = [10, 13, 45, 58, 59, 61, 34, 0, 255][Math.floor(rnd() * 9)];
      try {
        kinds.add(classifyMail(m).kind);
      } catch (err) {
        expect(err).toBeInstanceOf(IfaxError);
      }
    }
    expect(kinds.size).toBeGreaterThan(1);
  });
});
