/**
 * `ifax poll` as a command (bin/ifax.js on dist/: npm run build): a second poll while one holds
 * the lock exits 75 and names the holder; a profile with receiving turned off exits 78 before
 * anything is touched.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquirePollLock } from '../../src/store/poll-lock.js';
import { ensureStateDir } from '../../src/store/state-dir.js';
import { runCli } from '../helpers/run-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function profile(pop: Record<string, unknown>): { file: string; stateDir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ifax-poll-cli-'));
  dirs.push(dir);
  const stateDir = path.join(dir, 'state');
  const file = path.join(dir, 'ifax.json');
  // Port 9 on loopback: nothing listens, and the tests end before any connection is tried.
  writeFileSync(file, JSON.stringify({ ifax: { enabled: true }, stateDir, pop: { host: '127.0.0.1', port: 9, user: 'fax1', password: 'x', ...pop } }));
  chmodSync(file, 0o600);
  return { file, stateDir };
}

test('a second poll while one holds the lock exits 75 (LOCK_HELD) naming the holder', () => {
  const { file, stateDir } = profile({});
  ensureStateDir(stateDir);
  const lock = acquirePollLock(stateDir);
  try {
    const r = runCli(['poll', '--config', file, '--json']);
    expect(r.code).toBe(75);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('LOCK_HELD');
    expect(doc.error.message).toContain(`another poll is running (process ${process.pid}`);
  } finally {
    lock.release();
  }
});

test('pop.enabled off: exit 78, nothing created in the state directory', () => {
  const { file, stateDir } = profile({ enabled: false });
  const r = runCli(['poll', '--config', file]);
  expect(r.code).toBe(78);
  expect(r.stderr).toContain('pop.enabled is off');
  expect(existsSync(stateDir)).toBe(false);
});
