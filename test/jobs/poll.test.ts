/**
 * `pollOnce` against Dovecot of the loopback mail stack: plain, STLS, POP3S and APOP logins;
 * each mail goes server -> spool -> processor exactly once (Message-IDs read back with Python's
 * email package), is deleted on the server only after that, or stays there with
 * pop.leaveOnServer and is then never fetched again; --max; 200 mails; the poll lock.
 * Uses stack users poll1 and poll2, whose Maildirs it empties (no other test uses them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mailStack } from '../interop/stack.js';
import type { MailStack, StackUser } from '../interop/stack-types.js';
import { IfaxError } from '../../src/errors.js';
import { pollOnce, pollWatch, type PollDeps, type PollOptions, type PollResult } from '../../src/jobs/poll.js';
import { openStore, type StoreDatabase } from '../../src/store/index.js';
import { acquirePollLock } from '../../src/store/poll-lock.js';
import { PollJournal } from '../../src/store/poll-journal.js';
import { openPop, type PopSettings } from '../../src/transport/pop3/login.js';
import { pollUser, cleanTempDirs, copyingProcessor, deliver, emptyMaildir, maildirCount, messageIdsIn, tempStateDir, testMail } from './poll-helpers.js';

let stack: MailStack;
let ca: Buffer;
const stores: StoreDatabase[] = [];

beforeAll(async () => {
  stack = await mailStack();
  ca = readFileSync(stack.pki.caFile);
});

afterAll(() => {
  for (const s of stores) s.close();
  cleanTempDirs();
});

function settings(user: StackUser, extra: Partial<PopSettings> = {}): PopSettings {
  return { host: stack.host, port: stack.pop.plain, sslPort: stack.pop.pop3s, tls: 'off', user: user.login, password: user.password, apop: false, timeout: 20, ...extra };
}

interface Setup {
  deps: PollDeps;
  stateDir: string;
  processed: string;
  store: StoreDatabase;
  commands: string[];
}

function setup(user: StackUser, pop: Partial<PopSettings> = {}, stateDir = tempStateDir()): Setup {
  const store = openStore(stateDir);
  stores.push(store);
  const processed = path.join(stateDir, 'processed');
  const commands: string[] = [];
  const deps: PollDeps = {
    stateDir,
    store,
    account: `${user.login}@${stack.host}:${stack.pop.plain}`,
    connect: async () => (await openPop(settings(user, pop), { tlsOptions: { ca }, trace: (l) => void (l.startsWith('C: ') && commands.push(l.slice(3))) })).client,
    process: copyingProcessor(processed),
  };
  return { deps, stateDir, processed, store, commands };
}

function fill(user: StackUser, tags: string[]): void {
  const maildir = stack.maildir(user.login);
  emptyMaildir(maildir);
  for (const t of tags) deliver(maildir, testMail(t));
}

const ids = (tags: string[]): string[] => tags.map((t) => `<${t}@poll.test>`).sort();
const run = (s: Setup, o: Partial<PollOptions> = {}): Promise<PollResult> => pollOnce(s.deps, { leaveOnServer: false, ...o });

describe.each([
  ['plain USER/PASS', {}],
  ['STLS', { tls: 'stls' as const }],
  ['POP3S', { tls: 'pop3s' as const }],
  ['APOP', { apop: true }],
])('%s', (_name, pop) => {
  test('fetches every mail once, processes it, and deletes it on the server only after', async () => {
    const user = pollUser(stack, 'poll1');
    const tags = [1, 2, 3].map((i) => `${String(_name).replace(/\W/g, '')}-${i}-${Date.now()}`);
    fill(user, tags);
    const s = setup(user, pop);
    const r = await run(s);
    expect(r.failure).toBeUndefined();
    expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 3, processed: 3, pending: 0, dedupe: 'uidl' });
    expect(r.summary.other).toBe(3);
    expect(messageIdsIn(s.processed).sort()).toEqual(ids(tags));
    expect(maildirCount(stack.maildir(user.login))).toBe(0);
    // Each RETR precedes its DELE; QUIT comes last.
    const retr = s.commands.filter((c) => c.startsWith('RETR')).length;
    expect(retr).toBe(3);
    expect(s.commands.indexOf('RETR 1')).toBeLessThan(s.commands.indexOf('DELE 1'));
    expect(s.commands[s.commands.length - 1]).toBe('QUIT');
    const again = await run(s);
    expect(again.summary.poll).toMatchObject({ fetched: 0, processed: 0 });
  });
});

test('leaveOnServer keeps the mails and remembers their UIDLs: a second poll fetches nothing new, a new mail alone', async () => {
  const user = pollUser(stack, 'poll2');
  const tags = [1, 2, 3, 4].map((i) => `keep-${i}-${Date.now()}`);
  fill(user, tags);
  const s = setup(user);
  const first = await run(s, { leaveOnServer: true });
  expect(first.summary.poll).toMatchObject({ fetched: 4, deleted: 0, processed: 4 });
  expect(s.commands.some((c) => c.startsWith('DELE'))).toBe(false);
  expect(maildirCount(stack.maildir(user.login))).toBe(4);
  s.commands.length = 0;
  const second = await run(s, { leaveOnServer: true });
  expect(second.summary.poll).toMatchObject({ fetched: 0, processed: 0 });
  expect(s.commands.some((c) => c.startsWith('RETR'))).toBe(false);
  deliver(stack.maildir(user.login), testMail(`keep-5-${Date.now()}`));
  const third = await run(s, { leaveOnServer: true });
  expect(third.summary.poll.fetched).toBe(1);
  expect(messageIdsIn(s.processed)).toHaveLength(5);
  expect(new PollJournal(s.store).entries(s.deps.account)).toHaveLength(5);
  // Turned off: the kept mails are deleted without being fetched again; the journal forgets them once gone.
  s.commands.length = 0;
  const fourth = await run(s);
  expect(fourth.summary.poll).toMatchObject({ fetched: 0, deleted: 5 });
  expect(s.commands.some((c) => c.startsWith('RETR'))).toBe(false);
  expect(maildirCount(stack.maildir(user.login))).toBe(0);
  await run(s);
  expect(new PollJournal(s.store).entries(s.deps.account)).toHaveLength(0);
  expect(messageIdsIn(s.processed)).toHaveLength(5);
});

test('--max fetches at most N new mails a pass; the rest stay on the server for the next', async () => {
  const user = pollUser(stack, 'poll2');
  const tags = Array.from({ length: 7 }, (_, i) => `max-${i}-${Date.now()}`);
  fill(user, tags);
  const s = setup(user);
  const a = await run(s, { max: 3 });
  expect(a.summary.poll).toMatchObject({ fetched: 3, deleted: 3, leftOnServer: 4 });
  expect(maildirCount(stack.maildir(user.login))).toBe(4);
  const b = await run(s, { max: 3 });
  expect(b.summary.poll).toMatchObject({ fetched: 3, leftOnServer: 1 });
  const c = await run(s, { max: 3 });
  expect(c.summary.poll).toMatchObject({ fetched: 1, leftOnServer: 0 });
  expect(messageIdsIn(s.processed).sort()).toEqual(ids(tags));
});

test('200 mails: each processed exactly once, the mailbox emptied', async () => {
  const user = pollUser(stack, 'poll2');
  const stamp = Date.now();
  const tags = Array.from({ length: 200 }, (_, i) => `bulk-${i}-${stamp}`);
  fill(user, tags);
  const s = setup(user);
  const seen: number[] = [];
  s.deps.progress = (phase, done) => void (phase === 'fetch' && seen.push(done));
  const r = await run(s);
  expect(r.summary.poll).toMatchObject({ fetched: 200, deleted: 200, processed: 200, pending: 0 });
  expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  expect(messageIdsIn(s.processed).sort()).toEqual(ids(tags));
  expect(maildirCount(stack.maildir(user.login))).toBe(0);
}, 120_000);

test('a processor failure: temporary keeps the mail in the spool for the next poll, permanent moves it to other/ with a note', async () => {
  const user = pollUser(stack, 'poll2');
  const tags = ['tmp', 'perm', 'ok'].map((t) => `${t}-${Date.now()}`);
  fill(user, tags);
  const s = setup(user);
  const keep = s.deps.process;
  s.deps.process = async (file, meta) => {
    if (meta.messageId?.startsWith('<tmp-')) throw new IfaxError('TEMPORARY_FAILURE', 'processing failed: the disk is busy');
    if (meta.messageId?.startsWith('<perm-')) throw new IfaxError('DATA_INVALID', 'processing failed: not a mail');
    return keep(file, meta);
  };
  const r = await run(s);
  expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 3, pending: 1 });
  expect(r.summary.errors.map((e) => e.code).sort()).toEqual(['DATA_INVALID', 'TEMPORARY_FAILURE']);
  const other = path.join(s.stateDir, 'other');
  const note = JSON.parse(readFileSync(path.join(other, (await import('node:fs')).readdirSync(other).find((n) => n.endsWith('.json')) as string), 'utf8')) as { code: string; messageId: string };
  expect(note).toMatchObject({ code: 'DATA_INVALID', messageId: `<${tags[1]}@poll.test>` });
  s.deps.process = keep;
  const again = await run(s);
  expect(again.summary.poll).toMatchObject({ fetched: 0, processed: 1, pending: 0 });
  expect(messageIdsIn(s.processed).sort()).toEqual(ids([tags[0], tags[2]]));
});

test('a second poll while one holds the lock is LOCK_HELD (exit 75); the lock is free again after release', () => {
  const stateDir = tempStateDir();
  const lock = acquirePollLock(stateDir);
  let err: unknown;
  try {
    acquirePollLock(stateDir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).code).toBe('LOCK_HELD');
  expect((err as IfaxError).exitCode).toBe(75);
  expect((err as IfaxError).message).toContain(`process ${process.pid}`);
  lock.release();
  acquirePollLock(stateDir).release();
});

test('--watch polls again after the interval and stops at a stop request after the pass in hand', async () => {
  const user = pollUser(stack, 'poll2');
  fill(user, [`watch-1-${Date.now()}`]);
  const s = setup(user);
  let stop = false;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (wake = r));
  const passes: PollResult[] = [];
  s.deps.stopRequested = () => stop;
  const n = await pollWatch(() => run(s), {
    intervalMs: 50,
    stopped,
    stopRequested: () => stop,
    onPass: (r) => {
      passes.push(r);
      if (passes.length === 1) deliver(stack.maildir(user.login), testMail(`watch-2-${Date.now()}`));
      if (passes.length === 2) {
        stop = true;
        wake();
      }
    },
  });
  expect(n).toBe(2);
  expect(passes.map((p) => p.summary.poll.fetched)).toEqual([1, 1]);
});
