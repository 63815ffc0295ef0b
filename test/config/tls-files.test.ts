import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tlsFileProblem, tlsFileProblems } from '../../src/config/tls-files.js';
import { loadConfig } from '../../src/config/load.js';
import { validateProfile } from '../../src/config/commands.js';
import { problemText } from '../../src/config/messages.js';
import { repoRoot } from '../helpers/run-cli.js';

const FIX = path.join(repoRoot, 'test/fixtures/tls');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ifax-tls-files-'));
}

describe('tls.caFile and tls.crlFile: the file must hold what the key says', () => {
  test.each([
    ['tls.caFile', 'ca.pem'],
    ['tls.caFile', 'ca.der'],
    ['tls.crlFile', 'crl.pem'],
    ['tls.crlFile', 'crl.der'],
  ] as const)('%s %s is accepted', (key, name) => {
    expect(tlsFileProblem(key, path.join(FIX, name))).toBeNull();
  });

  test('a PEM bundle with text around the certificates is accepted', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bundle.crt');
    writeFileSync(file, `# our CAs\nsubject=CN = ifax test CA\n${readFileSync(path.join(FIX, 'ca.pem'), 'utf8')}`);
    expect(tlsFileProblem('tls.caFile', file)).toBeNull();
  });

  test('missing, a directory, a CRL as CA, a certificate as CRL, garbage: the key and the file are named, never the content', () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'notes.txt');
    writeFileSync(garbage, 'password: Top-Secret-9\n');
    const broken = path.join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nTop-Secret-9\n-----END CERTIFICATE-----\n');
    const cases: Array<[Parameters<typeof tlsFileProblem>[0], string, RegExp]> = [
      ['tls.caFile', path.join(dir, 'nope.pem'), /^tls\.caFile: a PEM or DER file of CA certificates; got ".*nope\.pem", which does not exist$/],
      ['tls.crlFile', dir, /^tls\.crlFile: a PEM or DER certificate revocation list; got ".*", which is not a file$/],
      ['tls.caFile', path.join(FIX, 'crl.pem'), /^tls\.caFile: .*crl\.pem", which holds no certificate$/],
      ['tls.crlFile', path.join(FIX, 'ca.pem'), /^tls\.crlFile: .*ca\.pem", which holds no CRL$/],
      ['tls.crlFile', path.join(FIX, 'ca.der'), /which holds no CRL$/],
      ['tls.caFile', garbage, /notes\.txt", which holds no certificate$/],
      ['tls.crlFile', garbage, /notes\.txt", which holds no CRL$/],
      ['tls.caFile', broken, /broken\.pem", which holds no certificate$/],
    ];
    for (const [key, file, message] of cases) {
      const p = tlsFileProblem(key, file);
      expect(p).not.toBeNull();
      const text = problemText(p!);
      expect(text).toMatch(message);
      expect(text).not.toContain('Top-Secret-9');
    }
  });

  test('paths are relative to the profile folder, ~/ is home; every named profile with everyProfile, only the one in use otherwise', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'certs'));
    copyFileSync(path.join(FIX, 'ca.pem'), path.join(dir, 'certs/ca.pem'));
    const env = { HOME: dir };
    const raw = { tls: { caFile: 'certs/ca.pem' }, profiles: { branch: { tls: { caFile: '~/certs/missing.pem', crlFile: 'crl.pem' } }, home: { tls: { caFile: '~/certs/ca.pem' } } } };
    expect(tlsFileProblems(raw, { base: dir, env })).toEqual([]);
    expect(tlsFileProblems(raw, { profile: 'home', base: dir, env })).toEqual([]);
    const all = tlsFileProblems(raw, { base: dir, env, everyProfile: true }).map(problemText);
    expect(all).toEqual([
      expect.stringMatching(/^profiles\.branch\.tls\.caFile: .*got "~\/certs\/missing\.pem" \(.*certs\/missing\.pem\), which does not exist$/),
      expect.stringMatching(/^profiles\.branch\.tls\.crlFile: .*got "crl\.pem" \(.*\), which does not exist$/),
    ]);
    expect(tlsFileProblems(raw, { profile: 'branch', base: dir, env }).map((p) => p.key)).toEqual(['profiles.branch.tls.caFile', 'profiles.branch.tls.crlFile']);
  });

  test('loading a profile whose tls.caFile is missing fails with CONFIG_INVALID (exit 78); config validate reports it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.ifaxrc.yaml'), 'tls:\n  caFile: ca.pem\n', { mode: 0o600 });
    const err = await loadConfig({ cwd: dir, env: { HOME: dir } }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 78, message: expect.stringMatching(/tls\.caFile: .*"ca\.pem" \(.*\), which does not exist/) });
    const v = await validateProfile({ cwd: dir, env: { HOME: dir } });
    expect(v.ok).toBe(false);
    copyFileSync(path.join(FIX, 'ca.pem'), path.join(dir, 'ca.pem'));
    expect((await loadConfig({ cwd: dir, env: { HOME: dir } })).config.tls.caFile).toBe(path.join(dir, 'ca.pem'));
    expect((await validateProfile({ cwd: dir, env: { HOME: dir } })).ok).toBe(true);
  });
});
