/**
 * Opening the SMTP connection per smtp.tls, with the certificate checked (verifyTls) after
 * the TLS handshake and before any credential or mail is sent.
 *
 * Pinned to nodemailer 10.6.1's SMTPConnection (its public options and events only):
 * - smtps: we open the TLS socket ourselves (`tls.connect`), run verifyTls on it before the
 *   greeting is even read, and hand it over as `connection` with `secure`/`secured` set, so
 *   nodemailer never touches an unchecked socket.
 * - starttls: nodemailer upgrades when the EHLO reply offers STARTTLS (and fails when the
 *   upgrade fails); its connect callback comes after the upgrade and the EHLO that follows it,
 *   before any AUTH or MAIL, and a session that stayed in plain text is closed there. verifyTls runs there on `_socket` (declared public in its types). The only bytes
 *   sent over the unchecked session are the EHLO with our host name, already sent in plain text
 *   before STARTTLS.
 */
import { X509Certificate } from 'node:crypto';
import tls, { TLSSocket, type ConnectionOptions } from 'node:tls';
import SMTPConnection, { type SMTPConnectionCustomAuthContext } from 'nodemailer/lib/smtp-connection';
import { IfaxError, isIfaxError } from '../../errors.js';
import { hostPort } from '../host-port.js';
import { displayName, isoSeconds } from '../tls/certificate-fields.js';
import { sniName } from '../tls/connect-options.js';
import { mapSmtpError } from './error-map.js';
import { parseEhlo } from './ehlo.js';
import type { Transcript } from './transcript.js';
import type { SaslCredentials, SaslMechanism } from './sasl/exchange.js';

export type SmtpTlsMode = 'off' | 'starttls' | 'smtps';

/** Checks a server certificate after the handshake; throws CERT_REJECTED (src/transport/tls verifyPeer). */
export type VerifyTls = (socket: TLSSocket) => Promise<unknown>;

export interface ConnectOptions {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  timeoutMs: number;
  ehloName: string;
  /** tls.connect options (src/transport/tls tlsOptions): ca, minVersion, servername, rejectUnauthorized. */
  tlsOptions?: ConnectionOptions;
  verifyTls?: VerifyTls;
  /** nodemailer customAuth handlers (customAuthHandlers below). */
  customAuth: Record<string, (ctx: SMTPConnectionCustomAuthContext) => Promise<void>>;
}

/** What the TLS layer of a connection looked like. */
export interface TlsInfo {
  protocol: string | null;
  cipher: string;
  /** From the peer certificate, as the certificate checks' report names them (tls/certificate-fields.ts). */
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** What verifyTls returned (the TlsReport of src/transport/tls), when it ran. */
  report?: unknown;
}

export interface Connected {
  conn: SMTPConnection;
  tls?: TlsInfo;
}

/** The socket options we hand tls.connect: the caller's, else Node's own checks when nothing verifies after. */
function tlsConnectOptions(o: ConnectOptions): ConnectionOptions {
  const base: ConnectionOptions = o.tlsOptions ?? { rejectUnauthorized: !o.verifyTls, minVersion: 'TLSv1.2' };
  const servername = base.servername ?? sniName(o.host);
  return servername ? { ...base, servername } : { ...base };
}

async function checkTls(socket: TLSSocket, o: ConnectOptions, transcript: Transcript): Promise<TlsInfo> {
  const raw = socket.getPeerCertificate()?.raw;
  const cert = raw ? new X509Certificate(raw) : undefined;
  const info: TlsInfo = {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? '',
    subject: cert ? displayName(cert.subject) : '',
    issuer: cert ? displayName(cert.issuer) : '',
    validFrom: cert ? isoSeconds(new Date(cert.validFrom)) : '',
    validTo: cert ? isoSeconds(new Date(cert.validTo)) : '',
  };
  transcript.note(`TLS ${info.protocol ?? '?'} ${info.cipher}; certificate ${info.subject} (issuer ${info.issuer})`);
  if (o.verifyTls) {
    try {
      info.report = await o.verifyTls(socket);
    } catch (err) {
      socket.destroy();
      if (isIfaxError(err)) throw err;
      throw new IfaxError('CERT_REJECTED', `SMTP connection failed: the certificate of ${hostPort(o)} was rejected: ${(err as Error).message}`, { cause: err });
    }
    transcript.note('certificate accepted');
  }
  return info;
}

/** Where a connection attempt failed: what `ifax config test` reports the failure under. */
export type ConnectStage = 'connect' | 'tls' | 'ehlo';

/** The error with the stage it failed at added to its context (context.stage). */
function atStage(err: IfaxError, stage: ConnectStage): IfaxError {
  return new IfaxError(err.code, err.message, { ...(err.hint ? { hint: err.hint } : {}), context: { ...err.context, stage }, ...(err.cause !== undefined ? { cause: err.cause } : {}) });
}

/** smtps: the TLS socket, handshake done (certificate checked by the caller). */
function openImplicitTls(o: ConnectOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    let socket: TLSSocket;
    let tcp = false;
    const fail = (err: unknown) => {
      clearTimeout(timer);
      socket?.destroy();
      reject(atStage(mapSmtpError(err, { where: hostPort(o) }), tcp ? 'tls' : 'connect'));
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })), o.timeoutMs);
    try {
      socket = tls.connect({ host: o.host, port: o.port, ...tlsConnectOptions(o) });
    } catch (err) {
      fail(err);
      return;
    }
    socket.once('error', fail);
    socket.once('connect', () => {
      tcp = true;
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

/**
 * Connect, greet, upgrade (starttls), check the certificate, EHLO: the session is ready for
 * AUTH or MAIL. Errors are IfaxErrors (error-map.ts).
 */
export async function openConnection(o: ConnectOptions, transcript: Transcript): Promise<Connected> {
  const timeouts = { connectionTimeout: o.timeoutMs, greetingTimeout: o.timeoutMs, socketTimeout: o.timeoutMs, dnsTimeout: o.timeoutMs };
  const common = {
    host: o.host,
    port: o.port,
    name: o.ehloName,
    logger: transcript.logger,
    transactionLog: true,
    customAuth: o.customAuth,
    ...timeouts,
  };
  transcript.note(`connecting to ${hostPort(o)} (${o.tls === 'off' ? 'plain' : o.tls})`);
  let tlsInfo: TlsInfo | undefined;
  let conn: SMTPConnection;
  if (o.tls === 'smtps') {
    const socket = await openImplicitTls(o);
    try {
      tlsInfo = await checkTls(socket, o, transcript);
    } catch (err) {
      throw atStage(err as IfaxError, 'tls');
    }
    conn = new SMTPConnection({ ...common, connection: socket, secure: true, secured: true });
  } else if (o.tls === 'starttls') {
    // Not requireTLS: with it nodemailer sends STARTTLS even when the server does not offer
    // it. Without it (and without opportunisticTLS) it upgrades when offered, fails when the
    // upgrade fails, and otherwise stops after EHLO: we refuse below before anything is sent.
    conn = new SMTPConnection({ ...common, secure: false, requireTLS: false, opportunisticTLS: false, ignoreTLS: false, tls: tlsConnectOptions(o) });
  } else {
    conn = new SMTPConnection({ ...common, secure: false, ignoreTLS: true });
  }
  // Errors reach us through the callbacks; this keeps one emitted between operations (the
  // server dropping the line while verifyTls waits for OCSP) from being thrown as unhandled.
  conn.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: unknown) => {
      conn.removeListener('error', onError);
      const plain = transcript.ehloReplies[0];
      const mapped = mapSmtpError(err, { where: hostPort(o), ...(o.tls === 'starttls' && plain ? { starttlsOffered: parseEhlo(plain).extensions.has('STARTTLS') } : {}) });
      const greeted = transcript.exchanges.length > 0;
      const inUpgrade = o.tls === 'starttls' && mapped.context?.command !== 'EHLO' && (mapped.context?.command === 'STARTTLS' || mapped.code === 'TLS_NOT_OFFERED' || mapped.code === 'CERT_REJECTED');
      const stage: ConnectStage = !greeted ? 'connect' : inUpgrade ? 'tls' : 'ehlo';
      reject(atStage(mapped, stage));
    };
    conn.on('error', onError);
    conn.connect((err) => {
      conn.removeListener('error', onError);
      if (err) onError(err);
      else resolve();
    });
  });
  if (o.tls === 'starttls') {
    const socket = conn._socket;
    if (!(socket instanceof TLSSocket) || !conn.secure) {
      conn.close();
      throw new IfaxError('TLS_NOT_OFFERED', `SMTP connection failed: ${hostPort(o)} does not offer STARTTLS (its EHLO reply does not list it)`, {
        hint: 'smtp.tls is "starttls" and ifax never falls back to plain text: use smtp.tls "smtps" (port smtp.sslPort) if the server has it, or ask its administrator to enable STARTTLS.',
        context: { server: hostPort(o), command: 'EHLO', stage: 'tls' },
      });
    }
    try {
      tlsInfo = await checkTls(socket, o, transcript);
    } catch (err) {
      conn.close();
      throw atStage(err as IfaxError, 'tls');
    }
  }
  return tlsInfo ? { conn, tls: tlsInfo } : { conn };
}

/** Our SASL mechanisms as nodemailer customAuth handlers; failures carry the IfaxError through. */
export function customAuthHandlers(mechanisms: Partial<Record<string, SaslMechanism>>, creds: SaslCredentials): ConnectOptions['customAuth'] {
  const out: ConnectOptions['customAuth'] = {};
  for (const [name, mech] of Object.entries(mechanisms)) {
    if (!mech) continue;
    out[name] = async (ctx) => {
      try {
        await mech(
          {
            send: async (line) => {
              const r = await ctx.sendCommand(line);
              return { status: r.status, text: r.text ?? '', response: r.response };
            },
          },
          creds,
        );
      } catch (err) {
        const ifaxError = isIfaxError(err) ? err : new IfaxError('AUTH_FAILED', `SMTP login failed: AUTH ${name} at ${creds.server}: ${(err as Error).message}`, { cause: err });
        throw Object.assign(new Error(ifaxError.message), { ifaxError });
      }
    };
  }
  return out;
}
