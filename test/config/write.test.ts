import { lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { atomicWrite, editProfileText } from '../../src/config/write.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ifax-write-'));
}

describe('editing a profile keeps its format', () => {
  const yaml = '# station profile\nsmtp:\n  # our relay\n  host: old.example.com # inline note\n  port: 25\n';

  test('YAML: comments stay, the value changes in place', () => {
    const out = editProfileText(yaml, 'yaml', ['smtp', 'host'], 'new.example.com');
    expect(out).toBe('# station profile\nsmtp:\n  # our relay\n  host: new.example.com # inline note\n  port: 25\n');
  });

  test('YAML: new sections are created, lists are written in flow style, null and removal work', () => {
    let out = editProfileText(yaml, 'yaml', ['smtp', 'auth', 'methods'], ['CRAM-MD5', 'PLAIN']);
    out = editProfileText(out, 'yaml', ['device', 'name'], null);
    out = editProfileText(out, 'yaml', ['smtp', 'port'], undefined);
    // Issue 8 item 13: no padding inside the brackets, as .ifaxrc.example writes lists.
    expect(out).toContain('methods: [CRAM-MD5, PLAIN]');
    expect(YAML.parse(out)).toEqual({ smtp: { host: 'old.example.com', auth: { methods: ['CRAM-MD5', 'PLAIN'] } }, device: { name: null } });
    expect(out).toContain('# our relay');
  });

  test('YAML: a null parent becomes a map', () => {
    expect(YAML.parse(editProfileText('profiles:\n', 'yaml', ['profiles', 'office', 'smtp', 'port'], 587))).toEqual({ profiles: { office: { smtp: { port: 587 } } } });
  });

  test('YAML: untouched values stay as written; the new value goes in place or at the end of its section', () => {
    const text = '# site\nreceiveCaps:\n    compression: [MH, MR]   # what we take\n    paperSizes: [ A4 ]\nsend:\n    subject: "a long subject line that goes on and on and on and on and on and on and on and on {pages}"\n    mode: simple\nlist: {a: 1}\n\n# the end\n';
    let out = editProfileText(text, 'yaml', ['send', 'mode'], 'full');
    expect(out).toBe(text.replace('mode: simple', 'mode: full'));
    out = editProfileText(out, 'yaml', ['receiveCaps', 'paperSizes'], ['A4', 'B4']);
    expect(out).toBe(text.replace('mode: simple', 'mode: full').replace('paperSizes: [ A4 ]', 'paperSizes: [A4, B4]'));
    out = editProfileText(text, 'yaml', ['send', 'resolution'], 'fine');
    expect(out).toBe(text.replace('    mode: simple\n', '    mode: simple\n    resolution: fine\n'));
    out = editProfileText(text, 'yaml', ['smtp', 'auth', 'methods'], ['PLAIN']);
    expect(out).toBe(text.replace('list: {a: 1}\n', 'list: {a: 1}\nsmtp:\n    auth:\n        methods: [PLAIN]\n'));
    // A quoted string stays quoted.
    expect(editProfileText('device:\n  name: "old"\n', 'yaml', ['device', 'name'], 'new')).toBe('device:\n  name: "new"\n');
    // A string that would read as another type is quoted.
    expect(YAML.parse(editProfileText('device:\n  name: old\n', 'yaml', ['device', 'name'], 'true'))).toEqual({ device: { name: 'true' } });
  });

  test('JSON keeps its indentation; package.json edits the "ifax" key only', () => {
    const json = '{\n    "smtp": {\n        "port": 25\n    }\n}\n';
    expect(editProfileText(json, 'json', ['smtp', 'port'], 587)).toBe('{\n    "smtp": {\n        "port": 587\n    }\n}\n');
    const pkg = '{\n  "name": "site",\n  "ifax": {}\n}\n';
    expect(JSON.parse(editProfileText(pkg, 'package-json', ['device', 'name'], 'x'))).toEqual({ name: 'site', ifax: { device: { name: 'x' } } });
  });

  test('a .ifaxrc without extension holding JSON stays JSON', () => {
    expect(editProfileText('{"smtp": {"port": 25}}', 'yaml', ['smtp', 'port'], 26)).toBe('{\n  "smtp": {\n    "port": 26\n  }\n}');
  });

  test('JavaScript profiles cannot be edited', () => {
    expect(() => editProfileText('module.exports = {}', 'js', ['smtp', 'port'], 1, '/x/.ifaxrc.js')).toThrow(/\/x\/\.ifaxrc\.js is JavaScript, which ifax cannot edit/);
  });
});

describe('atomic write', () => {
  test('a new file is 0600 whatever the umask, and no temp file is left', async () => {
    const dir = tempDir();
    const old = process.umask(0o000);
    try {
      await atomicWrite(path.join(dir, 'p.yaml'), 'a: 1\n');
    } finally {
      process.umask(old);
    }
    expect(statSync(path.join(dir, 'p.yaml')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['p.yaml']);
  });

  test('an existing file keeps its mode', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, 'a: 1\n', { mode: 0o640 });
    await atomicWrite(file, 'a: 2\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toBe('a: 2\n');
  });

  test('exclusive refuses to overwrite', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, 'a: 1\n');
    await expect(atomicWrite(file, 'a: 2\n', { exclusive: true })).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n');
  });

  test('a symlinked profile is written through the link', async () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.yaml');
    writeFileSync(real, 'a: 1\n', { mode: 0o600 });
    symlinkSync(real, path.join(dir, '.ifaxrc.yaml'));
    await atomicWrite(path.join(dir, '.ifaxrc.yaml'), 'a: 2\n');
    expect(lstatSync(path.join(dir, '.ifaxrc.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a: 2\n');
  });

  test('a directory that cannot be written: OUTPUT_FAILED (exit 73)', async () => {
    await expect(atomicWrite('/nonexistent-dir/p.yaml', 'a: 1\n')).rejects.toMatchObject({ code: 'OUTPUT_FAILED', exitCode: 73 });
  });
});
