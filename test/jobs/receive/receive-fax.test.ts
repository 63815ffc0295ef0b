import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import path from 'node:path';
import { receiveMail } from '../../../src/jobs/receive/receive.js';
import { buildIfaxMessage, createMessageId } from '../../../src/mime/index.js';
import { parseFeatureExpression } from '../../../src/mime/features/index.js';
import type { InboxMeta } from '../../../src/store/inbox.js';
import { captureServer, cleanTempDirs, harness, libtiffFax, pdfImagePages, pythonMail, run, splitPnm, stationConfig, tempDir, testPagePbm, tifftopnmPages } from './receive-helpers.js';

let server: Awaited<ReturnType<typeof captureServer>>;
beforeAll(async () => {
  server = await captureServer();
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

function writeMail(dir: string, bytes: Uint8Array, name = 'mail.eml'): string {
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

function meta(dir: string): InboxMeta {
  return JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as InboxMeta;
}

test('the Cisco on-ramp fax is stored: original, TIFF as received, a PDF whose image is the corpus reference, meta.json', async () => {
  const h = harness(server.port);
  const work = tempDir();
  const mailFile = writeMail(work, readFileSync('test/fixtures/mail/corpus/cisco-onramp-fax.eml'));
  const sentBefore = server.mails.length;
  const o = await receiveMail(mailFile, h.deps);
  expect(o).toMatchObject({ mdnSent: 0, partial: 0, other: 0, errors: [], exitCode: 0 });
  expect(o.received).toHaveLength(1);
  const r = o.received[0];
  expect(r).toMatchObject({ from: 'FAX=3412900100@as1.noc.telsi.net', subject: 'Cisco has received a fax message', messageId: '<91672011161641926@as1.noc.ud9.ru>', pages: 1 });
  const dir = path.join(h.stateDir, 'inbox', r.id);
  expect(readdirSync(dir).sort()).toEqual(['fax.pdf', 'fax.tif', 'meta.json', 'original.eml']);
  expect(readFileSync(path.join(dir, 'original.eml'))).toEqual(readFileSync(mailFile));
  expect(readFileSync(path.join(dir, 'fax.tif'))).toEqual(readFileSync('test/fixtures/corpus/cisco/Cisco_fax.tif'));
  const m = meta(dir);
  expect(m.pages).toEqual([
    expect.objectContaining({ page: 1, width: 1728, height: 2270, xRes: 204, yRes: 196, resolution: 'fine', compression: 'MH' }),
  ]);
  expect(typeof m.pages[0].damagedRows).toBe('number');
  expect(m.from).toEqual({ address: 'FAX=3412900100@as1.noc.telsi.net' });
  expect(m.warnings.join('\n')).toMatch(/2 Content-Type fields; the first is used/);
  // poppler reads the PDF's image, and it is libtiff's decode of the corpus TIFF.
  const reference = splitPnm(brotliDecompressSync(readFileSync('test/fixtures/corpus/expected/cisco/Cisco_fax.tif.p000.pbm.br')))[0];
  const [image] = pdfImagePages(path.join(dir, 'fax.pdf'), work);
  expect(image.equals(reference)).toBe(true);
  expect(server.mails.length).toBe(sentBefore); // no MDN was asked for
  expect(existsSync(path.join(h.stateDir, 'other'))).toBe(false);
  h.close();
});

describe('mails written by Python with TIFFs written by libtiff: the stored pages are the source pixels', () => {
  const variants: Array<[string, string[]]> = [
    ['MH (tiffcp -c g3)', ['-c', 'g3']],
    ['MR (g3:2d)', ['-c', 'g3:2d']],
    ['MMR (g4)', ['-c', 'g4']],
    ['FillOrder 2', ['-c', 'g3', '-f', 'lsb2msb']],
    ['multi-strip', ['-c', 'g4', '-r', '37']],
    ['big-endian', ['-c', 'g3:2d', '-B']],
  ];
  test.each(variants)('%s', async (_label, args) => {
    const h = harness(server.port);
    const work = tempDir();
    const tif = libtiffFax(work, 'page', testPagePbm(1728, 300, args.length), args);
    const mail = pythonMail(work, { from: 'Sender <s@elsewhere.test>', to: 'fax@station.test', subject: 'libtiff fax', message_id: '<py.1@elsewhere.test>', tiffs: [{ path: tif, name: 'scan.tif' }] });
    const o = await receiveMail(writeMail(work, mail), h.deps);
    expect(o.received).toHaveLength(1);
    const dir = path.join(h.stateDir, 'inbox', o.received[0].id);
    const source = tifftopnmPages(tif);
    expect(readFileSync(path.join(dir, 'fax.tif'))).toEqual(readFileSync(tif));
    const pdfPages = pdfImagePages(path.join(dir, 'fax.pdf'), work);
    expect(pdfPages).toHaveLength(1);
    expect(pdfPages[0].equals(source[0])).toBe(true);
    const m = meta(dir);
    expect(m.pages[0]).toMatchObject({ damagedRows: 0, missingRows: 0, width: 1728, height: 300, resolution: 'fine' });
    expect(m.note).toBe('Fax attached.');
    h.close();
  });

  test('two TIFFs in multipart/fax-message make one document of three pages, in order', async () => {
    const h = harness(server.port);
    const work = tempDir();
    const a = libtiffFax(work, 'a', testPagePbm(1728, 200, 1), ['-c', 'g4']);
    const b1 = libtiffFax(work, 'b1', testPagePbm(1728, 200, 2), ['-c', 'g3']);
    const b2 = libtiffFax(work, 'b2', testPagePbm(1728, 200, 3), ['-c', 'g3']);
    const b = path.join(work, 'b.tif');
    run('tiffcp', [b1, b2, b]);
    const mail = pythonMail(work, { from: 's@elsewhere.test', to: 'fax@station.test', subject: 'two files', message_id: '<py.2@elsewhere.test>', container: 'fax-message', tiffs: [{ path: a, name: 'a.tif' }, { path: b, name: 'b.TIFF', ctype: 'application/octet-stream' }] });
    const o = await receiveMail(writeMail(work, mail), h.deps);
    expect(o.received[0].pages).toBe(3);
    const dir = path.join(h.stateDir, 'inbox', o.received[0].id);
    const m = meta(dir);
    expect(m.tiffs.map((t) => [t.file, t.name])).toEqual([
      ['fax-1.tif', 'a.tif'],
      ['fax-2.tif', 'b.TIFF'],
    ]);
    expect(m.pages.map((p) => [p.file, p.filePage, p.compression])).toEqual([
      ['fax-1.tif', 1, 'MMR'],
      ['fax-2.tif', 1, 'MH'],
      ['fax-2.tif', 2, 'MH'],
    ]);
    const expected = [...tifftopnmPages(a), ...tifftopnmPages(b)];
    const got = pdfImagePages(path.join(dir, 'fax.pdf'), work);
    expect(got.map((g, i) => g.equals(expected[i]))).toEqual([true, true, true]);
    h.close();
  });
});

test('our own I-Fax asking for an MDN is stored, and answered over SMTP with <> and Media-Accept-Features', async () => {
  const h = harness(server.port);
  const work = tempDir();
  const tif = libtiffFax(work, 'own', testPagePbm(1728, 200, 4), ['-c', 'g3']);
  const messageId = createMessageId({ domain: 'elsewhere.test', random: new Uint8Array(16).fill(3), time: new Date('2026-12-04T08:00:00Z') });
  const built = buildIfaxMessage({
    mode: 'extended',
    from: { name: 'Sender', address: 'sender@elsewhere.test' },
    to: ['fax@station.test'],
    date: new Date('2026-12-04T08:00:00Z'),
    tzOffsetMinutes: 60,
    messageId,
    subject: 'Fax from Sender (1 page)',
    text: 'One page.',
    document: { bytes: new Uint8Array(readFileSync(tif)), contentType: 'image/tiff', filename: 'fax.tif', pages: 1 },
    mdnTo: 'sender@elsewhere.test',
    random: new Uint8Array(16).fill(9),
  });
  // The MTA's delivery adds Return-Path (the envelope sender): equal to the MDN address.
  const mail = Buffer.concat([Buffer.from('Return-Path: <sender@elsewhere.test>\r\n'), Buffer.from(built)]);
  const before = server.mails.length;
  const o = await receiveMail(writeMail(work, mail), h.deps);
  expect(o).toMatchObject({ mdnSent: 1, exitCode: 0, errors: [] });
  expect(o.received[0]).toMatchObject({ from: 'sender@elsewhere.test', subject: 'Fax from Sender (1 page)', messageId, pages: 1 });
  const m = meta(path.join(h.stateDir, 'inbox', o.received[0].id));
  expect(m).toMatchObject({ messageId, subject: 'Fax from Sender (1 page)', note: 'One page.', date: 'Fri, 04 Dec 2026 09:00:00 +0100' });
  expect(server.mails.length).toBe(before + 1);
  const mdn = server.mails[server.mails.length - 1];
  expect(mdn.from).toBe('');
  expect(mdn.to).toEqual(['sender@elsewhere.test']);
  const py = JSON.parse(
    run(
      'python3',
      [
        '-c',
        `import sys, json
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(sys.stdin.buffer.read())
dn = [p for p in m.iter_parts() if p.get_content_type() == 'message/disposition-notification'][0].get_payload()[0]
print(json.dumps({'type': m.get_content_type(), 'omid': dn['Original-Message-ID'], 'disp': dn['Disposition'], 'maf': dn['Media-Accept-Features'], 'fr': dn['Final-Recipient']}))`,
      ],
      mdn.raw,
    ).toString(),
  );
  expect(py.type).toBe('multipart/report');
  expect(py.omid).toBe(messageId);
  expect(py.disp).toBe('automatic-action/MDN-sent-automatically; processed');
  expect(py.fr).toBe('rfc822;fax@station.test');
  expect(() => parseFeatureExpression(String(py.maf))).not.toThrow();
  expect(String(py.maf)).toMatch(/image-coding=\[MH,MR,MMR\]/);
  h.close();
});

test('no MDN when none is asked for, when DNT differs from Return-Path (logged), or with mdnResponse off', async () => {
  const work = tempDir();
  const tif = libtiffFax(work, 'p', testPagePbm(1728, 100, 5), ['-c', 'g4']);
  const base = { from: 's@elsewhere.test', to: 'fax@station.test', subject: 'x', tiffs: [{ path: tif, name: 'p.tif' }] };
  const before = server.mails.length;

  const h1 = harness(server.port);
  const forged = await receiveMail(writeMail(work, pythonMail(work, { ...base, message_id: '<a@x.test>', return_path: 'bounce@elsewhere.test', dnt: 'victim@third.test' }), 'a.eml'), h1.deps);
  expect(forged).toMatchObject({ mdnSent: 0, exitCode: 0 });
  expect(forged.received).toHaveLength(1);
  expect(h1.warnings.join('\n')).toMatch(/differs from Return-Path .*RFC 8098 §2\.1/);
  h1.close();

  const h2 = harness(server.port, stationConfig((c) => (c.ifaxAdvanced.mdnResponse = false)));
  const off = await receiveMail(writeMail(work, pythonMail(work, { ...base, message_id: '<b@x.test>', return_path: 's@elsewhere.test', dnt: 's@elsewhere.test' }), 'b.eml'), h2.deps);
  expect(off.mdnSent).toBe(0);
  h2.close();

  const h3 = harness(server.port);
  const none = await receiveMail(writeMail(work, pythonMail(work, { ...base, message_id: '<c@x.test>', return_path: 's@elsewhere.test' }), 'c.eml'), h3.deps);
  expect(none.mdnSent).toBe(0);
  h3.close();
  expect(server.mails.length).toBe(before);
});

test('a fax whose TIFF cannot be read is kept in other/, exit 65, and answered processed/error with the reason', async () => {
  const h = harness(server.port);
  const work = tempDir();
  // RFC 3297 §8.1's sender mail: its "TIFF" is the RFC's placeholder text. Delivered with a matching Return-Path.
  const mail = Buffer.concat([Buffer.from('Return-Path: <Jane_Sender@example.com>\r\n'), readFileSync('test/fixtures/mail/corpus/rfc3297-8.1-3-sender-resend-enhanced.eml')]);
  const before = server.mails.length;
  const o = await receiveMail(writeMail(work, mail), h.deps);
  expect(o).toMatchObject({ received: [], other: 1, mdnSent: 1, exitCode: 65 });
  expect(o.errors[0]).toMatchObject({ messageId: '<199509200021.12345@example.com>' });
  expect(existsSync(path.join(h.stateDir, 'inbox')) ? readdirSync(path.join(h.stateDir, 'inbox')).filter((n) => !n.startsWith('.')) : []).toEqual([]);
  const [kept] = readdirSync(path.join(h.stateDir, 'other'));
  const note = JSON.parse(readFileSync(path.join(h.stateDir, 'other', kept, 'note.json'), 'utf8'));
  expect(note).toMatchObject({ kind: 'fax', messageId: '<199509200021.12345@example.com>', from: 'Jane_Sender@example.com' });
  expect(readFileSync(path.join(h.stateDir, 'other', kept, 'original.eml'))).toEqual(mail);
  expect(server.mails.length).toBe(before + 1);
  const text = server.mails[server.mails.length - 1].raw.toString('latin1');
  expect(text).toMatch(/Disposition: automatic-action\/MDN-sent-automatically; processed\/error/);
  expect(text).toMatch(/^Error: .+/m);
  h.close();
});

test('--out copies: pdf, tiff and png', async () => {
  const h = harness(server.port);
  const work = tempDir();
  const tif = libtiffFax(work, 'o', testPagePbm(1728, 120, 6), ['-c', 'g4']);
  for (const format of ['pdf', 'tiff', 'png'] as const) {
    const mail = writeMail(work, pythonMail(work, { from: 's@elsewhere.test', to: 'fax@station.test', subject: 'copies', message_id: `<o.${format}@x.test>`, tiffs: [{ path: tif, name: 'o.tif' }] }), `${format}.eml`);
    const outDir = tempDir();
    const o = await receiveMail(mail, { ...h.deps, out: { dir: outDir, format } });
    const id = o.received[0].id;
    const ext = format === 'tiff' ? `${id}.tif` : format === 'pdf' ? `${id}.pdf` : `${id}-1.png`;
    expect(readdirSync(outDir)).toEqual([ext]);
    expect(o.received[0].files).toContain(path.join(outDir, ext));
    if (format === 'tiff') expect(readFileSync(path.join(outDir, ext))).toEqual(readFileSync(tif));
  }
  h.close();
});

test('a TIFF with a damaged row is stored, not refused: the damage is in meta.json and warned, as convert --info counts it', async () => {
  const { fixture } = await import('../../image/oracles.js');
  const { describeFile } = await import('../../../src/jobs/convert-info.js');
  const h = harness(server.port);
  const work = tempDir();
  const tif = fixture('g3aoe.tif');
  const mail = pythonMail(work, { from: 's@elsewhere.test', to: 'fax@station.test', subject: 'damaged', message_id: '<dmg@x.test>', tiffs: [{ path: tif, name: 'g3aoe.tif' }] });
  const o = await receiveMail(writeMail(work, mail), h.deps);
  expect(o).toMatchObject({ exitCode: 0, other: 0 });
  const m = meta(path.join(h.stateDir, 'inbox', o.received[0].id));
  const info = await describeFile(tif, 'g3aoe.tif');
  expect(m.pages.map((p) => p.damagedRows)).toEqual(info.pages.map((p) => p.damagedRows));
  expect(m.pages[0].damagedRows).toBeGreaterThanOrEqual(1);
  expect(h.warnings.join('\n')).toMatch(/page 1: \d+ damaged row/);
  h.close();
});
