import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IfaxError } from '../../src/errors.js';
import {
  getSetting,
  initProfile,
  locateProfile,
  parseSections,
  resolveKey,
  setSetting,
  showSettings,
  validateProfile,
} from '../../src/config/commands.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ifax-commands-'));
}

function errorOf(f: () => unknown): IfaxError {
  try {
    f();
  } catch (e) {
    return e as IfaxError;
  }
  throw new Error('expected an error');
}

const noStdin = (): string => {
  throw new Error('stdin not expected');
};

describe('resolveKey', () => {
  test('a setting, a profile key, a group where groups are allowed', () => {
    expect(resolveKey('smtp.host', 'config get', false)).toMatchObject({ profile: null, bare: 'smtp.host', info: { key: 'smtp.host' } });
    expect(resolveKey('profiles.office.smtp.port', 'config set', false)).toMatchObject({ profile: 'office', bare: 'smtp.port' });
    expect(resolveKey('smtp.auth', 'config get', true).info.meta.kind).toBe('section');
  });

  test('an unknown key is a usage error naming the nearest one', () => {
    const err = errorOf(() => resolveKey('smtp.hots', 'config get', true));
    expect(err).toMatchObject({ code: 'USAGE', context: { key: 'smtp.hots', suggestion: 'smtp.host' } });
    expect(err.message).toMatch(/config get failed: unknown key "smtp\.hots"; did you mean smtp\.host\?/);
  });

  test('a group where one setting is needed names the settings inside it', () => {
    expect(errorOf(() => resolveKey('smtp.auth', 'config set', false)).message).toMatch(/smtp\.auth is a group of settings; name one of them: smtp\.auth\.enabled/);
  });

  test('profiles itself and bad profile names are usage errors', () => {
    expect(errorOf(() => resolveKey('profiles', 'config get', true)).message).toMatch(/is not a setting; name one inside a profile/);
    expect(errorOf(() => resolveKey('profiles.b@d.smtp.host', 'config set', false)).message).toMatch(/"b@d" is not a profile name/);
  });
});

describe('the subcommands with their I/O as parameters', () => {
  test('init writes a 0600 starter profile in cwd; get, set (value from a reader) and show work on it', async () => {
    const dir = tempDir();
    const { written, mode } = await initProfile({ cwd: dir });
    expect(written).toBe(path.join(dir, '.ifaxrc.yaml'));
    expect(mode).toBe(0o600);
    expect(statSync(written).mode & 0o777).toBe(0o600);
    await expect(initProfile({ cwd: dir })).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });

    const set = await setSetting({ cwd: dir, env: {}, key: 'smtp.port', valueText: '587', readStdin: noStdin });
    expect(set).toEqual({ file: written, key: 'smtp.port', value: 587, warnings: [] });
    expect(await getSetting({ cwd: dir, env: {}, key: 'smtp.port' })).toMatchObject({ key: 'smtp.port', value: 587, isSection: false });

    const pw = await setSetting({ cwd: dir, env: {}, key: 'pop.password', valueText: '-', readStdin: () => 'From-Reader-1' });
    expect(pw).toMatchObject({ key: 'pop.password', value: '********', warnings: [] });
    expect(readFileSync(written, 'utf8')).toContain('From-Reader-1');
    const shown = await showSettings({ cwd: dir, env: {} });
    expect(shown).toMatchObject({ filepath: written, profile: null });
    expect(shown.settings.pop.password).toBe('********');
  });

  test('set with a password on the command line returns the warning, and the mode it narrowed', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    writeFileSync(file, 'smtp:\n  host: mail.example.com\n', { mode: 0o644 });
    const r = await setSetting({ cwd: dir, env: {}, key: 'smtp.auth.password', valueText: 'Cli-Secret-1', readStdin: noStdin });
    expect(r.warnings).toEqual([
      expect.stringMatching(/shows in ps and shell history; prefer IFAX_SMTP_PASSWORD/),
      `${file} now holds a password: its mode is now 0600`,
    ]);
  });

  test('set refuses a value that would make the file invalid, writing nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    writeFileSync(file, 'smtp:\n  port: 25\n');
    await expect(setSetting({ cwd: dir, env: {}, key: 'smtp.port', valueText: '70000', readStdin: noStdin })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(readFileSync(file, 'utf8')).toBe('smtp:\n  port: 25\n');
  });

  test('validate reports problems with the error to throw, and warnings when valid', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    writeFileSync(file, 'smtp:\n  hots: x\n');
    const bad = await validateProfile({ cwd: dir, env: {} });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toBeInstanceOf(IfaxError);
      expect(bad.error.message).toMatch(/config validate failed: .* has 1 problem/);
      expect(bad.problems[0].key).toBe('smtp.hots');
    }
    writeFileSync(file, 'smtp:\n  port: 465\n');
    const good = await validateProfile({ cwd: dir, env: {} });
    expect(good).toMatchObject({ ok: true, file, profile: null, profiles: [], warnings: [expect.stringMatching(/SMTPS/)] });
  });

  test('path says which file and why; no file is CONFIG_NOT_FOUND', async () => {
    const dir = tempDir();
    await expect(locateProfile({ cwd: dir })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    await expect(locateProfile({ cwd: dir, configPath: 'missing.yaml' })).rejects.toThrow(/does not exist/);
    writeFileSync(path.join(dir, '.ifaxrc.yaml'), '{}\n');
    expect(await locateProfile({ cwd: dir })).toMatchObject({ file: path.join(dir, '.ifaxrc.yaml'), reason: 'search', format: 'yaml', searchedFrom: dir });
  });

  test('init --global writes the user\'s profile, found from anywhere; with --config it is a usage error', async () => {
    const home = tempDir();
    const env = { HOME: home };
    const { written, mode } = await initProfile({ cwd: home, env, global: true });
    expect(written).toBe(path.join(home, '.config/ifax/config.yaml'));
    expect([mode, statSync(written).mode & 0o777, statSync(path.dirname(written)).mode & 0o777]).toEqual([0o600, 0o600, 0o700]);
    const elsewhere = tempDir();
    writeFileSync(path.join(elsewhere, 'package.json'), '{}');
    expect(await locateProfile({ cwd: elsewhere, env })).toMatchObject({ file: written, reason: 'user', searchOrder: expect.arrayContaining([expect.stringContaining(path.join(home, '.config/ifax'))]) });
    await expect(initProfile({ cwd: home, env, global: true })).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });
    await expect(initProfile({ cwd: home, env, global: true, configPath: 'x.yaml' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  test('wizard sections: known ids pass, an unknown one names the nearest', () => {
    expect(parseSections(' smtp, auth ,')).toEqual(['smtp', 'auth']);
    expect(errorOf(() => parseSections('smpt')).message).toMatch(/unknown section "smpt"; did you mean smtp\?/);
  });
});
