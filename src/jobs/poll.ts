/**
 * `ifax poll`: fetch the POP mailbox into the spool, then process the spool (CLI.md). Never
 * loses a mail and never processes one twice:
 *
 * - Fetch, per mail: journal "fetching" (spool name) -> RETR streamed into a temp file of the
 *   spool -> fsync, rename, fsync of the directory -> journal "fetched" -> DELE (unless
 *   pop.leaveOnServer). After the last mail, QUIT, and only once QUIT is answered "+OK" (the
 *   server removed the mails, RFC 1939 §6) journal "deleted". Any error before QUIT drops the
 *   connection without QUIT: the server then removes nothing (RFC 1939 §6), and mails already
 *   in the spool are known by their UIDL, so the next poll deletes them without fetching again.
 * - A UIDL the journal knows is never fetched again (leaveOnServer, or a crash after the spool
 *   write). A server without UIDL: mails are told apart by Message-ID read with TOP n 0.
 * - Process: every spool file, also those of a crashed earlier poll, in fetch order, with the
 *   injected `process` (receive's work). The journal records "processed" before the spool file
 *   is removed. A temporary failure (exit 75, a disk or store problem) keeps the file for the
 *   next poll; a permanent one moves it to stateDir/other/ with a note.
 *
 * The one window left: a crash after `process` returned and before its "processed" row is
 * committed makes the next poll process that mail again; the processor should therefore
 * recognise a Message-ID it already stored (receive's inbox does).
 */
import { createHash } from 'node:crypto';
import { IfaxError, isIfaxError } from '../errors.js';
import { MAX_POP3_MESSAGE_BYTES } from '../limits.js';
import type { StoreDatabase } from '../store/database.js';
import { PollJournal, type PollJournalEntry } from '../store/poll-journal.js';
import { messageIdOfHeader, newSpoolName, readMessageId, Spool } from '../store/spool.js';
import type { Pop3Client } from '../transport/pop3/client.js';
import type { ReceiveOutcome, ReceivedFax, ReceivedReport } from './receive/types.js';

export type { ReceivedFax, ReceivedReport } from './receive/types.js';

/** What processing one spooled mail did: the parts of the summary it adds to (receive's outcome). */
export type SpoolOutcome = Partial<Pick<ReceiveOutcome, 'received' | 'reports' | 'mdnSent' | 'partial' | 'other'>>;

/** One mail (or the session) that failed. */
export interface PollError {
  messageId: string | null;
  code: string;
  message: string;
}

/** The --json summary of CLI.md, plus what the poll itself did. */
export interface PollSummary {
  received: ReceivedFax[];
  reports: ReceivedReport[];
  mdnSent: number;
  partial: number;
  other: number;
  errors: PollError[];
  poll: {
    /** Mails fetched into the spool in this pass. */
    fetched: number;
    /** Mails the server confirmed deleted (QUIT answered). */
    deleted: number;
    /** Spool files processed in this pass. */
    processed: number;
    /** Spool files left for the next poll (temporary failures, a stop). */
    pending: number;
    /** Mails left on the server because --max was reached. */
    leftOnServer: number;
    /** "uidl", or "message-id" for a server without UIDL. */
    dedupe: 'uidl' | 'message-id' | null;
  };
}

/** The steps of a poll, for a trace (and for tests that end the process at one). */
export type PollStep = 'retr-done' | 'spool-written' | 'journal-fetched' | 'before-dele' | 'after-dele' | 'before-quit' | 'after-quit' | 'processed' | 'spool-removed';

export interface PollDeps {
  stateDir: string;
  /** The job store's database (holds the journal). */
  store: StoreDatabase;
  /** "user@host:port": the journal's key for the mailbox. */
  account: string;
  /** A logged-in session (openPop with pop.* and the TLS checks). */
  connect(): Promise<Pop3Client>;
  /** Process one spooled mail; throws an IfaxError when it cannot. */
  process(file: string, meta: { messageId: string | null }): Promise<SpoolOutcome>;
  /** True once a stop was asked for (SIGTERM/SIGINT): the poll ends after the mail in hand. */
  stopRequested?: () => boolean;
  progress?: (phase: 'fetch' | 'process', done: number, total: number) => void;
  warn?: (message: string) => void;
  trace?: (step: PollStep, detail: string) => void;
  now?: () => Date;
}

export interface PollOptions {
  /** Keep mails on the server (pop.leaveOnServer); their UIDLs are remembered. */
  leaveOnServer: boolean;
  /** Fetch at most this many new mails. */
  max?: number;
}

/** What one pass did; `failure` is the session's error (the summary is still valid). */
export interface PollResult {
  summary: PollSummary;
  failure?: IfaxError;
  stopped: boolean;
}

function emptySummary(): PollSummary {
  return { received: [], reports: [], mdnSent: 0, partial: 0, other: 0, errors: [], poll: { fetched: 0, deleted: 0, processed: 0, pending: 0, leftOnServer: 0, dedupe: null } };
}

function asIfaxError(err: unknown, operation: string): IfaxError {
  return isIfaxError(err) ? err : new IfaxError('INTERNAL', `${operation} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/**
 * One pass: fetch (when `connect` works) and process the spool. The caller holds the poll
 * lock (store/poll-lock.ts).
 */
export async function pollOnce(deps: PollDeps, options: PollOptions): Promise<PollResult> {
  const summary = emptySummary();
  const journal = new PollJournal(deps.store, deps.now);
  const spool = new Spool(deps.stateDir);
  await spool.removeTemps();
  let failure: IfaxError | undefined;
  let stopped = false;
  try {
    stopped = await fetchMailbox(deps, options, journal, spool, summary);
  } catch (err) {
    failure = asIfaxError(err, 'poll');
    summary.errors.push({ messageId: null, code: failure.code, message: failure.message });
  }
  if (!stopped) stopped = await processSpool(deps, journal, spool, summary);
  summary.poll.pending = spool.list().length;
  return { summary, stopped, ...(failure ? { failure } : {}) };
}

/**
 * Processes what is in the spool (mails a poll fetched, or `ifax serve` took) without a POP3
 * session. The caller holds the poll lock: one process at a time works on the spool.
 */
export async function processSpooledMails(deps: Pick<PollDeps, 'stateDir' | 'store' | 'process' | 'stopRequested' | 'progress' | 'trace' | 'now'>): Promise<PollSummary> {
  const summary = emptySummary();
  const journal = new PollJournal(deps.store, deps.now);
  const spool = new Spool(deps.stateDir);
  await processSpool({ ...deps, account: '', connect: () => Promise.reject(new Error('no POP3 session')) }, journal, spool, summary);
  summary.poll.pending = spool.list().length;
  return summary;
}

interface Listed {
  number: number;
  uid: string;
  size: number;
}

/** UIDL, or for a server without it, Message-IDs from TOP n 0. */
async function listMailbox(client: Pop3Client, deps: PollDeps, summary: PollSummary): Promise<Listed[]> {
  const sizes = new Map((await client.list()).map((e) => [e.number, e.size]));
  try {
    const uids = await client.uidl();
    summary.poll.dedupe = 'uidl';
    return uids.map((u) => ({ number: u.number, uid: u.uid, size: sizes.get(u.number) ?? 0 }));
  } catch (err) {
    if (!isIfaxError(err) || err.code !== 'SERVER_REFUSED' || client.state !== 'TRANSACTION') throw err;
  }
  deps.warn?.('the POP server does not offer UIDL: mails are told apart by their Message-ID (read with TOP n 0)');
  summary.poll.dedupe = 'message-id';
  const listed: Listed[] = [];
  for (const [number, size] of sizes) {
    const head: Buffer[] = [];
    await client.top(number, 0, (chunk) => void head.push(chunk), { maxBytes: 1024 * 1024 });
    const bytes = Buffer.concat(head);
    const id = messageIdOfHeader(bytes);
    listed.push({ number, size, uid: id ? `mid:${id}` : `hdr:${createHash('sha256').update(bytes.toString('latin1')).digest('hex')}` });
  }
  return listed;
}

/** Fetch phase; returns true when stopped by a stop request. Throws the session's error. */
async function fetchMailbox(deps: PollDeps, options: PollOptions, journal: PollJournal, spool: Spool, summary: PollSummary): Promise<boolean> {
  const trace = deps.trace ?? (() => undefined);
  const client = await deps.connect();
  let stopped = false;
  try {
    const listed = await listMailbox(client, deps, summary);
    const known = new Map(listed.map((l) => [l.uid, journal.get(deps.account, l.uid)] as const));
    // A spool file renamed into place just before a crash: whole, so it counts as fetched.
    for (const [uid, entry] of known) {
      if (entry?.state === 'fetching' && spool.list().includes(entry.spoolFile)) {
        journal.fetched(deps.account, uid, await readMessageId(spool.path(entry.spoolFile)));
        known.set(uid, journal.get(deps.account, uid));
      }
    }
    const isNew = (e: PollJournalEntry | undefined): boolean => e === undefined || (e.state === 'fetching' && e.processedAt === null);
    const fresh = listed.filter((l) => isNew(known.get(l.uid)));
    const max = options.max ?? Number.POSITIVE_INFINITY;
    const todo = fresh.filter((l) => l.size <= MAX_POP3_MESSAGE_BYTES).slice(0, max);
    summary.poll.leftOnServer = Math.max(0, fresh.length - todo.length);
    for (const big of fresh.filter((l) => l.size > MAX_POP3_MESSAGE_BYTES)) {
      summary.errors.push({ messageId: null, code: 'LIMIT_EXCEEDED', message: `poll of mail ${big.number} (UIDL ${JSON.stringify(big.uid)}) failed: ${big.size} octets is over MAX_POP3_MESSAGE_BYTES (${MAX_POP3_MESSAGE_BYTES}); left on the server` });
    }
    const marked: string[] = [];
    const dele = async (l: Listed, messageId: string | null): Promise<void> => {
      trace('before-dele', l.uid);
      try {
        await client.dele(l.number);
        marked.push(l.uid);
      } catch (err) {
        // A refused DELE leaves the mail on the server; it is safe in the spool and known by
        // its UIDL, so the next poll only tries the DELE again. Anything else ends the session.
        if (!isIfaxError(err) || client.state !== 'TRANSACTION') throw err;
        summary.errors.push({ messageId, code: err.code, message: err.message });
      }
      trace('after-dele', l.uid);
    };
    // Mails already in the spool (or processed) that are still on the server.
    if (!options.leaveOnServer) {
      for (const l of listed) {
        const e = known.get(l.uid);
        if (e && !isNew(e)) await dele(l, e.messageId);
      }
    }
    let done = 0;
    for (const l of todo) {
      if (deps.stopRequested?.()) {
        stopped = true;
        break;
      }
      const name = newSpoolName(deps.now?.());
      journal.beginFetch(deps.account, l.uid, name);
      await spool.write(name, async (write) => {
        await client.retr(l.number, write);
        trace('retr-done', l.uid);
      });
      trace('spool-written', name);
      const messageId = await readMessageId(spool.path(name));
      journal.fetched(deps.account, l.uid, messageId);
      trace('journal-fetched', l.uid);
      summary.poll.fetched++;
      if (!options.leaveOnServer) await dele(l, messageId);
      deps.progress?.('fetch', ++done, todo.length);
    }
    trace('before-quit', String(marked.length));
    const { updated } = await client.quit();
    trace('after-quit', String(marked.length));
    if (updated) {
      journal.deleted(deps.account, marked);
      summary.poll.deleted = marked.length;
    }
    if (!summary.poll.leftOnServer && !stopped) journal.prune(deps.account, new Set(listed.map((l) => l.uid)));
  } catch (err) {
    // No QUIT: the server removes nothing marked with DELE in this session (RFC 1939 §6).
    client.destroy();
    throw err;
  }
  return stopped;
}

/** Temporary: worth another poll (network, 4xx-like, disk or store trouble, a bug). */
export function isTemporary(err: IfaxError): boolean {
  return err.exitCode === 75 || err.code === 'STORE_FAILED' || err.code === 'OUTPUT_FAILED' || err.code === 'INTERNAL';
}

function merge(summary: PollSummary, o: SpoolOutcome): void {
  summary.received.push(...(o.received ?? []));
  summary.reports.push(...(o.reports ?? []));
  summary.mdnSent += o.mdnSent ?? 0;
  summary.partial += o.partial ?? 0;
  summary.other += o.other ?? 0;
}

/** Process phase; returns true when stopped by a stop request. */
async function processSpool(deps: PollDeps, journal: PollJournal, spool: Spool, summary: PollSummary): Promise<boolean> {
  const trace = deps.trace ?? (() => undefined);
  const names = spool.list();
  let done = 0;
  for (const name of names) {
    if (deps.stopRequested?.()) return true;
    const entry = journal.bySpoolFile(name);
    if (entry?.processedAt) {
      // Processed before a crash that came before the file was removed.
      await spool.remove(name);
      continue;
    }
    const file = spool.path(name);
    const messageId = entry?.messageId ?? (await readMessageId(file));
    // Renamed into place just before a crash: the file is whole, so it is fetched.
    if (entry?.state === 'fetching') journal.fetched(entry.account, entry.uid, messageId);
    try {
      merge(summary, await deps.process(file, { messageId }));
    } catch (err) {
      const e = asIfaxError(err, `processing ${JSON.stringify(name)}`);
      summary.errors.push({ messageId, code: e.code, message: e.message });
      if (isTemporary(e)) continue;
      await spool.moveToOther(name, { messageId, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), at: (deps.now?.() ?? new Date()).toISOString() });
      journal.processed(name, 'other');
      summary.other++;
      summary.poll.processed++;
      continue;
    }
    journal.processed(name, 'done');
    trace('processed', name);
    await spool.remove(name);
    trace('spool-removed', name);
    summary.poll.processed++;
    deps.progress?.('process', ++done, names.length);
  }
  return false;
}

export interface WatchOptions {
  /** Time between the end of a pass and the start of the next. */
  intervalMs: number;
  /** Resolves when a stop is asked for. */
  stopped: Promise<void>;
  /** True once a stop was asked for. */
  stopRequested: () => boolean;
  /** Called after each pass (the CLI prints its summary). */
  onPass: (result: PollResult) => void;
}

/**
 * `--watch`: a pass, then wait `intervalMs` or until a stop, again. A stop during a pass ends
 * it after the mail in hand (pollOnce checks between mails); a stop while waiting ends at once.
 * Returns the number of passes.
 */
export async function pollWatch(pass: () => Promise<PollResult>, options: WatchOptions): Promise<number> {
  let passes = 0;
  while (!options.stopRequested()) {
    options.onPass(await pass());
    passes++;
    if (options.stopRequested()) break;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([options.stopped, new Promise<void>((r) => (timer = setTimeout(r, options.intervalMs)))]);
    clearTimeout(timer);
  }
  return passes;
}
