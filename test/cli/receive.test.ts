/**
 * `ifax receive` and `ifax inbox` end to end: the built binary, a profile in a temp folder,
 * the MDN sent through the profile's SMTP (ifax's own client) to a real SMTP peer on
 * loopback (smtp-server). Exit codes as an MTA pipe reads them: 0, 65, 75; --json shapes.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { binPath, cleanEnv, repoRoot, runCli, type CliResult } from '../helpers/run-cli.js';
import { captureServer, cleanTempDirs, libtiffFax, pythonMail, tempDir, testPagePbm } from '../jobs/receive/receive-helpers.js';

let server: Awaited<ReturnType<typeof captureServer>>;
let dir: string;
let profile: string;
let stateDir: string;

beforeAll(async () => {
  server = await captureServer();
  dir = tempDir('ifax-receive-cli-');
  stateDir = path.join(dir, 'state');
  profile = path.join(dir, 'profile.yaml');
  writeFileSync(profile, stringify({ device: { name: 'RECEIVER', email: 'fax@station.test' }, smtp: { host: '127.0.0.1', port: server.port, tls: 'off', timeout: 10 }, stateDir }), { mode: 0o600 });
});
afterAll(async () => {
  await server.close();
  cleanTempDirs();
});

/** The binary without blocking this process (the SMTP peer runs in it). */
function ifaxAsync(args: string[], input?: Uint8Array): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: cleanEnv({ HOME: dir }) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

const ifax = (...args: string[]): CliResult => runCli(['--config', profile, ...args], { env: { HOME: dir } });

test('a saved fax: exit 0, --json in the CLI.md shape, then listed by ifax inbox', () => {
  const r = ifax('receive', 'test/fixtures/mail/corpus/cisco-onramp-fax.eml', '--json');
  expect([r.code, r.stderr]).toEqual([0, '']);
  const o = JSON.parse(r.stdout);
  expect(Object.keys(o).sort()).toEqual(['errors', 'mdnSent', 'other', 'partial', 'received', 'reports']);
  expect(o).toMatchObject({ reports: [], mdnSent: 0, partial: 0, other: 0, errors: [] });
  expect(o.received).toHaveLength(1);
  const fax = o.received[0];
  expect(Object.keys(fax).sort()).toEqual(['files', 'from', 'id', 'messageId', 'pages', 'subject']);
  expect(fax.files.map((f: string) => path.basename(f))).toEqual(['original.eml', 'fax.tif', 'fax.pdf', 'meta.json']);
  const list = ifax('inbox', '--json');
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout).faxes.map((f: { id: string }) => f.id)).toContain(fax.id);
  const one = ifax('inbox', fax.id.slice(-8));
  expect(one.code).toBe(0);
  expect(one.stdout).toMatch(/page 1: 1728 x 2270 px, 204 x 196 dpi \(fine\), MH/);
  const lines = ifax('inbox');
  expect(lines.stdout.split('\n')[0].split('\t').slice(0, 3)).toEqual([fax.id, expect.any(String), '1']);
});

test('an MTA pipe (stdin) with an MDN request: exit 0, the MDN sent through the profile SMTP with <>', async () => {
  const work = tempDir();
  const tif = libtiffFax(work, 'cli', testPagePbm(1728, 150, 9), ['-c', 'g4']);
  const mail = pythonMail(work, { from: 'Sender <sender@elsewhere.test>', to: 'fax@station.test', subject: 'via pipe', message_id: '<pipe.1@elsewhere.test>', return_path: 'sender@elsewhere.test', dnt: 'sender@elsewhere.test', tiffs: [{ path: tif, name: 'cli.tif' }] });
  const before = server.mails.length;
  const r = await ifaxAsync(['--config', profile, 'receive', '-', '--json', '--out', path.join(work, 'copies'), '--format', 'png'], mail);
  expect([r.code, r.stderr]).toEqual([0, '']);
  const o = JSON.parse(r.stdout);
  expect(o).toMatchObject({ mdnSent: 1, errors: [] });
  expect(readdirSync(path.join(work, 'copies'))).toEqual([`${o.received[0].id}-1.png`]);
  expect(server.mails.length).toBe(before + 1);
  const mdn = server.mails[server.mails.length - 1];
  expect(mdn.from).toBe('');
  expect(mdn.to).toEqual(['sender@elsewhere.test']);
  expect(mdn.raw.toString()).toMatch(/Original-Message-ID: <pipe\.1@elsewhere\.test>/);
});

test('an unreadable fax: exit 65, kept in other/, answered processed/error; --json has the error document', async () => {
  const bad = path.join(tempDir(), 'bad.eml');
  writeFileSync(bad, readFileSync('test/fixtures/mail/corpus/rfc3297-8.1-3-sender-resend-enhanced.eml'));
  const before = server.mails.length;
  const r = await ifaxAsync(['--config', profile, 'receive', bad, '--json']);
  expect(r.code).toBe(65);
  // No Return-Path (a saved file): the MDN address cannot be checked, and is answered.
  expect(server.mails.length).toBe(before + 1);
  expect(server.mails[before].raw.toString()).toMatch(/processed\/error/);
  expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'DATA_INVALID' });
  expect(readdirSync(path.join(stateDir, 'other')).length).toBeGreaterThan(0);
});

test('temporary trouble: a state directory that cannot be made exits 75 (the MTA tries again)', () => {
  const blocked = path.join(tempDir(), 'file');
  writeFileSync(blocked, 'x');
  const p = path.join(path.dirname(blocked), 'p.yaml');
  writeFileSync(p, stringify({ device: { email: 'fax@station.test' }, stateDir: path.join(blocked, 'state') }));
  const r = runCli(['--config', p, 'receive', 'test/fixtures/mail/corpus/cisco-onramp-fax.eml'], { env: { HOME: dir } });
  expect(r.code).toBe(75);
  expect(r.stderr).toMatch(/receiving failed/);
});

test('usage: --format without --out exits 64; a missing file exits 66', () => {
  expect(ifax('receive', 'x.eml', '--format', 'pdf').code).toBe(64);
  expect(ifax('receive', path.join(dir, 'missing.eml')).code).toBe(66);
});
