/**
 * The input side of a POP3 connection: response lines (RFC 1939 §3, RFC 2449 §4) and
 * dot-stuffed multi-line bodies (RFC 1939 §3: a line starting with "." has it doubled; the body
 * ends at a line holding only "."), read from a socket whose data may be split anywhere across
 * TCP chunks: inside a line, between CR and LF, inside the terminating CRLF "." CRLF.
 *
 * Bodies are streamed: a state machine over the bytes removes the stuffed dots and finds the end
 * without ever holding a line or the message, so a body is bounded only by the caller's size
 * limit. Response lines are bounded by MAX_POP3_LINE_BYTES. Read-ahead is bounded by pausing
 * the socket (MAX_POP3_READ_AHEAD_BYTES) until the command reading catches up.
 *
 * Every wait for data has a timeout: when it expires the socket is destroyed (so nothing hangs
 * and no half-read response is ever taken for the next one) and the wait fails with
 * TEMPORARY_FAILURE.
 */
import type { Socket } from 'node:net';
import { IfaxError } from '../../errors.js';
import { MAX_POP3_LINE_BYTES, MAX_POP3_READ_AHEAD_BYTES } from '../../limits.js';
import { networkError } from './network-error.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const EMPTY = Buffer.alloc(0);
const CR_BYTE = Buffer.from([CR]);

/** Where the body state machine is, relative to the line being read. */
const enum BodyState {
  /** At the first byte of a line. */
  LineStart,
  /** Inside a line. */
  InLine,
  /** A "." at the start of a line: either the stuffed dot of data or the terminator. */
  Dot,
  /** "." CR at the start of a line: the terminator if LF follows. */
  DotCr,
}

/** A failure of the socket, kept until a read reports it with the command's name. */
type Failure = { kind: 'closed' } | { kind: 'error'; cause: Error } | { kind: 'fatal'; error: IfaxError };

export class ResponseReader {
  private pending: Buffer = EMPTY;
  private paused = false;
  private failure: Failure | null = null;
  private wake: (() => void) | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.pending.length >= MAX_POP3_READ_AHEAD_BYTES && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.notify();
  };
  private readonly onEnd = (): void => this.fail({ kind: 'closed' });
  private readonly onError = (cause: Error): void => this.fail({ kind: 'error', cause });

  /**
   * @param socket the connection, plain or TLS
   * @param timeoutMs how long a read waits for more data (pop.timeout)
   * @param where "host:port", for messages
   */
  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
    private readonly where: string,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Bytes received and not yet read: nothing may be waiting when the socket changes hands (STLS). */
  get buffered(): number {
    return this.pending.length;
  }

  /** Stop reading the socket (before STLS hands it to TLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    if (this.paused) this.socket.resume();
  }

  /**
   * Mark the reader failed with `error` and destroy the socket: used when the stream can no
   * longer be trusted (a line too long, a body over its limit, a timeout).
   */
  abort(error: IfaxError): IfaxError {
    if (this.failure?.kind !== 'fatal') this.failure = { kind: 'fatal', error };
    this.socket.destroy();
    this.notify();
    return error;
  }

  /**
   * One response line without its CRLF (a bare LF is accepted too). `what` names the command
   * for messages ("POP3 RETR 1").
   */
  async readLine(what: string): Promise<Buffer> {
    for (;;) {
      const lf = this.pending.indexOf(LF);
      if (lf >= 0) {
        if (lf + 1 > MAX_POP3_LINE_BYTES) throw this.tooLong(what);
        const line = this.pending.subarray(0, lf > 0 && this.pending[lf - 1] === CR ? lf - 1 : lf);
        this.take(lf + 1);
        return line;
      }
      if (this.pending.length >= MAX_POP3_LINE_BYTES) throw this.tooLong(what);
      await this.more(what);
    }
  }

  /**
   * The body of a multi-line response, dot-unstuffed, CRLF kept, in chunks as they arrive.
   * Ends after the terminating "." line, which is consumed and not yielded. More than
   * `maxBytes` of body destroys the connection and fails with LIMIT_EXCEEDED naming `limitName`.
   * A consumer that stops early leaves the rest of the body unread: the caller must drain this
   * same generator (the state machine knows where in a line it stopped) or close the connection.
   */
  async *readBody(what: string, maxBytes: number, limitName: string): AsyncGenerator<Buffer, number> {
    let state = BodyState.LineStart;
    let total = 0;
    for (;;) {
      if (this.pending.length === 0) await this.more(what);
      const chunk = this.pending;
      this.take(chunk.length);
      const out: Buffer[] = [];
      let start = 0;
      let end = -1;
      for (let i = 0; i < chunk.length && end < 0; i++) {
        const b = chunk[i];
        switch (state) {
          case BodyState.LineStart:
            if (b === DOT) {
              if (i > start) out.push(chunk.subarray(start, i));
              start = i + 1;
              state = BodyState.Dot;
            } else if (b !== LF) {
              state = BodyState.InLine;
            }
            break;
          case BodyState.InLine: {
            // Skip to the end of the line at native speed: most bytes of a message are here.
            const lf = chunk.indexOf(LF, i);
            if (lf < 0) i = chunk.length;
            else {
              i = lf;
              state = BodyState.LineStart;
            }
            break;
          }
          case BodyState.Dot:
            if (b === CR) {
              start = i + 1;
              state = BodyState.DotCr;
            } else if (b === LF) {
              end = i + 1; // "." LF: a server writing bare LF ends the body this way
            } else {
              state = BodyState.InLine; // the stuffed dot is dropped; this byte is data
              i--;
            }
            break;
          case BodyState.DotCr:
            if (b === LF) end = i + 1;
            else {
              // "." CR then data: the CR held back in case it began the terminator is data.
              out.push(CR_BYTE);
              start = i;
              state = BodyState.InLine;
              i--;
            }
            break;
        }
      }
      // Dot and DotCr are entered at the byte just read, so a chunk ending in them has nothing
      // left to pass on; at the terminator everything before its dot was passed on already.
      if (end < 0 && start < chunk.length) out.push(chunk.subarray(start));
      if (end >= 0) this.unread(chunk.subarray(end));
      const data = out.length === 1 ? out[0] : Buffer.concat(out);
      total += data.length;
      if (total > maxBytes) {
        throw this.abort(new IfaxError('LIMIT_EXCEEDED', `${what} at ${this.where} failed: the message is larger than ${maxBytes} bytes (${limitName}); connection closed`, { context: { limit: limitName, maxBytes } }));
      }
      if (data.length > 0) yield data;
      if (end >= 0) return total;
    }
  }

  private take(n: number): void {
    this.pending = n >= this.pending.length ? EMPTY : this.pending.subarray(n);
    if (this.paused && this.pending.length < MAX_POP3_READ_AHEAD_BYTES / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private unread(rest: Buffer): void {
    if (rest.length > 0) this.pending = this.pending.length === 0 ? rest : Buffer.concat([rest, this.pending]);
  }

  private tooLong(what: string): IfaxError {
    return this.abort(
      new IfaxError('DATA_INVALID', `${what} at ${this.where} failed: a response line from the server is longer than ${MAX_POP3_LINE_BYTES} octets (MAX_POP3_LINE_BYTES, RFC 2449 §4); connection closed`, {
        context: { limit: 'MAX_POP3_LINE_BYTES' },
      }),
    );
  }

  private fail(failure: Failure): void {
    if (this.failure === null || (this.failure.kind === 'closed' && failure.kind === 'error')) this.failure = failure;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Wait until more data, a failure, or the timeout. */
  private async more(what: string): Promise<void> {
    if (this.failure) throw this.failureError(what);
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(() => {
          const s = this.timeoutMs / 1000;
          this.abort(
            new IfaxError('TEMPORARY_FAILURE', `${what} at ${this.where} failed: no answer from the server within ${s} s (pop.timeout); connection closed`, {
              hint: 'The server is slow or stalled; try again later, or raise pop.timeout.',
              context: { timeoutSeconds: s },
            }),
          );
        }, this.timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      this.wake = null;
    }
    if (this.pending.length === 0 && this.failure) throw this.failureError(what);
  }

  private failureError(what: string): IfaxError {
    const f = this.failure!;
    if (f.kind === 'fatal') return f.error;
    if (f.kind === 'error') return networkError(`${what} at ${this.where}`, f.cause);
    return new IfaxError('NETWORK_FAILED', `${what} at ${this.where} failed: the server closed the connection`, {
      hint: 'The server may be overloaded or may have dropped an idle connection; try again later.',
    });
  }
}
