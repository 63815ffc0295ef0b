/**
 * A logged-in POP3 session from the pop.* settings: connect on pop.port or, with pop.tls
 * pop3s, pop.sslPort (RFC 8314); with pop.tls stls upgrade first (RFC 2595) and refuse to go on
 * in plain text; log in with APOP (pop.apop) or USER/PASS. `popLogin` is POP before SMTP: log
 * in and QUIT at once, so the server records the client's address.
 */
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { IfaxError } from '../../errors.js';
import type { IfaxSettings } from '../../config/schema.js';
import { Pop3Client } from './client.js';
import type { Pop3Capabilities } from './commands/capa.js';
import type { Pop3TraceSink } from './connection.js';

/** The pop.* settings a session needs. */
export type PopSettings = Pick<IfaxSettings['pop'], 'host' | 'port' | 'sslPort' | 'tls' | 'user' | 'password' | 'apop' | 'timeout'>;

/** What the caller brings besides the settings. */
export interface PopSessionOptions {
  /** tls.connect options from tls.* and pop.certVerify.* (CA file, minVersion...). */
  tlsOptions?: ConnectionOptions;
  /** Certificate checks, run right after every TLS handshake, before the login. */
  verifyTls?: (socket: TLSSocket) => Promise<unknown>;
  /** Called with each TLS socket before its handshake ends (to keep a stapled OCSP answer). */
  beforeHandshake?: (socket: TLSSocket) => void;
  /** Protocol trace for -vv, secrets masked. */
  trace?: Pop3TraceSink;
}

/** How the session was opened: what `ifax config test pop` and POP before SMTP report. */
export interface PopSessionInfo {
  host: string;
  port: number;
  tls: PopSettings['tls'];
  /** "TLSv1.3", or null without TLS. */
  tlsVersion: string | null;
  /** The login used. */
  mechanism: 'USER' | 'APOP';
  /** The greeting line. */
  greeting: string;
  /** True when the greeting carries an APOP timestamp. */
  apopOffered: boolean;
  /** Capability tags and parameters as announced before login (after STLS), null without CAPA. */
  capabilities: Record<string, string[]> | null;
}

function required<T>(value: T | null | undefined, key: string): T {
  if (value === null || value === undefined || value === '') {
    throw new IfaxError('CONFIG_INVALID', `POP3 login failed: ${key} is not set`, {
      hint: key === 'pop.password' ? 'Set pop.password or the environment variable IFAX_POP_PASSWORD.' : `Set it with: ifax config set ${key} VALUE`,
      context: { key },
    });
  }
  return value;
}

/** Connect and log in; the client is in the TRANSACTION state. The caller must QUIT or destroy it. */
export async function openPop(pop: PopSettings, options: PopSessionOptions = {}): Promise<{ client: Pop3Client; info: PopSessionInfo }> {
  const host = required(pop.host, 'pop.host');
  const user = required(pop.user, 'pop.user');
  const password = required(pop.password, 'pop.password');
  const port = pop.tls === 'pop3s' ? pop.sslPort : pop.port;
  const client = await Pop3Client.connect({
    host,
    port,
    implicitTls: pop.tls === 'pop3s',
    timeoutSeconds: pop.timeout,
    ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
    ...(options.verifyTls ? { verifyTls: options.verifyTls } : {}),
    ...(options.beforeHandshake ? { beforeHandshake: options.beforeHandshake } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
  try {
    let caps = await client.capa();
    if (pop.tls === 'stls') {
      if (caps && !caps.has('STLS')) {
        throw new IfaxError('TLS_NOT_OFFERED', `POP3 STLS at ${client.connection.where} failed: the server does not announce STLS in its CAPA answer; nothing was sent in plain text`, {
          hint: 'Use pop.tls pop3s (with pop.sslPort) if the server offers implicit TLS, or pop.tls off to log in without TLS.',
          context: { command: 'STLS', server: client.connection.where, capabilities: [...caps.keys()] },
        });
      }
      await client.stls();
      // RFC 2595 §4: what was announced before TLS may not hold after it.
      caps = await client.capa();
    }
    const mechanism = pop.apop ? 'APOP' : 'USER';
    await logIn(client, mechanism, user, password, caps);
    const info: PopSessionInfo = {
      host,
      port,
      tls: pop.tls,
      tlsVersion: client.tlsVersion,
      mechanism,
      greeting: client.greeting.line,
      apopOffered: client.greeting.apopTimestamp !== null,
      capabilities: caps ? Object.fromEntries(caps) : null,
    };
    return { client, info };
  } catch (err) {
    client.destroy();
    throw err;
  }
}

async function logIn(client: Pop3Client, mechanism: 'USER' | 'APOP', user: string, password: string, caps: Pop3Capabilities | null): Promise<void> {
  if (mechanism === 'APOP') return client.apop(user, password);
  try {
    await client.login(user, password);
  } catch (err) {
    // Servers that allow USER/PASS only over TLS leave USER out of CAPA before it (RFC 2449 §6.9).
    if (err instanceof IfaxError && err.code === 'AUTH_FAILED' && !client.secure && caps && !caps.has('USER')) {
      throw new IfaxError(err.code, err.message, {
        cause: err.cause,
        hint: 'The server does not offer USER/PASS without TLS: set pop.tls to stls or pop3s, or turn pop.apop on.',
        ...(err.context ? { context: err.context } : {}),
      });
    }
    throw err;
  }
}

/**
 * POP before SMTP: connect, log in, QUIT cleanly (nothing is read or deleted). Returns how the
 * session went; throws the session's IfaxError (AUTH_FAILED, TLS_NOT_OFFERED, NETWORK_FAILED...).
 */
export async function popLogin(pop: PopSettings, options: PopSessionOptions = {}): Promise<PopSessionInfo> {
  const { client, info } = await openPop(pop, options);
  try {
    await client.quit();
  } catch (err) {
    client.destroy();
    throw err;
  }
  return info;
}
