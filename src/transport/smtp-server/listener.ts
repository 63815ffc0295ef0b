/**
 * An SMTP listener (RFC 5321 through the smtp-server package) for direct SMTP reception
 * (RFC 4142 App. A: Ricoh, Canon and Panasonic devices can send straight to a receiver) and for
 * the embedded station of `ifax demo`. Each mail is handed to `store`, and the final 250 goes
 * out only once `store` resolved (the mail is on disk): when it fails, the sender gets a 451 and
 * keeps the mail, so nothing is accepted and lost. Recipients outside the allow-list get a 550
 * at RCPT; a mail over `maxBytes` a 552, announced in EHLO SIZE so a sender can check first.
 */
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { IfaxError } from '../../errors.js';
import { hostPort } from '../host-port.js';

export interface ListenerOptions {
  /** Address to bind (an IP literal or host name). */
  host: string;
  /** Port; 0 = a free one (see `port` of the result). */
  port: number;
  /** The largest mail taken, in bytes (EHLO SIZE, 552 beyond). */
  maxBytes: number;
  /** PEM key and certificate: STARTTLS is offered (never required: devices on a LAN may not do it). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Host name in the greeting and EHLO reply. */
  name?: string;
  /** Whether mail for `address` is taken (the station's own addresses). */
  allowRecipient(address: string): boolean;
  /**
   * Stores one mail; resolves once it is safe on disk. Rejecting makes the sender retry later
   * (451); an IfaxError with exit code 65 (a mail ifax cannot read) is still stored by the caller
   * in its "other" folder, so reject only for what a retry can fix.
   */
  store(mail: { from: string; to: string[]; stream: Readable }): Promise<void>;
  /** What happened to each mail, for -v. */
  log?(line: string): void;
}

export interface Listener {
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Starts listening; NETWORK_FAILED (75) when the address cannot be bound. */
export async function startListener(o: ListenerOptions): Promise<Listener> {
  const log = o.log ?? (() => undefined);
  const options: SMTPServerOptions = {
    name: o.name ?? 'ifax',
    banner: 'ifax I-Fax receiver',
    size: o.maxBytes,
    authOptional: true,
    disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
    // The smtp-server package logs to the console unless told not to: this listener speaks only through `log`.
    logger: false,
    onRcptTo(address, _session, callback) {
      if (o.allowRecipient(address.address)) return callback();
      log(`refused RCPT TO:<${address.address}>: not an address of this station`);
      const err = Object.assign(new Error(`5.1.1 <${address.address}>: no such fax recipient here`), { responseCode: 550 });
      return callback(err);
    },
    onData(stream, session, callback) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const to = session.envelope.rcptTo.map((r) => r.address);
      o.store({ from, to, stream })
        .then(() => {
          // smtp-server sets sizeExceeded when the mail ran past `size`: what was stored is cut short.
          if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) {
            callback(Object.assign(new Error(`5.3.4 the mail is over ${o.maxBytes} bytes`), { responseCode: 552 }));
            return;
          }
          log(`stored a mail from <${from}> for ${to.map((t) => `<${t}>`).join(', ')}`);
          callback();
        })
        .catch((err: unknown) => {
          // Drain what is left so the connection can go on, then ask the sender to try again.
          stream.resume();
          log(`could not store a mail from <${from}>: ${(err as Error).message}`);
          callback(Object.assign(new Error('4.3.0 the mail could not be stored; try again later'), { responseCode: 451 }));
        });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        new IfaxError('NETWORK_FAILED', `Listening on ${hostPort(o)} failed: ${err.message}`, {
          cause: err,
          hint: 'Another program may use the port, or binding to a port below 1024 needs root.',
        }),
      );
    };
    server.server.once('error', onError);
    server.listen(o.port, o.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  // Errors of single connections (a client that resets) are the client's business.
  server.on('error', (err: Error) => log(`connection error: ${err.message}`));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
