/**
 * One POP3 connection (RFC 1939): the socket, plain or implicit TLS (RFC 8314 §3.3, POP3S),
 * the STLS upgrade (RFC 2595 §4), the greeting, the session state, and the primitives the
 * commands of `commands/` are written with: send a command, read a status line, a listing or
 * a streamed body. Commands are not pipelined: each waits for its answer.
 *
 * Secrets never leave: the trace and every message show a command as its `shown` form
 * ("PASS ********"), and the password is masked in anything the server echoes.
 */
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { IfaxError } from '../../errors.js';
import { MAX_POP3_LISTING_LINES } from '../../limits.js';
import { hostPort } from '../host-port.js';
import { TraceMask } from '../trace-mask.js';
import { sniName } from '../tls/connect-options.js';
import { networkError } from './network-error.js';
import { ResponseReader } from './response-reader.js';
import { apopTimestamp, notPop3Error, parseStatus, refusalError, type Pop3Response } from './response.js';

/** RFC 1939 §3: AUTHORIZATION until logged in, TRANSACTION after, UPDATE once QUIT is sent. */
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE' | 'CLOSED';

/** Receives the protocol trace (-vv), one line at a time, secrets masked: "C: USER fax1", "S: +OK". */
export type Pop3TraceSink = (line: string) => void;

export interface Pop3ConnectOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (POP3S). STLS is `Pop3Connection.startTls`. */
  implicitTls?: boolean;
  /** Seconds any wait for the server may take (pop.timeout). */
  timeoutSeconds: number;
  /**
   * Options for tls.connect (CA, minVersion, rejectUnauthorized...), made from tls.* and
   * pop.certVerify.*. Host and servername are filled in here.
   */
  tlsOptions?: ConnectionOptions;
  /**
   * Called right after every TLS handshake, before anything else is sent or read (certificate
   * checks of pop.certVerify.*). A rejection closes the connection and is passed on unchanged.
   */
  verifyTls?: (socket: TLSSocket) => Promise<unknown>;
  /**
   * Called with every TLS socket right after tls.connect, before the handshake ends: where
   * listeners for handshake events go (the stapled OCSP answer: 'OCSPResponse').
   */
  beforeHandshake?: (socket: TLSSocket) => void;
  trace?: Pop3TraceSink;
}

/** What the server said when the connection opened. */
export interface Pop3Greeting {
  /** The greeting line (without CRLF). */
  line: string;
  /** The APOP timestamp "<...>" (RFC 1939 §7), or null: then the server offers no APOP. */
  apopTimestamp: string | null;
}

export class Pop3Connection {
  /** "host:port" (IPv6 in brackets), for messages. */
  readonly where: string;
  private current: Pop3State = 'AUTHORIZATION';
  greeting: Pop3Greeting = { line: '', apopTimestamp: null };
  private readonly secrets = new TraceMask();

  private constructor(
    private socket: Socket,
    private reader: ResponseReader,
    private readonly options: Pop3ConnectOptions,
    where: string,
  ) {
    this.where = where;
  }

  /** The session state; CLOSED as soon as the socket is gone (destroyed, reset, timed out). */
  get state(): Pop3State {
    return this.socket.destroyed ? 'CLOSED' : this.current;
  }

  set state(state: Pop3State) {
    this.current = state;
  }

  /** Connect, finish TLS (implicit), check the certificate, read the greeting. */
  static async connect(options: Pop3ConnectOptions): Promise<Pop3Connection> {
    const where = hostPort(options);
    const ms = options.timeoutSeconds * 1000;
    const socket: Socket = options.implicitTls
      ? tlsSocket(() => tlsConnect({ ...tlsConnectOptions(options), port: options.port }), `POP3 connect to ${where}`, options.beforeHandshake)
      : createConnection({ host: options.host, port: options.port });
    const conn = new Pop3Connection(socket, new ResponseReader(socket, ms, where), options, where);
    const what = `POP3 connect to ${where}${options.implicitTls ? ' (POP3S)' : ''}`;
    await conn.settle(socket, options.implicitTls ? 'secureConnect' : 'connect', what);
    conn.trace(`* connected to ${where}`);
    if (options.implicitTls) await conn.afterHandshake(socket as TLSSocket);
    const greeting = await conn.readStatus('greeting');
    if (!greeting.ok) {
      conn.destroy();
      throw refusalError('greeting', 'greeting', greeting, where);
    }
    conn.greeting = { line: greeting.line, apopTimestamp: apopTimestamp(greeting.text) };
    return conn;
  }

  /** True once the socket is TLS (POP3S or after STLS). */
  get secure(): boolean {
    return 'encrypted' in this.socket && (this.socket as TLSSocket).encrypted === true;
  }

  /** The negotiated TLS version ("TLSv1.3"), or null on a plain connection. */
  get tlsVersion(): string | null {
    return this.secure ? (this.socket as TLSSocket).getProtocol() : null;
  }

  /** The TLS socket (for certificate details), or null. */
  get tlsSocket(): TLSSocket | null {
    return this.secure ? (this.socket as TLSSocket) : null;
  }

  /** Mask `value` wherever the server might echo it (the password, an APOP digest). */
  addSecret(value: string): void {
    // Server lines are decoded as latin1: a non-ASCII password echoed back appears as its UTF-8 octets.
    this.secrets.add(value, Buffer.from(value, 'utf8').toString('latin1'));
  }

  /** Refuse a command outside the state RFC 1939 allows it in (a caller's mistake). */
  expectState(state: Pop3State, command: string): void {
    if (this.state === 'CLOSED') throw this.closedError(command);
    if (this.state !== state) {
      throw new IfaxError('INTERNAL', `POP3 ${command} failed: the session at ${this.where} is in the ${this.state} state, not ${state}`);
    }
  }

  /** Write one line to the trace, if any. */
  trace(line: string): void {
    this.options.trace?.(this.mask(line));
  }

  /**
   * Send `line` and read its status line. A "-ERR" is thrown as the IfaxError of
   * `refusalError` unless `allowErr`. `shown` is the line as it may be printed.
   */
  async command(line: string, shown: string = line, allowErr = false): Promise<Pop3Response> {
    if (this.state === 'CLOSED') throw this.closedError(shown);
    if (/[\r\n]/.test(line)) {
      // A CR or LF in an argument (a user name from a profile) would start a second command.
      throw new IfaxError('USAGE', `POP3 ${shown.split(' ')[0]} failed: an argument holds a line break`, { hint: 'Check pop.user.' });
    }
    this.trace(`C: ${shown}`);
    this.socket.write(`${line}\r\n`);
    const verb = line.split(' ')[0].toUpperCase();
    const response = await this.readStatus(shown);
    if (!response.ok && !allowErr) throw refusalError(verb, shown, response, this.where);
    return response;
  }

  /** The lines of a multi-line listing (CAPA, LIST, UIDL), dot-unstuffed, without the final ".". */
  async readListing(shown: string): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const raw = (await this.reader.readLine(`POP3 ${shown}`)).toString('latin1');
      if (raw === '.') {
        this.trace('S: .');
        return lines;
      }
      if (lines.length >= MAX_POP3_LISTING_LINES) {
        throw this.reader.abort(
          new IfaxError('LIMIT_EXCEEDED', `POP3 ${shown} at ${this.where} failed: the answer has more than ${MAX_POP3_LISTING_LINES} lines (MAX_POP3_LISTING_LINES); connection closed`, {
            context: { limit: 'MAX_POP3_LISTING_LINES' },
          }),
        );
      }
      const line = raw.startsWith('.') ? raw.slice(1) : raw;
      this.trace(`S: ${line}`);
      lines.push(line);
    }
  }

  /**
   * The body of a multi-line answer (RETR, TOP): dot-unstuffed chunks, CRLF kept. The
   * generator must be run to its end before the next command (a consumer that stops early
   * goes on calling `next()` to drain it: `drainBody`).
   */
  async *readBody(shown: string, maxBytes: number, limitName: string): AsyncGenerator<Buffer, number> {
    const total = yield* this.reader.readBody(`POP3 ${shown}`, maxBytes, limitName);
    this.trace(`S: (${total} octets of message data)`);
    this.trace('S: .');
    return total;
  }

  /** Read and drop what is left of a body generator (a consumer stopped early). */
  async drainBody(body: AsyncGenerator<Buffer, number>): Promise<void> {
    for (;;) if ((await body.next()).done) return;
  }

  /**
   * Turn this connection into TLS after the server's "+OK" to STLS (RFC 2595 §4), then check
   * the certificate. Bytes the server sent after its "+OK" and before the handshake would be
   * taken for answers inside TLS: they are refused (a man in the middle injecting responses).
   */
  async startTls(): Promise<void> {
    if (this.reader.buffered > 0) {
      throw this.reader.abort(
        new IfaxError('DATA_INVALID', `POP3 STLS at ${this.where} failed: the server sent data after its +OK and before the TLS handshake; connection closed`, {
          hint: 'Something between ifax and the server may be injecting responses.',
        }),
      );
    }
    this.reader.detach();
    // The TLS socket reports the errors of the connection from now on; an 'error' event left
    // without a listener would end the process.
    this.socket.on('error', () => undefined);
    let upgraded: TLSSocket;
    try {
      upgraded = tlsSocket(() => tlsConnect({ ...tlsConnectOptions(this.options), socket: this.socket }), `POP3 STLS at ${this.where}`, this.options.beforeHandshake);
    } catch (err) {
      this.destroy();
      throw err;
    }
    this.socket = upgraded;
    this.reader = new ResponseReader(upgraded, this.options.timeoutSeconds * 1000, this.where);
    await this.settle(upgraded, 'secureConnect', `POP3 STLS at ${this.where}`);
    await this.afterHandshake(upgraded);
  }

  /** Close without QUIT: the server keeps every message (RFC 1939 §6: no UPDATE state). */
  destroy(): void {
    this.state = 'CLOSED';
    this.socket.destroy();
  }

  /** Close after QUIT was answered: let the socket end gracefully. */
  end(): void {
    this.state = 'CLOSED';
    this.socket.end();
    // A server that never closes its side must not keep the process alive.
    this.socket.setTimeout(this.options.timeoutSeconds * 1000, () => this.socket.destroy());
  }

  /** After a timeout, a reset or QUIT: a caller going on to the next message learns it here. */
  private closedError(shown: string): IfaxError {
    return new IfaxError('NETWORK_FAILED', `POP3 ${shown} at ${this.where} failed: the connection is closed (after QUIT or an earlier failure)`, {
      hint: 'Open a new session; messages marked with DELE in the closed one were not removed unless QUIT was answered.',
    });
  }

  private async readStatus(shown: string): Promise<Pop3Response> {
    const line = this.mask((await this.reader.readLine(`POP3 ${shown}`)).toString('latin1'));
    this.trace(`S: ${line}`);
    const response = parseStatus(line);
    if (!response) throw this.reader.abort(notPop3Error(shown, line, this.where));
    return response;
  }

  private async afterHandshake(socket: TLSSocket): Promise<void> {
    const cipher = socket.getCipher();
    this.trace(`* TLS ${socket.getProtocol() ?? '?'} ${cipher?.name ?? ''}`.trimEnd());
    if (!this.options.verifyTls) return;
    try {
      await this.options.verifyTls(socket);
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /** Wait for `event` (connect, secureConnect) within the timeout; failures are NETWORK_FAILED. */
  private settle(socket: Socket, event: string, what: string): Promise<void> {
    const ms = this.options.timeoutSeconds * 1000;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: IfaxError): void => {
        clearTimeout(timer);
        socket.off(event, onOk);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (err) {
          this.destroy();
          reject(err);
        } else resolve();
      };
      const onOk = (): void => done();
      const onError = (e: Error): void => done(networkError(what, e));
      const onClose = (): void => done(new IfaxError('NETWORK_FAILED', `${what} failed: the server closed the connection`));
      const timer = setTimeout(
        () => done(new IfaxError('NETWORK_FAILED', `${what} failed: no connection within ${ms / 1000} s (pop.timeout)`, { hint: 'Check pop.host and the port, and that a firewall lets the connection through.' })),
        ms,
      );
      socket.once(event, onOk);
      socket.once('error', onError);
      socket.once('close', onClose);
    });
  }

  private mask(text: string): string {
    return this.secrets.apply(text);
  }
}

/** tls.connect, with options it refuses at once (an unreadable CA) reported as a setting problem. */
function tlsSocket(connect: () => TLSSocket, what: string, beforeHandshake?: (socket: TLSSocket) => void): TLSSocket {
  let socket: TLSSocket;
  try {
    socket = connect();
  } catch (err) {
    throw new IfaxError('CONFIG_INVALID', `${what} failed: the TLS options are not usable: ${(err as Error).message}`, {
      cause: err,
      hint: 'Check tls.caFile, tls.minVersion and pop.certVerify.*.',
    });
  }
  beforeHandshake?.(socket);
  return socket;
}

/** tls.connect options: the caller's, plus SNI by host name (never an IP address, RFC 6066 §3). */
function tlsConnectOptions(options: Pop3ConnectOptions): ConnectionOptions {
  const servername = options.tlsOptions?.servername ?? sniName(options.host);
  // `host` is what the default certificate check compares the name against (also under STLS).
  return { ...options.tlsOptions, host: options.host, ...(servername !== undefined ? { servername } : {}) };
}
