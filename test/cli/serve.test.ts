/**
 * `ifax serve` as a command (bin/ifax.js on dist/: npm run build), talked to by a client that is
 * not ours (Python's smtplib): it says where it listens (port 0: the kernel's choice, read from
 * its stderr), takes a fax mail for device.email with 250 and stores it (`ifax inbox --json`
 * lists it with its pages and PDF), refuses a stranger's address with 550, and ends with exit 0
 * on SIGTERM. No SMTP server is needed: ifaxAdvanced.mdnResponse is off. Every child runs
 * asynchronously, so the server keeps serving while the client talks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binPath, cleanEnv, repoRoot } from '../helpers/run-cli.js';

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A child with its output collected; `done` settles at its exit. */
function start(cmd: string, args: string[], input?: Buffer): { child: ChildProcess; out: { stdout: string; stderr: string }; done: Promise<Done> } {
  const child = spawn(cmd, args, { cwd: repoRoot, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString('utf8')));
  child.stdin!.end(input);
  const done = new Promise<Done>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...out }));
  });
  return { child, out, done };
}

const ifax = (args: string[]): Promise<Done> => start(process.execPath, [binPath, '--config', profile, ...args]).done;

/** Resolves once `text` of `child` matches `re` (checked on every chunk); rejects if it exits first. */
function waitFor(p: ReturnType<typeof start>, stream: 'stdout' | 'stderr', re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = re.exec(p.out[stream]);
      if (m) {
        p.child[stream]!.off('data', check);
        resolve(m);
      }
    };
    p.child[stream]!.on('data', check);
    check();
    void p.done.then((d) => reject(new Error(`ifax serve exited (${d.code ?? d.signal}) before ${String(re)} on ${stream}: ${d.stderr}`)));
  });
}

// One SMTP session: MAIL, then RCPT for each address (its reply kept), DATA when one was taken.
const SMTPLIB = String.raw`
import smtplib, sys, json
port, mail_file, rcpts = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
s = smtplib.SMTP('127.0.0.1', port, timeout=30)
s.ehlo('device.test')
s.mail('sender@device.test')
replies = {r: list(s.rcpt(r)) for r in rcpts}
ok = [r for r in rcpts if replies[r][0] == 250]
data = list(s.data(open(mail_file, 'rb').read())) if ok else None
s.quit()
print(json.dumps({'rcpt': {r: [c, m.decode()] for r, (c, m) in replies.items()}, 'data': data and [data[0], data[1].decode()]}))
`;

let dir: string;
let profile: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-serve-cli-'));
  profile = path.join(dir, 'ifax.json');
  writeFileSync(profile, JSON.stringify({ ifax: { enabled: true }, device: { name: 'SERVE-TEST', email: 'fax@station.test' }, stateDir: path.join(dir, 'state'), ifaxAdvanced: { mdnResponse: false } }));
  chmodSync(profile, 0o600);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('serve on port 0: a fax mail for device.email -> 250 and in the inbox with its pages; a stranger -> 550; SIGTERM -> exit 0', async () => {
  // The fax mail, as ifax's own sender builds it (a one-page PDF).
  const eml = path.join(dir, 'fax.eml');
  const built = await ifax(['send', path.join(repoRoot, 'test/fixtures/pdf/scan-g4.pdf'), '--to', 'fax@station.test', '--dry-run', '--out', eml]);
  expect(built.code).toBe(0);
  const messageId = /^Message-ID: (<[^>]+>)/im.exec(readFileSync(eml, 'latin1'))![1];

  const server = start(process.execPath, [binPath, '--config', profile, 'serve', '--listen', '127.0.0.1:0']);
  try {
    const [, port] = await waitFor(server, 'stderr', /listening on 127\.0\.0\.1:(\d+) for fax@station\.test/);
    expect(Number(port)).toBeGreaterThan(0);

    const client = await start('python3', ['-c', SMTPLIB, port, eml, 'fax@station.test', 'stranger@elsewhere.test']).done;
    expect([client.code, client.stderr]).toEqual([0, '']);
    const session = JSON.parse(client.stdout) as { rcpt: Record<string, [number, string]>; data: [number, string] };
    expect(session.rcpt['fax@station.test'][0]).toBe(250);
    expect(session.rcpt['stranger@elsewhere.test'][0]).toBe(550);
    expect(session.data[0]).toBe(250);

    // The server reports each mail it processed on stdout; the inbox is read after that.
    await waitFor(server, 'stdout', /received 1, reports 0, other 0, errors 0/);
    const inbox = await ifax(['inbox', '--json']);
    expect(inbox.code).toBe(0);
    const faxes = (JSON.parse(inbox.stdout) as { faxes: { messageId: string; pages: { page: number; width: number; resolution: string }[]; from: { address: string }; dir: string }[] }).faxes;
    expect(faxes).toHaveLength(1);
    expect(faxes[0]).toMatchObject({ messageId, from: { address: 'fax@station.test' } });
    expect(faxes[0].pages).toEqual([expect.objectContaining({ page: 1, width: 1728, resolution: 'fine' })]);
    // The PDF beside the TIFF, a real one (its header and trailer).
    const pdf = readFileSync(path.join(faxes[0].dir, 'fax.pdf'), 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  } finally {
    server.child.kill('SIGTERM');
  }
  const end = await server.done;
  expect([end.code, end.signal]).toEqual([0, null]);
  expect(end.stderr).toContain('stopping: no new mail is taken');
});
