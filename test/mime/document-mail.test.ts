/**
 * Mails for people (`send --as-email`: text and a PDF attachment) and for the URL modes
 * (text with link, size, SHA-256; no attachment), as Python's email package reads them.
 */

import { PDFDocument } from 'pdf-lib';
import { buildDocumentMail, buildUrlMail, type UrlMailInput } from '../../src/mime/document-mail.js';
import { crlfLines, seededBytes, sha256 } from './fixtures.js';
import { allDefects, header, pythonParse } from './oracle.js';

const DATE = new Date(Date.UTC(2026, 11, 4, 22, 27, 20));
const basics = {
  from: { name: 'Scanner 3. OG', address: 'fax1@ifax.test' },
  to: [{ name: 'Jürgen Weiß', address: 'juergen@example.com' }],
  date: DATE,
  tzOffsetMinutes: 60,
  messageId: '<doc.1@ifax.test>',
  subject: 'Gescanntes Dokument (2 Seiten)',
};

let pdf: Uint8Array;
beforeAll(async () => {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.addPage([595, 842]);
  pdf = await doc.save();
});

describe('buildDocumentMail', () => {
  it('is text/plain plus the PDF as an application/pdf attachment, byte-identical, no defect', () => {
    const m = buildDocumentMail({ ...basics, text: 'Anbei das gescannte Dokument.', document: { bytes: pdf, filename: 'Scan Müller.pdf' }, random: seededBytes(5, 16) });
    const p = pythonParse(m);
    expect(allDefects(p)).toEqual([]);
    const leaves = p.parts.filter((x) => !x.content_type.startsWith('multipart/'));
    expect(p.parts[0].content_type).toBe('multipart/mixed');
    expect(leaves.map((x) => x.content_type)).toEqual(['text/plain', 'application/pdf']);
    expect(leaves[1]).toMatchObject({ cte: 'base64', disposition: 'attachment', filename: 'Scan Müller.pdf', payload_sha256: sha256(pdf) });
    expect(p.addresses['To']).toEqual([['Jürgen Weiß', 'juergen@example.com']]);
    expect(header(p, 'Subject')).toBe(basics.subject);
    expect(header(p, 'Disposition-Notification-To')).toBeUndefined();
    expect(p.raw).toMatchObject({ bare_lf: 0, bare_cr: 0 });
    expect(p.raw!.max_line).toBeLessThanOrEqual(76);
  });

  it('refuses a document that is not a PDF', () => {
    expect(() => buildDocumentMail({ ...basics, text: '', document: { bytes: new Uint8Array(10), filename: 'x.pdf' }, random: seededBytes(5, 16) })).toThrow(/not a PDF/);
  });
});

describe('buildUrlMail', () => {
  const url = `https://files.example.com/ifax/download/${'a1b2c3d4'.repeat(10)}/jahresabschluss-2026.tif`;
  const digest = sha256(seededBytes(3, 100));
  const input = (over: Partial<UrlMailInput> = {}): UrlMailInput => ({ ...basics, text: 'The fax is too large to mail. Download it here:', url, size: 5242880, sha256: digest, filename: 'jahresabschluss.tif', ...over });

  it('is one text/plain part with link, size and SHA-256, 7bit, the URL on one line', () => {
    const m = buildUrlMail(input());
    const p = pythonParse(m);
    expect(allDefects(p)).toEqual([]);
    expect(p.parts).toHaveLength(1);
    expect(p.parts[0]).toMatchObject({ content_type: 'text/plain', charset: 'us-ascii', cte: '7bit' });
    const text = p.parts[0].text!;
    expect(text.split('\r\n')).toContain(url);
    expect(text).toContain('Size: 5242880 bytes');
    expect(text).toContain(`SHA-256: ${digest}`);
    expect(text).toContain('Document: jahresabschluss.tif');
    // Only the URL's own line may pass 76.
    expect(crlfLines(m).filter((l) => l.length > 76)).toEqual([url]);
  });

  it('goes base64 in the right charset when the text is not ASCII, the URL still intact', () => {
    const p = pythonParse(buildUrlMail(input({ text: 'Das Fax ist zu groß für eine Mail.' })));
    expect(p.parts[0]).toMatchObject({ charset: 'iso-8859-1', cte: 'base64' });
    expect(p.parts[0].text).toContain(url);
    expect(p.raw!.max_line).toBeLessThanOrEqual(76);
  });

  it('can ask for an MDN', () => {
    expect(pythonParse(buildUrlMail(input({ mdnTo: 'fax1@ifax.test' }))).addresses['Disposition-Notification-To']).toEqual([['', 'fax1@ifax.test']]);
  });

  it.each([
    ['ftp://example.com/x.tif', /not an http\(s\) URL/],
    ['https://example.com/a b.tif', /not an http\(s\) URL/],
    ['https://example.com/x\r\nBcc: y', /not an http\(s\) URL/],
    ['not a url', /not an http\(s\) URL/],
  ])('refuses the URL %j', (bad, pattern) => {
    expect(() => buildUrlMail(input({ url: bad }))).toThrow(pattern);
  });

  it('refuses a malformed SHA-256 or size', () => {
    expect(() => buildUrlMail(input({ sha256: 'abc' }))).toThrow(/64 hex digits/);
    expect(() => buildUrlMail(input({ size: -1 }))).toThrow(/byte count/);
  });
});
