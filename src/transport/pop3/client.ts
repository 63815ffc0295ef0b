/**
 * The POP3 client: a connection plus the commands of `commands/`, run one at a time (a second
 * call waits for the first to finish, its body included). `run(NAME, ...args)` runs any
 * command of the table; the methods are the same commands with their exact types.
 */
import type { TLSSocket } from 'node:tls';
import { COMMANDS, type Pop3CommandName } from './commands/index.js';
import type { Pop3Capabilities } from './commands/capa.js';
import type { Pop3ListEntry } from './commands/list.js';
import type { Pop3QuitResult } from './commands/quit.js';
import type { Pop3Stat } from './commands/stat.js';
import { bodyLimit, type Pop3BodyOptions, type Pop3BodyResult, type Pop3Sink } from './commands/stream-body.js';
import type { Pop3UidlEntry } from './commands/uidl.js';
import { messageNumber } from './commands/message-number.js';
import { Pop3Connection, type Pop3ConnectOptions, type Pop3Greeting, type Pop3State } from './connection.js';

type Commands = typeof COMMANDS;
type Args<K extends Pop3CommandName> = Commands[K] extends (conn: Pop3Connection, ...args: infer A) => unknown ? A : never;
type Result<K extends Pop3CommandName> = Awaited<ReturnType<Commands[K]>>;

export class Pop3Client {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly connection: Pop3Connection) {}

  /** Connect (plain or implicit TLS), check the certificate, read the greeting. */
  static async connect(options: Pop3ConnectOptions): Promise<Pop3Client> {
    return new Pop3Client(await Pop3Connection.connect(options));
  }

  get greeting(): Pop3Greeting {
    return this.connection.greeting;
  }

  get state(): Pop3State {
    return this.connection.state;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  get tlsVersion(): string | null {
    return this.connection.tlsVersion;
  }

  get tlsSocket(): TLSSocket | null {
    return this.connection.tlsSocket;
  }

  /** Run a command of the table, after any command still running. */
  run<K extends Pop3CommandName>(name: K, ...args: Args<K>): Promise<Result<K>> {
    const command = COMMANDS[name] as unknown as (conn: Pop3Connection, ...a: Args<K>) => Promise<Result<K>>;
    return this.locked(() => command(this.connection, ...args));
  }

  capa(): Promise<Pop3Capabilities | null> {
    return this.run('CAPA');
  }

  stls(): Promise<void> {
    return this.run('STLS');
  }

  /** USER/PASS login. */
  login(user: string, password: string): Promise<void> {
    return this.run('USER', user, password);
  }

  apop(user: string, password: string): Promise<void> {
    return this.run('APOP', user, password);
  }

  stat(): Promise<Pop3Stat> {
    return this.run('STAT');
  }

  list(): Promise<Pop3ListEntry[]>;
  list(n: number): Promise<Pop3ListEntry>;
  list(n?: number): Promise<Pop3ListEntry[] | Pop3ListEntry> {
    return this.locked<Pop3ListEntry[] | Pop3ListEntry>(() => (n === undefined ? COMMANDS.LIST(this.connection) : COMMANDS.LIST(this.connection, n)));
  }

  uidl(): Promise<Pop3UidlEntry[]>;
  uidl(n: number): Promise<Pop3UidlEntry>;
  uidl(n?: number): Promise<Pop3UidlEntry[] | Pop3UidlEntry> {
    return this.locked<Pop3UidlEntry[] | Pop3UidlEntry>(() => (n === undefined ? COMMANDS.UIDL(this.connection) : COMMANDS.UIDL(this.connection, n)));
  }

  /** Stream message `n` to `sink`, exactly its octets (dot-unstuffed, CRLF kept). */
  retr(n: number, sink: Pop3Sink, options?: Pop3BodyOptions): Promise<Pop3BodyResult> {
    return this.run('RETR', n, sink, options);
  }

  /** Header and first `lines` body lines of message `n`, streamed to `sink`. */
  top(n: number, lines: number, sink: Pop3Sink, options?: Pop3BodyOptions): Promise<Pop3BodyResult> {
    return this.run('TOP', n, lines, sink, options);
  }

  /**
   * Message `n` as an async iterable of chunks: `for await (const chunk of client.message(n))`.
   * Other commands wait until the loop ends; a loop left early drains the rest of the message.
   */
  async *message(n: number, options: Pop3BodyOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    const shown = `RETR ${messageNumber(n, 'RETR')}`;
    const [maxBytes, limitName] = bodyLimit(options);
    // Hold the command lock for as long as the loop runs: acquired on the first next().
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((acquired) => void this.locked(() => (acquired(), held)));
    let body: AsyncGenerator<Buffer, number> | null = null;
    let done = false;
    try {
      this.connection.expectState('TRANSACTION', 'RETR');
      await this.connection.command(shown);
      body = this.connection.readBody(shown, maxBytes, limitName);
      for (;;) {
        const step = await body.next();
        if (step.done) break;
        yield step.value;
      }
      done = true;
    } finally {
      if (body && !done && this.connection.state === 'TRANSACTION') {
        await this.connection.drainBody(body).catch(() => this.connection.destroy());
      }
      release();
    }
  }

  /** Mark message `n` deleted; it is removed only when QUIT is answered. */
  dele(n: number): Promise<void> {
    return this.run('DELE', n);
  }

  rset(): Promise<void> {
    return this.run('RSET');
  }

  noop(): Promise<void> {
    return this.run('NOOP');
  }

  /** QUIT: ends the session; messages marked with DELE are removed now, and only now. */
  quit(): Promise<Pop3QuitResult> {
    return this.run('QUIT');
  }

  /** Drop the connection without QUIT: nothing marked with DELE is removed. */
  destroy(): void {
    this.connection.destroy();
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
