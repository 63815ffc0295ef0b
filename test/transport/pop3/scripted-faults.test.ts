/**
 * The POP3 client against a scripted server on loopback, for what Dovecot will not do: answers
 * dribbled byte by byte, dot-stuffed data, a stall in the middle of RETR, an over-long line, a
 * greeting without APOP timestamp, STLS refused, -ERR [IN-USE] / [SYS/TEMP].
 */
import { createServer } from 'node:net';
import { IfaxError } from '../../../src/errors.js';
import { Pop3Client } from '../../../src/transport/pop3/client.js';
import { apopDigest } from '../../../src/transport/pop3/commands/apop.js';
import { popLogin, openPop, type PopSettings } from '../../../src/transport/pop3/login.js';
import { scriptedServer, stuffed, type Responder, type Scripted, type ScriptedSession } from './scripted-server.js';

const PASSWORD = 'Secr3t-Pa55';
const GREETING = '+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n';
const MESSAGE = 'From: fax@ifax.test\r\nSubject: dots\r\n\r\n.leading\r\n..double\r\n.\r\nlone dot above\r\nend\r\n';

let servers: Scripted[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(greeting: string | ((s: ScriptedSession) => Promise<void>), respond: Responder): Promise<Scripted> {
  const s = await scriptedServer(greeting, respond);
  servers.push(s);
  return s;
}

function settings(port: number, extra: Partial<PopSettings> = {}): PopSettings {
  return { host: '127.0.0.1', port, sslPort: port, tls: 'off', user: 'fax1', password: PASSWORD, apop: false, timeout: 5, ...extra };
}

/** A well-behaved mailbox with one message; `override` answers first when it returns true. */
function mailbox(override?: (cmd: string, s: ScriptedSession) => Promise<boolean> | boolean): Responder {
  return async (cmd, s) => {
    if (override && (await override(cmd, s))) return;
    const [verb] = cmd.split(' ');
    switch (verb.toUpperCase()) {
      case 'CAPA':
        return s.write('+OK\r\nUSER\r\nUIDL\r\nTOP\r\n.\r\n');
      case 'USER':
        return s.write('+OK\r\n');
      case 'PASS':
        return s.write(cmd === `PASS ${PASSWORD}` ? '+OK logged in\r\n' : '-ERR [AUTH] Authentication failed.\r\n');
      case 'APOP':
        return s.write(cmd === `APOP fax1 ${apopDigest('<1896.697170952@dbc.mtview.ca.us>', PASSWORD)}` ? '+OK\r\n' : '-ERR [AUTH] no\r\n');
      case 'RETR':
        await s.write(`+OK ${MESSAGE.length} octets\r\n`);
        return s.write(stuffed(MESSAGE));
      case 'QUIT':
        await s.write('+OK bye\r\n');
        return void s.socket.end();
      default:
        return s.write('-ERR unknown\r\n');
    }
  };
}

async function caught(p: Promise<unknown>): Promise<IfaxError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IfaxError);
  return err as IfaxError;
}

async function collect(client: Pop3Client, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  await client.retr(n, (c) => void parts.push(c));
  return Buffer.concat(parts);
}

describe('POP3 client against a scripted server', () => {
  it('logs in and retrieves exact octets when greeting, answers and the final "." CRLF arrive byte by byte', async () => {
    const server = await serve(
      (s) => s.writeBytewise(GREETING),
      async (cmd, s) => {
        if (cmd.startsWith('RETR')) {
          await s.writeBytewise('+OK\r\n');
          return s.writeBytewise(stuffed(MESSAGE));
        }
        if (cmd === 'CAPA') return s.writeBytewise('+OK\r\nUSER\r\n.\r\n');
        return mailbox()(cmd, s);
      },
    );
    const { client, info } = await openPop(settings(server.port));
    expect(info).toMatchObject({ mechanism: 'USER', tlsVersion: null, apopOffered: true, capabilities: { USER: [] } });
    expect((await collect(client, 1)).toString('latin1')).toBe(MESSAGE);
    expect(await client.quit()).toEqual({ updated: true });
    expect(server.allCommands()).toEqual(['CAPA', 'USER fax1', `PASS ${PASSWORD}`, 'RETR 1', 'QUIT']);
  });

  it('undoes dot-stuffing through the async iterator and serves the next command after it', async () => {
    const server = await serve(GREETING, mailbox());
    const { client } = await openPop(settings(server.port));
    const parts: Buffer[] = [];
    for await (const chunk of client.message(1)) parts.push(chunk);
    expect(Buffer.concat(parts).toString('latin1')).toBe(MESSAGE);
    // A loop left early drains the rest: the next command reads its own answer.
    for await (const chunk of client.message(1)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect((await collect(client, 1)).toString('latin1')).toBe(MESSAGE);
    await client.quit();
  });

  it('times out a RETR stalled mid-message with TEMPORARY_FAILURE (75), destroys the socket and never sends QUIT', async () => {
    const server = await serve(
      GREETING,
      mailbox(async (cmd, s) => {
        if (!cmd.startsWith('RETR')) return false;
        await s.write('+OK\r\nFrom: fax@ifax.test\r\nSubject: half'); // and then nothing
        return true;
      }),
    );
    const { client } = await openPop(settings(server.port, { timeout: 0.2 }));
    const err = await caught(collect(client, 1));
    expect(err.code).toBe('TEMPORARY_FAILURE');
    expect(err.exitCode).toBe(75);
    expect(err.message).toMatch(/^POP3 RETR 1 at 127\.0\.0\.1:\d+ failed: no answer from the server within 0\.2 s \(pop\.timeout\)/);
    await server.sessions[0].closed;
    expect(client.state).toBe('CLOSED');
    const next = await caught(client.dele(1));
    expect([next.code, next.message]).toEqual(['NETWORK_FAILED', `POP3 DELE at 127.0.0.1:${server.port} failed: the connection is closed (after QUIT or an earlier failure)`]);
    expect(await client.quit()).toEqual({ updated: false });
    expect(server.allCommands()).not.toContain('QUIT');
  });

  it('refuses an over-long response line as DATA_INVALID and closes the connection', async () => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd === 'CAPA' ? (void s.write(`+OK\r\nX-${'A'.repeat(600)}\r\n.\r\n`), true) : false)));
    const err = await caught(openPop(settings(server.port)));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toContain('POP3 CAPA at 127.0.0.1:');
    expect(err.message).toContain('MAX_POP3_LINE_BYTES');
    await server.sessions[0].closed;
    expect(server.allCommands()).toEqual(['CAPA']);
  });

  it('logs in with APOP: the MD5 digest of timestamp and password, never the password', async () => {
    const server = await serve(GREETING, mailbox());
    const trace: string[] = [];
    const info = await popLogin(settings(server.port, { apop: true }), { trace: (l) => trace.push(l) });
    expect(info.mechanism).toBe('APOP');
    const digest = apopDigest('<1896.697170952@dbc.mtview.ca.us>', PASSWORD);
    expect(server.allCommands()).toEqual(['CAPA', `APOP fax1 ${digest}`, 'QUIT']);
    expect(trace).toContain('C: APOP fax1 ********');
    expect(trace.join('\n')).not.toContain(digest);
    expect(trace.join('\n')).not.toContain(PASSWORD);
  });

  it('computes the APOP digest of RFC 1939 §7 for its example', () => {
    expect(apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
  });

  it('fails APOP asked of a greeting without timestamp with AUTH_FAILED saying so, sending no login', async () => {
    const server = await serve('+OK POP3 server ready\r\n', mailbox());
    const err = await caught(popLogin(settings(server.port, { apop: true })));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.exitCode).toBe(77);
    expect(err.message).toContain('greeting has no APOP timestamp');
    expect(server.allCommands()).toEqual(['CAPA']);
  });

  it('refuses with TLS_NOT_OFFERED when tls=stls and CAPA lacks STLS: no USER, no PASS ever sent', async () => {
    const server = await serve(GREETING, mailbox());
    const err = await caught(popLogin(settings(server.port, { tls: 'stls' })));
    expect(err.code).toBe('TLS_NOT_OFFERED');
    expect(err.exitCode).toBe(69);
    expect(server.allCommands()).toEqual(['CAPA']);
  });

  it('refuses with TLS_NOT_OFFERED when the server announces STLS but answers -ERR: no PASS ever sent', async () => {
    const server = await serve(
      GREETING,
      mailbox((cmd, s) => {
        if (cmd === 'CAPA') return void s.write('+OK\r\nSTLS\r\nUSER\r\n.\r\n'), true;
        if (cmd === 'STLS') return void s.write('-ERR TLS not available now\r\n'), true;
        return false;
      }),
    );
    const err = await caught(popLogin(settings(server.port, { tls: 'stls' })));
    expect(err.code).toBe('TLS_NOT_OFFERED');
    expect(err.message).toContain('"-ERR TLS not available now"');
    expect(server.allCommands()).toEqual(['CAPA', 'STLS']);
  });

  it('tries STLS on a server without CAPA and refuses plain text when it is refused', async () => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd === 'CAPA' || cmd === 'STLS' ? (void s.write('-ERR what?\r\n'), true) : false)));
    const err = await caught(popLogin(settings(server.port, { tls: 'stls' })));
    expect(err.code).toBe('TLS_NOT_OFFERED');
    expect(server.allCommands().some((c) => /^(USER|PASS|APOP)/.test(c))).toBe(false);
  });

  it('refuses a server that sends data between its STLS +OK and the handshake (injection)', async () => {
    const server = await serve(
      GREETING,
      mailbox((cmd, s) => {
        if (cmd === 'CAPA') return void s.write('+OK\r\nSTLS\r\n.\r\n'), true;
        if (cmd === 'STLS') return void s.write('+OK Begin TLS\r\n+OK injected\r\n'), true;
        return false;
      }),
    );
    const err = await caught(popLogin(settings(server.port, { tls: 'stls' })));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toContain('before the TLS handshake');
    expect(server.allCommands()).toEqual(['CAPA', 'STLS']);
  });

  it('maps -ERR [IN-USE] to TEMPORARY_FAILURE (75), naming PASS masked, the reply and host:port', async () => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd.startsWith('PASS') ? (void s.write('-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n'), true) : false)));
    const err = await caught(popLogin(settings(server.port)));
    expect(err.code).toBe('TEMPORARY_FAILURE');
    expect(err.exitCode).toBe(75);
    expect(err.message).toBe(`POP3 PASS ******** at 127.0.0.1:${server.port} failed: the server answered "-ERR [IN-USE] Mailbox is locked by another POP3 session"`);
    expect(err.hint).toMatch(/Another client holds the mailbox/);
    expect(JSON.stringify({ m: err.message, h: err.hint, c: err.context })).not.toContain(PASSWORD);
  });

  it.each([
    ['-ERR [SYS/TEMP] disk busy', 'TEMPORARY_FAILURE', 75],
    ['-ERR [LOGIN-DELAY] wait', 'TEMPORARY_FAILURE', 75],
    ['-ERR [AUTH] Authentication failed.', 'AUTH_FAILED', 77],
    ['-ERR invalid password', 'AUTH_FAILED', 77],
    ['-ERR [SYS/PERM] account disabled', 'SERVER_REFUSED', 69],
  ])('maps a PASS answered %j to %s (%i)', async (reply, code, exit) => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd.startsWith('PASS') ? (void s.write(`${reply}\r\n`), true) : false)));
    const err = await caught(popLogin(settings(server.port)));
    expect([err.code, err.exitCode]).toEqual([code, exit]);
  });

  it('maps -ERR to DELE to SERVER_REFUSED (69) and a -ERR to QUIT in the UPDATE state as deletions not done', async () => {
    const server = await serve(
      GREETING,
      mailbox((cmd, s) => {
        if (cmd === 'DELE 9') return void s.write('-ERR no such message\r\n'), true;
        if (cmd === 'DELE 1') return void s.write('+OK marked\r\n'), true;
        if (cmd === 'QUIT') return void s.write('-ERR some deleted messages not removed\r\n'), true;
        return false;
      }),
    );
    const { client } = await openPop(settings(server.port));
    const dele = await caught(client.dele(9));
    expect([dele.code, dele.message]).toEqual(['SERVER_REFUSED', `POP3 DELE 9 at 127.0.0.1:${server.port} failed: the server answered "-ERR no such message"`]);
    await client.dele(1);
    const quit = await caught(client.quit());
    expect(quit.code).toBe('SERVER_REFUSED');
    expect(client.state).toBe('CLOSED');
  });

  it('masks the password in the trace and in a server reply that echoes it', async () => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd.startsWith('PASS') ? (void s.write(`-ERR bad password ${PASSWORD}\r\n`), true) : false)));
    const trace: string[] = [];
    const err = await caught(popLogin(settings(server.port), { trace: (l) => trace.push(l) }));
    expect(trace).toContain('C: PASS ********');
    expect(trace).toContain('S: -ERR bad password ********');
    expect(trace.join('\n') + err.message + JSON.stringify(err.context)).not.toContain(PASSWORD);
  });

  it('fails a connection to a closed port with NETWORK_FAILED (75) naming host:port', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await caught(popLogin(settings(port)));
    expect(err.code).toBe('NETWORK_FAILED');
    expect(err.exitCode).toBe(75);
    expect(err.message).toBe(`POP3 connect to 127.0.0.1:${port} failed: connection refused (ECONNREFUSED)`);
  });

  it('fails a server that never greets with TEMPORARY_FAILURE after the timeout', async () => {
    const server = await serve(() => Promise.resolve(), mailbox());
    const err = await caught(popLogin(settings(server.port, { timeout: 0.2 })));
    expect(err.code).toBe('TEMPORARY_FAILURE');
    expect(err.message).toContain('POP3 greeting at 127.0.0.1:');
  });

  it('refuses a server that is not POP3 (an SMTP banner) as DATA_INVALID with a hint on the port', async () => {
    const server = await serve('220 mail.ifax.test ESMTP\r\n', mailbox());
    const err = await caught(popLogin(settings(server.port)));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.hint).toMatch(/pop\.port/);
  });

  it('names the missing setting when pop.host, pop.user or pop.password is not set', async () => {
    for (const key of ['host', 'user', 'password'] as const) {
      const err = await caught(popLogin(settings(1, { [key]: null })));
      expect([err.code, err.message]).toEqual(['CONFIG_INVALID', `POP3 login failed: pop.${key} is not set`]);
    }
  });

  it('runs commands one at a time: a LIST called during a RETR waits for the body to end', async () => {
    const server = await serve(
      GREETING,
      mailbox(async (cmd, s) => {
        if (cmd === 'LIST') return void (await s.write('+OK 1 messages\r\n1 120\r\n.\r\n')), true;
        return false;
      }),
    );
    const { client } = await openPop(settings(server.port));
    const parts: Buffer[] = [];
    const [retr, listing] = await Promise.all([client.retr(1, (c) => void parts.push(c)), client.list()]);
    expect(Buffer.concat(parts).toString('latin1')).toBe(MESSAGE);
    expect(retr.bytes).toBe(MESSAGE.length);
    expect(listing).toEqual([{ number: 1, size: 120 }]);
    expect(server.allCommands().slice(-2)).toEqual(['RETR 1', 'LIST']);
    await client.quit();
  });

  it('runs the mailbox commands of the table: STAT, LIST, UIDL with and without argument, TOP', async () => {
    const server = await serve(
      GREETING,
      mailbox((cmd, s) => {
        const answers: Record<string, string> = {
          STAT: '+OK 2 320\r\n',
          LIST: '+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n',
          'LIST 2': '+OK 2 200\r\n',
          UIDL: '+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n',
          'UIDL 2': '+OK 2 QhdPYR:00WBw1Ph7x7\r\n',
          'TOP 1 0': '+OK\r\nSubject: x\r\n\r\n.\r\n',
        };
        if (!(cmd in answers)) return false;
        void s.write(answers[cmd]);
        return true;
      }),
    );
    const { client } = await openPop(settings(server.port));
    expect(await client.run('STAT')).toEqual({ count: 2, size: 320 });
    expect(await client.list()).toEqual([{ number: 1, size: 120 }, { number: 2, size: 200 }]);
    expect(await client.list(2)).toEqual({ number: 2, size: 200 });
    expect(await client.uidl()).toEqual([{ number: 1, uid: 'whqtswO00WBw418f9t5JxYwZ' }, { number: 2, uid: 'QhdPYR:00WBw1Ph7x7' }]);
    expect(await client.uidl(2)).toEqual({ number: 2, uid: 'QhdPYR:00WBw1Ph7x7' });
    const head: Buffer[] = [];
    expect(await client.run('TOP', 1, 0, (c) => void head.push(c))).toEqual({ bytes: 14 });
    expect(Buffer.concat(head).toString()).toBe('Subject: x\r\n\r\n');
    await client.run('QUIT');
  });

  it.each([
    ['STAT', '+OK lots\r\n'],
    ['LIST', '+OK\r\n1 12x\r\n.\r\n'],
    ['UIDL', '+OK\r\n1 has\u0001control\r\n.\r\n'],
  ])('refuses a malformed %s answer as DATA_INVALID', async (verb, answer) => {
    const server = await serve(GREETING, mailbox((cmd, s) => (cmd === verb ? (void s.write(answer), true) : false)));
    const { client } = await openPop(settings(server.port));
    const err = await caught(verb === 'STAT' ? client.stat() : verb === 'LIST' ? client.list() : client.uidl());
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toContain(`POP3 ${verb} at 127.0.0.1:${server.port} failed: the server answered`);
    client.destroy();
  });

  it('stops a listing that never ends at MAX_POP3_LISTING_LINES with LIMIT_EXCEEDED', async () => {
    const server = await serve(
      GREETING,
      mailbox(async (cmd, s) => {
        if (cmd !== 'LIST') return false;
        await s.write('+OK\r\n');
        await s.write('1 1\r\n'.repeat(100_001));
        return true;
      }),
    );
    const { client } = await openPop(settings(server.port));
    const err = await caught(client.list());
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toContain('MAX_POP3_LISTING_LINES');
    expect(client.state).toBe('CLOSED');
  });

  it('reads the rest of a message whose sink failed, passes the sink error on, and goes on with the next command', async () => {
    const big = `Subject: big\r\n\r\n${'.x\r\n'.repeat(50_000)}`;
    const server = await serve(
      GREETING,
      mailbox(async (cmd, s) => {
        if (cmd !== 'RETR 2') return false;
        await s.write('+OK\r\n');
        await s.write(stuffed(big));
        return true;
      }),
    );
    const { client } = await openPop(settings(server.port));
    const diskFull = new Error('ENOSPC');
    let calls = 0;
    const err = await client
      .retr(2, () => {
        if (++calls === 1) throw diskFull;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(diskFull);
    expect(client.state).toBe('TRANSACTION');
    expect((await collect(client, 1)).toString('latin1')).toBe(MESSAGE);
    await client.quit();
  });

  it('reports a server closing the connection in the middle of RETR as NETWORK_FAILED (75)', async () => {
    const server = await serve(
      GREETING,
      mailbox(async (cmd, s) => {
        if (!cmd.startsWith('RETR')) return false;
        await s.write('+OK\r\nSubject: cut\r\n');
        s.socket.end();
        return true;
      }),
    );
    const { client } = await openPop(settings(server.port));
    const err = await caught(collect(client, 1));
    expect([err.code, err.exitCode]).toEqual(['NETWORK_FAILED', 75]);
    expect(err.message).toBe(`POP3 RETR 1 at 127.0.0.1:${server.port} failed: the server closed the connection`);
  });

  it('gives up a POP3S handshake the server never answers with NETWORK_FAILED (75) after the timeout', async () => {
    const server = await serve(
      () => Promise.resolve(),
      () => undefined,
    );
    const err = await caught(popLogin(settings(server.port, { tls: 'pop3s', timeout: 0.2 })));
    expect([err.code, err.message]).toEqual(['NETWORK_FAILED', `POP3 connect to 127.0.0.1:${server.port} (POP3S) failed: no connection within 0.2 s (pop.timeout)`]);
    await server.sessions[0].closed;
  });

  it('gives up an STLS handshake the server never answers, sending no login', async () => {
    const server = await serve(
      GREETING,
      mailbox((cmd, s) => {
        if (cmd === 'CAPA') return void s.write('+OK\r\nSTLS\r\n.\r\n'), true;
        if (cmd === 'STLS') return void s.write('+OK Begin TLS\r\n'), true;
        return s.commands.includes('STLS'); // silent from STLS on
      }),
    );
    const err = await caught(popLogin(settings(server.port, { tls: 'stls', timeout: 0.2 })));
    expect([err.code, err.message]).toEqual(['NETWORK_FAILED', `POP3 STLS at 127.0.0.1:${server.port} failed: no connection within 0.2 s (pop.timeout)`]);
    await server.sessions[0].closed;
    // The ClientHello reaches the scripted server as bytes, not as a command line with a login.
    expect(server.allCommands().filter((c) => /^(USER|PASS|APOP) /.test(c))).toEqual([]);
  });
});
