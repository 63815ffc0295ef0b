/**
 * `ifax serve` as a job: direct SMTP reception (RFC 4142 App. A). Each mail the listener takes
 * is written into the spool (stateDir/spool: temp file, fsync, rename, fsync of the folder)
 * before the 250 goes out, so an accepted fax survives a crash; then the spool is processed as
 * `ifax poll` processes it (receive: inbox, MDN, reports), one mail at a time, under the poll
 * lock. When a poll holds the lock, it processes what serve took. I/O comes in as `ServeDeps`.
 */
import type { Readable } from 'node:stream';
import { isIfaxError } from '../errors.js';
import { Spool, newSpoolName } from '../store/spool.js';
import { startListener, type Listener, type ListenerOptions } from '../transport/smtp-server/listener.js';
import { processSpooledMails, type PollDeps, type PollSummary } from './poll.js';

export interface ServeDeps extends Pick<PollDeps, 'stateDir' | 'store' | 'process'> {
  /** Takes the poll lock, or throws LOCK_HELD (a poll is running: it processes the spool). */
  lock(): { release(): void };
  /** After each processing run, what it did. */
  processed(summary: PollSummary): void;
  warn(message: string): void;
  debug(message: string): void;
}

export type ServeOptions = Pick<ListenerOptions, 'host' | 'port' | 'maxBytes' | 'tls' | 'allowRecipient' | 'name'>;

/** The running server; `close` stops taking mail and waits for the processing in hand. */
export interface Serving {
  port: number;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions, deps: ServeDeps): Promise<Serving> {
  const spool = new Spool(deps.stateDir);
  let queue: Promise<void> = Promise.resolve();
  // One run at a time, chained: a burst of mails is processed in order, never twice at once.
  const processAll = (): void => {
    queue = queue.then(async () => {
      let lock: { release(): void };
      try {
        lock = deps.lock();
      } catch (err) {
        if (isIfaxError(err) && err.code === 'LOCK_HELD') {
          deps.debug('a poll holds the lock: it processes the mails taken');
          return;
        }
        throw err;
      }
      try {
        deps.processed(await processSpooledMails(deps));
      } finally {
        lock.release();
      }
    }).catch((err: unknown) => deps.warn(`processing received mail failed: ${(err as Error).message}; it stays in the spool for the next run`));
  };
  const listener: Listener = await startListener({
    ...options,
    log: (line) => deps.debug(line),
    async store(mail: { from: string; to: string[]; stream: Readable }) {
      await spool.write(newSpoolName(), async (write) => {
        for await (const chunk of mail.stream) await write(chunk as Buffer);
      });
      processAll();
    },
  });
  // Mails taken before a crash or a restart are processed first.
  processAll();
  return {
    port: listener.port,
    async close() {
      await listener.close();
      await queue;
    },
  };
}
