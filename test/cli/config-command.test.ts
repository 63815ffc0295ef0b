import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot, runCli, type CliResult } from '../helpers/run-cli.js';
import { INVALID_CASES } from '../config/cases.js';

/** A temp dir that is a project root (package.json), so the search never leaves it. */
function project(files: Record<string, string> = {}, mode = 0o600): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-cli-config-'));
  writeFileSync(path.join(dir, 'package.json'), '{"name": "fax-site", "private": true}\n');
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    chmodSync(file, mode);
  }
  return dir;
}

function ifax(dir: string, args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  return runCli(args, { cwd: dir, env: { HOME: dir, ...env }, input: input === undefined ? undefined : Buffer.from(input) });
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function json<T = Record<string, unknown>>(r: CliResult): T {
  return JSON.parse(r.stdout) as T;
}

describe('ifax config: help', () => {
  test('config --help lists the subcommands with examples; each subcommand has examples', () => {
    const r = runCli(['config', '--help']);
    expect(r.code).toBe(0);
    for (const sub of ['init', 'show', 'get', 'set', 'validate', 'path']) expect(r.stdout).toContain(sub);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ ifax config/);
    for (const sub of ['init', 'show', 'get', 'set', 'validate', 'path']) {
      const h = runCli(['config', sub, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`Usage: ifax config ${sub}`));
      expect(h.stdout).toMatch(/Examples:\n {2}\$ /);
    }
  });

  test('an unknown subcommand is a usage error', () => {
    expect(ifax(project(), ['config', 'frobnicate']).code).toBe(64);
  });
});

describe('ifax config validate', () => {
  test('.ifaxrc.example validates (exit 0)', () => {
    const r = runCli(['--config', '.ifaxrc.example', 'config', 'validate'], { cwd: repoRoot });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\.ifaxrc\.example: valid/);
  });

  test('the example profiles validate, each named profile too', () => {
    for (const file of ['examples/office.yaml', 'examples/minimal.json', 'examples/office-server.yaml', 'examples/microsoft-365.yaml']) {
      // The sending examples are complete (--strict) and keep the passwords out of the file,
      // as they should: those come from the environment.
      const strict = file.includes('office-server') || file.includes('365') ? ['--strict'] : [];
      const r = runCli(['--config', file, 'config', 'validate', ...strict, '--json'], { cwd: repoRoot, env: { IFAX_SMTP_PASSWORD: 'x-123', IFAX_POP_PASSWORD: 'y-123' } });
      expect([file, r.code]).toEqual([file, 0]);
      expect(json(r)).toMatchObject({ valid: true });
    }
    for (const profile of ['office', 'branch', 'home-office']) {
      const r = runCli(['--config', 'examples/office.yaml', '--profile', profile, 'config', 'show', '--json'], { cwd: repoRoot, env: { IFAX_SMTP_PASSWORD: 'x-123', IFAX_POP_PASSWORD: 'y-123' } });
      expect([profile, r.code]).toEqual([profile, 0]);
    }
  });

  // One binary run checks every case: each is a named profile of one file, so its
  // problems come out under profiles.<case>. (Cases about `profiles` itself run alone.)
  const nested = INVALID_CASES.filter((c) => !c.key.startsWith('profiles'));
  test('exit 78 naming the key, for every limit and enum (one file, one profile per case)', () => {
    const profiles = Object.fromEntries(nested.map((c, i) => [`case${i}`, c.profile]));
    const dir = project({ '.ifaxrc.json': JSON.stringify({ profiles }) });
    const r = ifax(dir, ['config', 'validate']);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').map((l) => l.trim());
    nested.forEach((c, i) => {
      const line = lines.find((l) => l.startsWith(`profiles.case${i}.${c.key}:`));
      if (!line) throw new Error(`${c.name}: no line for profiles.case${i}.${c.key} in:\n${r.stderr}`);
      expect([c.name, line]).toEqual([c.name, expect.stringMatching(c.message)]);
    });
  });

  // And one file per case for a sample of each kind: lengths, counts, host syntax, ports,
  // unknown keys, AUTH methods, compressions, TLS modes, rules between keys, profiles.
  const sample = [
    'device.name longer than 80', 'more than 20 sender names', 'a sender name longer than 30', 'smtp.host 999.1.1.1',
    'smtp.host a URL', 'smtp.port 65536', 'unknown AUTH method', 'receiveCaps compression unknown', 'compression.bw unknown',
    'smtp.tls unknown mode', 'pop.tls unknown mode', 'unknown key with a suggestion', 'POP before SMTP without POP host',
    'a profile name with a space', 'an invalid key in a named profile', 'an unknown key in a named profile',
  ];
  test.each(INVALID_CASES.filter((c) => sample.includes(c.name)).map((c) => [c.name, c] as const))('exit 78 naming the key: %s', (_name, c) => {
    const dir = project({ '.ifaxrc.json': JSON.stringify(c.profile) });
    const r = ifax(dir, ['config', 'validate']);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    const line = r.stderr.split('\n').find((l) => l.trim().startsWith(`${c.key}:`));
    if (!line) throw new Error(`no line for ${c.key} in:\n${r.stderr}`);
    expect(line).toMatch(c.message);
  });

  test('every problem is printed, each on its own line, and --json gives one error document', () => {
    const dir = project({ '.ifaxrc.yaml': 'device:\n  name: "a b"\nsmtp:\n  hots: x\n  port: 0\n  auth:\n    methods: [PLAIN, XOAUTH2]\n' });
    const r = ifax(dir, ['config', 'validate']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/has 4 problems:/);
    for (const key of ['device.name', 'smtp.hots', 'smtp.port', 'smtp.auth.methods']) expect(r.stderr).toMatch(new RegExp(`\\n {2}${key.replace('.', '\\.')}: `));
    expect(r.stderr).toMatch(/did you mean smtp\.host\?/);
    const j = ifax(dir, ['config', 'validate', '--json']);
    expect(j.code).toBe(78);
    const doc = json<{ error: { code: string; message: string } }>(j);
    expect(doc.error.code).toBe('CONFIG_INVALID');
    expect(doc.error.message).toMatch(/XOAUTH2/);
  });

  test('with no profile: exit 78 with a hint to init', () => {
    const r = ifax(project(), ['config', 'validate']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/no profile found/);
    expect(r.stderr).toMatch(/hint: .*ifax config init/);
  });

  test('valid but doubtful settings are warnings on stderr, exit 0', () => {
    const dir = project({ '.ifaxrc.yaml': 'smtp:\n  port: 465\n' });
    const r = ifax(dir, ['config', 'validate', '--json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ valid: true, warnings: [expect.stringMatching(/SMTPS/)] });
    expect(r.stderr).toMatch(/warning: smtp\.port 465 is the SMTPS/);
  });

  test('--profile: unknown name exits 78 listing the known ones', () => {
    const dir = project({ '.ifaxrc.yaml': 'profiles:\n  office: {}\n  branch: {}\n' });
    const r = ifax(dir, ['--profile', 'hq', 'config', 'validate']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/no profile "hq"; known: office, branch/);
    expect(ifax(dir, ['--profile', 'hq', 'config', 'show']).code).toBe(78);
  });
});

describe('ifax config init', () => {
  test('writes a commented starter .ifaxrc.yaml, mode 0600, that validates; refuses to overwrite without --force', () => {
    const dir = project();
    const r = ifax(dir, ['config', 'init']);
    expect(r.code).toBe(0);
    const file = path.join(dir, '.ifaxrc.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/# SMTP server/);
    expect(ifax(dir, ['config', 'validate']).code).toBe(0);
    writeFileSync(file, 'device:\n  name: mine\n');
    const again = ifax(dir, ['config', 'init']);
    expect(again.code).toBe(73);
    expect(again.stderr).toMatch(/exists/);
    expect(again.stderr).toMatch(/--force/);
    expect(readFileSync(file, 'utf8')).toBe('device:\n  name: mine\n');
    expect(ifax(dir, ['config', 'init', '--force']).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/# SMTP server/);
  });

  test('--config chooses the file; .json gives JSON; --json reports it', () => {
    const dir = project();
    const r = ifax(dir, ['--config', 'etc/fax.json', 'config', 'init', '--json']);
    expect(r.code).toBe(73); // the directory does not exist
    mkdirSync(path.join(dir, 'etc'));
    const ok = ifax(dir, ['--config', 'etc/fax.json', 'config', 'init', '--json']);
    expect(ok.code).toBe(0);
    expect(json(ok)).toEqual({ written: path.join(dir, 'etc/fax.json'), mode: '0600' });
    expect(JSON.parse(readFileSync(path.join(dir, 'etc/fax.json'), 'utf8')).smtp.port).toBe(25);
  });
});

describe('ifax config show / get / path', () => {
  const text = '# site profile\ndevice:\n  name: main\n  email: fax@example.com\nsmtp:\n  host: mail.example.com\nprofiles:\n  branch:\n    smtp:\n      port: 587\n';

  test('show prints the effective profile as YAML, or JSON with --json', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    const r = ifax(dir, ['config', 'show']);
    expect(r.code).toBe(0);
    const shown = YAML.parse(r.stdout) as { smtp: { host: string; port: number }; stateDir: string };
    expect(shown.smtp).toMatchObject({ host: 'mail.example.com', port: 25 });
    expect(shown.stateDir).toBe(path.join(dir, '.local/state/ifax'));
    const j = ifax(dir, ['--profile', 'branch', 'config', 'show', '--json']);
    expect(json<{ smtp: { port: number }; device: { name: string } }>(j)).toMatchObject({ smtp: { port: 587 }, device: { name: 'main' } });
  });

  test('get prints one value; sections as YAML; --json gives {key, value}', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    expect(ifax(dir, ['config', 'get', 'smtp.host']).stdout).toBe('mail.example.com\n');
    expect(ifax(dir, ['config', 'get', 'smtp.auth.methods']).stdout).toBe('GSSAPI,NTLM,DIGEST-MD5,CRAM-MD5,LOGIN,PLAIN\n');
    expect(ifax(dir, ['config', 'get', 'device.email', '--json']).stdout).toBe('{\n  "key": "device.email",\n  "value": "fax@example.com"\n}\n');
    expect(YAML.parse(ifax(dir, ['config', 'get', 'smtp.certVerify']).stdout)).toMatchObject({ cn: true, chain: true });
    expect(ifax(dir, ['--profile', 'branch', 'config', 'get', 'smtp.port']).stdout).toBe('587\n');
    expect(ifax(dir, ['config', 'get', 'profiles.branch.smtp.port']).stdout).toBe('587\n');
  });

  test('get of an unknown key: exit 64 with the nearest key', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    const r = ifax(dir, ['config', 'get', 'smtp.hots']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown key "smtp\.hots"; did you mean smtp\.host\?/);
  });

  test('path says which file and why: search, --config, package.json key', () => {
    const dir = project({ '.ifaxrc.yaml': text, 'sub/dir/.keep': '' });
    const r = ifax(path.join(dir, 'sub/dir'), ['config', 'path']);
    expect(r.code).toBe(0);
    // Issue 8 item 10: the search order follows the file and the reason.
    expect(r.stdout).toMatch(new RegExp(`^${esc(path.join(dir, '.ifaxrc.yaml'))}\\n\\(found searching up from ${esc(path.join(dir, 'sub/dir'))}\\)\\nsearch order:\\n  1\\. from `));
    const c = ifax(dir, ['--config', '.ifaxrc.yaml', 'config', 'path', '--json']);
    expect(json(c)).toMatchObject({ file: path.join(dir, '.ifaxrc.yaml'), reason: 'config-option' });
    const pkgDir = project();
    writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'x', ifax: { smtp: { host: 'h.example.com' } } }));
    expect(json(ifax(pkgDir, ['config', 'path', '--json']))).toMatchObject({ reason: 'package-json', file: path.join(pkgDir, 'package.json') });
    expect(ifax(project(), ['config', 'path']).code).toBe(78);
    expect(ifax(dir, ['--config', 'nope.yaml', 'config', 'path']).code).toBe(66); // CLI.md: a missing --config FILE is a missing input
  });
});

describe('ifax config: the profile cron finds (user and system profiles)', () => {
  test('init --global writes ~/.config/ifax/config.yaml (0600, directory 0700); any folder finds it; path shows the order', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ifax-cli-home-'));
    const sys = path.join(home, 'no-etc');
    const env = { HOME: home, IFAX_SYSTEM_CONFIG_DIR: sys };
    const i = runCli(['config', 'init', '--global', '--json'], { cwd: home, env });
    expect(i.code).toBe(0);
    const file = path.join(home, '.config/ifax/config.yaml');
    expect(json(i)).toMatchObject({ written: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(runCli(['config', 'init', '--global'], { cwd: home, env }).code).toBe(73);
    expect(runCli(['--config', 'x.yaml', 'config', 'init', '--global'], { cwd: home, env }).code).toBe(64);

    // cron runs in the home directory; a project without a profile finds it too.
    const proj = project();
    const set = runCli(['config', 'set', 'device.name', 'cron-fax'], { cwd: proj, env });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(file);
    expect(runCli(['config', 'get', 'device.name'], { cwd: home, env }).stdout).toBe('cron-fax\n');
    const p = runCli(['config', 'path'], { cwd: proj, env });
    expect(p.code).toBe(0);
    const lines = p.stdout.split('\n');
    expect(lines[0]).toBe(file);
    expect(lines[1]).toMatch(/the user's profile \(\$XDG_CONFIG_HOME\/ifax\)/);
    expect(lines.slice(2, 7)).toEqual([
      'search order:',
      expect.stringMatching(new RegExp(`^  1\\. from ${esc(proj)} up to the project root`)),
      `  2. ${path.join(home, '.config/ifax')}/: config.yaml, config.yml, config.json, config, config.js, config.cjs, config.mjs`,
      `  3. ${home}/: .ifaxrc, .ifaxrc.json, .ifaxrc.yaml, .ifaxrc.yml, .ifaxrc.js, .ifaxrc.cjs, .ifaxrc.mjs`,
      `  4. ${path.join(sys, 'config.yaml')}`,
    ]);
    expect(json(runCli(['config', 'path', '--json'], { cwd: proj, env }))).toMatchObject({ file, reason: 'user', searchOrder: expect.any(Array) });
    // XDG_CONFIG_HOME moves it.
    const xdg = path.join(home, 'xdg');
    const x = runCli(['config', 'init', '--global', '--json'], { cwd: home, env: { ...env, XDG_CONFIG_HOME: xdg } });
    expect(json(x)).toMatchObject({ written: path.join(xdg, 'ifax/config.yaml') });
  });

  test('~/.ifaxrc.yaml, then the system profile (IFAX_SYSTEM_CONFIG_DIR stands for /etc/ifax); nothing found names the four places', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ifax-cli-home-'));
    const sys = path.join(home, 'etc-ifax');
    const env = { HOME: home, IFAX_SYSTEM_CONFIG_DIR: sys };
    const proj = project();
    const none = runCli(['config', 'show'], { cwd: proj, env });
    expect(none.code).toBe(78);
    expect(none.stderr).toContain(path.join(sys, 'config.yaml'));
    expect(none.stderr).toContain(path.join(home, '.config/ifax'));
    expect(none.stderr).toMatch(/config init --global/);
    mkdirSync(sys);
    writeFileSync(path.join(sys, 'config.yaml'), 'device:\n  name: system\n');
    expect(json(runCli(['config', 'path', '--json'], { cwd: proj, env }))).toMatchObject({ reason: 'system', file: path.join(sys, 'config.yaml') });
    expect(runCli(['config', 'get', 'device.name'], { cwd: proj, env }).stdout).toBe('system\n');
    writeFileSync(path.join(home, '.ifaxrc.yaml'), 'device:\n  name: home-rc\n', { mode: 0o600 });
    expect(runCli(['config', 'get', 'device.name'], { cwd: proj, env }).stdout).toBe('home-rc\n');
    // The project's own profile wins over all of them.
    writeFileSync(path.join(proj, '.ifaxrc.yaml'), 'device:\n  name: project\n', { mode: 0o600 });
    expect(runCli(['config', 'get', 'device.name'], { cwd: proj, env }).stdout).toBe('project\n');
  });
});

describe('ifax config: completeness, not just syntax', () => {
  const fixtures = path.join(repoRoot, 'test/fixtures/tls');

  test('a tls.caFile or tls.crlFile that is missing or holds no certificate/CRL: exit 78 wherever the profile is loaded, naming the key and the file', () => {
    const dir = project({ '.ifaxrc.yaml': 'tls:\n  caFile: certs/ca.pem\n  crlFile: notes.txt\n', 'notes.txt': 'pw Top-Secret-9\n' });
    for (const args of [['config', 'validate'], ['config', 'show'], ['config', 'get', 'tls.caFile']]) {
      const r = ifax(dir, args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 78]);
      expect(r.stderr).toMatch(/tls\.caFile: a PEM or DER file of CA certificates; got "certs\/ca\.pem" \(.*certs\/ca\.pem\), which does not exist/);
      expect(r.stderr).toMatch(/tls\.crlFile: .*got "notes\.txt" \(.*\), which holds no CRL/);
      expect(r.stderr).not.toContain('Top-Secret-9');
    }
    mkdirSync(path.join(dir, 'certs'));
    writeFileSync(path.join(dir, 'certs/ca.pem'), readFileSync(path.join(fixtures, 'ca.pem')));
    writeFileSync(path.join(dir, 'notes.txt'), readFileSync(path.join(fixtures, 'crl.der')));
    const ok = ifax(dir, ['config', 'validate']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });

  test('config set of a TLS file that does not hold one: exit 78, nothing written', () => {
    const dir = project({ '.ifaxrc.yaml': 'smtp:\n  host: mail.example.com\n' });
    const before = readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8');
    const r = ifax(dir, ['config', 'set', 'tls.caFile', 'package.json']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/tls\.caFile: .*"package\.json".*which holds no certificate/);
    expect(readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8')).toBe(before);
    const ok = ifax(dir, ['config', 'set', 'tls.caFile', path.join(fixtures, 'ca.der')]);
    expect(ok.code).toBe(0);
  });

  test('a function switched on that cannot work is a warning naming the keys; an error with validate --strict', () => {
    const dir = project({ '.ifaxrc.yaml': 'ifax:\n  enabled: true\ndevice:\n  email: fax@example.com\nsmtp:\n  host: mail.example.com\npop:\n  enabled: true\n  host: pop.example.com\n' });
    const r = ifax(dir, ['config', 'validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/poll will refuse until these are set: pop\.user: required to poll; got null; pop\.password: required to poll \(or set IFAX_POP_PASSWORD\); got null/);
    expect(r.stderr).toMatch(/alerts cannot be mailed until this is set: notify\.adminEmail: required by smtp\.alertNotification/);
    const s = ifax(dir, ['config', 'validate', '--strict']);
    expect(s.code).toBe(78);
    expect(s.stdout).toBe('');
    expect(s.stderr).toMatch(/config validate --strict failed: .* has 3 problems:\n {2}pop\.user: required to poll; got null\n {2}pop\.password: .*\n {2}notify\.adminEmail: required by smtp\.alertNotification/);
    const j = ifax(dir, ['config', 'validate', '--strict', '--json']);
    expect(j.code).toBe(78);
    // Complete it: --strict passes. (The password from the environment counts.)
    writeFileSync(path.join(dir, '.ifaxrc.yaml'), readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8') + '  user: fax\nnotify:\n  adminEmail: admin@example.com\n');
    const done = ifax(dir, ['config', 'validate', '--strict'], { IFAX_POP_PASSWORD: 'pw-123456' });
    expect([done.code, done.stderr]).toEqual([0, '']);
    // I-Fax off: nothing is switched on, nothing to complete.
    const off = ifax(project({ '.ifaxrc.yaml': 'pop:\n  enabled: true\n' }), ['config', 'validate', '--strict']);
    expect([off.code, off.stderr]).toEqual([0, '']);
  });
});

describe('ifax config set', () => {
  const text = '# site profile\nsmtp:\n  # the relay of the building\n  host: old.example.com # since 2019\n';

  test('parses by type, keeps the YAML comments, validates first', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    const file = path.join(dir, '.ifaxrc.yaml');
    expect(ifax(dir, ['config', 'set', 'smtp.host', 'new.example.com']).code).toBe(0);
    expect(ifax(dir, ['config', 'set', 'smtp.port', '587']).code).toBe(0);
    expect(ifax(dir, ['config', 'set', 'smtp.auth.methods', 'CRAM-MD5,LOGIN']).code).toBe(0);
    expect(ifax(dir, ['config', 'set', 'header.senderNames', '["Sales", "Front desk"]']).code).toBe(0);
    expect(ifax(dir, ['config', 'set', 'ifax.enabled', 'yes']).code).toBe(0);
    expect(ifax(dir, ['config', 'set', 'smtp.maxMailSizeKB', 'null']).code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('# the relay of the building');
    expect(after).toContain('host: new.example.com # since 2019');
    expect(YAML.parse(after)).toEqual({
      smtp: { host: 'new.example.com', port: 587, auth: { methods: ['CRAM-MD5', 'LOGIN'] }, maxMailSizeKB: null },
      header: { senderNames: ['Sales', 'Front desk'] },
      ifax: { enabled: true },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a value that breaks a limit or a rule: exit 78, the key named, nothing written', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    const before = readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8');
    for (const [key, value, message] of [
      ['smtp.port', '70000', /smtp\.port: a whole number 1-65535; got 70000/],
      ['smtp.port', 'abc', /smtp\.port: a whole number 1-65535; got "abc"/],
      ['smtp.host', '999.1.1.1', /smtp\.host: .*not a valid IPv4/],
      ['smtp.auth.methods', 'PLAIN,XOAUTH2', /unknown method "XOAUTH2"/],
      ['smtp.tls', 'ssl', /one of off, smtps, starttls; got "ssl"/],
      ['smtp.popBeforeSmtp.enabled', 'true', /pop\.host: required by smtp\.popBeforeSmtp\.enabled/],
    ] as const) {
      const r = ifax(dir, ['config', 'set', key, value]);
      expect([key, value, r.code]).toEqual([key, value, 78]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing written/);
    }
    expect(readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8')).toBe(before);
  });

  test('a value that fixes a broken profile is accepted', () => {
    const dir = project({ '.ifaxrc.yaml': 'smtp:\n  port: 0\n' });
    expect(ifax(dir, ['config', 'validate']).code).toBe(78);
    expect(ifax(dir, ['config', 'set', 'smtp.port', '25']).code).toBe(0);
    expect(ifax(dir, ['config', 'validate']).code).toBe(0);
  });

  test('unknown keys and groups are usage errors (64)', () => {
    const dir = project({ '.ifaxrc.yaml': text });
    const r = ifax(dir, ['config', 'set', 'smtp.hots', 'x']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/did you mean smtp\.host\?/);
    const g = ifax(dir, ['config', 'set', 'smtp.auth', 'x']);
    expect(g.code).toBe(64);
    expect(g.stderr).toMatch(/smtp\.auth is a group of settings; name one of them: smtp\.auth\.enabled/);
  });

  test('JSON stays JSON; a named profile gets the key; a .js profile cannot be edited (73)', () => {
    const dir = project({ 'ifax.config.json': '{\n    "profiles": {\n        "branch": {}\n    }\n}\n' });
    expect(ifax(dir, ['--profile', 'branch', 'config', 'set', 'smtp.port', '587']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'ifax.config.json'), 'utf8')).toBe('{\n    "profiles": {\n        "branch": {\n            "smtp": {\n                "port": 587\n            }\n        }\n    }\n}\n');
    expect(ifax(dir, ['config', 'set', 'profiles.home.smtp.port', '2525']).code).toBe(0);
    expect(json(ifax(dir, ['--profile', 'home', 'config', 'get', 'smtp.port', '--json']))).toEqual({ key: 'smtp.port', value: 2525 });
    const js = project({ '.ifaxrc.cjs': 'module.exports = { smtp: { port: 25 } };' });
    const r = ifax(js, ['config', 'set', 'smtp.port', '587']);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/is JavaScript, which ifax cannot edit/);
  });

  test('no profile: exit 78 with a hint to init', () => {
    const r = ifax(project(), ['config', 'set', 'smtp.port', '587']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/ifax config init/);
  });

  test('a password from stdin; mode narrowed to 0600 when the file now holds one', () => {
    const dir = project({ '.ifaxrc.yaml': 'smtp:\n  auth:\n    user: fax\n' }, 0o644);
    const r = ifax(dir, ['config', 'set', 'smtp.auth.password', '-'], {}, 'Stdin-Secret-77\n');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('Stdin-Secret-77');
    expect(r.stdout).toMatch(/smtp\.auth\.password = \*{8}/);
    expect(r.stderr).toMatch(/now holds a password: its mode is now 0600/);
    expect(statSync(path.join(dir, '.ifaxrc.yaml')).mode & 0o777).toBe(0o600);
    expect(YAML.parse(readFileSync(path.join(dir, '.ifaxrc.yaml'), 'utf8')).smtp.auth.password).toBe('Stdin-Secret-77');
  });
});

describe('passwords never show', () => {
  const secrets = { smtp: 'Smtp-File-Secret-1', pop: 'Pop-File-Secret-2', ldap: 'Ldap-File-Secret-3' };
  const envSecrets = { IFAX_SMTP_PASSWORD: 'Smtp-Env-Secret-4', IFAX_POP_PASSWORD: 'Pop-Env-Secret-5', IFAX_LDAP_PASSWORD: 'Ldap-Env-Secret-6' };
  const profile = [
    'smtp:',
    '  host: mail.example.com',
    '  auth:',
    '    enabled: true',
    '    user: fax',
    `    password: "${secrets.smtp}"`,
    'pop:',
    '  host: pop.example.com',
    '  user: fax',
    `  password: "${secrets.pop}"`,
    'ldap:',
    '  enabled: true',
    '  url: ldaps://dc.example.com',
    '  baseDn: dc=example,dc=com',
    '  bindDn: cn=fax,dc=example,dc=com',
    `  password: "${secrets.ldap}"`,
    'profiles:',
    '  branch:',
    '    smtp:',
    '      auth:',
    '        password: "Branch-Secret-7"',
    '',
  ].join('\n');
  const all = [...Object.values(secrets), ...Object.values(envSecrets), 'Branch-Secret-7'];

  const commands: string[][] = [
    ['config', 'show'],
    ['config', 'show', '--json'],
    ['config', 'show', '-vv'],
    ['--profile', 'branch', 'config', 'show', '--json', '-v'],
    ['config', 'get', 'smtp.auth.password'],
    ['config', 'get', 'smtp.auth.password', '--json'],
    ['config', 'get', 'pop.password'],
    ['config', 'get', 'ldap.password', '--json'],
    ['config', 'get', 'smtp.auth'],
    ['config', 'get', 'smtp', '--json'],
    ['config', 'get', 'profiles.branch.smtp.auth.password'],
    ['config', 'validate', '-v'],
    ['config', 'validate', '--json'],
    ['config', 'path', '--json'],
  ];

  const modes = [['file passwords', {}], ['environment passwords', envSecrets]] as const;
  const cases = modes.flatMap(([what, env]) => commands.map((args) => [what, args.join(' '), args, env] as const));
  let dir: string;
  beforeAll(() => {
    dir = project({ '.ifaxrc.yaml': profile }, 0o644);
  });

  test.each(cases)('with %s: ifax %s prints none', (_what, _line, args, env) => {
    const r = ifax(dir, [...args], env);
    expect(r.code).toBe(0);
    for (const s of all) expect(r.stdout + r.stderr).not.toContain(s);
  });

  test('get of a password prints the mask; the permission warning names no secret', () => {
    expect(ifax(dir, ['config', 'get', 'smtp.auth.password'], envSecrets).stdout).toBe('********\n');
    const r = ifax(dir, ['config', 'show', '--json']);
    expect(r.stderr).toMatch(/holds a password and is readable by group and others \(mode 0644\)/);
    expect(JSON.parse(r.stdout).pop.password).toBe('********');
  });

  test('errors: an invalid profile, an invalid password from env, a refused set never print one', () => {
    const bad = profile.replace('host: mail.example.com', 'host: "mail example.com"');
    const dir = project({ '.ifaxrc.yaml': bad });
    const longEnv = 'L'.repeat(65);
    for (const args of [['config', 'validate'], ['config', 'show', '--json'], ['config', 'get', 'smtp.auth.password', '-v'], ['config', 'set', 'smtp.port', '0']]) {
      const r = ifax(dir, args, { IFAX_SMTP_PASSWORD: longEnv, IFAX_POP_PASSWORD: envSecrets.IFAX_POP_PASSWORD });
      expect(r.code).toBe(78);
      for (const s of [...all, longEnv]) expect(r.stdout + r.stderr).not.toContain(s);
      expect(r.stderr).toMatch(/smtp\.auth\.password: at most 64 characters; got 65 \(from IFAX_SMTP_PASSWORD\)/);
    }
    const long = project({ '.ifaxrc.yaml': `smtp:\n  auth:\n    password: "${'Q'.repeat(70)}"\n` });
    const r = ifax(long, ['config', 'validate', '--json']);
    expect(r.code).toBe(78);
    expect(r.stdout + r.stderr).not.toContain('Q'.repeat(70));
    const set = ifax(long, ['config', 'set', 'smtp.auth.password', 'Cli-Secret-8' + 'x'.repeat(60)]);
    expect(set.code).toBe(78);
    expect(set.stdout + set.stderr).not.toContain('Cli-Secret-8');
  });

  test('set with a password on the command line masks it and warns about ps/history', () => {
    const dir = project({ '.ifaxrc.yaml': 'pop:\n  user: fax\n' });
    const r = ifax(dir, ['config', 'set', 'pop.password', 'Cli-Secret-9', '--json', '-vv']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('Cli-Secret-9');
    expect(json(r)).toMatchObject({ key: 'pop.password', value: '********' });
    expect(r.stderr).toMatch(/shows in ps and shell history/);
  });
});

describe('the wizard', () => {
  test('not on a terminal: exit 64, with a hint to use config set', () => {
    const dir = project();
    const r = ifax(dir, ['config']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/not a terminal/);
    expect(r.stderr).toMatch(/hint: .*ifax config set KEY VALUE/);
    expect(existsSync(path.join(dir, '.ifaxrc.yaml'))).toBe(false);
  });

  test('with --json: exit 64, the wizard prints no JSON', () => {
    const r = ifax(project(), ['config', '--json']);
    expect(r.code).toBe(64);
    expect(json<{ error: { code: string } }>(r).error.code).toBe('USAGE');
  });

  test('an unknown --section: exit 64 naming the sections', () => {
    const r = ifax(project(), ['config', '--section', 'smpt']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown section "smpt"; did you mean smtp\?/);
    expect(r.stderr).toMatch(/ifax, device, header, smtp, tls, auth/);
  });
});
