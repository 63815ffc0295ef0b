/**
 * The job store across real processes (store-child.mjs, on the built library): a job recorded
 * queued survives its process being killed, and two processes write at once without losing or
 * failing a write (busy timeout + immediate transactions).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { JobStore } from '../../src/store/jobs.js';
import { repoRoot } from '../helpers/run-cli.js';
import { cleanTempDirs, tempDir } from './store-helpers.js';

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  // A failed expectation must not leave a child holding the store (or jest waiting for it).
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});
afterAll(cleanTempDirs);

const script = path.join(repoRoot, 'test', 'store', 'store-child.mjs');

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'dist', 'store', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (the child processes use the built library)');
});

interface Child {
  proc: ChildProcessWithoutNullStreams;
  line(): Promise<string>;
  send(text: string): void;
  exit: Promise<number | null>;
  stderr(): string;
}

function child(role: string, stateDir: string, ...args: string[]): Child {
  const proc = spawn(process.execPath, [script, role, stateDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(proc);
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const it = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc,
    async line() {
      const r = await it.next();
      if (r.done) throw new Error(`child ${role} ended without a line; stderr: ${err}`);
      return r.value as string;
    },
    send: (text) => proc.stdin.write(text + '\n'),
    exit,
    stderr: () => err,
  };
}

/**
 * Whether process `pid` is (or within a bounded number of looks becomes) asleep in nanosleep:
 * the busy handler's sleep between retries. Linux only (/proc/PID/wchan).
 */
async function sleepingInKernel(pid: number): Promise<boolean> {
  for (let look = 0; look < 500; look++) {
    let wchan = '';
    try {
      wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    } catch {
      return false;
    }
    if (wchan.includes('nanosleep')) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

const linuxProc = existsSync('/proc/self/wchan');
const onLinux = linuxProc ? test : test.skip;

test('a job recorded queued is there after its process is killed with SIGKILL', async () => {
  const dir = path.join(tempDir(), 'state');
  const c = child('crash', dir);
  const said = await c.line();
  expect(said).toMatch(/^queued \d{8}-\d{6}-[0-9a-z]{8}$/);
  c.proc.kill('SIGKILL');
  await c.exit;
  expect(c.proc.signalCode).toBe('SIGKILL');
  // The killed process never closed the database: its WAL is still there, and is read.
  expect(existsSync(path.join(dir, 'ifax.db-wal'))).toBe(true);
  const store = JobStore.open(dir);
  const job = store.get(said.slice('queued '.length));
  expect([job.state, job.destinations.map((d) => d.state), store.history(job.id).map((e) => e.to)]).toEqual(['queued', ['queued'], ['queued']]);
  expect(job.messages[0].messageId).toMatch(/^crash\.1\.\d+@child\.test$/);
  store.close();
});

onLinux('a writer that meets another holding the lock waits for it, then writes (no SQLITE_BUSY)', async () => {
  const dir = path.join(tempDir(), 'state');
  JobStore.open(dir).close(); // the store exists before either starts
  const holder = child('hold', dir);
  const held = await holder.line();
  expect(held).toMatch(/^holding /);
  const other = child('contend', dir);
  expect(await other.line()).toBe('busy SQLITE_BUSY');
  // Release the lock only once the other is seen waiting in SQLite's busy handler (asleep in
  // nanosleep, as Linux's /proc tells), so the test shows a wait and not a lucky order.
  expect(await sleepingInKernel(other.proc.pid!)).toBe(true);
  holder.send('commit');
  expect(await holder.line()).toBe('committed');
  const created = await other.line();
  expect(created).toMatch(/^created /);
  expect([await holder.exit, await other.exit]).toEqual([0, 0]);
  const store = JobStore.open(dir);
  // Both are there, the waiting one recorded after the holder's commit.
  expect(store.list().map((j) => j.id).sort()).toEqual([held.slice(8), created.slice(8)].sort());
  const events = store.database.db.prepare('SELECT job_id FROM job_events ORDER BY id').all() as Array<{ job_id: string }>;
  expect(events.map((e) => e.job_id)).toEqual([held.slice(8), created.slice(8)]);
  store.close();
});

test('two processes sending and matching MDNs at once: every job of both is recorded and processed', async () => {
  const dir = path.join(tempDir(), 'state');
  JobStore.open(dir).close();
  const n = 150;
  const a = child('bulk', dir, String(n), 'alpha');
  const b = child('bulk', dir, String(n), 'beta');
  expect([await a.line(), await b.line()]).toEqual(['ready', 'ready']);
  a.send('go');
  b.send('go');
  expect([await a.line(), await b.line()]).toEqual(['done', 'done']);
  expect([await a.exit, await b.exit, a.stderr(), b.stderr()]).toEqual([0, 0, '', '']);
  const store = JobStore.open(dir);
  const jobs = store.list({ limit: 10_000 });
  expect(jobs).toHaveLength(2 * n);
  expect(jobs.filter((j) => j.subject?.startsWith('alpha '))).toHaveLength(n);
  expect(new Set(jobs.map((j) => j.state))).toEqual(new Set(['processed']));
  // Every job has its whole history: queued, sent, processed, for the job and its destination.
  const counts = store.database.db.prepare('SELECT count(*) AS n FROM job_events GROUP BY job_id').all() as Array<{ n: number }>;
  expect(new Set(counts.map((c) => c.n))).toEqual(new Set([5]));
  store.close();
});
