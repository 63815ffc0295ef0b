/**
 * `ifax send` end to end (CLI.md `send`): the built binary against the loopback mail stack
 * (Postfix + Cyrus SASL, Dovecot, the test PKI with OCSP). Every mail is judged by Python's
 * `email` package and every TIFF by libtiff/netpbm (tiffinfo, tifftopnm), never by our own
 * parser alone; jobs are read back through `ifax jobs --json`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mailStack } from '../interop/stack.js';
import type { MailStack } from '../interop/stack-types.js';
import { repoRoot } from '../helpers/run-cli.js';
import { fixture, pixelDiff, tiffPages, toolOk, type Pbm } from '../image/oracles.js';
import { ifax, json, mailsWith, pyDsn, pyMail, pyReassemble, unusedPort, waitForMail, writeProfile, type PyMail } from './send-helpers.js';
import { reassemble } from '../../src/mime/index.js';
import { DestinationStore, JobStore } from '../../src/store/index.js';

let stack: MailStack;
let root: string;
let seq = 0;

beforeAll(async () => {
  stack = await mailStack();
  root = mkdtempSync(path.join(tmpdir(), 'ifax-send-'));
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh directory for one test (its profile, state directory, outputs). */
function testDir(name: string): string {
  return mkdtempSync(path.join(root, `${name}-`));
}
/** A subject no other mail in the stack's Maildirs has. */
const subjectOf = (what: string): string => `ifax-send-${what}-${process.pid}-${Date.now()}-${++seq}`;

const PDF = path.join(repoRoot, 'test/fixtures/pdf/scan-g4.pdf');
const PBM = fixture('itu1-top.pbm');
const PNG = fixture('bw-gopher.png');

interface SendJson {
  job: string | null;
  envid: string | null;
  state: string;
  subject: string;
  groups: {
    to: { input: string; address: string; kind: string }[];
    format: { profile: string; coding: string; resolution: string; dpi: { x: number; y: number }; paper: string; colour: string; width: number; contentType: string };
    reasons: string[];
    pages: number;
    documentBytes: number;
    delivery: string;
    url?: string;
    mails: { messageId: string; bytes: number; to: string[]; part?: { number: number; total: number } }[];
  }[];
  recipients: { address: string; accepted: boolean; reply?: string }[];
  warnings: string[];
  files: string[];
}
interface JobJson {
  id: string;
  envid: string;
  state: string;
  attempts: number;
  error: { code: string; message: string; temporary: boolean } | null;
  messages: { messageId: string; partNumber: number | null; partTotal: number | null }[];
  destinations: { address: string; state: string; smtpReply: string | null }[];
}
const jobsOf = (profile: string): { id: string; state: string; attempts: number; subject: string | null }[] => {
  const r = ifax(profile, ['--json', 'jobs']);
  expect(r.code).toBe(0);
  return json<{ jobs: { id: string; state: string; attempts: number; subject: string | null }[] }>(r).jobs;
};
const jobOf = (profile: string, id: string): JobJson => {
  const r = ifax(profile, ['--json', 'jobs', id]);
  expect(r.code).toBe(0);
  return json<{ job: JobJson }>(r).job;
};
const bare = (id: string): string => id.replace(/^<|>$/g, '');

/** The pages of a TIFF as libtiff decodes them, with tiffinfo's account of it. */
function tiffOf(file: string): { pages: Pbm[]; info: string } {
  return { pages: tiffPages(file), info: toolOk('tiffinfo', [file]).toString() };
}
function samePages(a: Pbm[], b: Pbm[]): void {
  expect(a.map((p) => [p.width, p.height])).toEqual(b.map((p) => [p.width, p.height]));
  a.forEach((p, i) => expect([i, pixelDiff(p, b[i])]).toEqual([i, 0]));
}
function tiffPart(mail: PyMail): PyMail['parts'][number] {
  const parts = mail.parts.filter((p) => p.type === 'image/tiff' || p.type === 'image/tiff-fx');
  expect(parts).toHaveLength(1);
  return parts[0];
}

/** A dry run's mail for these arguments: its --json and Python's reading of the .eml. */
function dryRun(dir: string, profile: string, args: string[], name = 'dry'): { report: SendJson; eml: string; mail: PyMail } {
  const eml = path.join(dir, `${name}.eml`);
  const r = ifax(profile, ['--json', 'send', ...args, '--dry-run', '--out', eml]);
  expect(r.code).toBe(0);
  return { report: json<SendJson>(r), eml, mail: pyMail(eml, path.join(dir, `${name}-parts`)) };
}

describe('--dry-run --out: the mail as built, nothing sent or recorded', () => {
  test.each([
    ['a scanned PDF', [PDF], 1],
    ['a PBM and a PNG', [PBM, PNG], 2],
  ] as const)('%s: an RFC 5322 mail Python reads without defects, an S/MH/fine TIFF libtiff decodes', (_what, files, pages) => {
    const dir = testDir('dry');
    const profile = writeProfile(dir, stack);
    const subject = subjectOf('dry');
    const { report, eml, mail } = dryRun(dir, profile, [...files, '--to', 'fax2@ifax.test', '--subject', subject]);

    // --json: no job, one group with its format and why, one mail.
    expect(report).toMatchObject({ job: null, state: 'built', subject, files: [eml] });
    expect(report.groups).toHaveLength(1);
    const g = report.groups[0];
    expect(g.format).toMatchObject({ profile: 'S', coding: 'MH', resolution: 'fine', dpi: { x: 204, y: 196 }, paper: 'A4', colour: 'bw', width: 1728, contentType: 'image/tiff' });
    expect(g.reasons.join('\n')).toMatch(/capabilities unknown/);
    expect(g.pages).toBe(pages);
    expect(g.mails).toHaveLength(1);
    expect(g.mails[0].bytes).toBe(statSync(eml).size);

    // Python: no defect, the header fields of an I-Fax, an MDN request to device.email.
    expect(mail.defects).toEqual([]);
    expect(mail.from).toEqual(['fax1@ifax.test']);
    expect(mail.to).toEqual(['fax2@ifax.test']);
    expect(mail.headers.subject).toEqual([subject]);
    expect(mail.date).not.toBeNull();
    expect(Math.abs(Date.parse(mail.date as string) - Date.now())).toBeLessThan(10 * 60_000);
    expect(mail.headers['message-id']).toEqual([g.mails[0].messageId]);
    expect(mail.headers['mime-version']).toEqual(['1.0']);
    expect(mail.headers['disposition-notification-to']).toEqual(['fax1@ifax.test']);
    expect(mail.type).toBe('multipart/mixed');
    // RFC 5322 §2.1.1 and §2.3: CRLF only, no line over 78 characters.
    expect(mail.lines).toEqual({ max: expect.any(Number), bareLf: false, bareCr: false, endsWithCrlf: true });
    expect(mail.lines.max).toBeLessThanOrEqual(78);

    // The TIFF: libtiff decodes the pages, 1728 wide at 204x196, MH (Group 3, 1-D).
    const part = tiffPart(mail);
    expect(part.cte?.toLowerCase()).toBe('base64');
    const { pages: decoded, info } = tiffOf(part.file);
    expect(decoded).toHaveLength(pages);
    expect(decoded.every((p) => p.width === 1728)).toBe(true);
    expect(info).toMatch(/Compression Scheme: CCITT Group 3/);
    expect(info).not.toMatch(/2-d encoding/);
    expect(info.match(/Resolution: 204, 196 pixels\/inch/g)).toHaveLength(pages);
    expect(part.bytes).toBe(g.documentBytes);

    // Nothing recorded: the state directory was not even made.
    expect(readdirSync(dir)).not.toContain('state');
    expect(jobsOf(profile)).toEqual([]);
  });

  test('--as-email: a PDF attachment for people (G4 images, pdfimages reads them), no MDN request, no TIFF', () => {
    const dir = testDir('asemail');
    const profile = writeProfile(dir, stack);
    const { report, mail } = dryRun(dir, profile, [PDF, '--to', 'alice@ifax.test', '--as-email']);
    expect(mail.defects).toEqual([]);
    expect(mail.headers['disposition-notification-to']).toBeUndefined();
    expect(mail.parts.map((p) => p.type)).toEqual(['text/plain', 'application/pdf']);
    const pdf = mail.parts[1];
    expect(pdf.filename).toBe('document.pdf');
    expect(report.groups[0].reasons.join('\n')).toMatch(/--as-email/);
    // poppler (not ours) lists the page's image: CCITT (G4) data, as the fax pages are.
    const list = spawnSync('pdfimages', ['-list', pdf.file], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/ccitt/);
  });

  test('--no-mdn: no Disposition-Notification-To', () => {
    const dir = testDir('nomdn');
    const profile = writeProfile(dir, stack);
    const { mail } = dryRun(dir, profile, [PBM, '--to', 'fax2@ifax.test', '--no-mdn']);
    expect(mail.defects).toEqual([]);
    expect(mail.headers['disposition-notification-to']).toBeUndefined();
  });
});

describe('sending through the stack', () => {
  test('STARTTLS + AUTH with every certificate check: delivered, the TIFF is the dry run\'s, the job is sent', async () => {
    const dir = testDir('send');
    const profile = writeProfile(dir, stack);
    const subject = subjectOf('starttls');
    // --no-header: the header line prints the minute it was made; without it both runs must make the same pages.
    const args = [PDF, PBM, '--to', 'fax2@ifax.test', '--subject', subject, '--no-header'];
    const dry = dryRun(dir, profile, args);
    const r = ifax(profile, ['--json', 'send', ...args]);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    expect(sent.state).toBe('sent');
    expect(sent.job).toMatch(/^\d{8}-\d{6}-/);
    expect(sent.recipients).toEqual([{ address: 'fax2@ifax.test', accepted: true, reply: expect.stringMatching(/^250 /) }]);
    const messageId = sent.groups[0].mails[0].messageId;

    const [file] = await waitForMail(stack, 'fax2', subject);
    expect(file).toBeDefined();
    const mail = pyMail(file, path.join(dir, 'got'));
    expect(mail.defects).toEqual([]);
    expect(mail.headers['message-id']).toEqual([messageId]);
    expect(mail.headers.subject).toEqual([subject]);
    // Postfix says how it came: over TLS, logged in (ESMTPSA).
    expect(mail.headers.received.join('\n')).toMatch(/with ESMTPSA/);
    const got = tiffOf(tiffPart(mail).file);
    const built = tiffOf(tiffPart(dry.mail).file);
    expect(got.pages).toHaveLength(2);
    samePages(got.pages, built.pages);

    const list = jobsOf(profile);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: sent.job, state: 'sent', attempts: 1, subject });
    const job = jobOf(profile, sent.job as string);
    expect(job.messages.map((m) => bare(m.messageId))).toEqual([bare(messageId)]);
    expect(job.destinations).toEqual([expect.objectContaining({ address: 'fax2@ifax.test', state: 'sent', smtpReply: expect.stringMatching(/^250 .*queued as [0-9A-F]+/) })]);
    // The queue id recorded is the one Postfix gave this very mail.
    const queueId = /queued as ([0-9A-F]+)/.exec(job.destinations[0].smtpReply as string)?.[1];
    expect(mail.headers.received.join('\n')).toContain(` id ${queueId}`);
  });

  test('broadcast: one mail, one transaction, two recipients', async () => {
    const dir = testDir('bcast');
    const profile = writeProfile(dir, stack);
    const subject = subjectOf('bcast');
    const r = ifax(profile, ['--json', '-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--to', 'fax3@ifax.test', '--subject', subject]);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    expect(sent.groups).toHaveLength(1);
    expect(sent.groups[0].mails).toHaveLength(1);
    expect(sent.groups[0].mails[0].to).toEqual(['fax2@ifax.test', 'fax3@ifax.test']);
    // One session (one connection, one login), one MAIL FROM, two RCPT TO.
    expect(r.stderr.match(/\* connecting to /g)).toHaveLength(1);
    expect(r.stderr.match(/^C: AUTH /gm)).toHaveLength(1);
    expect(r.stderr.match(/^C: MAIL FROM:/gm)).toHaveLength(1);
    expect(r.stderr.match(/^C: RCPT TO:/gm)).toHaveLength(2);
    const [a] = await waitForMail(stack, 'fax2', subject);
    const [b] = await waitForMail(stack, 'fax3', subject);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    const ma = pyMail(a, path.join(dir, 'a'));
    const mb = pyMail(b, path.join(dir, 'b'));
    expect(ma.headers['message-id']).toEqual(mb.headers['message-id']);
    expect(ma.to).toEqual(['fax2@ifax.test', 'fax3@ifax.test']);
    expect(tiffPart(ma).sha256).toBe(tiffPart(mb).sha256);
  });

  test('broadcast with known capabilities: profile F MMR to the destination that takes it, S MH to the other, in one session', async () => {
    const dir = testDir('caps');
    const profile = writeProfile(dir, stack);
    // fax3's capabilities as an MDN would have taught them (STANDARDS.md "Capabilities" example).
    const store = JobStore.open(path.join(dir, 'state'));
    try {
      new DestinationStore(store.database).upsert({
        address: 'fax3@ifax.test',
        caps: '(& (color=Binary) (image-file-structure=TIFF-minimal) (MRC-mode=0) (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))) (ua-media=stationery))',
        source: 'manual',
      });
    } finally {
      store.close();
    }
    const subject = subjectOf('caps');
    const args = [PDF, '--to', 'fax2@ifax.test', '--to', 'fax3@ifax.test', '--subject', subject, '--no-header'];
    // The dry run reads the stored capabilities too (and records nothing): two mails, FILE-1 and FILE-2.
    const dryOut = path.join(dir, 'dry.eml');
    const d = ifax(profile, ['--json', 'send', ...args, '--dry-run', '--out', dryOut]);
    expect(d.code).toBe(0);
    const dry = json<SendJson>(d);
    expect(dry.files).toEqual([path.join(dir, 'dry-1.eml'), path.join(dir, 'dry-2.eml')]);
    expect(jobsOf(profile)).toEqual([]);
    const dryTiff = (addr: string): Pbm[] => {
      const i = dry.groups.findIndex((g) => g.to.some((t) => t.address === addr));
      const m = pyMail(dry.files[i], path.join(dir, `dry-${i}`));
      expect(m.defects).toEqual([]);
      return tiffOf(tiffPart(m).file).pages;
    };
    const r = ifax(profile, ['--json', '-vv', 'send', ...args]);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    expect(sent.groups).toHaveLength(2);
    const of = (addr: string) => sent.groups.find((g) => g.to.some((t) => t.address === addr));
    expect(of('fax2@ifax.test')?.format).toMatchObject({ profile: 'S', coding: 'MH' });
    expect(of('fax3@ifax.test')?.format).toMatchObject({ profile: 'F', coding: 'MMR', resolution: 'fine' });
    expect(of('fax2@ifax.test')?.reasons.join('\n')).toMatch(/capabilities unknown/);
    expect(of('fax3@ifax.test')?.reasons.join('\n')).not.toMatch(/capabilities unknown/);
    expect(of('fax3@ifax.test')?.reasons.join('\n')).toMatch(/capabilities known.*profile F, MMR, 204x196/);
    expect(r.stderr.match(/\* connecting to /g)).toHaveLength(1);
    expect(r.stderr.match(/^C: MAIL FROM:/gm)).toHaveLength(2);

    const [f2] = await waitForMail(stack, 'fax2', subject);
    const [f3] = await waitForMail(stack, 'fax3', subject);
    const m2 = pyMail(f2, path.join(dir, 'f2'));
    const m3 = pyMail(f3, path.join(dir, 'f3'));
    expect(m2.defects).toEqual([]);
    expect(m3.defects).toEqual([]);
    expect(m2.to).toEqual(['fax2@ifax.test']);
    expect(m3.to).toEqual(['fax3@ifax.test']);
    const t2 = tiffOf(tiffPart(m2).file);
    const t3 = tiffOf(tiffPart(m3).file);
    expect(t2.info).toMatch(/Compression Scheme: CCITT Group 3/);
    expect(t3.info).toMatch(/Compression Scheme: CCITT Group 4/);
    expect(t3.info).toMatch(/Resolution: 204, 196 pixels\/inch/);
    expect(t3.pages[0].width).toBe(1728);
    samePages(t2.pages, dryTiff('fax2@ifax.test'));
    samePages(t3.pages, dryTiff('fax3@ifax.test'));
    expect(dry.groups.map((g) => g.format)).toEqual(sent.groups.map((g) => g.format));
  });

  test('smtps (implicit TLS) sends', async () => {
    const dir = testDir('smtps');
    const profile = writeProfile(dir, stack, { smtp: { tls: 'smtps' } });
    const subject = subjectOf('smtps');
    const r = ifax(profile, ['--json', '-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--subject', subject]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`connecting to ${stack.host}:${stack.smtp.smtps} (smtps)`);
    expect(r.stderr).not.toMatch(/^C: STARTTLS/m);
    const [file] = await waitForMail(stack, 'fax2', subject);
    expect(file).toBeDefined();
    expect(pyMail(file, path.join(dir, 'got')).defects).toEqual([]);
  });

  test.each([
    ['expired', 'starttls', /TLS check "validity" failed .*expired/],
    ['wrongcn', 'starttls', /TLS check "cn" failed .*not for "127\.0\.0\.1"/],
    ['untrusted', 'smtps', /TLS check "chain" failed .*not signed by a trusted CA/],
    ['badku', 'starttls', /TLS check "keyUsage" failed/],
    ['revoked', 'starttls', /TLS check "revocation" failed .*revoked .*OCSP/],
    ['nochain', 'smtps', /TLS check "chain" failed .*sent no intermediate/],
  ] as const)('a server with a %s certificate (%s): 77 naming the check, nothing sent, the job failed', async (variant, mode, check) => {
    const dir = testDir(`cert-${variant}`);
    const port = stack.tls[variant][mode];
    const profile = writeProfile(dir, stack, { smtp: mode === 'smtps' ? { tls: 'smtps', sslPort: port } : { port } });
    const subject = subjectOf(`cert-${variant}`);
    const r = ifax(profile, ['-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--subject', subject, '--retries', '0']);
    expect(r.code).toBe(77);
    expect(r.stderr).toMatch(check);
    // Refused before AUTH: no login, no MAIL FROM.
    expect(r.stderr).not.toMatch(/^C: AUTH/m);
    expect(r.stderr).not.toMatch(/^C: MAIL FROM/m);
    const jobs = jobsOf(profile);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].state).toBe('failed');
    const job = jobOf(profile, jobs[0].id);
    expect(job.error).toMatchObject({ code: 'CERT_REJECTED', temporary: false });
    // Nothing got through to the mailbox meanwhile (the other tests' mail arrives within this bound).
    await new Promise((res) => setTimeout(res, 1000));
    expect(mailsWith(stack, 'fax2', subject)).toEqual([]);
  });

  test('a wrong password: 77 naming the mechanism; the password appears nowhere, not even at -vv', () => {
    const dir = testDir('badpw');
    const wrong = `Wr0ng-${process.pid}-pw`;
    const profile = writeProfile(dir, stack, { smtp: { auth: { password: wrong } } });
    const r = ifax(profile, ['-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--retries', '0']);
    expect(r.code).toBe(77);
    expect(r.stderr).toMatch(/AUTH PLAIN/);
    expect(r.stderr).toMatch(/535/);
    const rj = ifax(profile, ['--json', '-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--retries', '0']);
    expect(rj.code).toBe(77);
    const jobs = ifax(profile, ['--json', 'jobs']);
    const details = jobsOf(profile).map((j) => ifax(profile, ['--json', '-vv', 'jobs', j.id]));
    // The password itself, and what AUTH PLAIN would carry of it (RFC 4616, base64).
    const plain = Buffer.from(`\0fax1\0${wrong}`).toString('base64');
    for (const text of [r.stdout, r.stderr, rj.stdout, rj.stderr, jobs.stdout, jobs.stderr, ...details.flatMap((d) => [d.stdout, d.stderr])]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(plain);
    }
    expect(details).toHaveLength(2);
    expect(details.map((d) => json<{ job: JobJson }>(d).job.error?.code)).toEqual(['AUTH_FAILED', 'AUTH_FAILED']);
  });
});

describe('a server that cannot be reached', () => {
  let dir: string;
  let jobId: string;

  test('nothing listening, --retries 1: 75 after one retry; the job stays queued with its attempts and error', async () => {
    dir = testDir('down');
    const port = await unusedPort();
    const profile = writeProfile(dir, stack, { smtp: { port } });
    const r = ifax(profile, ['send', PBM, '--to', 'fax2@ifax.test', '--subject', subjectOf('down'), '--retries', '1']);
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/try 2 of 2/);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/stays queued/);
    expect(r.stderr).toMatch(/ifax jobs retry /);
    const jobs = jobsOf(profile);
    expect(jobs).toHaveLength(1);
    jobId = jobs[0].id;
    expect(jobs[0].state).toBe('queued');
    const job = jobOf(profile, jobId);
    expect(job.attempts).toBeGreaterThanOrEqual(1);
    expect(job.error).toMatchObject({ code: 'NETWORK_FAILED', temporary: true });
    expect(job.error?.message).toContain(String(port));
  });

  test('ifax jobs retry ID with a working profile sends the queued job: the kept mail, same Message-ID', async () => {
    expect(jobId).toBeDefined();
    const profile = writeProfile(dir, stack, {}, 'working');
    const before = jobOf(profile, jobId);
    const r = ifax(profile, ['--json', 'jobs', 'retry', jobId]);
    expect(r.code).toBe(0);
    expect(json<{ retried: string }>(r).retried).toBe(jobId);
    const job = jobOf(profile, jobId);
    expect(job.state).toBe('sent');
    expect(job.attempts).toBeGreaterThan(before.attempts);
    expect(job.destinations).toEqual([expect.objectContaining({ address: 'fax2@ifax.test', state: 'sent', smtpReply: expect.stringMatching(/^250 /) })]);
    const messageId = bare(job.messages[0].messageId);
    expect(messageId).toBe(bare(before.messages[0].messageId));
    const [file] = await waitForMail(stack, 'fax2', messageId);
    expect(file).toBeDefined();
    const mail = pyMail(file, path.join(dir, 'retried'));
    expect(mail.defects).toEqual([]);
    expect(mail.headers['message-id']).toEqual([`<${messageId}>`]);
    expect(tiffOf(tiffPart(mail).file).pages).toHaveLength(1);
    // Sent once: a second retry is refused (the job is no longer queued).
    expect(ifax(profile, ['jobs', 'retry', jobId]).code).toBe(64);
  });
});

describe('smtp.loadReduction', () => {
  test('split at 64 KB: message/partial fragments of at most 64 KB; reassembled (ours and Python\'s) the TIFF is the dry run\'s', async () => {
    const dir = testDir('split');
    const profile = writeProfile(dir, stack, { smtp: { loadReduction: 'split', splitSizeKB: 64 } });
    const subject = subjectOf('split');
    const args = [PDF, PDF, PDF, PBM, '--to', 'fax2@ifax.test', '--subject', subject, '--no-header'];
    // The dry run builds the same fragments: its whole mail is the one without split.
    const plain = writeProfile(dir, stack, {}, 'plain');
    const dry = dryRun(dir, plain, args);
    const r = ifax(profile, ['--json', 'send', ...args]);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    const g = sent.groups[0];
    expect(g.delivery).toBe('split');
    const n = g.mails.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(g.mails.map((m) => m.part)).toEqual(Array.from({ length: n }, (_, i) => ({ number: i + 1, total: n })));
    for (const m of g.mails) expect(m.bytes).toBeLessThanOrEqual(64 * 1024);

    // Fragments carry the subject prefixed [i/n].
    const files = await waitForMail(stack, 'fax2', subject, n);
    expect(files).toHaveLength(n);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(64 * 1024);
    const py = pyReassemble(path.join(dir, 'py'), files);
    expect(py.fragments.map((f) => f.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(py.fragments[n - 1].total).toBe(String(n));
    expect(py.defects).toEqual([]);
    expect(py.messageId).toMatch(/^<[^<>@\s]+@ifax\.test>$/);
    expect(g.mails.map((m) => m.messageId)).not.toContain(py.messageId);
    expect(py.subject).toBe(subject);
    expect(py.tiff).not.toBeNull();

    // Ours: the fragments as a POP3 server would hand them over (CRLF lines), in arrival order.
    const crlf = files.map((f) => new Uint8Array(Buffer.from(readFileSync(f, 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1')));
    const whole = reassemble(crlf.reverse());
    const ourFile = path.join(dir, 'ours.eml');
    writeFileSync(ourFile, whole);
    const ours = pyMail(ourFile, path.join(dir, 'ours'));
    expect(ours.defects).toEqual([]);
    expect(ours.headers.subject).toEqual([subject]);
    expect(ours.headers['message-id']).toEqual([py.messageId]);

    const built = tiffOf(tiffPart(dry.mail).file).pages;
    expect(built).toHaveLength(4);
    samePages(tiffOf(py.tiff as string).pages, built);
    samePages(tiffOf(tiffPart(ours).file).pages, built);
  });

  test('stop-if-over with maxMailSizeKB 1: 69 naming the size and the limit; no mail, no job', () => {
    const dir = testDir('stop');
    const profile = writeProfile(dir, stack, { smtp: { loadReduction: 'stop-if-over', maxMailSizeKB: 1 } });
    const subject = subjectOf('stop');
    const r = ifax(profile, ['-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--subject', subject]);
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/the mail is \d+ KB, over smtp\.maxMailSizeKB \(1 KB\)/);
    expect(r.stderr).not.toMatch(/connecting to/);
    expect(jobsOf(profile)).toEqual([]);
    expect(mailsWith(stack, 'fax2', subject)).toEqual([]);
  });

  test('url-always: no TIFF in the mail, its text gives the URL and SHA-256 of the file placed in download.dir', async () => {
    const dir = testDir('url');
    const downloads = path.join(dir, 'www');
    mkdirSync(downloads);
    const profile = writeProfile(dir, stack, { smtp: { loadReduction: 'url-always' }, download: { dir: downloads, baseUrl: 'https://files.ifax.test/fax/' } });
    const subject = subjectOf('url');
    // --no-header: the dry run below must make the same document (the header line prints the minute).
    const r = ifax(profile, ['--json', 'send', PDF, '--to', 'fax2@ifax.test', '--subject', subject, '--no-header']);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    expect(sent.groups[0].delivery).toBe('url');
    const [file] = await waitForMail(stack, 'fax2', subject);
    const mail = pyMail(file, path.join(dir, 'got'));
    expect(mail.defects).toEqual([]);
    expect(mail.parts.filter((p) => p.type.startsWith('image/'))).toEqual([]);
    const text = mail.parts.filter((p) => p.text !== null).map((p) => p.text).join('\n');
    const placed = readdirSync(downloads);
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatch(/^[a-z2-7]{26}\.tif$/);
    const bytes = readFileSync(path.join(downloads, placed[0]));
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(text).toContain(`https://files.ifax.test/fax/${placed[0]}`);
    expect(sent.groups[0].url).toBe(`https://files.ifax.test/fax/${placed[0]}`);
    expect(text).toContain(sha);
    // A dry run builds the same kind of mail and publishes nothing.
    const d = dryRun(dir, profile, [PDF, '--to', 'fax2@ifax.test', '--subject', subject, '--no-header']);
    expect(d.report.groups[0].delivery).toBe('url');
    expect(d.mail.parts.filter((p) => p.type.startsWith('image/'))).toEqual([]);
    expect(d.mail.parts.map((p) => p.text ?? '').join('\n')).toMatch(/https:\/\/files\.ifax\.test\/fax\/[a-z2-7]{26}\.tif/);
    expect(d.mail.parts.map((p) => p.text ?? '').join('\n')).toContain(sha);
    expect(readdirSync(downloads)).toEqual(placed);
    // The placed file is a fax TIFF libtiff reads.
    const t = tiffOf(path.join(downloads, placed[0]));
    expect(t.pages).toHaveLength(1);
    expect(t.pages[0].width).toBe(1728);
  });
});

describe('delivery status notifications', () => {
  test('--no-mdn --dsn: a success DSN comes back to device.email with the job\'s ENVID', async () => {
    const dir = testDir('dsn');
    const profile = writeProfile(dir, stack);
    const r = ifax(profile, ['--json', 'send', PBM, '--to', 'fax2@ifax.test', '--subject', subjectOf('dsn'), '--no-mdn', '--dsn']);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    const job = jobOf(profile, sent.job as string);
    expect(job.envid).toBe(sent.envid);
    const [file] = await waitForMail(stack, 'fax1', `Original-Envelope-Id: ${job.envid}`);
    expect(file).toBeDefined();
    const dsn = pyDsn(file);
    expect(dsn).toMatchObject({ type: 'multipart/report', reportType: 'delivery-status', envid: job.envid });
    expect(dsn.recipients).toEqual([expect.objectContaining({ final: expect.stringMatching(/fax2@ifax\.test/), action: expect.stringMatching(/delivered/), status: expect.stringMatching(/^2\./) })]);
  });

  test('a DSN broadcast goes one transaction per recipient (ORCPT): each destination keeps its own queue id', async () => {
    const dir = testDir('dsnbcast');
    const profile = writeProfile(dir, stack);
    const subject = subjectOf('dsnbcast');
    const r = ifax(profile, ['--json', 'send', PBM, '--to', 'fax2@ifax.test', '--to', 'fax3@ifax.test', '--subject', subject, '--no-mdn', '--dsn']);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    const job = jobOf(profile, sent.job as string);
    const ids = job.destinations.map((d) => /queued as ([0-9A-F]+)/.exec(d.smtpReply ?? '')?.[1]);
    expect(new Set(ids).size).toBe(2);
    for (const [i, login] of ['fax2', 'fax3'].entries()) {
      const [file] = await waitForMail(stack, login, subject);
      expect(file).toBeDefined();
      // Postfix's Received field names the queue id that carried this copy.
      expect(pyMail(file, path.join(dir, login)).headers.received.join('\n')).toContain(` id ${ids[i]}`);
    }
    // Each transaction asked for its own DSN, both with the job's ENVID.
    const dsns = await waitForMail(stack, 'fax1', `Original-Envelope-Id: ${job.envid}`, 2);
    expect(dsns.map((f) => pyDsn(f).recipients[0]?.final?.replace(/^rfc822;\s*/i, '')).sort()).toEqual(['fax2@ifax.test', 'fax3@ifax.test']);
  });

  test(`to the stack's failing domain: a failure DSN with the job's ENVID`, async () => {
    const dir = testDir('dsnfail');
    const profile = writeProfile(dir, stack);
    const to = `nobody@${stack.failDomain}`;
    const r = ifax(profile, ['--json', 'send', PBM, '--to', to, '--subject', subjectOf('dsnfail'), '--no-mdn', '--dsn']);
    expect(r.code).toBe(0);
    const sent = json<SendJson>(r);
    const [file] = await waitForMail(stack, 'fax1', `Original-Envelope-Id: ${sent.envid}`);
    expect(file).toBeDefined();
    const dsn = pyDsn(file);
    expect(dsn.envid).toBe(sent.envid);
    expect(dsn.recipients).toEqual([expect.objectContaining({ final: expect.stringContaining(to), action: 'failed', status: expect.stringMatching(/^5\./) })]);
  });
});

describe('POP before SMTP', () => {
  test('a POP3 login first: the no-AUTH port relays the fax', async () => {
    const dir = testDir('pbs');
    const fax1 = stack.users[0];
    const profile = writeProfile(dir, stack, {
      smtp: { port: stack.smtp.popBeforeSmtp, tls: 'off', auth: { enabled: false }, popBeforeSmtp: { enabled: true, waitSeconds: 0 } },
      pop: { host: stack.host, port: stack.pop.plain, tls: 'stls', user: fax1.login, password: fax1.password },
    });
    const subject = subjectOf('pbs');
    const since = Math.floor(Date.now() / 1000);
    const r = ifax(profile, ['-vv', 'send', PBM, '--to', 'fax2@ifax.test', '--subject', subject]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/POP before SMTP: logged in/);
    expect(r.stderr).not.toMatch(/^C: AUTH/m);
    // The stack's record of the login (its POP-before-SMTP policy reads it) is this run's.
    const record = readFileSync(path.join(stack.stateDir, 'pbs', stack.host), 'utf8').split(' ');
    expect(Number(record[0])).toBeGreaterThanOrEqual(since);
    expect(await waitForMail(stack, 'fax2', subject)).toHaveLength(1);
  });

  test('without the POP3 login, a client address with no recent login is refused (69)', () => {
    // ifax cannot choose its source address, and 127.0.0.1 logs in to POP3 all the time in this
    // suite; ::1 is the client address used here, and only while the stack has no fresh login
    // recorded for it (otherwise the refusal cannot be shown, and the test says so).
    if (!stack.ipv6) return;
    const record = path.join(stack.stateDir, 'pbs', '::1');
    let fresh = false;
    try {
      fresh = Date.now() / 1000 - Number(readFileSync(record, 'utf8').split(' ')[0]) <= stack.popBeforeSmtpWindow + 5;
    } catch {
      fresh = false;
    }
    if (fresh) {
      console.warn('POP before SMTP: ::1 logged in to POP3 recently; the refusal was not tested');
      return;
    }
    const dir = testDir('pbsno');
    const profile = writeProfile(dir, stack, { smtp: { host: '::1', port: stack.smtp.popBeforeSmtp, tls: 'off', auth: { enabled: false } } });
    const r = ifax(profile, ['send', PBM, '--to', 'fax2@ifax.test', '--subject', subjectOf('pbsno'), '--retries', '0']);
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/5\.7\.1/);
    expect(r.stderr).toMatch(/POP-before-SMTP/);
  });
});

describe('bad input: the right exit code, and no job', () => {
  let dir: string;
  let profile: string;
  beforeAll(() => {
    dir = testDir('bad');
    profile = writeProfile(dir, stack);
  });
  afterEach(() => expect(jobsOf(profile)).toEqual([]));

  test('a missing file: 66 naming it', () => {
    const missing = path.join(dir, 'no-such.pdf');
    const r = ifax(profile, ['send', missing, '--to', 'fax2@ifax.test']);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain(missing);
  });

  test('a file that is no document: 65', () => {
    const r = ifax(profile, ['send', fixture('garbage.bin'), '--to', 'fax2@ifax.test']);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('garbage.bin');
  });

  test('an unknown destination name: 64 with a hint', () => {
    const r = ifax(profile, ['send', PBM, '--to', 'Head Office']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('"Head Office"');
    expect(r.stderr).toMatch(/hint: /);
  });

  test('--out without --dry-run: 64', () => {
    const r = ifax(profile, ['send', PBM, '--to', 'fax2@ifax.test', '--out', path.join(dir, 'x.eml')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--dry-run/);
  });

  test('ifax.enabled false: 78 naming the key', () => {
    const off = writeProfile(dir, stack, { ifax: { enabled: false } }, 'off');
    const r = ifax(off, ['send', PBM, '--to', 'fax2@ifax.test']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('ifax.enabled');
  });
});
