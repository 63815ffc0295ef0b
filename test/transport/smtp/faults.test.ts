/**
 * What real servers will not do on demand, against scripted servers on loopback: STARTTLS
 * missing (smtp-server with STARTTLS hidden), 4xx at RCPT, 421 in mid-session, a dropped
 * connection, a server too slow for smtp.timeout, a wrong DIGEST-MD5 rspauth, NTLMv1.
 */
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { openSmtpSession, sendMail, withSmtpSession, type SmtpClientOptions, type SmtpMail } from '../../../src/transport/smtp/client.js';
import { withRetries } from '../../../src/transport/smtp/retries.js';
import { IfaxError } from '../../../src/errors.js';
import { scriptedServer, type ScriptedServer } from './scripted-server.js';

const PASSWORD = 'Sc1pted-Secret!';
const trace: string[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

const mail: SmtpMail = { raw: Buffer.from('From: a@ifax.test\r\nTo: b@ifax.test\r\nSubject: t\r\n\r\nbody\r\n'), from: 'a@ifax.test', to: ['b@ifax.test'] };

function opts(port: number, extra: Partial<SmtpClientOptions> = {}): SmtpClientOptions {
  return { host: '127.0.0.1', port, tls: 'off', timeoutSeconds: 5, ehloName: 'ifax.test', trace: (l) => trace.push(l), ...extra };
}

async function scripted(o: Parameters<typeof scriptedServer>[0]): Promise<ScriptedServer> {
  const s = await scriptedServer(o);
  servers.push(s);
  return s;
}

async function smtpServer(o: SMTPServerOptions): Promise<{ port: number; calls: string[] }> {
  const calls: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    onAuth: (_a, _s, cb) => {
      calls.push('AUTH');
      cb(new Error('no'));
    },
    onMailFrom: (_a, _s, cb) => {
      calls.push('MAIL');
      cb();
    },
    onData: (stream, _s, cb) => {
      stream.resume();
      stream.on('end', () => cb());
    },
    ...o,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { port: (server.server.address() as net.AddressInfo).port, calls };
}

async function failure(p: Promise<unknown>): Promise<IfaxError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IfaxError);
  return err as IfaxError;
}

test('STARTTLS demanded of a server that does not offer it: TLS_NOT_OFFERED (69), no AUTH, no mail', async () => {
  const { port, calls } = await smtpServer({ hideSTARTTLS: true });
  const err = await failure(sendMail(opts(port, { tls: 'starttls', auth: { methods: ['PLAIN'], user: 'u', password: PASSWORD, source: 'value' } }), mail));
  expect(err.code).toBe('TLS_NOT_OFFERED');
  expect(err.exitCode).toBe(69);
  expect(err.message).toContain(`127.0.0.1:${port}`);
  expect(err.message).toMatch(/does not offer STARTTLS/);
  expect(calls).toEqual([]);
});

test('4xx at RCPT TO is TEMPORARY_FAILURE, retried with backoff, then 75', async () => {
  const { port, calls } = await smtpServer({
    onRcptTo: (_a, _s, cb) => cb(Object.assign(new Error('4.2.0 mailbox busy, try later'), { responseCode: 450 })),
  });
  const sleeps: number[] = [];
  let attempts = 0;
  const err = await failure(
    withRetries(
      () => {
        attempts++;
        return sendMail(opts(port), mail);
      },
      { retries: 2, delays: [100], sleep: async (ms) => void sleeps.push(ms) },
    ),
  );
  expect(err.code).toBe('TEMPORARY_FAILURE');
  expect(err.exitCode).toBe(75);
  expect(err.message).toContain('RCPT TO');
  expect(err.message).toContain('450');
  expect(err.message).toContain(`127.0.0.1:${port}`);
  expect(attempts).toBe(3);
  expect(sleeps).toEqual([100, 200]);
  expect(calls.filter((c) => c === 'MAIL')).toHaveLength(3);
});

test('421 in mid-session (at MAIL FROM) is TEMPORARY_FAILURE naming the command and the reply', async () => {
  const s = await scripted({ answer: (l) => (l.startsWith('MAIL FROM') ? '421 4.3.2 shutting down' : undefined) });
  const err = await failure(sendMail(opts(s.port), mail));
  expect(err.code).toBe('TEMPORARY_FAILURE');
  expect(err.message).toContain('MAIL FROM');
  expect(err.message).toContain('421 4.3.2 shutting down');
  expect(err.message).toContain(`127.0.0.1:${s.port}`);
});

test('a connection dropped at RCPT TO is NETWORK_FAILED (75)', async () => {
  const s = await scripted({ answer: (l) => (l.startsWith('RCPT') ? 'DROP' : undefined) });
  const err = await failure(sendMail(opts(s.port), mail));
  expect(err.code).toBe('NETWORK_FAILED');
  expect(err.exitCode).toBe(75);
  expect(err.message).toContain(`127.0.0.1:${s.port}`);
});

test('a refused connection is NETWORK_FAILED naming host:port', async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const err = await failure(sendMail(opts(port), mail));
  expect(err.code).toBe('NETWORK_FAILED');
  expect(err.message).toContain(`127.0.0.1:${port}: connection refused`);
});

test('a server too slow for smtp.timeout: TEMPORARY_FAILURE, retried, then 75', async () => {
  const s = await scripted({ answer: (l) => (l.startsWith('MAIL FROM') ? 'HANG' : undefined) });
  const err = await failure(withRetries(() => sendMail(opts(s.port, { timeoutSeconds: 0.4 }), mail), { retries: 1, delays: [1], sleep: async () => undefined }));
  expect(err.code).toBe('TEMPORARY_FAILURE');
  expect(err.exitCode).toBe(75);
  expect(err.message).toMatch(/did not answer in time/);
  expect(s.connections).toBe(2);
});

test('a silent server (no greeting) times out as TEMPORARY_FAILURE', async () => {
  const s = await scripted({ greeting: 'HANG' });
  const err = await failure(sendMail(opts(s.port, { timeoutSeconds: 0.4 }), mail));
  expect(err.code).toBe('TEMPORARY_FAILURE');
});

test('a 5xx refusal is not retried: SERVER_REFUSED (69) at once', async () => {
  const s = await scripted({ answer: (l) => (l.startsWith('RCPT') ? '550 5.1.1 no such user' : undefined) });
  let attempts = 0;
  const err = await failure(withRetries(() => (attempts++, sendMail(opts(s.port), mail)), { retries: 3, sleep: async () => undefined }));
  expect(err.code).toBe('SERVER_REFUSED');
  expect(err.message).toContain('RCPT TO');
  expect(err.message).toContain('550 5.1.1 no such user');
  expect(attempts).toBe(1);
});

test('one recipient refused of two: the other is sent; each has the server reply', async () => {
  const s = await scripted({ answer: (l) => (l.startsWith('RCPT TO:<bad@') ? '550 5.1.1 <bad@ifax.test> unknown' : l.startsWith('RCPT') ? '250 2.1.5 fine' : undefined) });
  const r = await sendMail(opts(s.port), { ...mail, to: ['good@ifax.test', 'bad@ifax.test'] });
  expect(r.accepted).toEqual(['good@ifax.test']);
  expect(r.rejected).toEqual(['bad@ifax.test']);
  expect(r.recipients).toEqual([
    { address: 'good@ifax.test', accepted: true, reply: '250 2.1.5 fine', queueId: 'SCRIPTED1', response: r.response },
    { address: 'bad@ifax.test', accepted: false, reply: '550 5.1.1 <bad@ifax.test> unknown' },
  ]);
  expect(r.queueId).toBe('SCRIPTED1');
});

test('DSN asked of a server without DSN: sent without the parameters, with a warning', async () => {
  const s = await scripted({});
  const r = await sendMail(opts(s.port), { ...mail, dsn: { envid: 'job-1', ret: 'HDRS', notify: ['SUCCESS', 'FAILURE'], orcpt: true } });
  expect(r.dsn).toEqual({ requested: true, sent: false });
  expect(r.warnings.join()).toMatch(/does not offer DSN/);
  expect(s.lines.find((l) => l.startsWith('MAIL'))).toBe(`MAIL FROM:<a@ifax.test> SIZE=${mail.raw.length}`);
  expect(s.lines.find((l) => l.startsWith('RCPT'))).toBe('RCPT TO:<b@ifax.test>');
});

test('DSN parameters go out when offered: RET, ENVID, NOTIFY and one ORCPT per recipient', async () => {
  const s = await scripted({ ehlo: ['DSN', 'SIZE 1000000'] });
  const r = await sendMail(opts(s.port), { ...mail, to: ['b@ifax.test', 'c@ifax.test'], dsn: { envid: 'job+1 x', ret: 'HDRS', notify: ['SUCCESS', 'FAILURE'], orcpt: true } });
  expect(r.dsn).toEqual({ requested: true, sent: true });
  expect(s.lines.filter((l) => l.startsWith('MAIL'))).toEqual(Array(2).fill(`MAIL FROM:<a@ifax.test> SIZE=${mail.raw.length} RET=HDRS ENVID=job+2B1+20x`));
  expect(s.lines.filter((l) => l.startsWith('RCPT'))).toEqual(['RCPT TO:<b@ifax.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@ifax.test', 'RCPT TO:<c@ifax.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@ifax.test']);
});

test('the null sender goes out as MAIL FROM:<>', async () => {
  const s = await scripted({});
  await sendMail(opts(s.port), { ...mail, from: '' });
  expect(s.lines.find((l) => l.startsWith('MAIL'))).toMatch(/^MAIL FROM:<> /);
});

test('a session carries several mails over one connection and one login', async () => {
  const s = await scripted({ ehlo: ['AUTH PLAIN'], answer: (l) => (l.startsWith('AUTH PLAIN') ? '235 2.7.0 ok' : undefined) });
  const results = await withSmtpSession(opts(s.port, { auth: { methods: ['PLAIN'], user: 'u', password: PASSWORD, source: 'value' } }), async (session) => {
    const out = [];
    for (const to of ['x@ifax.test', 'y@ifax.test', 'z@ifax.test']) out.push(await session.send({ ...mail, to: [to] }));
    return out;
  });
  expect(results.map((r) => r.accepted[0])).toEqual(['x@ifax.test', 'y@ifax.test', 'z@ifax.test']);
  expect(s.connections).toBe(1);
  expect(s.lines.filter((l) => l.startsWith('AUTH'))).toHaveLength(1);
  expect(s.lines.filter((l) => l.startsWith('MAIL'))).toHaveLength(3);
  expect(s.lines[s.lines.length - 1]).toBe('QUIT');
});

test('no mechanism in common: AUTH_FAILED naming what is offered and what is allowed', async () => {
  const s = await scripted({ ehlo: ['AUTH CRAM-MD5 SCRAM-SHA-1'] });
  const err = await failure(openSmtpSession(opts(s.port, { auth: { methods: ['PLAIN', 'LOGIN'], user: 'u', password: PASSWORD, source: 'value' } })));
  expect(err.code).toBe('AUTH_FAILED');
  expect(err.exitCode).toBe(77);
  expect(err.message).toContain('offers CRAM-MD5 SCRAM-SHA-1');
  expect(err.message).toContain('allows PLAIN LOGIN');
  expect(s.lines.some((l) => l.startsWith('AUTH'))).toBe(false);
});

test('the strongest allowed mechanism the server offers is chosen', async () => {
  const s = await scripted({ ehlo: ['AUTH PLAIN LOGIN CRAM-MD5'], answer: (l) => (l.startsWith('AUTH') ? '535 5.7.8 no' : undefined) });
  const err = await failure(openSmtpSession(opts(s.port, { auth: { methods: ['PLAIN', 'CRAM-MD5', 'GSSAPI'], user: 'u', password: PASSWORD, source: 'value' } })));
  expect(s.lines.filter((l) => l.startsWith('AUTH'))).toEqual(['AUTH CRAM-MD5']);
  expect(err.message).toContain('AUTH CRAM-MD5');
  expect(err.message).toContain('535 5.7.8 no');
});

test('DIGEST-MD5 with a wrong rspauth: AUTH_FAILED, the exchange cancelled, no mail sent', async () => {
  const challenge = Buffer.from('realm="scripted.test",nonce="abc123",qop="auth",charset=utf-8,algorithm=md5-sess').toString('base64');
  const s = await scripted({
    ehlo: ['AUTH DIGEST-MD5'],
    answer: (l) => {
      if (l === 'AUTH DIGEST-MD5') return `334 ${challenge}`;
      if (l === '*') return '501 5.7.0 cancelled';
      if (/^[A-Za-z0-9+/=]{40,}$/.test(l)) return `334 ${Buffer.from(`rspauth=${'ab'.repeat(16)}`).toString('base64')}`;
      return undefined;
    },
  });
  const err = await failure(sendMail(opts(s.port, { auth: { methods: ['DIGEST-MD5'], user: 'u', password: PASSWORD, source: 'value' } }), mail));
  expect(err.code).toBe('AUTH_FAILED');
  expect(err.message).toMatch(/AUTH DIGEST-MD5 .*rspauth is wrong/);
  expect(s.lines).toContain('*');
  expect(s.lines.some((l) => l.startsWith('MAIL'))).toBe(false);
});

test('GSSAPI without the kerberos package: AUTH_FAILED saying so, with a hint', async () => {
  const s = await scripted({ ehlo: ['AUTH GSSAPI'] });
  const err = await failure(
    openSmtpSession(opts(s.port, { auth: { methods: ['GSSAPI'], source: 'user' }, loadKerberos: () => Promise.reject(new Error("Cannot find package 'kerberos'")) })),
  );
  expect(err.code).toBe('AUTH_FAILED');
  expect(err.message).toMatch(/optional package "kerberos" is not installed/);
  expect(err.hint).toMatch(/npm install kerberos/);
  expect(s.lines.some((l) => l.startsWith('AUTH'))).toBe(false);
});

test('NTLM answers as NTLMv1 (24-byte responses) with the realm as domain, even when the server offers extended security', async () => {
  // Type 2 (MS-NLMP 2.2.1.2): Unicode | RequestTarget | NTLM | ExtendedSessionSecurity.
  const t2 = Buffer.alloc(48);
  t2.write('NTLMSSP\0', 0, 'latin1');
  t2.writeUInt32LE(2, 8);
  t2.writeUInt32LE(48, 16);
  t2.writeUInt32LE(0x00080205, 20);
  Buffer.from('0123456789abcdef', 'hex').copy(t2, 24);
  let type3: Buffer | undefined;
  const s = await scripted({
    ehlo: ['AUTH NTLM'],
    answer: (l) => {
      if (l === 'AUTH NTLM') return '334 ';
      const msg = Buffer.from(l, 'base64');
      if (msg.subarray(0, 8).toString('latin1') !== 'NTLMSSP\0') return undefined;
      if (msg.readUInt32LE(8) === 1) return `334 ${t2.toString('base64')}`;
      type3 = msg;
      return '235 2.7.0 ok';
    },
  });
  const session = await openSmtpSession(opts(s.port, { auth: { methods: ['NTLM'], user: 'fax1', password: PASSWORD, realm: 'CORP', source: 'value' } }));
  await session.quit();
  expect(session.info.authMechanism).toBe('NTLM');
  expect(type3).toBeDefined();
  expect(type3!.readUInt16LE(12)).toBe(24); // LmChallengeResponse
  expect(type3!.readUInt16LE(20)).toBe(24); // NtChallengeResponse: NTLMv1
  const domainLen = type3!.readUInt16LE(28);
  const domainOff = type3!.readUInt32LE(32);
  expect(type3!.subarray(domainOff, domainOff + domainLen).toString('utf16le')).toBe('CORP');
});

test('smtp.auth.source "user" takes IFAX_USER and IFAX_PASSWORD', async () => {
  let plain = '';
  const s = await scripted({ ehlo: ['AUTH PLAIN'], answer: (l) => (l.startsWith('AUTH PLAIN') ? ((plain = l), '235 ok') : undefined) });
  const session = await openSmtpSession(opts(s.port, { auth: { methods: ['PLAIN'], user: 'profile-user', password: 'profile-pass', source: 'user' }, env: { IFAX_USER: 'envuser', IFAX_PASSWORD: PASSWORD } }));
  await session.quit();
  expect(Buffer.from(plain.split(' ')[2], 'base64').toString()).toBe(`\0envuser\0${PASSWORD}`);
});

test('missing credentials are AUTH_FAILED naming the setting, before anything is sent', async () => {
  const s = await scripted({ ehlo: ['AUTH PLAIN'] });
  const err = await failure(openSmtpSession(opts(s.port, { auth: { methods: ['PLAIN'], user: null, password: null, source: 'user' }, env: {} })));
  expect(err.code).toBe('AUTH_FAILED');
  expect(err.hint).toMatch(/IFAX_USER/);
  expect(s.lines.some((l) => l.startsWith('AUTH'))).toBe(false);
});

test('the trace of every test above never holds the password, in clear or base64', () => {
  expect(trace.length).toBeGreaterThan(50);
  const all = trace.join('\n');
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  expect(all).not.toContain(Buffer.from(`\0u\0${PASSWORD}`).toString('base64'));
  expect(all).toMatch(/C: AUTH PLAIN \*{8}/);
});

test.each([
  ['454 4.7.0 TLS not available due to temporary reason', 'TEMPORARY_FAILURE'],
  ['502 5.5.1 STARTTLS refused', 'TLS_NOT_OFFERED'],
])('STARTTLS offered but refused with %s: %s, nothing sent in plain text', async (reply, code) => {
  const s = await scripted({ ehlo: ['STARTTLS', 'AUTH PLAIN'], answer: (l) => (l === 'STARTTLS' ? reply : undefined) });
  const err = await failure(sendMail(opts(s.port, { tls: 'starttls', auth: { methods: ['PLAIN'], user: 'u', password: PASSWORD, source: 'value' } }), mail));
  expect(err.code).toBe(code);
  expect(err.message).toContain(reply);
  expect(s.lines.filter((l) => !/^(EHLO|STARTTLS|QUIT)/.test(l))).toEqual([]);
});
