/**
 * The SMTP client of ifax: one session connects once (per smtp.tls, the certificate checked),
 * logs in once with the strongest allowed mechanism, sends any number of mails and quits, so a
 * broadcast costs one connection. `sendMail` is the one-mail shortcut.
 *
 * Mails go as raw bytes with an explicit envelope (nodemailer sends them unchanged). The result
 * names each recipient with the server's reply, and the queue id of the final reply.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { IfaxError, isIfaxError } from '../../errors.js';
import { hostPort } from '../host-port.js';
import { customAuthHandlers, openConnection, type SmtpTlsMode, type TlsInfo, type VerifyTls } from './connect.js';
import { mapSmtpError } from './error-map.js';
import { parseEhlo, type EhloInfo } from './ehlo.js';
import { parseQueueId } from './queue-id.js';
import type { SaslCredentials } from './sasl/exchange.js';
import { OWN_MECHANISMS, candidateMechanisms, resolveCredentials, type AuthSettings, type SaslName } from './sasl/select.js';
import { Transcript, type Exchange, type TraceSink } from './transcript.js';
import type { ConnectionOptions } from 'node:tls';

/** Everything a session needs; smtpClientOptions (options.ts) makes it from the profile. */
export interface SmtpClientOptions {
  host: string;
  /** The port for this mode (smtp.port, or smtp.sslPort for smtps). */
  port: number;
  tls: SmtpTlsMode;
  /** smtp.timeout, in seconds: connection, greeting and each reply. */
  timeoutSeconds: number;
  /** The EHLO name: the domain of device.email, else the host name. */
  ehloName: string;
  /** null or absent: no AUTH (smtp.auth.enabled false). */
  auth?: AuthSettings | null;
  tlsOptions?: ConnectionOptions;
  /** Certificate check after the handshake, before EHLO-after-TLS/AUTH (src/transport/tls verifyPeer). */
  verifyTls?: VerifyTls;
  /** -vv protocol trace, AUTH payloads and the password masked. */
  trace?: TraceSink;
  /** For IFAX_USER / IFAX_PASSWORD and KRB5_CLIENT_KTNAME; default process.env. */
  env?: Record<string, string | undefined>;
  /** For the DIGEST-MD5 cnonce; default crypto.randomBytes. */
  randomBytes?: (n: number) => Uint8Array;
  /** Loads the optional kerberos package; default `import('kerberos')`. */
  loadKerberos?: () => Promise<unknown>;
}

/** RFC 3461 parameters for one mail. */
export interface DsnRequest {
  /** ENVID: comes back in every DSN, so a report finds its job. */
  envid: string;
  ret: 'HDRS' | 'FULL';
  notify: Array<'SUCCESS' | 'FAILURE' | 'DELAY'> | ['NEVER'];
  /** ORCPT=rfc822;<recipient> on each RCPT TO. */
  orcpt: boolean;
}

/** One mail: the finished message bytes and its envelope. */
export interface SmtpMail {
  raw: Uint8Array;
  /** Envelope sender (MAIL FROM); "" sends the null sender <> (MDNs, DSNs). */
  from: string;
  to: string[];
  dsn?: DsnRequest;
}

export interface RecipientResult {
  address: string;
  accepted: boolean;
  /** The server's reply to RCPT TO. */
  reply: string;
  /** The queue id of the transaction that carried this recipient. */
  queueId?: string;
  /**
   * The reply to the end of data of that transaction ("250 2.0.0 Ok: queued as ..."). With
   * ORCPT each recipient has a transaction of its own, so SendResult.response (the last one)
   * is not every recipient's.
   */
  response?: string;
}

export interface SendResult {
  from: string;
  recipients: RecipientResult[];
  accepted: string[];
  rejected: string[];
  /** The reply to the end of the message data ("250 2.0.0 Ok: queued as ..."). */
  response: string;
  queueId?: string;
  /** Whether DSN parameters were asked for and whether the server took them (offers DSN). */
  dsn: { requested: boolean; sent: boolean };
  /** Things the caller should know that are not errors ("the server does not offer DSN"). */
  warnings: string[];
}

/** What is known of the session after it is open. */
export interface SessionInfo {
  server: string;
  tlsMode: SmtpTlsMode;
  tls?: TlsInfo;
  ehlo: EhloInfo;
  /** The mechanism used to log in, once logged in. */
  authMechanism?: SaslName;
}

export class SmtpSession {
  private ended = false;
  private endError: unknown;
  private readonly waiters = new Set<(err: unknown) => void>();

  private constructor(
    private readonly conn: SMTPConnection,
    readonly info: SessionInfo,
    private readonly options: SmtpClientOptions,
    private readonly transcript: Transcript,
    private readonly creds: SaslCredentials,
  ) {
    conn.on('error', (err: unknown) => this.onEnd(err));
    conn.on('end', () => this.onEnd(undefined));
  }

  /** Connect and greet (TLS and certificate check included); no login yet. */
  static async connect(options: SmtpClientOptions): Promise<SmtpSession> {
    const transcript = new Transcript(options.trace);
    const env = options.env ?? process.env;
    if (options.auth) transcript.addSecret(options.auth.source === 'user' ? env.IFAX_PASSWORD : (options.auth.password ?? undefined));
    // Filled in by login(): the handlers read them only while AUTH runs.
    const creds: SaslCredentials = {
      user: '',
      password: '',
      realm: options.auth?.realm ?? '',
      host: options.host,
      server: hostPort(options),
      source: options.auth?.source ?? 'value',
      randomBytes: options.randomBytes ?? ((n: number) => nodeRandomBytes(n)),
      env,
      ...(options.loadKerberos ? { loadKerberos: options.loadKerberos } : {}),
    };
    const { conn, tls } = await openConnection(
      {
        host: options.host,
        port: options.port,
        tls: options.tls,
        timeoutMs: options.timeoutSeconds * 1000,
        ehloName: options.ehloName,
        ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
        ...(options.verifyTls ? { verifyTls: options.verifyTls } : {}),
        customAuth: customAuthHandlers(OWN_MECHANISMS, creds),
      },
      transcript,
    );
    const lastEhlo = transcript.ehloReplies[transcript.ehloReplies.length - 1] ?? '';
    return new SmtpSession(conn, { server: hostPort(options), tlsMode: options.tls, ...(tls ? { tls } : {}), ehlo: parseEhlo(lastEhlo) }, options, transcript, creds);
  }

  /** The trace's record of every command and reply (for tests and the probe). */
  get exchanges(): readonly Exchange[] {
    return this.transcript.exchanges;
  }

  /**
   * Log in with the strongest mechanism of smtp.auth.methods the server offers. AUTH_FAILED
   * names the mechanism and the server's reply; none in common names both lists.
   */
  async login(): Promise<SaslName> {
    const auth = this.options.auth;
    if (!auth) throw new IfaxError('INTERNAL', 'SMTP login failed: smtp.auth is not enabled');
    const candidates = candidateMechanisms(auth.methods, this.info.ehlo.authMechanisms, this.info.server);
    for (const [i, mechanism] of candidates.entries()) {
      const { user, password } = resolveCredentials(auth, mechanism, this.options.env ?? process.env);
      this.creds.user = user;
      this.creds.password = password;
      this.transcript.note(`login as ${JSON.stringify(user)} with ${mechanism}`);
      try {
        await this.run(
          () =>
            new Promise<void>((resolve, reject) => {
              this.conn.login({ method: mechanism, user, pass: password }, (err) => (err ? reject(err) : resolve()));
            }),
        );
      } catch (err) {
        // Only a mechanism that could not even start here (GSSAPI without a keytab or ticket)
        // gives way to the next; a refusal by the server ends the login.
        if (i + 1 < candidates.length && err instanceof IfaxError && err.context?.unusableHere === true) {
          this.transcript.note(`${mechanism} cannot be used here (${err.message}); trying ${candidates[i + 1]}`);
          continue;
        }
        throw err;
      }
      this.info.authMechanism = mechanism;
      return mechanism;
    }
    throw new IfaxError('INTERNAL', 'SMTP login failed: no mechanism was tried');
  }

  /**
   * Send one mail. With DSN asked for and not offered by the server, the mail goes without the
   * parameters and the result carries a warning. With ORCPT and several recipients, each
   * recipient gets its own transaction (nodemailer puts one ORCPT on every RCPT TO).
   */
  async send(mail: SmtpMail): Promise<SendResult> {
    if (mail.to.length === 0) throw new IfaxError('USAGE', 'SMTP send failed: no recipients');
    const dsnOffered = this.info.ehlo.extensions.has('DSN');
    const warnings: string[] = [];
    if (mail.dsn && !dsnOffered) {
      warnings.push(`${this.info.server} does not offer DSN (RFC 3461): the mail was sent without delivery-report parameters, so no delivery report will come`);
    }
    const groups = mail.dsn?.orcpt && dsnOffered && mail.to.length > 1 ? mail.to.map((t) => [t]) : [mail.to];
    const results: SendResult[] = [];
    const refused: Array<{ error: IfaxError; recipients: RecipientResult[] }> = [];
    for (const to of groups) {
      try {
        results.push(await this.sendOne(mail, to, dsnOffered));
      } catch (err) {
        // In a split send, a transaction whose recipients were all refused does not undo the
        // others; anything else (a dropped session, a 421) ends the send.
        if (groups.length === 1 || !isIfaxError(err) || err.context?.command !== 'RCPT TO') throw err;
        refused.push({ error: err, recipients: to.map((address) => ({ address, accepted: false, reply: String(err.context?.response ?? '') })) });
      }
    }
    if (results.length === 0) throw refused[0].error;
    const recipients = mail.to.map((address) => results.flatMap((r) => r.recipients).find((r) => r.address === address) ?? refused.flatMap((r) => r.recipients).find((r) => r.address === address)!);
    const last = results[results.length - 1];
    return {
      from: mail.from,
      recipients,
      accepted: recipients.filter((r) => r.accepted).map((r) => r.address),
      rejected: recipients.filter((r) => !r.accepted).map((r) => r.address),
      response: last.response,
      ...(last.queueId ? { queueId: last.queueId } : {}),
      dsn: { requested: !!mail.dsn, sent: !!mail.dsn && dsnOffered },
      warnings,
    };
  }

  private async sendOne(mail: SmtpMail, to: string[], dsnOffered: boolean): Promise<SendResult> {
    const mark = this.transcript.exchanges.length;
    const raw = Buffer.from(mail.raw.buffer, mail.raw.byteOffset, mail.raw.byteLength);
    const envelope: Parameters<SMTPConnection['send']>[0] = {
      from: mail.from,
      to,
      size: raw.length,
      use8BitMime: raw.some((b) => b > 0x7f),
    };
    if (mail.dsn && dsnOffered) {
      envelope.dsn = { envid: mail.dsn.envid, ret: mail.dsn.ret, notify: mail.dsn.notify, ...(mail.dsn.orcpt ? { orcpt: `rfc822;${to[0]}` } : {}) };
    }
    let info: Awaited<ReturnType<typeof sendPromise>>;
    try {
      info = await this.run(() => sendPromise(this.conn, envelope, raw));
    } catch (err) {
      const mapped = mapSmtpError(err, { where: this.info.server });
      const recipients = this.recipientReplies(mark, to, []);
      if (recipients.some((r) => r.reply)) (mapped.context as Record<string, unknown>).recipients = recipients;
      if (!this.ended) await this.reset();
      throw mapped;
    }
    const queueId = parseQueueId(info.response);
    const recipients = this.recipientReplies(mark, to, info.accepted).map((r) => (r.accepted ? { ...r, ...(queueId ? { queueId } : {}), response: info.response } : r));
    return {
      from: mail.from,
      recipients,
      accepted: info.accepted,
      rejected: info.rejected,
      response: info.response,
      ...(queueId ? { queueId } : {}),
      dsn: { requested: !!mail.dsn, sent: !!mail.dsn && dsnOffered },
      warnings: [],
    };
  }

  private recipientReplies(mark: number, to: string[], accepted: string[]): RecipientResult[] {
    const exchanges = this.transcript.exchanges.slice(mark);
    return to.map((address) => {
      const x = exchanges.find((e) => e.command !== null && e.command.toUpperCase().startsWith(`RCPT TO:<${address.toUpperCase()}>`));
      const reply = x?.reply ?? '';
      return { address, accepted: accepted.includes(address) || /^2/.test(reply), reply };
    });
  }

  /** RSET after a failed transaction so the session can carry the next mail. */
  private async reset(): Promise<void> {
    try {
      await this.run(() => new Promise<void>((resolve, reject) => this.conn.reset((err) => (err ? reject(err) : resolve()))));
    } catch {
      // The next send reports the broken session itself.
    }
  }

  /** QUIT and wait for the server to close (bounded by smtp.timeout). */
  async quit(): Promise<void> {
    if (this.ended) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.conn.close();
        resolve();
      }, this.options.timeoutSeconds * 1000);
      this.conn.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      this.conn.quit();
    });
  }

  /** Drop the connection without QUIT. */
  close(): void {
    this.conn.close();
  }

  private onEnd(err: unknown): void {
    if (err !== undefined && this.endError === undefined) this.endError = err;
    this.ended = true;
    const e = this.endError ?? Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' });
    // Later than nodemailer's own callback: a 421 fails the command with its reply first, and
    // that (better) error must win over "connection closed".
    setImmediate(() => {
      for (const w of this.waiters) w(e);
      this.waiters.clear();
    });
  }

  /**
   * Run one nodemailer operation; a dropped connection ends it too (nodemailer leaves a
   * custom AUTH handler's pending command unanswered when the socket goes away).
   */
  private run<T>(op: () => Promise<T>): Promise<T> {
    if (this.ended) return Promise.reject(mapSmtpError(this.endError ?? Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }), { where: this.info.server }));
    return new Promise<T>((resolve, reject) => {
      const onEnd = (err: unknown) => reject(err);
      this.waiters.add(onEnd);
      op().then(
        (v) => {
          this.waiters.delete(onEnd);
          resolve(v);
        },
        (err) => {
          this.waiters.delete(onEnd);
          reject(err);
        },
      );
    }).catch((err: unknown) => {
      throw isIfaxError(err) ? err : mapSmtpError(err, { where: this.info.server });
    });
  }
}

function sendPromise(conn: SMTPConnection, envelope: Parameters<SMTPConnection['send']>[0], raw: Buffer) {
  return new Promise<{ accepted: string[]; rejected: string[]; response: string }>((resolve, reject) => {
    conn.send(envelope, raw, (err, info) => (err ? reject(err) : resolve({ accepted: info!.accepted, rejected: info!.rejected, response: info!.response })));
  });
}

/** Connect, log in when smtp.auth is enabled: a session ready to send. */
export async function openSmtpSession(options: SmtpClientOptions): Promise<SmtpSession> {
  const session = await SmtpSession.connect(options);
  if (options.auth) {
    try {
      await session.login();
    } catch (err) {
      await session.quit().catch(() => undefined);
      throw err;
    }
  }
  return session;
}

/** One mail over its own session: connect, log in, send, quit. */
export async function sendMail(options: SmtpClientOptions, mail: SmtpMail): Promise<SendResult> {
  return withSmtpSession(options, (s) => s.send(mail));
}

/** Run `fn` on an open session and always quit afterwards (broadcast: connect once, send N). */
export async function withSmtpSession<T>(options: SmtpClientOptions, fn: (session: SmtpSession) => Promise<T>): Promise<T> {
  const session = await openSmtpSession(options);
  try {
    return await fn(session);
  } finally {
    await session.quit().catch(() => undefined);
  }
}
