import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IfaxError } from '../../../src/errors.js';
import { receiveMail } from '../../../src/jobs/receive/receive.js';
import { splitMessage } from '../../../src/mime/index.js';
import { captureServer, cleanTempDirs, harness, libtiffFax, pythonMail, tempDir, testPagePbm } from './receive-helpers.js';

let server: Awaited<ReturnType<typeof captureServer>>;
beforeAll(async () => {
  server = await captureServer();
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

/** A fax mail (Python-built, 7bit base64) asking for an MDN, split into message/partial fragments by our splitter. */
function fragmentsOfFax(): { whole: Uint8Array; fragments: Uint8Array[] } {
  const work = tempDir();
  const tif = libtiffFax(work, 'big', testPagePbm(1728, 2000, 7), ['-c', 'none']);
  const whole = pythonMail(work, { from: 's@elsewhere.test', to: 'fax@station.test', subject: 'split fax', message_id: '<split.1@elsewhere.test>', return_path: 's@elsewhere.test', dnt: 's@elsewhere.test', tiffs: [{ path: tif, name: 'big.tif' }] });
  const crlf = new Uint8Array(Buffer.from(Buffer.from(whole).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));
  const fragments = splitMessage(crlf, { splitBytes: 160 * 1024, random: new Uint8Array(16).fill(5), domain: 'elsewhere.test', time: new Date('2026-12-04T08:00:00Z') });
  return { whole: crlf, fragments };
}

function files(fragments: Uint8Array[]): string[] {
  const dir = tempDir();
  return fragments.map((f, i) => {
    const file = path.join(dir, `frag-${i + 1}.eml`);
    writeFileSync(file, f);
    return file;
  });
}

test('fragments in reverse order are kept across runs, reassembled once complete, stored once, the MDN sent only then; a second delivery does not duplicate', async () => {
  const h = harness(server.port);
  const { fragments } = fragmentsOfFax();
  expect(fragments.length).toBeGreaterThanOrEqual(3);
  const paths = files(fragments).reverse();
  const before = server.mails.length;
  for (const [i, f] of paths.entries()) {
    const o = await receiveMail(f, h.deps);
    expect(o.partial).toBe(1);
    if (i < paths.length - 1) {
      expect(o).toMatchObject({ received: [], mdnSent: 0, exitCode: 0 });
      expect(server.mails.length).toBe(before);
    } else {
      expect(o).toMatchObject({ mdnSent: 1, exitCode: 0 });
      expect(o.received).toHaveLength(1);
      expect(o.received[0]).toMatchObject({ messageId: '<split.1@elsewhere.test>', subject: 'split fax', pages: 1 });
      const m = JSON.parse(readFileSync(path.join(h.stateDir, 'inbox', o.received[0].id, 'meta.json'), 'utf8'));
      expect(m.reassembledFrom).toMatchObject({ fragments: fragments.length });
      expect(m.pages[0]).toMatchObject({ width: 1728, height: 2000, compression: 'none' });
    }
  }
  expect(server.mails.length).toBe(before + 1);
  // The same fragments again (an MTA retry, a resend): nothing new.
  for (const f of paths) {
    const o = await receiveMail(f, h.deps);
    expect(o).toMatchObject({ received: [], mdnSent: 0, other: 0, exitCode: 0 });
  }
  expect(readdirSync(path.join(h.stateDir, 'inbox')).filter((n) => !n.startsWith('.'))).toHaveLength(1);
  expect(server.mails.length).toBe(before + 1);
  h.close();
});

test('an incomplete set expires after 7 days into other/ with a note', async () => {
  const h = harness(server.port);
  const { fragments } = fragmentsOfFax();
  const paths = files(fragments);
  await receiveMail(paths[0], h.deps);
  h.clock.t += 6 * 24 * 3600_000;
  const early = await receiveMail(paths[1], h.deps);
  expect(early.other).toBe(0);
  h.clock.t += 1 * 24 * 3600_000 + 1000;
  // Any receive does the housekeeping; here an unrelated plain mail.
  const plain = path.join(tempDir(), 'plain.eml');
  writeFileSync(plain, 'From: a@b.test\r\nSubject: hi\r\n\r\nhello\r\n');
  const o = await receiveMail(plain, h.deps);
  expect(o.other).toBe(2); // the plain mail, and the expired set
  const notes = readdirSync(path.join(h.stateDir, 'other')).map((id) => JSON.parse(readFileSync(path.join(h.stateDir, 'other', id, 'note.json'), 'utf8')));
  const expired = notes.find((n) => n.kind === 'partial')!;
  expect(expired.reason).toMatch(/2 of an unknown number of fragments came; the rest did not within 7 days/);
  expect(expired.files).toEqual(['fragment-1.eml', 'fragment-2.eml']);
  expect(h.warnings.join('\n')).toMatch(/expired incomplete/);
  h.close();
});

test('temporary trouble (the inbox cannot be created) is TEMPORARY_FAILURE with nothing half-written', async () => {
  const h = harness(server.port);
  const work = tempDir();
  const tif = libtiffFax(work, 't', testPagePbm(1728, 100, 8), ['-c', 'g4']);
  const mail = path.join(work, 'm.eml');
  writeFileSync(mail, pythonMail(work, { from: 's@elsewhere.test', to: 'fax@station.test', subject: 't', message_id: '<t@x.test>', tiffs: [{ path: tif, name: 't.tif' }] }));
  mkdirSync(h.stateDir, { recursive: true });
  writeFileSync(path.join(h.stateDir, 'inbox'), 'a file where the inbox folder should be');
  let err: unknown;
  try {
    await receiveMail(mail, h.deps);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).code).toBe('TEMPORARY_FAILURE');
  expect(existsSync(path.join(h.stateDir, 'other'))).toBe(false);
  h.close();
});
