/**
 * The POP3 client against Dovecot of the loopback mail stack: USER/PASS, APOP, STLS, POP3S,
 * refused logins, and the mailbox commands on messages this test puts into the user's Maildir
 * (RETR must return exactly the octets Dovecot serves for the file: its lines with CRLF).
 */
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { mailStack } from '../../interop/stack.js';
import type { MailStack, StackUser } from '../../interop/stack-types.js';
import { IfaxError } from '../../../src/errors.js';
import type { Pop3Client } from '../../../src/transport/pop3/client.js';
import { openPop, popLogin, type PopSettings } from '../../../src/transport/pop3/login.js';

let stack: MailStack;
let user: StackUser;
let ca: Buffer;
const delivered: string[] = [];

beforeAll(async () => {
  stack = await mailStack();
  // The POP3 tests' own mailbox: no other test reads it.
  user = stack.users.find((u) => u.login === 'pop1') as typeof user;
  ca = readFileSync(stack.pki.caFile);
});

afterAll(() => {
  // Remove what this test delivered and did not delete over POP3 (a failed test).
  for (const sub of ['new', 'cur']) {
    const dir = path.join(stack.maildir(user.login), sub);
    for (const f of existsSync(dir) ? readdirSync(dir) : []) if (delivered.some((d) => f.startsWith(d))) rmSync(path.join(dir, f));
  }
});

function settings(extra: Partial<PopSettings> = {}): PopSettings {
  return { host: stack.host, port: stack.pop.plain, sslPort: stack.pop.pop3s, tls: 'off', user: user.login, password: user.password, apop: false, timeout: 10, ...extra };
}

/** Put a message into the Maildir as an MTA does (tmp/ then rename to new/); returns its name. */
function deliver(message: string): string {
  const maildir = stack.maildir(user.login);
  const name = `${Date.now()}.ifaxpop3test${randomBytes(6).toString('hex')}`;
  const tmp = path.join(maildir, 'tmp', name);
  writeFileSync(tmp, message, 'latin1');
  const owner = statSync(maildir);
  if (process.getuid?.() === 0) chownSync(tmp, owner.uid, owner.gid);
  renameSync(tmp, path.join(maildir, 'new', name));
  delivered.push(name);
  return name;
}

function inMaildir(name: string): boolean {
  return ['new', 'cur'].some((sub) => readdirSync(path.join(stack.maildir(user.login), sub)).some((f) => f.startsWith(name)));
}

/** The number of the message whose Message-ID is `id`, found with TOP n 0. */
async function numberOf(client: Pop3Client, id: string): Promise<number> {
  for (const { number } of await client.list()) {
    const head: Buffer[] = [];
    await client.top(number, 0, (c) => void head.push(c));
    if (Buffer.concat(head).toString('latin1').includes(`Message-ID: <${id}>`)) return number;
  }
  throw new Error(`message ${id} not in the mailbox`);
}

/**
 * The SMTP replies to EHLO, MAIL FROM and RCPT TO on `port` (then RSET and QUIT: nothing is
 * sent). Each reply is its last line.
 */
function rcptReplies(host: string, port: number, rcpt: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    const commands = ['EHLO ifax.test', 'MAIL FROM:<fax@ifax.test>', `RCPT TO:<${rcpt}>`, 'RSET', 'QUIT'];
    const replies: string[] = [];
    let buffered = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('SMTP timeout')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let m = /^(\d{3}) .*\r\n/m.exec(buffered); m; m = /^(\d{3}) .*\r\n/m.exec(buffered)) {
        replies.push(m[0].trim());
        buffered = buffered.slice(m.index + m[0].length);
        const next = commands.shift();
        if (next === undefined) {
          socket.end();
          return resolve(replies.slice(1, 4));
        }
        socket.write(`${next}\r\n`);
      }
    });
  });
}

async function caught(p: Promise<unknown>): Promise<IfaxError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IfaxError);
  return err as IfaxError;
}

/** A message with the cases of RFC 1939 §3 and a 2 MB base64 part, LF line ends as in a Maildir. */
function testMessage(id: string): string {
  const base64 = randomBytes(1536 * 1024).toString('base64').replace(/.{76}/g, '$&\n');
  return [
    'From: sender@ifax.test',
    `To: ${user.email}`,
    `Message-ID: <${id}>`,
    'Subject: dots and octets',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: 8bit',
    '',
    '.leading dot',
    '..two dots',
    '.',
    'a lone dot above, \u00e9t\u00e9 in 8 bits',
    '--b',
    'Content-Type: image/tiff',
    'Content-Transfer-Encoding: base64',
    '',
    base64.trimEnd(),
    '--b--',
    '',
  ].join('\n');
}

describe('POP3 client against Dovecot', () => {
  it('logs in with USER/PASS in plain text and QUITs (POP before SMTP)', async () => {
    const trace: string[] = [];
    const info = await popLogin(settings(), { trace: (l) => trace.push(l) });
    expect(info).toMatchObject({ host: stack.host, port: stack.pop.plain, tls: 'off', tlsVersion: null, mechanism: 'USER', apopOffered: true });
    expect(Object.keys(info.capabilities ?? {})).toEqual(expect.arrayContaining(['STLS', 'USER', 'UIDL', 'TOP']));
    expect(trace).toEqual(expect.arrayContaining([`C: USER ${user.login}`, 'C: PASS ********', 'C: QUIT']));
    expect(trace.join('\n')).not.toContain(user.password);
  });

  it('opens POP before SMTP: after popLogin the POP-before-SMTP port accepts a recipient from that address', async () => {
    const host = stack.ipv6 ? '::1' : stack.host;
    await popLogin(settings({ host }));
    const replies = await rcptReplies(host, stack.smtp.popBeforeSmtp, user.email);
    expect(replies.map((r) => r.slice(0, 3))).toEqual(['250', '250', '250']);
  });

  it('logs in with APOP (Dovecot greets with a timestamp)', async () => {
    const trace: string[] = [];
    const info = await popLogin(settings({ apop: true }), { trace: (l) => trace.push(l) });
    expect(info.mechanism).toBe('APOP');
    expect(trace).toContain(`C: APOP ${user.login} ********`);
    expect(trace.some((l) => l.startsWith('C: PASS'))).toBe(false);
  });

  it('upgrades with STLS, checks the certificate before the login, and logs in over TLS', async () => {
    const trace: string[] = [];
    const checked: boolean[] = [];
    const verifyTls = async (socket: TLSSocket): Promise<void> => {
      checked.push(socket.authorized);
      trace.push('(verified)');
    };
    const beforeHandshake = (socket: TLSSocket): void => {
      checked.push(socket.authorized); // false: the handshake has not ended yet
      trace.push('(before handshake)');
    };
    const info = await popLogin(settings({ tls: 'stls' }), { tlsOptions: { ca }, verifyTls, beforeHandshake, trace: (l) => trace.push(l) });
    expect(info.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(checked).toEqual([false, true]);
    const at = (prefix: string): number => trace.findIndex((l) => l.startsWith(prefix));
    expect(at('C: STLS')).toBeLessThan(at('(before handshake)'));
    expect(at('(before handshake)')).toBeLessThan(at('* TLS'));
    expect(at('* TLS')).toBeLessThan(at('(verified)'));
    expect(at('(verified)')).toBeLessThan(at('C: USER'));
  });

  it('logs in over POP3S (implicit TLS on sslPort)', async () => {
    let verified = 0;
    let watched = 0;
    const info = await popLogin(settings({ tls: 'pop3s' }), { tlsOptions: { ca }, verifyTls: async () => void verified++, beforeHandshake: () => void watched++ });
    expect(info).toMatchObject({ port: stack.pop.pop3s, tls: 'pop3s', mechanism: 'USER' });
    expect(info.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect([watched, verified]).toEqual([1, 1]);
  });

  it('passes on a certificate check failure and sends no login', async () => {
    const trace: string[] = [];
    const rejected = new IfaxError('CERT_REJECTED', 'TLS certificate check failed: test rejection');
    const err = await caught(popLogin(settings({ tls: 'stls' }), { tlsOptions: { ca }, verifyTls: () => Promise.reject(rejected), trace: (l) => trace.push(l) }));
    expect(err).toBe(rejected);
    expect(trace.some((l) => /^C: (USER|PASS|APOP)/.test(l))).toBe(false);
  });

  it('refuses the server certificate as CERT_REJECTED (77) when Node\'s own check is on and the CA is unknown', async () => {
    const err = await caught(popLogin(settings({ tls: 'pop3s' })));
    expect([err.code, err.exitCode]).toEqual(['CERT_REJECTED', 77]);
    expect(err.message).toMatch(new RegExp(`^POP3 connect to 127\\.0\\.0\\.1:${stack.pop.pop3s} \\(POP3S\\) failed: the server's certificate was refused`));
  });

  it('fails a TLS handshake with a plain-text server (pop3s on the plain port) as NETWORK_FAILED (75)', async () => {
    const err = await caught(popLogin(settings({ tls: 'pop3s', sslPort: stack.pop.plain }), { tlsOptions: { ca } }));
    expect([err.code, err.exitCode]).toEqual(['NETWORK_FAILED', 75]);
    expect(err.message).toMatch(new RegExp(`^POP3 connect to 127\\.0\\.0\\.1:${stack.pop.plain} \\(POP3S\\) failed: TLS handshake failed: [a-z ]+ \\(ERR_SSL_[A-Z_]+\\)$`));
    expect(err.hint).toMatch(/pop3s = TLS from the first byte/);
  });

  it('fails a wrong password with AUTH_FAILED (77) naming PASS masked, the reply and host:port', async () => {
    const err = await caught(popLogin(settings({ password: 'wrong-secret' })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.exitCode).toBe(77);
    expect(err.message).toMatch(new RegExp(`^POP3 PASS \\*{8} at 127\\.0\\.0\\.1:${stack.pop.plain} failed: the server answered "-ERR \\[AUTH\\] `));
    expect(err.message).not.toContain('wrong-secret');
  });

  it('fails a wrong APOP password with AUTH_FAILED (77)', async () => {
    const err = await caught(popLogin(settings({ apop: true, password: 'wrong-secret' })));
    expect([err.code, err.exitCode]).toEqual(['AUTH_FAILED', 77]);
    expect(err.message).toContain(`APOP ${user.login} ********`);
  });

  it('names an IPv6 server as [::1]:port', async () => {
    if (!stack.ipv6) return;
    const err = await caught(popLogin(settings({ host: '::1', password: 'wrong-secret' })));
    expect(err.message).toContain(`at [::1]:${stack.pop.plain} failed`);
  });

  it('retrieves a delivered message as exactly its octets (CRLF, dots undone), by sink and by iterator, and TOP its header', async () => {
    const id = `${randomBytes(8).toString('hex')}@pop3.ifax.test`;
    const file = testMessage(id);
    deliver(file);
    const expected = Buffer.from(file.replace(/\n/g, '\r\n'), 'latin1');
    const { client } = await openPop(settings());
    try {
      const n = await numberOf(client, id);
      expect(await client.list(n)).toEqual({ number: n, size: expected.length });
      const stat = await client.stat();
      expect(stat.count).toBeGreaterThanOrEqual(1);
      const all = await client.uidl();
      expect(all).toContainEqual(await client.uidl(n));

      const parts: Buffer[] = [];
      const result = await client.retr(n, async (c) => void parts.push(c));
      expect(parts.length).toBeGreaterThan(1);
      expect(result.bytes).toBe(expected.length);
      expect(Buffer.concat(parts).equals(expected)).toBe(true);

      const again: Buffer[] = [];
      for await (const c of client.message(n)) again.push(c);
      expect(Buffer.concat(again).equals(expected)).toBe(true);

      const head: Buffer[] = [];
      await client.top(n, 0, (c) => void head.push(c));
      const headerEnd = expected.indexOf('\r\n\r\n') + 4;
      expect(Buffer.concat(head).equals(expected.subarray(0, headerEnd))).toBe(true);
      await client.noop();
    } finally {
      await client.quit();
    }
  });

  it('stops a message over maxBytes with LIMIT_EXCEEDED, closes without QUIT and so deletes nothing', async () => {
    const bigId = `${randomBytes(8).toString('hex')}@pop3.ifax.test`;
    const smallId = `${randomBytes(8).toString('hex')}@pop3.ifax.test`;
    const big = deliver(testMessage(bigId));
    const small = deliver(`From: a@ifax.test\nMessage-ID: <${smallId}>\n\nsmall\n`);
    const { client } = await openPop(settings());
    await client.dele(await numberOf(client, smallId));
    const err = await caught(client.retr(await numberOf(client, bigId), () => undefined, { maxBytes: 100_000 }));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toContain('larger than 100000 bytes (maxBytes 100000)');
    expect(client.state).toBe('CLOSED');
    expect([inMaildir(big), inMaildir(small)]).toEqual([true, true]);
  });

  it('removes a message only at QUIT: DELE then RSET keeps it, DELE without QUIT keeps it, DELE then QUIT removes it', async () => {
    const id = `${randomBytes(8).toString('hex')}@pop3.ifax.test`;
    const name = deliver(`From: a@ifax.test\nMessage-ID: <${id}>\nSubject: delete me\n\nbody\n`);

    let { client } = await openPop(settings());
    await client.dele(await numberOf(client, id));
    await client.rset();
    expect(await client.quit()).toEqual({ updated: true });
    expect(inMaildir(name)).toBe(true);

    ({ client } = await openPop(settings()));
    await client.dele(await numberOf(client, id));
    client.destroy();
    expect(inMaildir(name)).toBe(true);

    ({ client } = await openPop(settings()));
    await client.dele(await numberOf(client, id));
    expect(inMaildir(name)).toBe(true);
    expect(await client.quit()).toEqual({ updated: true });
    expect(inMaildir(name)).toBe(false);
  });
});
