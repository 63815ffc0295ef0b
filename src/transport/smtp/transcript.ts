/**
 * The SMTP dialogue as ifax sees it: every command paired with its reply (nodemailer keeps
 * the reply to an accepted RCPT TO to itself), the EHLO replies (for DSN, SIZE and AUTH), and
 * the protocol trace for -vv. The trace masks every AUTH payload: the client's lines after
 * "AUTH <mechanism>" become "********", and so do the server's challenges after the first (the
 * DIGEST-MD5 rspauth, the GSSAPI tokens); the password is masked wherever it might still turn up.
 *
 * It is handed to nodemailer as its logger with `transactionLog: true` (not `debug`: the
 * message itself is never traced).
 */
import { format } from 'node:util';
import { SECRET_MASK as MASK } from '../../secrets.js';
import { TraceMask } from '../trace-mask.js';

/** A line sink for the trace (the CLI prints these at -vv). */
export type TraceSink = (line: string) => void;

/** One command and the server's reply to it; `command` is null for the greeting. */
export interface Exchange {
  command: string | null;
  reply: string;
}

export class Transcript {
  /** Every exchange so far, in order. */
  readonly exchanges: Exchange[] = [];
  /** Each EHLO reply, in order (before STARTTLS and after it). */
  readonly ehloReplies: string[] = [];
  private readonly pending: string[] = [];
  private authReplies = -1;
  private readonly secrets = new TraceMask();

  constructor(private readonly sink?: TraceSink) {}

  /** Values to mask wherever they appear in the trace (the password). */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value, Buffer.from(value, 'utf8').toString('base64'));
  }

  /** A line of our own in the trace ("* TLS: TLSv1.3 ..."). */
  note(text: string): void {
    this.emit(`* ${text}`);
  }

  /** The bunyan-style logger nodemailer writes its transaction log to. */
  readonly logger = {
    debug: (entry: { tnx?: string } | undefined, message?: string, ...args: unknown[]) => {
      const text = args.length ? format(message ?? '', ...args) : (message ?? '');
      if (entry?.tnx === 'client') this.onClient(text);
      else if (entry?.tnx === 'server') this.onServer(text);
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    trace: () => undefined,
    fatal: () => undefined,
  };

  private onClient(text: string): void {
    const auth = /^AUTH\s+(\S+)/i.exec(text);
    let shown: string;
    if (auth) {
      this.authReplies = 0;
      shown = text.trim().length > auth[0].length ? `${auth[0]} ${MASK}` : auth[0];
      this.pending.push(auth[0]);
    } else if (this.authReplies >= 0) {
      shown = MASK;
      this.pending.push(MASK);
    } else {
      shown = text;
      this.pending.push(text);
    }
    this.emit(`C: ${shown}`);
  }

  private onServer(text: string): void {
    const command = this.pending.shift() ?? null;
    let shown = text;
    if (this.authReplies >= 0) {
      if (/^334[ -]/.test(text)) {
        this.authReplies++;
        if (this.authReplies > 1 && text.length > 4) shown = `334 ${MASK}`;
      } else {
        this.authReplies = -1;
      }
    }
    this.exchanges.push({ command, reply: text });
    if (command !== null && /^(EHLO|LHLO)\b/i.test(command) && /^2/.test(text)) this.ehloReplies.push(text);
    // The reply to DATA opens the message; the reply after it answers the final ".".
    if (command === 'DATA' && /^3/.test(text)) this.pending.unshift('.');
    for (const line of shown.split(/\r?\n/)) this.emit(`S: ${line}`);
  }

  private emit(line: string): void {
    if (!this.sink) return;
    this.sink(this.secrets.apply(line));
  }
}
