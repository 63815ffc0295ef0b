/** Where state lives and how private it is; the database's settings once open. */
import { chmodSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { defaultStateDir, ensureStateDir, resolveStateDir } from '../../src/store/state-dir.js';
import { openStore } from '../../src/store/database.js';
import { JobStore } from '../../src/store/jobs.js';
import { cleanTempDirs, sampleJob, tempDir } from './store-helpers.js';

afterAll(cleanTempDirs);

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('the state directory', () => {
  test('stateDir relative to the profile file, ~/ to the home; else $XDG_STATE_HOME/ifax; else ~/.local/state/ifax', () => {
    const env = { HOME: '/home/u', XDG_STATE_HOME: '/var/xdg' };
    expect(resolveStateDir('state', { profileFile: '/etc/ifax/config.yaml', env })).toBe('/etc/ifax/state');
    expect(resolveStateDir('../s', { profileFile: '/srv/fax/.ifaxrc', env })).toBe('/srv/s');
    expect(resolveStateDir('~/fax-state', { env })).toBe('/home/u/fax-state');
    expect(resolveStateDir('/abs/dir', { profileFile: '/etc/ifax/config.yaml', env })).toBe('/abs/dir');
    expect(resolveStateDir(null, { env })).toBe('/var/xdg/ifax');
    expect(resolveStateDir(undefined, { env: { HOME: '/home/u' } })).toBe('/home/u/.local/state/ifax');
    // XDG Base Directory: a relative XDG_STATE_HOME is invalid and ignored.
    expect(defaultStateDir({ HOME: '/home/u', XDG_STATE_HOME: 'rel/dir' })).toBe('/home/u/.local/state/ifax');
  });

  test('a new state directory is 0700 and the database 0600 (its -wal and -shm too), whatever the umask', () => {
    const dir = path.join(tempDir(), 'a', 'b', 'state');
    const old = process.umask(0o022);
    try {
      const store = JobStore.open(dir);
      store.create(sampleJob());
      expect(mode(dir)).toBe(0o700);
      for (const f of ['ifax.db', 'ifax.db-wal', 'ifax.db-shm']) expect([f, mode(path.join(dir, f))]).toEqual([f, 0o600]);
      store.close();
    } finally {
      process.umask(old);
    }
  });

  test('an existing directory keeps its mode (an administrator may share it on purpose)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o750);
    ensureStateDir(dir);
    expect(mode(dir)).toBe(0o750);
  });

  test('a file where the directory should be is STORE_FAILED (73), naming it', () => {
    const file = path.join(tempDir(), 'state');
    writeFileSync(file, 'x');
    expect(() => ensureStateDir(path.join(file, 'ifax'))).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining(JSON.stringify(path.join(file, 'ifax'))) }));
    expect(() => ensureStateDir(file)).toThrow(expect.objectContaining({ code: 'STORE_FAILED' }));
  });
});

describe('the open database', () => {
  test('is in WAL mode with synchronous=FULL, foreign keys on and a busy timeout', () => {
    const dir = path.join(tempDir(), 'state');
    const s = openStore(dir, { busyTimeoutMs: 1234 });
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    s.close();
    s.close(); // twice is fine
    expect(existsSync(path.join(dir, 'ifax.db'))).toBe(true);
  });
});
