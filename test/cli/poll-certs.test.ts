/**
 * POP3S with bad certificates through the poll path, with the built binary against the loopback
 * mail stack's Dovecot servers presenting each bad certificate (stack.tls.<variant>.pop3s):
 * with every pop.certVerify check on, `ifax config test pop` and `ifax poll` exit 77 naming the
 * check that failed, and the mailbox is untouched (a mail waiting in its Maildir stays in new/);
 * with that one check off (and revocation off where the issuer is unknown, so no OCSP answer can
 * be trusted), the session gets past TLS: config test logs in, and poll fetches the waiting
 * mail. The mailbox is recv2's, which only this file empties.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mailStack } from '../interop/stack.js';
import type { MailStack, TlsVariant } from '../interop/stack-types.js';
import { binPath, cleanEnv } from '../helpers/run-cli.js';

const LOGIN = 'recv2';
type Check = 'validity' | 'cn' | 'keyUsage' | 'chain' | 'revocation';
const ALL_ON: Record<Check, boolean> = { validity: true, cn: true, keyUsage: true, chain: true, revocation: true };
/** The check each bad certificate fails, and what else must be off for the login to proceed. */
const VARIANTS: [TlsVariant, Check, Check[]][] = [
  ['expired', 'validity', []],
  ['wrongcn', 'cn', []],
  ['untrusted', 'chain', ['revocation']],
  ['badku', 'keyUsage', []],
  ['revoked', 'revocation', []],
  ['nochain', 'chain', ['revocation']],
];

let stack: MailStack;
let root: string;
beforeAll(async () => {
  stack = await mailStack();
  root = mkdtempSync(path.join(tmpdir(), 'ifax-poll-certs-'));
  drain();
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const maildir = (): string => stack.maildir(LOGIN);
const listing = (): string[] => ['new', 'cur'].flatMap((d) => readdirSync(path.join(maildir(), d)).map((f) => `${d}/${f}`)).sort();
/** Empty the mailbox of what an earlier run left (this file owns it). */
function drain(): void {
  for (const d of ['new', 'cur']) for (const f of readdirSync(path.join(maildir(), d))) rmSync(path.join(maildir(), d, f));
}

/** One mail into the Maildir as an MTA delivers (tmp/, then renamed into new/, the mailbox's owner). */
function deliver(tag: string): string {
  const owner = statSync(maildir());
  const name = `${Date.now()}.ifax${process.pid}${tag}.localhost`;
  const tmp = path.join(maildir(), 'tmp', name);
  writeFileSync(tmp, `Return-Path: <someone@ifax.test>\nFrom: someone@ifax.test\nTo: ${LOGIN}@ifax.test\nSubject: waiting ${tag}\nMessage-ID: <${name}@ifax.test>\nDate: ${new Date().toUTCString()}\n\nnot a fax\n`);
  chownSync(tmp, owner.uid, owner.gid);
  renameSync(tmp, path.join(maildir(), 'new', name));
  return `new/${name}`;
}

function profile(name: string, port: number, certVerify: Record<Check, boolean>): string {
  const user = stack.users.find((u) => u.login === LOGIN)!;
  const file = path.join(root, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ifax: { enabled: true },
      device: { email: user.email },
      stateDir: path.join(root, name, 'state'),
      ifaxAdvanced: { mdnResponse: false },
      tls: { caFile: stack.pki.caFile },
      pop: { host: stack.host, tls: 'pop3s', sslPort: port, user: user.login, password: user.password, certVerify },
    }),
  );
  chmodSync(file, 0o600);
  return file;
}

function ifax(file: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [binPath, '--config', file, ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(VARIANTS)('POP3S presenting the %s certificate', (variant, check, alsoOff) => {
  test(`every check on: config test pop and poll exit 77 naming "${check}", nothing fetched`, () => {
    const waiting = deliver(variant);
    const before = listing();
    expect(before).toContain(waiting);
    const file = profile(`${variant}-on`, stack.tls[variant].pop3s, ALL_ON);
    for (const args of [['config', 'test', 'pop'], ['poll']]) {
      const r = ifax(file, ['--json', ...args]);
      const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
      expect([args.join(' '), r.code, doc.error.code]).toEqual([args.join(' '), 77, 'CERT_REJECTED']);
      expect(doc.error.message).toContain(`TLS check "${check}" failed`);
      expect(doc.error.hint).toContain(`pop.certVerify.${check}`);
    }
    expect(listing()).toEqual(before);
  });

  test(`"${check}"${alsoOff.map((c) => ` and "${c}"`).join('')} off: the login proceeds past TLS and poll fetches the waiting mail`, () => {
    const waiting = deliver(`${variant}off`);
    const before = listing(); // with the mail the test above left waiting
    const off = { ...ALL_ON, [check]: false, ...Object.fromEntries(alsoOff.map((c) => [c, false])) };
    const file = profile(`${variant}-off`, stack.tls[variant].pop3s, off);
    const t = ifax(file, ['--json', 'config', 'test', 'pop']);
    expect([t.code, t.stderr.replace(/^warning: .*\n/gm, '')]).toEqual([0, '']);
    const steps = (JSON.parse(t.stdout) as { steps: { step: string; ok: boolean; lines?: string[] }[] }).steps;
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['tls', true],
      ['ehlo', true],
      ['login', true],
      ['quit', true],
    ]);
    // The check that was turned off is reported as off: "would fail" for those computed from the
    // certificate alone; revocation, when off, is not asked (no OCSP request is made).
    expect(steps[1].lines!.join('\n')).toMatch(new RegExp(`\\[off${check === 'revocation' ? ' *' : ' \\(would fail\\)'}\\] ${check} `));

    const r = ifax(file, ['--json', 'poll']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { other: number; errors: unknown[]; poll: { fetched: number; deleted: number } };
    expect(summary).toMatchObject({ other: before.length, errors: [], poll: { fetched: before.length, deleted: before.length } });
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(listing()).not.toContain(waiting);
    expect(listing()).toEqual([]);
  });
});

test('a good pass of poll --quiet (the cron example) prints nothing at all', () => {
  deliver('quiet');
  const file = profile('quiet', stack.tls.expired.pop3s, { ...ALL_ON, validity: false });
  const r = ifax(file, ['--quiet', 'poll']);
  expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  expect(listing()).toEqual([]);
});
