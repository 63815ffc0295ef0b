/**
 * Against the real stack (Postfix + Cyrus SASL, MIT Kerberos) on loopback: every AUTH
 * mechanism, each TLS mode, certificates refused before AUTH, DSN parameters reaching Postfix
 * (the DSN arrives in the sender's Maildir with our ENVID), and the probe of
 * `ifax config test smtp`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { mailStack } from '../../interop/stack.js';
import type { MailStack } from '../../interop/stack-types.js';
import { openSmtpSession, sendMail, type SmtpClientOptions } from '../../../src/transport/smtp/client.js';
import { probeSmtp } from '../../../src/transport/smtp/probe.js';
import { IfaxError } from '../../../src/errors.js';
import { loadTlsTrust, type TlsTrust } from '../../../src/transport/tls/connect-options.js';
import { verifyPeer } from '../../../src/transport/tls/verify.js';

let stack: MailStack;
const trace: string[] = [];
const passwords: string[] = [];

beforeAll(async () => {
  stack = await mailStack();
  passwords.push(...stack.users.map((u) => u.password), 'wrong-Passw0rd');
});

/** The certificate check ifax uses (src/transport/tls): all five checks on, the stack's CA trusted. */
const verifyCalls: string[] = [];
let trust: TlsTrust;
async function verifyTls(socket: TLSSocket) {
  verifyCalls.push(socket.getProtocol() ?? '');
  trust ??= loadTlsTrust({ caFile: stack.pki.caFile, crlFile: null, minVersion: 'TLSv1.2' });
  return verifyPeer(socket, { host: stack.host, certVerify: { validity: true, cn: true, keyUsage: true, chain: true, revocation: true }, trust, service: 'smtp' });
}

function options(over: Partial<SmtpClientOptions> & { user?: number; password?: string; methods?: string[] } = {}): SmtpClientOptions {
  const u = stack.users[(over.user ?? 1) - 1];
  const { user: _u, password, methods, ...rest } = over;
  return {
    host: stack.host,
    port: stack.smtp.starttls,
    tls: 'starttls',
    timeoutSeconds: 20,
    ehloName: 'ifax.test',
    auth: { methods: methods ?? ['PLAIN'], user: u.login, password: password ?? u.password, realm: '', source: 'value' },
    tlsOptions: { ca: readFileSync(stack.pki.caFile), servername: 'localhost', rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    verifyTls,
    trace: (l) => trace.push(l),
    ...rest,
  };
}

function raw(subject: string, from: string, to: string): Buffer {
  return Buffer.from(`From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@ifax.test>\r\nDate: ${new Date().toUTCString()}\r\n\r\nifax SMTP test ${subject}\r\n`);
}

/** Wait (bounded) for a file in the Maildir whose text matches. */
async function inMaildir(login: string, match: (text: string) => boolean): Promise<string | undefined> {
  for (let i = 0; i < 150; i++) {
    for (const sub of ['new', 'cur']) {
      const dir = path.join(stack.maildir(login), sub);
      for (const f of readdirSync(dir)) {
        const text = readFileSync(path.join(dir, f), 'latin1');
        if (match(text)) return text;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function failure(p: Promise<unknown>): Promise<IfaxError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IfaxError);
  return err as IfaxError;
}

const MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'NTLM'];

describe.each(MECHANISMS)('AUTH %s against Postfix + Cyrus SASL', (mech) => {
  test('logs in and the mail is delivered', async () => {
    const subject = `auth-${mech}-${Date.now()}`;
    const session = await openSmtpSession(options({ methods: [mech] }));
    expect(session.info.authMechanism).toBe(mech);
    const r = await session.send({ raw: raw(subject, 'fax1@ifax.test', 'fax2@ifax.test'), from: 'fax1@ifax.test', to: ['fax2@ifax.test'] });
    await session.quit();
    expect(r.accepted).toEqual(['fax2@ifax.test']);
    expect(r.queueId).toMatch(/^[0-9A-F]{6,}$/);
    expect(await inMaildir('fax2', (t) => t.includes(subject))).toBeDefined();
  });

  test('a wrong password fails with AUTH_FAILED (77) naming the mechanism and the reply', async () => {
    const err = await failure(openSmtpSession(options({ methods: [mech], password: 'wrong-Passw0rd' })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.exitCode).toBe(77);
    expect(err.message).toContain(`AUTH ${mech}`);
    expect(err.message).toMatch(/535 5\.7\.8/);
    expect(err.message).toContain(`${stack.host}:${stack.smtp.starttls}`);
    expect(err.message).not.toContain('wrong-Passw0rd');
  });
});

test('AUTH GSSAPI (keytab and ticket cache) against Postfix + Cyrus SASL and the KDC, in a process of its own', () => {
  // MIT Kerberos reads KRB5_CONFIG, KRB5CCNAME and KRB5_CLIENT_KTNAME from the real
  // environment, which jest's per-file process.env copy does not reach: gssapi.child.ts runs
  // in a jest of its own with them set.
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-krb5-'));
  // IFAX_STACK_KEEP: the inner run must leave the stack to this run, which started it (its teardown stops it).
  const env = { ...process.env, IFAX_STACK_KEEP: '1', KRB5_CONFIG: stack.kerberos.krb5Conf, KRB5CCNAME: `FILE:${path.join(dir, 'cc')}`, KRB5_CLIENT_KTNAME: stack.kerberos.keytab('fax1') };
  const r = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--ci', '--testMatch', '**/test/transport/smtp/gssapi.child.ts', '--', 'test/transport/smtp/gssapi.child.ts'], { env, encoding: 'utf8', timeout: 120000 });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`the GSSAPI tests failed:\n${out}`);
  expect(out).toMatch(/Tests:\s+4 passed, 4 total/);
  expect(out).not.toContain('fax1secret');
});

describe('TLS modes', () => {
  test.each([
    ['off', () => stack.smtp.starttls],
    ['starttls', () => stack.smtp.starttls],
    ['smtps', () => stack.smtp.smtps],
  ] as const)('%s: connects, logs in, sends', async (mode, port) => {
    verifyCalls.length = 0;
    const subject = `tls-${mode}-${Date.now()}`;
    const r = await sendMail(options({ tls: mode, port: port(), methods: ['DIGEST-MD5'] }), { raw: raw(subject, 'fax1@ifax.test', 'fax3@ifax.test'), from: 'fax1@ifax.test', to: ['fax3@ifax.test'] });
    expect(r.accepted).toEqual(['fax3@ifax.test']);
    expect(verifyCalls).toHaveLength(mode === 'off' ? 0 : 1);
    if (mode !== 'off') expect(verifyCalls[0]).toMatch(/^TLSv1\.[23]$/);
    expect(await inMaildir('fax3', (t) => t.includes(subject))).toBeDefined();
  });

  test('over IPv6 (::1) when the stack listens there', async () => {
    if (!stack.ipv6) return;
    const session = await openSmtpSession(options({ host: '::1', tls: 'smtps', port: stack.smtp.smtps }));
    expect(session.info.server).toBe(`[::1]:${stack.smtp.smtps}`);
    expect(session.info.authMechanism).toBe('PLAIN');
    await session.quit();
  });

  test('the submission port gives AUTH only after TLS: without TLS, AUTH_FAILED says the server offers none', async () => {
    const err = await failure(openSmtpSession(options({ tls: 'off', port: stack.smtp.submission })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/offers no AUTH at all/);
  });

  test.each(['smtps', 'starttls'] as const)('%s: a certificate the check rejects: CERT_REJECTED (77), no AUTH and no mail sent', async (mode) => {
    const lines: string[] = [];
    const reject = async () => {
      throw new IfaxError('CERT_REJECTED', 'TLS check failed: certificate expired');
    };
    const port = mode === 'smtps' ? stack.smtp.smtps : stack.smtp.starttls;
    const err = await failure(sendMail(options({ tls: mode, port, verifyTls: reject, trace: (l) => (lines.push(l), trace.push(l)) }), { raw: raw('never', 'fax1@ifax.test', 'fax2@ifax.test'), from: 'fax1@ifax.test', to: ['fax2@ifax.test'] }));
    expect(err.code).toBe('CERT_REJECTED');
    expect(err.exitCode).toBe(77);
    expect(lines.filter((l) => /^C: (AUTH|MAIL|RCPT|DATA)/.test(l))).toEqual([]);
    if (mode === 'smtps') expect(lines.filter((l) => l.startsWith('S:'))).toEqual([]); // not even the greeting was read
  });

  test.each(['smtps', 'starttls'] as const)('%s: without a check function Node\'s own refuses an expired certificate: CERT_REJECTED', async (mode) => {
    const port = mode === 'smtps' ? stack.tls.expired.smtps : stack.tls.expired.starttls;
    const o = options({ tls: mode, port, tlsOptions: { ca: readFileSync(stack.pki.caFile), servername: 'localhost' } });
    delete o.verifyTls;
    const err = await failure(openSmtpSession(o));
    expect(err.code).toBe('CERT_REJECTED');
    expect(err.message).toMatch(/expired/i);
  });
});

describe('DSN', () => {
  test('ENVID, RET, NOTIFY and ORCPT reach Postfix: the success DSN arrives in the sender\'s Maildir with the ENVID', async () => {
    const envid = `ifax-dsn-${Date.now()}`;
    const r = await sendMail(options({ methods: ['PLAIN'] }), {
      raw: raw(envid, 'fax1@ifax.test', 'fax2@ifax.test'),
      from: 'fax1@ifax.test',
      to: ['fax2@ifax.test'],
      dsn: { envid, ret: 'HDRS', notify: ['SUCCESS', 'FAILURE'], orcpt: true },
    });
    expect(r.dsn).toEqual({ requested: true, sent: true });
    expect(r.warnings).toEqual([]);
    const dsn = await inMaildir('fax1', (t) => t.includes(`Original-Envelope-Id: ${envid}`));
    expect(dsn).toBeDefined();
    expect(dsn).toMatch(/report-type=delivery-status/);
    expect(dsn).toMatch(/Original-Recipient: rfc822; ?fax2@ifax\.test/i);
    expect(dsn).toMatch(/Action: delivered/);
  });

  test('a failed delivery comes back as a failure DSN with the ENVID', async () => {
    const envid = `ifax-dsnfail-${Date.now()}`;
    const to = `nobody@${stack.failDomain}`;
    await sendMail(options({ methods: ['PLAIN'] }), { raw: raw(envid, 'fax1@ifax.test', to), from: 'fax1@ifax.test', to: [to], dsn: { envid, ret: 'HDRS', notify: ['SUCCESS', 'FAILURE'], orcpt: true } });
    const dsn = await inMaildir('fax1', (t) => t.includes(`Original-Envelope-Id: ${envid}`));
    expect(dsn).toMatch(/Action: failed/);
  });
});

describe('probe (ifax config test smtp)', () => {
  test('every step passes on a good server: TLS details, extensions, mechanisms, login', async () => {
    const report = await probeSmtp(options({ tls: 'smtps', port: stack.smtp.smtps, methods: ['CRAM-MD5', 'PLAIN'] }));
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['tls', true],
      ['ehlo', true],
      ['auth-mechanisms', true],
      ['login', true],
      ['quit', true],
    ]);
    const tls = report.steps[1];
    expect(tls.detail).toMatch(/^TLSv1\.[23] /);
    expect(tls.lines).toEqual(expect.arrayContaining([expect.stringMatching(/issued by /), expect.stringMatching(/\[pass\] chain /), expect.stringMatching(/\[pass\] revocation /)]));
    expect(report.steps[2].lines).toContain('DSN');
    expect(report.steps[3].detail).toContain('DIGEST-MD5');
    expect(report.steps[4].detail).toBe('logged in with CRAM-MD5');
  });

  test('a wrong password: the steps before pass, login fails and is reported', async () => {
    const report = await probeSmtp(options({ password: 'wrong-Passw0rd', methods: ['LOGIN'] }));
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['tls', true],
      ['ehlo', true],
      ['auth-mechanisms', true],
      ['login', false],
    ]);
    expect(report.error).toMatchObject({ code: 'AUTH_FAILED', exitCode: 77 });
  });

  test('an expired certificate: connect passes, TLS fails', async () => {
    const o = options({ tls: 'smtps', port: stack.tls.expired.smtps, tlsOptions: { ca: readFileSync(stack.pki.caFile), servername: 'localhost' } });
    delete o.verifyTls;
    const report = await probeSmtp(o);
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['tls', false],
    ]);
    expect(report.error?.code).toBe('CERT_REJECTED');
  });

  test('nothing listening: connect fails', async () => {
    const report = await probeSmtp(options({ tls: 'off', port: 1 }));
    expect(report.steps).toEqual([{ step: 'connect', ok: false, detail: expect.stringContaining('connection refused') }]);
    expect(report.error?.code).toBe('NETWORK_FAILED');
  });
});

test('the trace of every test above never holds a password, in clear or base64', () => {
  expect(trace.length).toBeGreaterThan(100);
  const all = trace.join('\n');
  for (const p of passwords) {
    expect(all).not.toContain(p);
    expect(all).not.toContain(Buffer.from(p).toString('base64'));
  }
  expect(all).not.toMatch(/C: AUTH PLAIN [A-Za-z0-9+/]/);
});
