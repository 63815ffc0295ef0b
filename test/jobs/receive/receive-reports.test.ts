import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { receiveMail } from '../../../src/jobs/receive/receive.js';
import { captureServer, cleanTempDirs, harness, stationConfig, tempDir, type Harness } from './receive-helpers.js';

let server: Awaited<ReturnType<typeof captureServer>>;
beforeAll(async () => {
  server = await captureServer();
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

/** A job as `ifax send` records it: one destination, one mail, accepted by the server. */
function sentJob(h: Harness, messageId: string, address = 'ken_recipient@example.com', watch: 'mdn' | 'dsn' = 'mdn') {
  const job = h.jobs.create({ destinations: [{ address, kind: 'address' }], messages: [messageId], watch, subject: 'Fax', pages: 1 });
  return h.jobs.recordSend(job.id, { destinations: [{ address, accepted: true, reply: '250 2.0.0 Ok' }] });
}

function mailFile(text: string | Buffer): string {
  const f = path.join(tempDir(), 'report.eml');
  writeFileSync(f, text);
  return f;
}

const corpus = (name: string): string => readFileSync(`test/fixtures/mail/corpus/${name}`, 'latin1');

test('an MDN (RFC 3297 §8.1) makes its job processed and teaches the destination its capabilities; it is never answered', async () => {
  const h = harness(server.port);
  const job = sentJob(h, '<199509200021.12345@example.com>', 'Tom-Recipient@example.org');
  const before = server.mails.length;
  // The MDN asks for an MDN itself and its Return-Path matches: still never answered.
  const mdn = 'Return-Path: <Tom_Recipient@example.org>\r\nDisposition-Notification-To: Tom_Recipient@example.org\r\n' + corpus('rfc3297-8.1-4-receiver-mdn-processed.eml');
  const o = await receiveMail(mailFile(mdn), h.deps);
  expect(o).toMatchObject({ received: [], mdnSent: 0, other: 0, exitCode: 0 });
  expect(o.reports).toEqual([expect.objectContaining({ type: 'mdn', job: job.id, state: 'processed', applied: true, capabilitiesLearned: true })]);
  expect(h.jobs.get(job.id).state).toBe('processed');
  const caps = h.destinations.get('Tom-Recipient@example.org');
  expect(caps).toMatchObject({ source: 'mdn', jobId: job.id, learnedAt: '2026-12-04T09:00:00.000Z' });
  expect(caps!.caps).toMatch(/^\(& \(type="image\/tiff"\).*\(ua-media=stationery\) \)$/);
  expect(server.mails.length).toBe(before);
  h.close();
});

test('processed/error MDN (RFC 3249 §4.4.4.2) fails the job with the disposition', async () => {
  const h = harness(server.port);
  const job = sentJob(h, '<199912141823123.mary@example.net>');
  const o = await receiveMail(mailFile(corpus('rfc3249-4.4.4.2-mdn-failure.eml')), h.deps);
  expect(o.reports[0]).toMatchObject({ job: job.id, state: 'failed', applied: true, capabilitiesLearned: false });
  expect(h.jobs.reports(job.id)[0]).toMatchObject({ type: 'mdn', disposition: 'automatic-action/MDN-sent-automatically;  processed/error' });
  h.close();
});

test('DSNs found by ENVID: failed with the gateway\'s free-text Action and X-Accept-Features learned; delivered', async () => {
  const h = harness(server.port);
  const failed = sentJob(h, '<f.1@station.test>', 'FAX=123@gw.example', 'dsn');
  const delivered = sentJob(h, '<d.1@station.test>', 'ifax@example.net', 'dsn');
  const gateway = [
    'From: MAILER-DAEMON@gw.example',
    'Message-ID: <dsn.1@gw.example>',
    'Content-Type: multipart/report; report-type=delivery-status; boundary=r',
    '',
    '--r',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; gw.example',
    `Original-Envelope-Id: ${failed.envid}`,
    '',
    'Final-Recipient: rfc822; FAX=123@gw.example',
    'Action: failed with cause code - call rejected (21)',
    'Status: 5.3.0',
    'X-Accept-Features: (& (image-coding=MH) (paper-size=A4))',
    '--r--',
    '',
  ].join('\r\n');
  const o1 = await receiveMail(mailFile(gateway), h.deps);
  expect(o1.reports).toEqual([expect.objectContaining({ type: 'dsn', job: failed.id, state: 'failed', applied: true, capabilitiesLearned: true })]);
  expect(h.destinations.get('FAX=123@gw.example')).toMatchObject({ caps: '(& (image-coding=MH) (paper-size=A4))', source: 'dsn' });
  expect(h.jobs.get(failed.id).destinations[0].smtpReply).toMatch(/failed with cause code - call rejected \(21\) 5\.3\.0/);
  // The RFC 3249 §4.4.3.1 success DSN, its ENVID replaced by the job's.
  const success = corpus('rfc3249-4.4.3.1-dsn-success.eml').replace(/^Original-Envelope-ID: .*$/im, `Original-Envelope-ID: ${delivered.envid}`);
  const o2 = await receiveMail(mailFile(success), h.deps);
  expect(o2.reports[0]).toMatchObject({ job: delivered.id, state: 'delivered', applied: true });
  h.close();
});

test('an answer after responseWatch.hours is recorded and logged but moves nothing; an unknown one matches no job', async () => {
  const h = harness(server.port, stationConfig((c) => (c.ifaxAdvanced.responseWatch.hours = 2)));
  const job = sentJob(h, '<199912141823123.mary@example.net>');
  h.clock.t += 3 * 3600_000;
  const o = await receiveMail(mailFile(corpus('rfc3249-4.4.4.2-mdn-failure.eml')), h.deps);
  expect(o.reports[0]).toMatchObject({ job: job.id, state: 'sent', applied: false });
  expect(o.reports[0].ignoredReason).toMatch(/more than 2 h after the send/);
  expect(h.jobs.get(job.id).state).toBe('sent');
  expect(h.warnings.join('\n')).toMatch(/ignored/);
  const stray = await receiveMail(mailFile(corpus('rfc3249-4.4.4.1-mdn-success.eml')), h.deps);
  expect(stray.reports[0]).toMatchObject({ job: null, state: null, applied: false });
  expect(stray.exitCode).toBe(0);
  h.close();
});

test('a mail that is neither a fax nor a report is kept in other/ with a note; never dropped', async () => {
  const h = harness(server.port);
  const text = 'Return-Path: <a@b.test>\r\nFrom: Someone <a@b.test>\r\nDisposition-Notification-To: a@b.test\r\nMessage-ID: <plain@b.test>\r\nSubject: lunch?\r\n\r\nAre you coming?\r\n';
  const before = server.mails.length;
  const o = await receiveMail(mailFile(text), h.deps);
  expect(o).toMatchObject({ received: [], reports: [], other: 1, mdnSent: 0, exitCode: 0 });
  const [id] = readdirSync(path.join(h.stateDir, 'other'));
  const dir = path.join(h.stateDir, 'other', id);
  expect(readFileSync(path.join(dir, 'original.eml'), 'latin1')).toBe(text);
  expect(JSON.parse(readFileSync(path.join(dir, 'note.json'), 'utf8'))).toMatchObject({ kind: 'other', from: 'a@b.test', subject: 'lunch?', messageId: '<plain@b.test>', reason: expect.stringMatching(/no fax image/) });
  expect(server.mails.length).toBe(before);
  h.close();
});

test('the same fax mail delivered twice (an MTA retry) is stored once and answered once', async () => {
  const h = harness(server.port);
  const mail = 'Return-Path: <Jane_Sender@example.com>\r\n' + readFileSync('test/fixtures/mail/corpus/cisco-onramp-fax.eml', 'latin1').replace(/^Subject: /m, 'Disposition-Notification-To: Jane_Sender@example.com\r\nSubject: ');
  const f = mailFile(Buffer.from(mail, 'latin1'));
  const before = server.mails.length;
  const first = await receiveMail(f, h.deps);
  expect(first).toMatchObject({ mdnSent: 1 });
  const again = await receiveMail(f, h.deps);
  expect(again).toMatchObject({ received: [], mdnSent: 0, other: 0, exitCode: 0 });
  expect(h.warnings.join('\n')).toMatch(new RegExp(`received before and stored as fax ${first.received[0].id}`));
  expect(readdirSync(path.join(h.stateDir, 'inbox')).filter((n) => !n.startsWith('.'))).toEqual([first.received[0].id]);
  expect(server.mails.length).toBe(before + 1);
  h.close();
});
