/**
 * Direct SMTP reception (jobs/serve.ts) with a client that is not ours (Python's smtplib): a
 * mail for the station is on disk before the 250 and is then processed; a stranger's address
 * gets 550; a mail that cannot be stored gets 451 and is not processed; a held poll lock
 * leaves the mail in the spool for the poll.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type StoreDatabase } from '../../src/store/index.js';
import { acquirePollLock } from '../../src/store/poll-lock.js';
import { serve, type Serving } from '../../src/jobs/serve.js';
import type { PollSummary } from '../../src/jobs/poll.js';

let stateDir: string;
let store: StoreDatabase;
let serving: Serving;
let processed: string[];
let summaries: PollSummary[];

async function start(): Promise<void> {
  serving = await serve(
    { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, allowRecipient: (a) => a === 'fax@station.test' },
    {
      stateDir,
      store,
      // The test's processor: it keeps what it was given (the real one is receive's).
      process: async (file) => {
        processed.push(readFileSync(file, 'latin1'));
        return {};
      },
      lock: () => acquirePollLock(stateDir),
      processed: (s) => summaries.push(s),
      warn: () => undefined,
      debug: () => undefined,
    },
  );
}

beforeEach(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'ifax-serve-'));
  store = openStore(stateDir);
  processed = [];
  summaries = [];
  await start();
});
afterEach(async () => {
  await serving.close();
  store.close();
  chmodSync(stateDir, 0o700);
  rmSync(stateDir, { recursive: true, force: true });
});

const SMTPLIB = String.raw`
import smtplib, sys, json
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    refused = s.sendmail('dev@device.test', sys.argv[2].split(','), sys.argv[3].encode('latin1'))
    print(json.dumps({'ok': True, 'refused': {k: [v[0], v[1].decode()] for k, v in refused.items()}}))
except smtplib.SMTPRecipientsRefused as e:
    print(json.dumps({'ok': False, 'refused': {k: [v[0], v[1].decode()] for k, v in e.recipients.items()}}))
except smtplib.SMTPDataError as e:
    print(json.dumps({'ok': False, 'data': [e.smtp_code, e.smtp_error.decode()]}))
s.quit()
`;

function smtplib(to: string, mail: string): Promise<{ ok: boolean; refused?: Record<string, [number, string]>; data?: [number, string] }> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', SMTPLIB, String(serving.port), to, mail], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err || stderr) reject(new Error(`smtplib failed: ${stderr || (err as Error).message}`));
      else resolve(JSON.parse(stdout) as never);
    });
  });
}

const MAIL = 'From: dev@device.test\r\nTo: fax@station.test\r\nSubject: direct\r\nMessage-ID: <direct-1@device.test>\r\n\r\n.a dotted line\r\nbody\r\n';

async function settled(): Promise<void> {
  // Processing runs after the 250; the close waits for it.
  await serving.close();
  await start();
  await serving.close();
}

test('a mail for the station is taken and processed, byte for byte', async () => {
  const r = await smtplib('fax@station.test', MAIL);
  expect(r).toEqual({ ok: true, refused: {} });
  await settled();
  expect(processed).toHaveLength(1);
  expect(processed[0]).toContain(MAIL.replace(/\r\n$/, ''));
  expect(readdirSync(path.join(stateDir, 'spool'))).toEqual([]);
});

test("a stranger's address is refused with 550 at RCPT", async () => {
  const r = await smtplib('someone@else.test', MAIL);
  expect(r.ok).toBe(false);
  expect(r.refused?.['someone@else.test'][0]).toBe(550);
  await settled();
  expect(processed).toEqual([]);
});

test('a mail that cannot be stored gets 451 (the sender keeps it) and nothing is processed', async () => {
  if (process.getuid?.() === 0) {
    // root writes into a read-only directory: a file standing where the spool should be stands in.
    rmSync(path.join(stateDir, 'spool'), { recursive: true, force: true });
    (await import('node:fs')).writeFileSync(path.join(stateDir, 'spool'), 'not a directory');
  } else {
    chmodSync(path.join(stateDir, 'spool'), 0o500);
  }
  const r = await smtplib('fax@station.test', MAIL);
  expect(r).toMatchObject({ ok: false, data: [451, expect.stringMatching(/could not be stored/)] });
  expect(processed).toEqual([]);
});

test('while a poll holds the lock the mail waits in the spool; the next run processes it', async () => {
  const lock = acquirePollLock(stateDir);
  try {
    expect((await smtplib('fax@station.test', MAIL)).ok).toBe(true);
    await serving.close();
    expect(processed).toEqual([]);
    expect(readdirSync(path.join(stateDir, 'spool'))).toHaveLength(1);
  } finally {
    lock.release();
  }
  await start();
  await serving.close();
  expect(processed).toHaveLength(1);
  await start();
});
