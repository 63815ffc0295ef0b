/**
 * The job store: every fax job ifax sends, recorded `queued` BEFORE anything is sent, then moved
 * by what the server said and by the MDNs and DSNs that come back (job-states.ts has the state
 * machine). Correlation per RFC 3249 §4.2-4.3: MDNs by the Message-ID they quote
 * (Original-Message-ID), DSNs by the ENVID the job was sent with (Original-Envelope-Id).
 *
 * Every write is one immediate transaction (the write lock taken at BEGIN), so a poll matching
 * an MDN and a send recording a job can run at the same time in two processes: one waits for the
 * other (busy timeout, database.ts) and neither sees the other's half-done change.
 */
import { IfaxError } from '../errors.js';
import { MAX_JOB_DESTINATIONS, MAX_JOB_MESSAGES } from '../limits.js';
import { openStore, storeFailed, type OpenDatabaseOptions, type StoreDatabase } from './database.js';
import { decodeXtext, envidFor, JOB_ID_PATTERN, JOB_ID_RANDOM_AT, newJobId, normalizeMessageId } from './job-ids.js';
import { JOB_STATES, type JobState } from './job-states.js';
import { JobWriter, type NewReport, type ReportResult, type SendOutcome } from './job-writer.js';
import { destinationOf, jobOf, messageOf, type DestinationRow, type Job, type JobError, type JobEvent, type JobReport, type JobRow, type JobSummary, type MessageRow, type NewJob, type NewMessage } from './job-types.js';
import { storedText } from './stored-text.js';

export type { NewReport, ReportResult, SendOutcome } from './job-writer.js';

export interface JobStoreOptions extends OpenDatabaseOptions {
  /** The clock (tests); default the system's. */
  now?: () => Date;
  /** Random bytes for job ids (tests); default crypto.randomBytes. */
  random?: (n: number) => Uint8Array;
}

export interface ListQuery {
  state?: JobState;
  /** Jobs created at or after this time. */
  since?: Date;
  /** At most this many, newest first (default 50). */
  limit?: number;
}

/** Shortest prefix `get` takes: shorter ones would match half the store. */
export const MIN_ID_PREFIX = 4;

/** The sent jobs of one state directory. */
export class JobStore {
  private readonly now: () => Date;
  private readonly random: ((n: number) => Uint8Array) | undefined;
  private readonly writer: JobWriter;

  constructor(
    /** The open database (database.ts); closed by `close`. */
    readonly database: StoreDatabase,
    opts: Pick<JobStoreOptions, 'now' | 'random'> = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random;
    this.writer = new JobWriter(database.db, this.now);
  }

  /** Opens (creating when missing) the store of `stateDir`. */
  static open(stateDir: string, opts: JobStoreOptions = {}): JobStore {
    return new JobStore(openStore(stateDir, opts), opts);
  }

  close(): void {
    this.database.close();
  }

  /** Runs `fn` in one immediate transaction; SQLite failures become STORE_FAILED naming the file. */
  private write<R>(operation: string, fn: () => R): R {
    try {
      return this.database.db.transaction(fn).immediate();
    } catch (err) {
      throw storeFailed(this.database.file, operation, err);
    }
  }

  private read<R>(fn: () => R): R {
    try {
      return fn();
    } catch (err) {
      throw storeFailed(this.database.file, 'reading', err);
    }
  }

  /**
   * Records a new job in state `queued`, before anything is sent: the caller sends only after
   * this returns (the commit is on disk, synchronous=FULL), so no mail goes out unrecorded.
   */
  create(input: NewJob): Job {
    const dests = input.destinations;
    if (dests.length === 0) throw new IfaxError('USAGE', 'recording the job failed: it has no destination');
    if (dests.length > MAX_JOB_DESTINATIONS) throw new IfaxError('LIMIT_EXCEEDED', `recording the job failed: ${dests.length} destinations, more than ${MAX_JOB_DESTINATIONS}`, { context: { max: MAX_JOB_DESTINATIONS } });
    const seen = new Set<string>();
    for (const d of dests) {
      const key = d.address.trim().toLowerCase();
      if (key === '') throw new IfaxError('USAGE', 'recording the job failed: a destination has an empty address');
      if (seen.has(key)) throw new IfaxError('USAGE', `recording the job failed: ${JSON.stringify(d.address)} is named twice`, { hint: 'Give each destination once.' });
      seen.add(key);
    }
    const messages = (input.messages ?? []).map(messageInput);
    if (messages.length > MAX_JOB_MESSAGES) throw new IfaxError('LIMIT_EXCEEDED', `recording the job failed: ${messages.length} mails, more than ${MAX_JOB_MESSAGES}`, { context: { max: MAX_JOB_MESSAGES } });
    const at = this.now();
    const id = newJobId(at, this.random);
    const stamp = at.toISOString();
    this.write('recording a job in', () => {
      const db = this.database.db;
      db.prepare(
        `INSERT INTO jobs (id, envid, state, watch, created_at, updated_at, subject, sender_name, mode, pages, bytes, format_json, outbox_path)
         VALUES (@id, @envid, 'queued', @watch, @at, @at, @subject, @sender, @mode, @pages, @bytes, @format, @outbox)`,
      ).run({
        id,
        envid: envidFor(id),
        watch: input.watch,
        at: stamp,
        subject: storedText(input.subject),
        sender: storedText(input.senderName),
        mode: input.mode ?? null,
        pages: input.pages ?? 0,
        bytes: input.bytes ?? 0,
        format: input.format === undefined ? null : JSON.stringify(input.format),
        outbox: input.outboxPath ?? null,
      });
      const addDest = db.prepare(`INSERT INTO job_destinations (job_id, seq, address, kind, given, state, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)`);
      dests.forEach((d, i) => addDest.run(id, i + 1, d.address.trim(), d.kind, storedText(d.given ?? d.address) ?? '', stamp));
      messages.forEach((m) => this.writer.insertMessage(id, m, stamp));
      this.writer.event(id, stamp, null, null, 'queued', `recorded: ${dests.length} destination${dests.length === 1 ? '' : 's'}`);
    });
    return this.mustFind(id);
  }

  /** Adds a mail to a job (a fragment, a broadcast group, a resend). */
  addMessage(id: string, message: NewMessage | string): Job {
    const m = messageInput(message);
    this.write('recording a mail in', () => {
      this.writer.row(id);
      const n = (this.database.db.prepare('SELECT count(*) AS n FROM job_messages WHERE job_id = ?').get(id) as { n: number }).n;
      if (n >= MAX_JOB_MESSAGES) throw new IfaxError('LIMIT_EXCEEDED', `recording a mail of job ${id} failed: more than ${MAX_JOB_MESSAGES} mails`, { context: { max: MAX_JOB_MESSAGES } });
      this.writer.insertMessage(id, m, this.now().toISOString());
    });
    return this.mustFind(id);
  }

  /** Sets where the job's mail is stored for a retry (outbox.ts). */
  setOutbox(id: string, outboxPath: string): Job {
    this.write('recording the outbox of a job in', () => {
      this.writer.row(id);
      this.database.db.prepare('UPDATE jobs SET outbox_path = ?, updated_at = ? WHERE id = ?').run(outboxPath, this.now().toISOString(), id);
    });
    return this.mustFind(id);
  }

  /** Records what the server said to one submission of a queued job (see SendOutcome). */
  recordSend(id: string, outcome: SendOutcome): Job {
    this.write('recording a send in', () => this.writer.recordSend(id, outcome));
    return this.mustFind(id);
  }

  /** A queued job that could not be handed to the server at all (network, TLS, authentication). */
  fail(id: string, error: JobError): Job {
    this.write('recording a failure in', () => this.writer.recordSend(id, { destinations: [], error }));
    return this.mustFind(id);
  }

  /**
   * A submission that failed for a temporary reason (network, 4xx) after its retries: the job
   * stays `queued` (nothing was accepted), the attempt and the error are recorded.
   */
  deferSend(id: string, error: JobError): Job {
    this.write('recording a deferred send in', () => this.writer.defer(id, error));
    return this.mustFind(id);
  }

  /**
   * Puts a job failed for a temporary reason back to `queued` for a retry (its temporarily failed
   * destinations only). USAGE, with the reason, for any other job.
   */
  requeue(ref: string, detail = 'retry'): Job {
    const id = this.get(ref).id;
    this.write('requeueing a job in', () => this.writer.requeue(id, detail));
    return this.mustFind(id);
  }

  /** Applies an MDN or DSN to job `id` (found with findByMessageId / findByEnvid). */
  recordReport(id: string, report: NewReport): ReportResult {
    const r = this.write('recording a report in', () => this.writer.recordReport(id, report));
    return { ...r, job: this.mustFind(id) };
  }

  /**
   * Jobs still waiting for their MDN/DSN whose mail was accepted at least `hours` before `now`:
   * what responseWatch turns into `timeout`.
   */
  dueForTimeout(now: Date, hours: number): Job[] {
    const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
    const ids = this.read(
      () =>
        this.database.db
          .prepare(
            `SELECT id FROM jobs WHERE sent_at IS NOT NULL AND sent_at <= ?
             AND ((watch = 'mdn' AND state IN ('sent', 'delivered')) OR (watch = 'dsn' AND state = 'sent'))
             ORDER BY sent_at, id`,
          )
          .all(cutoff) as Array<{ id: string }>,
    );
    return ids.map((r) => this.mustFind(r.id));
  }

  /** Moves every job due (dueForTimeout) to `timeout`; returns those it moved. */
  expireDue(now: Date, hours: number): Job[] {
    const moved: Job[] = [];
    for (const job of this.dueForTimeout(now, hours)) {
      // Checked again inside the transaction: an MDN may have come in between.
      const done = this.write('timing out a job in', () => this.writer.expire(job.id, `no answer within ${hours} h (responseWatch)`));
      if (done) moved.push(this.mustFind(job.id));
    }
    return moved;
  }

  /** The job with exactly this id, or undefined. */
  find(id: string): Job | undefined {
    return this.read(() => {
      const db = this.database.db;
      const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id.trim().toLowerCase()) as JobRow | undefined;
      if (!row) return undefined;
      const messages = (db.prepare('SELECT * FROM job_messages WHERE job_id = ? ORDER BY seq').all(row.id) as MessageRow[]).map(messageOf);
      const dests = (db.prepare('SELECT * FROM job_destinations WHERE job_id = ? ORDER BY seq').all(row.id) as DestinationRow[]).map(destinationOf);
      return jobOf(row, messages, dests);
    });
  }

  private mustFind(id: string): Job {
    const job = this.find(id);
    if (!job) throw notFound(id);
    return job;
  }

  /**
   * The job `ref` names: its id, or a unique prefix of the id or of its random part (the 8
   * characters after the time), at least MIN_ID_PREFIX characters. JOB_NOT_FOUND (64) when none,
   * USAGE (64) listing the candidates when several match.
   */
  get(ref: string): Job {
    const text = ref.trim().toLowerCase();
    const exact = this.find(text);
    if (exact) return exact;
    if (text.length < MIN_ID_PREFIX || !/^[0-9a-z-]+$/.test(text)) throw notFound(ref);
    const ids = this.read(
      () => this.database.db.prepare(`SELECT id FROM jobs WHERE substr(id, 1, length(@p)) = @p OR substr(id, ${JOB_ID_RANDOM_AT + 1}, length(@p)) = @p ORDER BY id DESC LIMIT 6`).all({ p: text }) as Array<{ id: string }>,
    );
    if (ids.length === 0) throw notFound(ref);
    if (ids.length > 1) {
      throw new IfaxError('USAGE', `finding job ${JSON.stringify(ref)} failed: it matches several jobs: ${ids.slice(0, 5).map((r) => r.id).join(', ')}${ids.length > 5 ? ', ...' : ''}`, {
        hint: 'Give more characters of the id.',
        context: { ref, matches: ids.map((r) => r.id) },
      });
    }
    return this.mustFind(ids[0].id);
  }

  /** Jobs, newest first. */
  list(query: ListQuery = {}): JobSummary[] {
    if (query.state !== undefined && !JOB_STATES.includes(query.state)) throw new IfaxError('USAGE', `listing jobs failed: unknown state ${JSON.stringify(query.state)}`, { hint: `one of ${JOB_STATES.join(', ')}` });
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1) throw new IfaxError('USAGE', `listing jobs failed: limit ${JSON.stringify(limit)} is not a whole number above 0`);
    const rows = this.read(
      () =>
        this.database.db
          .prepare(
            `SELECT id, state, created_at, updated_at, subject, pages, attempts,
               (SELECT json_group_array(address) FROM (SELECT address FROM job_destinations d WHERE d.job_id = jobs.id ORDER BY seq)) AS dests
             FROM jobs
             WHERE (@state IS NULL OR state = @state) AND (@since IS NULL OR created_at >= @since)
             ORDER BY created_at DESC, id DESC LIMIT @limit`,
          )
          .all({ state: query.state ?? null, since: query.since ? query.since.toISOString() : null, limit }) as Array<Pick<JobRow, 'id' | 'state' | 'created_at' | 'updated_at' | 'subject' | 'pages' | 'attempts'> & { dests: string }>,
    );
    return rows.map((r) => ({ id: r.id, state: r.state, createdAt: r.created_at, updatedAt: r.updated_at, subject: r.subject, pages: r.pages, attempts: r.attempts, destinations: JSON.parse(r.dests) as string[] }));
  }

  /** The job's changes of state, oldest first. */
  history(id: string): JobEvent[] {
    const rows = this.read(() => this.database.db.prepare('SELECT at, address, from_state, to_state, detail FROM job_events WHERE job_id = ? ORDER BY id').all(id) as Array<{ at: string; address: string | null; from_state: JobState | null; to_state: JobState; detail: string }>);
    return rows.map((r) => ({ at: r.at, address: r.address, from: r.from_state, to: r.to_state, detail: r.detail }));
  }

  /** The MDNs and DSNs that answered the job, oldest first. */
  reports(id: string): JobReport[] {
    const rows = this.read(() => this.database.db.prepare('SELECT * FROM job_reports WHERE job_id = ? ORDER BY id').all(id) as Array<Record<string, string | number | null>>);
    return rows.map((r) => ({
      type: r.type as 'mdn' | 'dsn',
      receivedAt: String(r.received_at),
      messageId: r.message_id as string | null,
      address: r.address as string | null,
      disposition: String(r.disposition),
      status: r.status as string | null,
      diagnostic: r.diagnostic as string | null,
      features: r.features as string | null,
      ignored: r.ignored === 1,
    }));
  }

  /**
   * The job one of `messageIds` belongs to (an MDN's Original-Message-ID first, then what the
   * caller found in In-Reply-To or References, for devices that leave it out). A resend's
   * Original-Message-ID (RFC 4142 §5) finds its job too. Brackets and folding are ignored.
   */
  findByMessageId(...messageIds: Array<string | null | undefined>): Job | undefined {
    for (const raw of messageIds) {
      const mid = normalizeMessageId(raw);
      if (mid === undefined) continue;
      const row = this.read(() => this.database.db.prepare('SELECT job_id FROM job_messages WHERE message_id = @m OR original_message_id = @m ORDER BY message_id = @m DESC LIMIT 1').get({ m: mid }) as { job_id: string } | undefined);
      if (row) return this.mustFind(row.job_id);
    }
    return undefined;
  }

  /** The job a DSN's Original-Envelope-Id names (xtext decoded, brackets and case ignored). */
  findByEnvid(envid: string | null | undefined): Job | undefined {
    if (typeof envid !== 'string') return undefined;
    const text = decodeXtext(envid.trim()).replace(/^<(.*)>$/, '$1').trim().toLowerCase();
    if (text === '') return undefined;
    const row = this.read(() => this.database.db.prepare('SELECT id FROM jobs WHERE envid = ?').get(text) as { id: string } | undefined);
    return row ? this.mustFind(row.id) : undefined;
  }
}

function messageInput(m: NewMessage | string): NewMessage {
  const given = typeof m === 'string' ? { messageId: m } : m;
  const messageId = normalizeMessageId(given.messageId);
  if (messageId === undefined) throw new IfaxError('DATA_INVALID', `recording a mail failed: Message-ID ${JSON.stringify(given.messageId)} is empty or too long`);
  const original = given.originalMessageId === undefined ? undefined : normalizeMessageId(given.originalMessageId);
  return { ...given, messageId, ...(original !== undefined ? { originalMessageId: original } : {}) };
}

/** JOB_NOT_FOUND (64) for `ref`. */
export function notFound(ref: string): IfaxError {
  const looksLikeId = JOB_ID_PATTERN.test(ref.trim().toLowerCase());
  return new IfaxError('JOB_NOT_FOUND', `finding job ${JSON.stringify(ref)} failed: no such job`, {
    hint: looksLikeId ? "'ifax jobs' lists the jobs of this state directory (another profile may use another stateDir)." : `Give a job id, or at least ${MIN_ID_PREFIX} of its first characters or of its last 8 ('ifax jobs' lists them).`,
    context: { ref },
  });
}
