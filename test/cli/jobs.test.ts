/**
 * `ifax jobs` end to end: the built binary against a state directory filled by the store, with
 * HOME, XDG_CONFIG_HOME and XDG_STATE_HOME sandboxed; the home holds a profile that switches responseWatch off (the jobs are days old).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JobStore } from '../../src/store/jobs.js';
import { openSqlite } from '../../src/store/sqlite.js';
import type { Job } from '../../src/store/job-types.js';
import { listTable } from '../../src/cli/commands/jobs.js';
import { binPath, cleanEnv, runCli, type CliResult } from '../helpers/run-cli.js';
import { cleanTempDirs, sampleJob, tempDir, TestClock } from '../store/store-helpers.js';

afterAll(cleanTempDirs);

let home: string;
let stateHome: string;
let stateDir: string;
let sent: Job;
let processed: Job;
let retryable: Job;
let refused: Job;

const env = (): Record<string, string> => ({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: stateHome });
const ifax = (...args: string[]): CliResult => runCli(args, { cwd: home, env: env() });

beforeAll(() => {
  home = tempDir('ifax-jobs-home-');
  // These jobs are days old: without an answer they would be shown as timeout (responseWatch),
  // which the last test checks; the others look at them as recorded.
  writeFileSync(path.join(home, '.ifaxrc.yaml'), 'ifaxAdvanced:\n  responseWatch:\n    enabled: false\n');
  stateHome = path.join(home, 'state-home');
  stateDir = path.join(stateHome, 'ifax');
  const clock = new TestClock(Date.parse('2026-12-01T08:00:00Z'));
  const store = JobStore.open(stateDir, { now: clock.now });
  const ok = (j: Job): void => void store.recordSend(j.id, { destinations: j.destinations.map((d) => ({ address: d.address, accepted: true, reply: '250 2.0.0 Ok' })) });
  processed = store.create(sampleJob({ subject: 'Invoice 4711', messages: ['<p1@st.test>'] }));
  ok(processed);
  store.recordReport(processed.id, { type: 'mdn', disposition: 'automatic-action/MDN-sent-automatically; processed', features: '(image-coding=[MH,MMR])' });
  clock.advance(60_000);
  retryable = store.create(sampleJob({ subject: 'Delivery note', destinations: [{ address: 'fax2@ifax.test', kind: 'book', given: 'Warehouse' }] }));
  store.fail(retryable.id, { code: 'NETWORK_FAILED', message: 'connecting to mail.ifax.test:25 failed: ECONNREFUSED', temporary: true });
  clock.advance(60_000);
  refused = store.create(sampleJob({ subject: 'Offer' }));
  store.fail(refused.id, { code: 'SERVER_REFUSED', message: '554 5.7.1 relay access denied', temporary: false });
  clock.advance(60_000);
  sent = store.create(sampleJob({ subject: 'Broadcast', destinations: [{ address: 'a@ifax.test', kind: 'address' }, { address: 'b@ifax.test', kind: 'fax', given: 'FAX=+4930123@gw.ifax.test' }] }));
  ok(sent);
  processed = store.get(processed.id);
  store.close();
});

describe('ifax jobs (list)', () => {
  test('in a pipe: one tab-separated line per job, newest first, no header', () => {
    const r = ifax('jobs');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trimEnd().split('\n').map((l) => l.split('\t'))).toEqual([
      [sent.id, 'sent', '2026-12-01T08:03:00.000Z', '2', 'a@ifax.test,b@ifax.test', 'Broadcast'],
      [refused.id, 'failed', '2026-12-01T08:02:00.000Z', '2', 'fax1@ifax.test', 'Offer'],
      [retryable.id, 'failed', '2026-12-01T08:01:00.000Z', '2', 'fax2@ifax.test', 'Delivery note'],
      [processed.id, 'processed', '2026-12-01T08:00:00.000Z', '2', 'fax1@ifax.test', 'Invoice 4711'],
    ]);
  });

  test('--state and --limit narrow the list; a bad state is a usage error', () => {
    expect(ifax('jobs', '--state', 'FAILED').stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual([refused.id, retryable.id]);
    expect(ifax('jobs', '--limit', '1').stdout.split('\t')[0]).toBe(sent.id);
    const bad = ifax('jobs', '--state', 'lost');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/lost/);
    expect(ifax('jobs', '--limit', '0').code).toBe(64);
  });

  test('--json: { jobs: [...] } with stable keys', () => {
    const r = ifax('jobs', '--json', '--limit', '2');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { jobs: Array<Record<string, unknown>> };
    expect(Object.keys(doc)).toEqual(['jobs']);
    expect(doc.jobs.map((j) => Object.keys(j))).toEqual(Array(2).fill(['id', 'state', 'createdAt', 'updatedAt', 'subject', 'pages', 'attempts', 'destinations']));
    expect(doc.jobs[0]).toMatchObject({ id: sent.id, state: 'sent', destinations: ['a@ifax.test', 'b@ifax.test'] });
  });

  test('no store yet: an empty list (and nothing created)', () => {
    const empty = tempDir('ifax-jobs-empty-');
    const r = runCli(['jobs', '--json'], { cwd: empty, env: { HOME: empty, XDG_CONFIG_HOME: path.join(empty, '.config'), XDG_STATE_HOME: path.join(empty, 'st') } });
    expect([r.code, JSON.parse(r.stdout)]).toEqual([0, { jobs: [] }]);
    expect(readdirSync(empty)).toEqual([]);
  });

  test('on a terminal: aligned columns under a header', () => {
    const text = listTable([{ id: sent.id, state: 'sent', createdAt: '2026-12-01T08:03:00.000Z', updatedAt: '', subject: 'Broadcast', pages: 2, attempts: 1, destinations: ['a@ifax.test', 'b@ifax.test'] }]);
    const [head, row] = text.split('\n');
    expect(head).toMatch(/^ID\s+STATE\s+CREATED\s+PAGES\s+TO\s+SUBJECT$/);
    expect(row.indexOf('sent')).toBe(head.indexOf('STATE'));
    expect(row).toMatch(/a@ifax\.test \+1\s+Broadcast$/);
  });
});

describe('ifax jobs ID', () => {
  test('one job by a unique part of its id: every field, its mails, destinations, history and reports', () => {
    const r = ifax('jobs', processed.id.slice(-8));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`job       ${processed.id}\nstate     processed\n`);
    expect(r.stdout).toContain(`envid     ifax-${processed.id}\n`);
    expect(r.stdout).toContain('mail      <p1@st.test>\n');
    expect(r.stdout).toContain('to        fax1@ifax.test  processed  250 2.0.0 Ok\n');
    expect(r.stdout).toMatch(/history\n {2}2026-12-01T08:00:00.000Z {2}queued {2}recorded: 1 destination\n/);
    expect(r.stdout).toMatch(/reports\n {2}\S+ {2}MDN {2}automatic-action\/MDN-sent-automatically; processed\n?$/);
  });

  test('--json: { job, history, reports }, the job with every key', () => {
    const r = ifax('jobs', retryable.id, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { job: Job; history: unknown[]; reports: unknown[] };
    expect(Object.keys(doc)).toEqual(['job', 'history', 'reports']);
    expect(Object.keys(doc.job)).toEqual(['id', 'envid', 'state', 'watch', 'createdAt', 'updatedAt', 'sentAt', 'subject', 'senderName', 'mode', 'pages', 'bytes', 'format', 'outboxPath', 'attempts', 'error', 'messages', 'destinations']);
    expect(doc.job.error).toEqual({ code: 'NETWORK_FAILED', message: 'connecting to mail.ifax.test:25 failed: ECONNREFUSED', temporary: true });
    expect(doc.job.destinations).toEqual([{ address: 'fax2@ifax.test', kind: 'book', given: 'Warehouse', state: 'failed', smtpReply: 'connecting to mail.ifax.test:25 failed: ECONNREFUSED', temporary: true, updatedAt: '2026-12-01T08:01:00.000Z' }]);
    expect(doc.history).toEqual([
      { at: '2026-12-01T08:01:00.000Z', address: null, from: null, to: 'queued', detail: 'recorded: 1 destination' },
      { at: '2026-12-01T08:01:00.000Z', address: 'fax2@ifax.test', from: 'queued', to: 'failed', detail: 'not sent: NETWORK_FAILED' },
      { at: '2026-12-01T08:01:00.000Z', address: null, from: 'queued', to: 'failed', detail: 'nothing accepted' },
    ]);
  });

  test('an unknown id exits 64 (JOB_NOT_FOUND); an ambiguous prefix 64 listing the candidates', () => {
    const r = ifax('jobs', '20991231-000000-zzzzzzzz', '--json');
    expect(r.code).toBe(64);
    expect(JSON.parse(r.stdout).error.code).toBe('JOB_NOT_FOUND');
    const amb = ifax('jobs', '20261201');
    expect(amb.code).toBe(64);
    expect(amb.stderr).toMatch(/matches several jobs: /);
  });
});

describe('ifax jobs retry ID', () => {
  test('an unknown job exits 64 JOB_NOT_FOUND; one that cannot be retried 64 USAGE with the reason', () => {
    expect(JSON.parse(ifax('jobs', 'retry', 'qqqqqqqq', '--json').stdout).error.code).toBe('JOB_NOT_FOUND');
    const done = ifax('jobs', 'retry', processed.id);
    expect([done.code, done.stderr.split('\n')[0]]).toEqual([64, `ifax: retrying job ${processed.id} failed: it is processed: the mail was accepted by the server`]);
    const permanent = ifax('jobs', 'retry', refused.id, '--json');
    expect(permanent.code).toBe(64);
    expect(JSON.parse(permanent.stdout).error).toMatchObject({ code: 'USAGE', message: `retrying job ${refused.id} failed: it failed for good (554 5.7.1 relay access denied); a retry would fail the same way` });
  });

  test('a retryable job passes the checks, then needs a profile ready to send (78 without one); the job is left as it was', () => {
    const r = ifax('jobs', 'retry', retryable.id);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/no profile found|ifax.enabled is false/);
    const after = JSON.parse(ifax('jobs', retryable.id, '--json').stdout) as { job: Job };
    expect([after.job.state, after.job.attempts]).toEqual(['failed', 1]);
  });

  test('a jobs command built without a sender stops after the checks with INTERNAL (70), the job untouched', async () => {
    const { jobsCommand } = await import('../../src/cli/commands/jobs.js');
    const { Command } = await import('commander');
    const program = new Command('ifax').option('--json').option('--config <file>').option('--profile <name>').addCommand(jobsCommand());
    program.exitOverride();
    const saved = { XDG_STATE_HOME: process.env.XDG_STATE_HOME, cwd: process.cwd() };
    process.env.XDG_STATE_HOME = stateHome;
    process.chdir(home);
    try {
      await expect(program.parseAsync(['node', 'ifax', 'jobs', 'retry', retryable.id])).rejects.toMatchObject({ code: 'INTERNAL', message: `retrying job ${retryable.id} failed: this ifax was built without a sender for retries` });
      await expect(program.parseAsync(['node', 'ifax', 'jobs', 'retry', processed.id])).rejects.toMatchObject({ code: 'USAGE' });
    } finally {
      if (saved.XDG_STATE_HOME === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved.XDG_STATE_HOME;
      process.chdir(saved.cwd);
    }
    const after = JSON.parse(ifax('jobs', retryable.id, '--json').stdout) as { job: Job };
    expect([after.job.state, after.job.attempts]).toEqual(['failed', 1]);
  });
});

describe('a state directory ifax cannot use', () => {
  test('a store from a newer ifax exits 73 naming the file', () => {
    const h = tempDir('ifax-jobs-newer-');
    const dir = path.join(h, 'st', 'ifax');
    JobStore.open(dir).close();
    const raw = openSqlite(path.join(dir, 'ifax.db'), {});
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    const r = runCli(['jobs'], { cwd: h, env: { HOME: h, XDG_CONFIG_HOME: path.join(h, '.config'), XDG_STATE_HOME: path.join(h, 'st') } });
    expect(r.code).toBe(73);
    expect(r.stderr).toContain(`ifax: opening the job store ${JSON.stringify(path.join(dir, 'ifax.db'))} failed: it was written by a newer ifax (schema version 99;`);
  });

  test('a read-only state directory exits 73 naming the file', () => {
    const h = tempDir('ifax-jobs-ro-');
    const dir = path.join(h, 'st', 'ifax');
    const s = JobStore.open(dir);
    s.create(sampleJob());
    s.close();
    mkdirSync(path.join(h, '.config'), { recursive: true });
    // Root writes anywhere: as root the test runs ifax as "nobody", who owns the store but
    // not the right to write in its directory; as anyone else, the directory is made read-only.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      for (const p of [h, path.join(h, 'st')]) chmodSync(p, 0o755);
      chownSync(dir, 65534, 65534);
      chownSync(path.join(dir, 'ifax.db'), 65534, 65534);
    }
    chmodSync(dir, 0o500);
    try {
      const r = spawnSync(process.execPath, [binPath, 'jobs'], {
        cwd: h,
        env: cleanEnv({ HOME: h, XDG_CONFIG_HOME: path.join(h, '.config'), XDG_STATE_HOME: path.join(h, 'st') }),
        encoding: 'utf8',
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      expect(r.status).toBe(73);
      expect(r.stderr).toContain(`ifax: opening the job store ${JSON.stringify(path.join(dir, 'ifax.db'))} failed: `);
      expect(r.stderr).toMatch(/hint: The store needs to write the file and its -wal\/-shm companions/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  test('stateDir of the profile is relative to the profile file', () => {
    const project = tempDir('ifax-jobs-project-');
    writeFileSync(path.join(project, '.ifaxrc.yaml'), 'stateDir: fax-state\n');
    const s = JobStore.open(path.join(project, 'fax-state'));
    const j = s.create(sampleJob({ subject: 'from the project' }));
    s.close();
    mkdirSync(path.join(project, 'sub'));
    const r = runCli(['jobs'], { cwd: path.join(project, 'sub'), env: env() });
    expect([r.code, r.stdout.split('\t')[0]]).toEqual([0, j.id]);
  });
});

describe('retryJob (the hook the sender plugs into)', () => {
  test('a temporarily failed job is put back to queued, handed to resend, and what resend records is the result', async () => {
    const { retryJob } = await import('../../src/cli/commands/jobs.js');
    const h = tempDir('ifax-jobs-retry-');
    const store = JobStore.open(path.join(h, 'state'));
    const job = store.create(sampleJob({ destinations: [{ address: 'a@ifax.test', kind: 'address' }, { address: 'b@ifax.test', kind: 'address' }] }));
    store.recordSend(job.id, {
      destinations: [
        { address: 'a@ifax.test', accepted: true },
        { address: 'b@ifax.test', accepted: false, reply: '452 4.2.2 mailbox full', temporary: true },
      ],
    });
    store.recordReport(job.id, { type: 'mdn', disposition: 'processed', address: 'a@ifax.test' });
    const seen: Array<[string, string[]]> = [];
    const after = await retryJob(store, job.id.slice(0, 18), {
      async resend(queued, s) {
        seen.push([queued.state, queued.destinations.filter((d) => d.state === 'queued').map((d) => d.address)]);
        s.recordSend(queued.id, { destinations: [{ address: 'b@ifax.test', accepted: true, reply: '250 ok' }] });
      },
    });
    expect(seen).toEqual([['queued', ['b@ifax.test']]]);
    expect([after.state, after.attempts, after.destinations.map((d) => d.state)]).toEqual(['sent', 2, ['processed', 'sent']]);
    await expect(retryJob(store, job.id, { resend: async () => undefined })).rejects.toMatchObject({ code: 'USAGE' });
    store.close();
  });
});

describe('ifax jobs and responseWatch (runs last: it changes the store)', () => {
  test('a sent job older than ifaxAdvanced.responseWatch.hours without its MDN is shown as timeout; an answered one is not', () => {
    const profile = path.join(home, 'watch.yaml');
    writeFileSync(profile, 'ifaxAdvanced:\n  responseWatch:\n    enabled: true\n    hours: 24\n');
    const r = runCli(['--config', profile, '--json', 'jobs'], { cwd: home, env: env() });
    expect(r.code).toBe(0);
    const jobs = (JSON.parse(r.stdout) as { jobs: { id: string; state: string }[] }).jobs;
    expect(jobs.find((j) => j.id === sent.id)?.state).toBe('timeout');
    expect(jobs.find((j) => j.id === processed.id)?.state).toBe('processed');
    expect(jobs.find((j) => j.id === refused.id)?.state).toBe('failed');
  });
});
