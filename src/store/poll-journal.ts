/**
 * The poll journal (schema step 003): what `ifax poll` has done with each POP mail, keyed by
 * account and UIDL, in the job store's SQLite database.
 *
 * Why SQLite and not a JSON-lines file: every step is one transaction of a WAL database with
 * synchronous=FULL (database.ts), so after a kill -9 or a power cut at any instant a row is
 * either wholly there or wholly absent; there is no torn last line to detect, no file to
 * compact, and the lookups (by UIDL, by spool file) are indexed. The store's busy_timeout lets
 * a send that records a job wait for the poll's short writes instead of failing.
 *
 * Every write is a single statement (an implicit transaction) made durable before the caller
 * goes on to the next network step: the order RETR -> spool file durable -> "fetched" -> DELE
 * -> QUIT -> "deleted" is the caller's (jobs/poll.ts); this file only keeps the facts.
 */
import type { StoreDatabase } from './database.js';
import { storeFailed } from './database.js';

/** Where a mail is in the fetch: its spool name is chosen, the spool file is durable, QUIT removed it. */
export type PollFetchState = 'fetching' | 'fetched' | 'deleted';

/** One mail the journal knows. */
export interface PollJournalEntry {
  account: string;
  uid: string;
  messageId: string | null;
  spoolFile: string;
  state: PollFetchState;
  fetchedAt: string | null;
  deletedAt: string | null;
  processedAt: string | null;
  /** 'done' or 'other' once processed. */
  outcome: string | null;
}

interface Row {
  account: string;
  uid: string;
  message_id: string | null;
  spool_file: string;
  state: PollFetchState;
  fetched_at: string | null;
  deleted_at: string | null;
  processed_at: string | null;
  outcome: string | null;
}

const toEntry = (r: Row): PollJournalEntry => ({
  account: r.account,
  uid: r.uid,
  messageId: r.message_id,
  spoolFile: r.spool_file,
  state: r.state,
  fetchedAt: r.fetched_at,
  deletedAt: r.deleted_at,
  processedAt: r.processed_at,
  outcome: r.outcome,
});

/** The journal of one store database. */
export class PollJournal {
  constructor(
    private readonly store: StoreDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private write(operation: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw storeFailed(this.store.file, `${operation} in`, err);
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** The entry of `uid` in `account`, or undefined. */
  get(account: string, uid: string): PollJournalEntry | undefined {
    const r = this.store.db.prepare('SELECT * FROM poll_journal WHERE account = ? AND uid = ?').get(account, uid) as Row | undefined;
    return r ? toEntry(r) : undefined;
  }

  /** The entry whose spool file is `spoolFile`, or undefined. */
  bySpoolFile(spoolFile: string): PollJournalEntry | undefined {
    const r = this.store.db.prepare('SELECT * FROM poll_journal WHERE spool_file = ?').get(spoolFile) as Row | undefined;
    return r ? toEntry(r) : undefined;
  }

  /** Every entry of `account`. */
  entries(account: string): PollJournalEntry[] {
    return (this.store.db.prepare('SELECT * FROM poll_journal WHERE account = ? ORDER BY spool_file').all(account) as Row[]).map(toEntry);
  }

  /**
   * Before RETR: the spool file `spoolFile` is about to be written for `uid`. A crash before
   * the file is renamed into place leaves this row in 'fetching' with no file: fetched again.
   * A row already in 'fetching' (an earlier crash) gets the new spool name.
   */
  beginFetch(account: string, uid: string, spoolFile: string): void {
    this.write('recording a POP fetch', () => {
      this.store.db
        .prepare(
          `INSERT INTO poll_journal (account, uid, spool_file, state) VALUES (?, ?, ?, 'fetching')
           ON CONFLICT (account, uid) DO UPDATE SET spool_file = excluded.spool_file WHERE state = 'fetching'`,
        )
        .run(account, uid, spoolFile);
    });
  }

  /** The spool file of `uid` is durable (fsync, rename, fsync of the directory). */
  fetched(account: string, uid: string, messageId: string | null): void {
    this.write('recording a fetched mail', () => {
      this.store.db.prepare("UPDATE poll_journal SET state = 'fetched', message_id = ?, fetched_at = ? WHERE account = ? AND uid = ? AND state = 'fetching'").run(messageId, this.stamp(), account, uid);
    });
  }

  /** QUIT was answered "+OK": the server removed these mails (RFC 1939 §6). */
  deleted(account: string, uids: readonly string[]): void {
    if (uids.length === 0) return;
    this.write('recording deleted mails', () => {
      const at = this.stamp();
      const st = this.store.db.prepare("UPDATE poll_journal SET state = 'deleted', deleted_at = ? WHERE account = ? AND uid = ? AND state = 'fetched'");
      this.store.db.transaction(() => {
        for (const uid of uids) st.run(at, account, uid);
      }).immediate();
    });
  }

  /** The spool file was processed ('done') or moved to other/ ('other'); recorded before it is removed. */
  processed(spoolFile: string, outcome: 'done' | 'other'): void {
    this.write('recording a processed mail', () => {
      this.store.db.prepare('UPDATE poll_journal SET processed_at = ?, outcome = ? WHERE spool_file = ?').run(this.stamp(), outcome, spoolFile);
    });
  }

  /**
   * Forget the entries of `account` that are processed and no longer on the server (its
   * UIDL listing `present` lacks them): their unique-ids cannot come back (RFC 1939 §7), so
   * pop.leaveOnServer does not make the journal grow for ever. Returns how many went.
   */
  prune(account: string, present: ReadonlySet<string>): number {
    const gone = this.entries(account).filter((e) => e.processedAt !== null && e.state !== 'fetching' && !present.has(e.uid));
    if (gone.length === 0) return 0;
    this.write('pruning the poll journal', () => {
      const st = this.store.db.prepare('DELETE FROM poll_journal WHERE account = ? AND uid = ?');
      this.store.db.transaction(() => {
        for (const e of gone) st.run(account, e.uid);
      }).immediate();
    });
    return gone.length;
  }
}
