import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, locateConfig } from '../../src/config/load.js';
import { clearSecrets, redact } from '../../src/secrets.js';
import { IfaxError } from '../../src/errors.js';
import { repoRoot } from '../helpers/run-cli.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ifax-load-'));
}

function put(dir: string, name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

async function failure(p: Promise<unknown>): Promise<IfaxError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

const env = { HOME: '/home/fax' };
const FIXTURES = path.join(repoRoot, 'test/fixtures/tls');

describe('finding the profile', () => {
  test.each([
    ['.ifaxrc', 'smtp:\n  port: 2525\n'],
    ['.ifaxrc', '{"smtp": {"port": 2525}}'],
    ['.ifaxrc.json', '{"smtp": {"port": 2525}}'],
    ['.ifaxrc.yaml', 'smtp: { port: 2525 }'],
    ['.ifaxrc.yml', 'smtp:\n  port: 2525'],
    ['.ifaxrc.cjs', 'module.exports = { smtp: { port: 2525 } };'],
    ['.ifaxrc.mjs', 'export default { smtp: { port: 2525 } };'],
    ['ifax.config.js', 'module.exports = { smtp: { port: 2525 } };'],
    ['ifax.config.mjs', 'export default { smtp: { port: 2525 } };'],
    ['ifax.config.yaml', 'smtp:\n  port: 2525'],
    ['ifax.config.json', '{"smtp": {"port": 2525}}'],
  ])('%s is found (%j)', async (name, text) => {
    const dir = tempDir();
    const file = put(dir, name, text);
    const r = await loadConfig({ cwd: dir, env });
    expect(r.filepath).toBe(file);
    expect(r.reason).toBe('search');
    expect(r.config.smtp.port).toBe(2525);
  });

  test('the key "ifax" of package.json, when there is no rc file', async () => {
    const dir = tempDir();
    put(dir, 'package.json', JSON.stringify({ name: 'x', ifax: { device: { name: 'pkg' } } }));
    const r = await loadConfig({ cwd: dir, env });
    expect(r.reason).toBe('package-json');
    expect(r.reasonText).toMatch(/the "ifax" key of package\.json/);
    expect(r.config.device.name).toBe('pkg');
  });

  test('an rc file wins over package.json in the same directory', async () => {
    const dir = tempDir();
    put(dir, 'package.json', JSON.stringify({ ifax: { device: { name: 'pkg' } } }));
    put(dir, '.ifaxrc.yaml', 'device:\n  name: rc\n');
    expect((await loadConfig({ cwd: dir, env })).config.device.name).toBe('rc');
  });

  test('the search goes up from the working directory and stops at the project root (package.json)', async () => {
    const root = tempDir();
    put(root, '.ifaxrc.yaml', 'device:\n  name: above-the-project\n');
    put(root, 'proj/package.json', '{"name": "proj"}');
    mkdirSync(path.join(root, 'proj/src/deep'), { recursive: true });
    const located = await locateConfig({ cwd: path.join(root, 'proj/src/deep') });
    expect(located).toBeNull();
    put(root, 'proj/.ifaxrc.yaml', 'device:\n  name: project\n');
    const r = await loadConfig({ cwd: path.join(root, 'proj/src/deep'), env });
    expect(r.config.device.name).toBe('project');
    expect(r.reasonText).toContain(path.join(root, 'proj/src/deep'));
  });

  test('TypeScript profiles are not searched for', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.ts', 'export default {}');
    put(dir, 'package.json', '{}');
    expect(await locateConfig({ cwd: dir })).toBeNull();
  });

  test('nothing found: CONFIG_NOT_FOUND naming the places searched; allowMissing gives defaults', async () => {
    const dir = tempDir();
    put(dir, 'package.json', '{}');
    const err = await failure(loadConfig({ cwd: dir, env }));
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    expect(err.exitCode).toBe(78);
    expect(err.message).toMatch(/\.ifaxrc\.yaml.*package\.json/);
    const r = await loadConfig({ cwd: dir, env, allowMissing: true });
    expect(r.reason).toBe('defaults');
    expect(r.filepath).toBeNull();
  });

  test('--config reads any name as YAML or JSON, relative to cwd', async () => {
    const dir = tempDir();
    put(dir, 'etc/office.example', 'smtp:\n  host: mail.example.com\n');
    const r = await loadConfig({ cwd: dir, configPath: 'etc/office.example', env });
    expect(r.reason).toBe('config-option');
    expect(r.config.smtp.host).toBe('mail.example.com');
  });

  test('--config: a missing file, a .ts file', async () => {
    const dir = tempDir();
    expect((await failure(loadConfig({ cwd: dir, configPath: 'nope.yaml', env }))).code).toBe('INPUT_NOT_FOUND'); // CLI.md: exit 66
    put(dir, 'x.ts', 'export default {}');
    expect((await failure(loadConfig({ cwd: dir, configPath: 'x.ts', env }))).message).toMatch(/TypeScript profiles are not supported/);
  });
});

describe('outside the project: the user\'s and the system\'s profile (what cron finds)', () => {
  /** A project without a profile, a home and a system directory, all empty. */
  function places() {
    const root = tempDir();
    const proj = path.join(root, 'proj');
    put(proj, 'package.json', '{"name": "p"}');
    const home = path.join(root, 'home');
    mkdirSync(home);
    const sys = path.join(root, 'etc-ifax');
    return { proj, home, sys, env: { HOME: home }, opts: { cwd: proj, env: { HOME: home }, systemConfigDir: sys } };
  }

  test('$XDG_CONFIG_HOME/ifax/config.yaml (default ~/.config/ifax), then ~/.ifaxrc*, then /etc/ifax/config.yaml', async () => {
    const p = places();
    expect(await locateConfig(p.opts)).toBeNull();
    const system = put(p.sys, 'config.yaml', 'device:\n  name: system\n');
    let r = await loadConfig(p.opts);
    expect([r.filepath, r.reason, r.config.device.name]).toEqual([system, 'system', 'system']);
    expect(r.reasonText).toBe(`the system's profile, found after searching up from ${p.proj}`);
    const rc = put(p.home, '.ifaxrc.json', '{"device": {"name": "home"}}');
    r = await loadConfig(p.opts);
    expect([r.filepath, r.reason, r.format, r.config.device.name]).toEqual([rc, 'home', 'json', 'home']);
    const user = put(p.home, '.config/ifax/config.yaml', 'device:\n  name: user\n');
    r = await loadConfig(p.opts);
    expect([r.filepath, r.reason, r.config.device.name]).toEqual([user, 'user', 'user']);
    // A relative path in the user's profile is relative to that file's folder.
    expect(r.config.stateDir).toBe(path.join(p.home, '.local/state/ifax'));
    // The project's profile wins.
    put(p.proj, '.ifaxrc.yaml', 'device:\n  name: project\n');
    expect((await loadConfig(p.opts)).reason).toBe('search');
  });

  test('XDG_CONFIG_HOME moves the user place; a relative one is ignored (XDG spec)', async () => {
    const p = places();
    const xdg = path.join(p.home, 'xdg');
    const user = put(xdg, 'ifax/config.yml', 'device:\n  name: xdg\n');
    expect((await locateConfig({ ...p.opts, env: { HOME: p.home, XDG_CONFIG_HOME: xdg } }))?.filepath).toBe(user);
    expect(await locateConfig({ ...p.opts, env: { HOME: p.home, XDG_CONFIG_HOME: 'xdg' } })).toBeNull();
  });

  test('IFAX_SYSTEM_CONFIG_DIR of the environment passed in stands for /etc/ifax', async () => {
    const p = places();
    const system = put(p.sys, 'config.yaml', '{}\n');
    expect((await locateConfig({ cwd: p.proj, env: { HOME: p.home, IFAX_SYSTEM_CONFIG_DIR: p.sys } }))?.filepath).toBe(system);
  });

  test('nothing found anywhere: the message lists the four places in search order', async () => {
    const p = places();
    const err = await failure(loadConfig(p.opts));
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    const lines = err.message.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^  1\\. from ${p.proj.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} up`));
    expect(lines.slice(2)).toEqual([
      `  2. ${path.join(p.home, '.config/ifax')}/: config.yaml, config.yml, config.json, config, config.js, config.cjs, config.mjs`,
      `  3. ${p.home}/: .ifaxrc, .ifaxrc.json, .ifaxrc.yaml, .ifaxrc.yml, .ifaxrc.js, .ifaxrc.cjs, .ifaxrc.mjs`,
      `  4. ${path.join(p.sys, 'config.yaml')}`,
    ]);
    expect(err.hint).toMatch(/config init --global/);
  });
});

describe('reading the profile', () => {
  test('a YAML syntax error names the file', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', 'smtp:\n  host: [unclosed\n');
    const err = await failure(loadConfig({ cwd: dir, env }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(path.join(dir, '.ifaxrc.yaml'));
    expect(err.message).toMatch(/not valid YAML/);
  });

  test('a JSON syntax error says where, and never quotes the text (it may hold a password)', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.json', '{"pop": {"password": "Hidden-Pw-1" x}}');
    const err = await failure(loadConfig({ cwd: dir, env }));
    expect(err.message).toMatch(/is not valid JSON/);
    expect(err.message).not.toContain('Hidden-Pw-1');
    put(dir, '.ifaxrc.json', '{"pop": {"password": Hidden-Pw-2}}');
    expect((await failure(loadConfig({ cwd: dir, env }))).message).not.toContain('Hidden-Pw-2');
  });

  test('a duplicate key is an error, not a silent override', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', 'smtp:\n  port: 25\n  port: 587\n');
    expect((await failure(loadConfig({ cwd: dir, env }))).message).toMatch(/unique/i);
  });

  test('a file over MAX_CONFIG_BYTES is refused', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', '# ' + 'x'.repeat(1024 * 1024 + 10));
    expect((await failure(loadConfig({ cwd: dir, env }))).message).toMatch(/MAX_CONFIG_BYTES/);
  });

  test('an empty file gives the defaults, with a warning', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', '');
    const r = await loadConfig({ cwd: dir, env });
    expect(r.config.smtp.port).toBe(25);
    expect(r.warnings.join()).toMatch(/is empty/);
  });

  test('$import is refused', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', '$import: ./other.yaml\n');
    expect((await failure(loadConfig({ cwd: dir, env }))).message).toMatch(/\$import is not supported/);
  });

  test('an invalid profile: CONFIG_INVALID with every problem, one per line', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', 'device:\n  name: "a b"\nsmtp:\n  port: 0\n');
    const err = await failure(loadConfig({ cwd: dir, env }));
    expect(err.exitCode).toBe(78);
    expect(err.message).toMatch(/has 2 problems:\n {2}device\.name: .*\n {2}smtp\.port: a whole number 1-65535; got 0/);
  });
});

describe('profiles, environment, paths', () => {
  const text = 'device:\n  name: main\nsmtp:\n  host: mail.example.com\nprofiles:\n  branch:\n    smtp:\n      port: 587\n  office: {}\n';

  test('--profile merges the named profile over the top level', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', text);
    const r = await loadConfig({ cwd: dir, profile: 'branch', env });
    expect(r.profile).toBe('branch');
    expect([r.config.smtp.host, r.config.smtp.port, r.config.device.name]).toEqual(['mail.example.com', 587, 'main']);
  });

  test('an unknown profile: exit 78, naming the known ones', async () => {
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', text);
    const err = await failure(loadConfig({ cwd: dir, profile: 'hq', env }));
    expect(err.exitCode).toBe(78);
    expect(err.message).toMatch(/no profile "hq"; known: branch, office/);
  });

  test('IFAX_SMTP_PASSWORD, IFAX_POP_PASSWORD, IFAX_LDAP_PASSWORD override the file and are registered as secrets', async () => {
    clearSecrets();
    const dir = tempDir();
    put(dir, '.ifaxrc.yaml', 'smtp:\n  auth:\n    password: "file-Secret-1"\n');
    const r = await loadConfig({ cwd: dir, env: { ...env, IFAX_SMTP_PASSWORD: 'env-Smtp-2', IFAX_POP_PASSWORD: 'env-Pop-3', IFAX_LDAP_PASSWORD: 'env-Ldap-4' } });
    expect(r.config.smtp.auth.password).toBe('env-Smtp-2');
    expect(r.config.pop.password).toBe('env-Pop-3');
    expect(r.config.ldap.password).toBe('env-Ldap-4');
    expect(r.fromEnv).toEqual(['smtp.auth.password', 'pop.password', 'ldap.password']);
    expect(redact('file-Secret-1 env-Smtp-2 env-Pop-3 env-Ldap-4')).toBe('******** ******** ******** ********');
  });

  test('a password file readable by group or others gives a warning; 0600 does not', async () => {
    const dir = tempDir();
    const file = put(dir, '.ifaxrc.yaml', 'pop:\n  password: "pw-12345"\n', 0o644);
    let r = await loadConfig({ cwd: dir, env });
    expect(r.warnings.join('\n')).toMatch(/holds a password and is readable by group and others \(mode 0644\); run: chmod 600/);
    chmodSync(file, 0o600);
    r = await loadConfig({ cwd: dir, env });
    expect(r.warnings).toEqual([]);
    put(dir, '.ifaxrc.yaml', 'pop:\n  user: fax\n', 0o644);
    expect((await loadConfig({ cwd: dir, env })).warnings).toEqual([]);
  });

  test('relative paths are relative to the profile file; ~/ is home; stateDir defaults to XDG', async () => {
    const dir = tempDir();
    put(dir, 'conf/.ifaxrc.yaml', 'tls:\n  caFile: certs/ca.pem\n  crlFile: ~/crl.pem\n');
    // Issue 8 item 12: the files must exist and hold a certificate / a CRL.
    const home = path.join(dir, 'home');
    put(dir, 'conf/certs/ca.pem', readFileSync(path.join(FIXTURES, 'ca.pem'), 'utf8'));
    put(home, 'crl.pem', readFileSync(path.join(FIXTURES, 'crl.pem'), 'utf8'));
    const r = await loadConfig({ cwd: dir, configPath: 'conf/.ifaxrc.yaml', env: { HOME: home, XDG_STATE_HOME: '/var/state' } });
    expect(r.config.tls.caFile).toBe(path.join(dir, 'conf/certs/ca.pem'));
    expect(r.config.tls.crlFile).toBe(path.join(home, 'crl.pem'));
    expect(r.config.stateDir).toBe('/var/state/ifax');
    const r2 = await loadConfig({ cwd: dir, configPath: 'conf/.ifaxrc.yaml', env: { HOME: home } });
    expect(r2.config.stateDir).toBe(path.join(home, '.local/state/ifax'));
  });
});
