/**
 * RFC 4142 full mode content negotiation (RFC 3297) end to end: a full-mode I-Fax built by
 * buildIfaxMessage received by a station that can read the better alternative (its MDN, sent
 * over SMTP to a loopback server, says deleted/alternative-preferred and is read by Python's
 * email package), by one that cannot, and without the offer; then that MDN received by the
 * sending station: its job, the destination's capabilities, and `ifax jobs ID --json` of the
 * built binary.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IfaxConfig } from '../../../src/config/index.js';
import { receiveMail } from '../../../src/jobs/receive/receive.js';
import { contentFeatures, makeFormat, mediaAcceptFeatures, parseFeatureExpression, receiveCapabilitiesOf } from '../../../src/mime/features/index.js';
import { buildIfaxMessage, createMessageId } from '../../../src/mime/index.js';
import { runCli } from '../../helpers/run-cli.js';
import { captureServer, cleanTempDirs, harness, libtiffFax, run, stationConfig, tempDir, testPagePbm, type Captured } from './receive-helpers.js';

let server: Awaited<ReturnType<typeof captureServer>>;
beforeAll(async () => {
  server = await captureServer();
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

const sent = makeFormat('S', 'MH', 'fine', 'A4', 'bw');
const better = makeFormat('F', 'MMR', 'superfine', 'A4', 'bw');
const messageId = createMessageId({ domain: 'elsewhere.test', random: new Uint8Array(16).fill(4), time: new Date('2026-12-04T08:00:00Z') });

/** A full-mode I-Fax (profile S MH fine, offering profile F MMR superfine) as the MTA delivers it. */
function fullModeMail(work: string): Buffer {
  const tif = libtiffFax(work, 'full', testPagePbm(1728, 200, 5), ['-c', 'g3'], [204, 196]);
  const built = buildIfaxMessage({
    mode: 'full',
    from: { name: 'Sender', address: 'sender@elsewhere.test' },
    to: ['fax@station.test'],
    date: new Date('2026-12-04T08:00:00Z'),
    tzOffsetMinutes: 60,
    messageId,
    subject: 'Fax from Sender (1 page)',
    text: 'One page.',
    document: { bytes: new Uint8Array(readFileSync(tif)), contentType: 'image/tiff', filename: 'fax.tif', pages: 1 },
    mdnTo: 'sender@elsewhere.test',
    contentFeatures: contentFeatures(sent),
    alternatives: [contentFeatures(better)],
    random: new Uint8Array(16).fill(9),
  });
  return Buffer.concat([Buffer.from('Return-Path: <sender@elsewhere.test>\r\n'), Buffer.from(built)]);
}

function writeMail(dir: string, bytes: Uint8Array): string {
  const f = path.join(dir, `mail-${Math.random().toString(36).slice(2)}.eml`);
  writeFileSync(f, bytes);
  return f;
}

/** The MDN as Python's email (policy.default) reads it. */
function pythonMdn(raw: Buffer): { type: string; reportType: string; disp: string; omid: string; maf: string; text: string; defects: string[] } {
  return JSON.parse(
    run(
      'python3',
      [
        '-c',
        `import sys, json
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(sys.stdin.buffer.read())
dn = [p for p in m.iter_parts() if p.get_content_type() == 'message/disposition-notification'][0].get_payload()[0]
text = [p for p in m.iter_parts() if p.get_content_type() == 'text/plain'][0].get_content()
defects = [type(d).__name__ for p in m.walk() for d in p.defects]
print(json.dumps({'type': m.get_content_type(), 'reportType': m.get_param('report-type'), 'disp': str(dn['Disposition']), 'omid': str(dn['Original-Message-ID']), 'maf': str(dn['Media-Accept-Features']), 'text': text, 'defects': defects}))`,
      ],
      raw,
    ).toString(),
  );
}

const takesAll = (c: IfaxConfig): void => {
  c.receiveCaps.compression = ['MH', 'MR', 'MMR'];
  c.receiveCaps.resolutions = ['standard', 'fine', 'superfine'];
  c.ifaxAdvanced.maxResolution = 'superfine';
};

/** Receives `mail` at a station with `config`; returns the outcome and the MDN it sent. */
async function receiveAt(config: IfaxConfig, mail: Buffer) {
  const h = harness(server.port, config);
  const before = server.mails.length;
  const o = await receiveMail(writeMail(tempDir(), mail), h.deps);
  const mdns: Captured[] = server.mails.slice(before);
  return { h, o, mdns };
}

test('a station that reads MMR superfine asks for the alternative: deleted/alternative-preferred with its Media-Accept-Features; the fax is stored all the same', async () => {
  const config = stationConfig(takesAll);
  const { h, o, mdns } = await receiveAt(config, fullModeMail(tempDir()));
  expect(o).toMatchObject({ mdnSent: 1, exitCode: 0, errors: [], other: 0 });
  expect(o.received).toHaveLength(1);
  expect(o.received[0]).toMatchObject({ messageId, pages: 1, alternativePreferred: contentFeatures(better) });
  // Kept: a sender that never resends must not lose the fax.
  const dir = path.join(h.stateDir, 'inbox', o.received[0].id);
  expect(['fax.pdf', 'fax.tif', 'original.eml', 'meta.json'].map((f) => existsSync(path.join(dir, f)))).toEqual([true, true, true, true]);
  expect(mdns).toHaveLength(1);
  expect(mdns[0]).toMatchObject({ from: '', to: ['sender@elsewhere.test'] });
  const py = pythonMdn(mdns[0].raw);
  expect(py).toMatchObject({ type: 'multipart/report', reportType: 'disposition-notification', disp: 'automatic-action/MDN-sent-automatically; deleted/alternative-preferred', omid: messageId, defects: [] });
  const station = mediaAcceptFeatures(receiveCapabilitiesOf(config));
  expect(py.maf.replace(/\s+/g, ' ')).toBe(station);
  expect(parseFeatureExpression(py.maf).notes).toEqual([]);
  expect(py.text).toMatch(/An alternative form of it is requested: 400x400 dpi, Binary, MMR rather than 204x196 dpi, Binary, MH\./);
  h.close();
});

test('a station that takes only MH answers processed: the alternative is not readable there', async () => {
  const { h, o, mdns } = await receiveAt(
    stationConfig((c) => {
      takesAll(c);
      c.receiveCaps.compression = ['MH'];
    }),
    fullModeMail(tempDir()),
  );
  expect(o).toMatchObject({ mdnSent: 1, exitCode: 0 });
  expect(o.received[0].alternativePreferred).toBeUndefined();
  expect(pythonMdn(mdns[0].raw)).toMatchObject({ disp: 'automatic-action/MDN-sent-automatically; processed', omid: messageId });
  h.close();
});

test('without Alternative-available the same mail (Content-alternative still there) is answered processed', async () => {
  const mail = fullModeMail(tempDir()).toString('latin1');
  const stripped = mail.replace(/^Disposition-Notification-Options:.*\r\n(?:[ \t].*\r\n)*/m, '');
  expect(stripped).not.toBe(mail);
  expect(stripped).toMatch(/^Content-alternative:/m);
  const { h, o, mdns } = await receiveAt(stationConfig(takesAll), Buffer.from(stripped, 'latin1'));
  expect(o).toMatchObject({ mdnSent: 1, exitCode: 0 });
  expect(o.received[0].alternativePreferred).toBeUndefined();
  expect(pythonMdn(mdns[0].raw).disp).toBe('automatic-action/MDN-sent-automatically; processed');
  h.close();
});

test('a resend (Original-Message-ID) is never negotiated again (RFC 3297 §3.3)', async () => {
  const mail = fullModeMail(tempDir()).toString('latin1').replace(/^Message-ID: .*\r\n/m, (m) => `${m}Original-Message-ID: <first.1@elsewhere.test>\r\n`);
  const { h, o, mdns } = await receiveAt(stationConfig(takesAll), Buffer.from(mail, 'latin1'));
  expect(o.received[0].alternativePreferred).toBeUndefined();
  expect(pythonMdn(mdns[0].raw).disp).toBe('automatic-action/MDN-sent-automatically; processed');
  h.close();
});

test('the sending station receives that MDN: report kept, destination failed with a resend note, capabilities stored; ifax jobs ID --json shows it', async () => {
  // The receiving station's answer, made as in the first test (each test stands alone).
  const station = await receiveAt(stationConfig(takesAll), fullModeMail(tempDir()));
  station.h.close();
  expect(station.mdns).toHaveLength(1);
  const alternativeMdn = station.mdns[0].raw;
  const h = harness(server.port, stationConfig((c) => (c.device.email = 'sender@elsewhere.test')));
  const job = h.jobs.create({ destinations: [{ address: 'fax@station.test', kind: 'address' }], messages: [messageId], watch: 'mdn', subject: 'Fax from Sender (1 page)', pages: 1, mode: 'full' });
  h.jobs.recordSend(job.id, { destinations: [{ address: 'fax@station.test', accepted: true, reply: '250 2.0.0 Ok' }] });
  const before = server.mails.length;
  const o = await receiveMail(writeMail(tempDir(), alternativeMdn), h.deps);
  expect(server.mails.length).toBe(before); // an MDN is never answered
  expect(o.reports).toEqual([expect.objectContaining({ type: 'mdn', job: job.id, state: 'failed', applied: true, capabilitiesLearned: true })]);
  const reports = h.jobs.reports(job.id);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ type: 'mdn', address: 'fax@station.test', disposition: 'automatic-action/MDN-sent-automatically; deleted/alternative-preferred', ignored: false });
  expect(reports[0].diagnostic).toMatch(/^alternative preferred: .*send the documents again with 'ifax send'/);
  const stationCaps = mediaAcceptFeatures(receiveCapabilitiesOf(stationConfig(takesAll)));
  expect(h.destinations.get('fax@station.test')).toMatchObject({ source: 'mdn', jobId: job.id });
  expect(h.destinations.get('fax@station.test')!.caps.replace(/\s+/g, ' ')).toBe(stationCaps);
  const after = h.jobs.get(job.id);
  expect(after.state).toBe('failed');
  expect(after.error).toMatchObject({ temporary: false });
  expect(after.error!.message).toMatch(/alternative preferred/);
  h.close();

  // The built binary over that state directory (XDG_STATE_HOME/ifax).
  const home = tempDir('ifax-altpref-home-');
  mkdirSync(path.join(home, 'state'));
  renameSync(h.stateDir, path.join(home, 'state', 'ifax'));
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, 'state') };
  const shown = runCli(['jobs', job.id, '--json'], { cwd: home, env });
  expect([shown.code, shown.stderr]).toEqual([0, '']);
  const json = JSON.parse(shown.stdout);
  expect(json.job).toMatchObject({ id: job.id, state: 'failed' });
  expect(json.reports).toEqual([expect.objectContaining({ type: 'mdn', disposition: 'automatic-action/MDN-sent-automatically; deleted/alternative-preferred' })]);
  expect(json.reports[0].diagnostic).toMatch(/^alternative preferred/);
  const text = runCli(['jobs', job.id], { cwd: home, env });
  expect(text.stdout).toMatch(/deleted\/alternative-preferred {2}alternative preferred: the receiver asks for the fax in another format/);
  // A retry would send the same mail and get the same answer: refused, pointing to ifax send.
  const retry = runCli(['jobs', 'retry', job.id], { cwd: home, env });
  expect(retry.code).toBe(64);
  expect(retry.stderr).toMatch(/alternative preferred/);
  expect(retry.stderr).toMatch(/ifax send/);
});

test('the RFC 3297 §8.1 alternative-preferred MDN (corpus, Disposition folded) fails its job with the note and teaches the RFC capabilities', async () => {
  const h = harness(server.port);
  const job = h.jobs.create({ destinations: [{ address: 'Tom-Recipient@example.org', kind: 'address' }], messages: ['<199509200019.12345@example.com>'], watch: 'mdn', subject: 'Internet FAX Full Mode Content Negotiation', pages: 1, mode: 'full' });
  h.jobs.recordSend(job.id, { destinations: [{ address: 'Tom-Recipient@example.org', accepted: true, reply: '250 2.0.0 Ok' }] });
  const o = await receiveMail(writeMail(tempDir(), readFileSync('test/fixtures/mail/corpus/rfc3297-8.1-2-receiver-mdn-alternative-preferred.eml')), h.deps);
  expect(o.reports).toEqual([expect.objectContaining({ job: job.id, state: 'failed', applied: true, capabilitiesLearned: true })]);
  expect(h.jobs.reports(job.id)[0].diagnostic).toMatch(/^alternative preferred: .*chooses the format from the capabilities the receiver stated/);
  expect(h.destinations.get('Tom-Recipient@example.org')!.caps).toMatch(/\(dpi=400\) \(dpi-xyratio=1\)/);
  h.close();
});
