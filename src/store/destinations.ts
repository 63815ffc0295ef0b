/**
 * What is known of each destination's receive capabilities (RFC 2532 §3): the feature
 * expression a destination announced in an MDN (Media-Accept-Features, RFC 2530 §3) or a
 * gateway's DSN (X-Accept-Features), or one set by hand, with where and when it was learned.
 * Later sends pick their format from it. RFC 2532 §3 asks that the cache be overridable by
 * hand: a manual entry is kept when a learned answer comes in, until it is cleared.
 * The address book (names, several addresses) is not here; its entries will name their
 * capabilities' source through capability_sources (migration 002).
 */
import { IfaxError } from '../errors.js';
import { storeFailed, type StoreDatabase } from './database.js';
import { storedText } from './stored-text.js';

/** Where a destination's capabilities came from. */
export type CapabilitySource = 'mdn' | 'dsn' | 'manual';

export interface DestinationCaps {
  /** The destination's mail address (compared without regard to case). */
  address: string;
  displayName: string | null;
  /** The RFC 2533 feature expression, as received or typed. */
  caps: string;
  source: CapabilitySource;
  /** ISO 8601 UTC. */
  learnedAt: string;
  /** The job whose MDN/DSN taught it, while that job is kept. */
  jobId: string | null;
}

export interface UpsertCaps {
  address: string;
  caps: string;
  source: CapabilitySource;
  displayName?: string | null;
  jobId?: string | null;
  /** Default now. */
  at?: Date;
}

export interface UpsertResult {
  /** The entry now stored. */
  entry: DestinationCaps;
  /** False when a manual entry was kept over a learned answer. */
  stored: boolean;
}

interface Row {
  address: string;
  display_name: string | null;
  caps: string;
  source: CapabilitySource;
  learned_at: string;
  job_id: string | null;
}

const entryOf = (r: Row): DestinationCaps => ({ address: r.address, displayName: r.display_name, caps: r.caps, source: r.source, learnedAt: r.learned_at, jobId: r.job_id });

/** The capability cache of one job store. */
export class DestinationStore {
  constructor(
    readonly database: StoreDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private run<R>(operation: string, fn: () => R, write: boolean): R {
    try {
      return write ? this.database.db.transaction(fn).immediate() : fn();
    } catch (err) {
      throw storeFailed(this.database.file, operation, err);
    }
  }

  /**
   * Stores what is known of `address`. A learned answer (mdn, dsn) replaces an earlier learned
   * one, never a manual entry (`stored: false` then); a manual entry replaces anything.
   */
  upsert(input: UpsertCaps): UpsertResult {
    const address = input.address.trim();
    if (address === '' || !address.includes('@')) throw new IfaxError('USAGE', `storing capabilities failed: ${JSON.stringify(input.address)} is not a mail address`);
    const caps = storedText(input.caps);
    if (!caps) throw new IfaxError('USAGE', `storing capabilities of ${JSON.stringify(address)} failed: the feature expression is empty`);
    return this.run(
      'storing capabilities in',
      () => {
        const db = this.database.db;
        const old = db.prepare('SELECT * FROM destinations WHERE address = ?').get(address) as Row | undefined;
        if (old && old.source === 'manual' && input.source !== 'manual') return { entry: entryOf(old), stored: false };
        db.prepare(
          `INSERT INTO destinations (address, display_name, caps, source, learned_at, job_id) VALUES (@address, @name, @caps, @source, @at, @job)
           ON CONFLICT (address) DO UPDATE SET display_name = coalesce(excluded.display_name, display_name), caps = excluded.caps,
             source = excluded.source, learned_at = excluded.learned_at, job_id = excluded.job_id`,
        ).run({ address, name: storedText(input.displayName), caps, source: input.source, at: (input.at ?? this.now()).toISOString(), job: input.jobId ?? null });
        return { entry: entryOf(db.prepare('SELECT * FROM destinations WHERE address = ?').get(address) as Row), stored: true };
      },
      true,
    );
  }

  /** What is known of `address`, or undefined. */
  get(address: string): DestinationCaps | undefined {
    const row = this.run('reading', () => this.database.db.prepare('SELECT * FROM destinations WHERE address = ?').get(address.trim()) as Row | undefined, false);
    return row ? entryOf(row) : undefined;
  }

  /** Every destination known, by address. */
  list(): DestinationCaps[] {
    return this.run('reading', () => (this.database.db.prepare('SELECT * FROM destinations ORDER BY address').all() as Row[]).map(entryOf), false);
  }

  /** Forgets `address` (manual or learned); false when nothing was known. */
  clear(address: string): boolean {
    return this.run('clearing capabilities in', () => this.database.db.prepare('DELETE FROM destinations WHERE address = ?').run(address.trim()).changes > 0, true);
  }
}
