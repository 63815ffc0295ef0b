/**
 * The state changes of the job store, each run by JobStore inside one immediate transaction:
 * destinations move one by one (job-states.ts TRANSITIONS; an illegal move is refused), the job's
 * state follows from theirs (aggregateState), and every change is logged in job_events.
 */
import { IfaxError } from '../errors.js';
import type { SqlDatabase } from './sqlite.js';
import { aggregateState, isLegalTransition, reportOutcome, waitingStates, type JobState, type ReportOutcome } from './job-states.js';
import type { DestinationRow, Job, JobError, JobRow, NewMessage } from './job-types.js';
import { storedText } from './stored-text.js';

/** What the server said to one submission of a queued job. */
export interface SendOutcome {
  /** Each destination the server answered: accepted (RCPT and DATA 2xx) or refused, with its reply. */
  destinations: Array<{ address: string; accepted: boolean; reply?: string | null; temporary?: boolean }>;
  /**
   * Why the destinations not listed were not sent (a connection, TLS or login failure). Needed
   * when a queued destination is not listed: none is left queued after a submission.
   */
  error?: JobError;
}

/** An MDN or DSN, as far as the store keeps it. */
export interface NewReport {
  type: 'mdn' | 'dsn';
  /** MDN Disposition or DSN Action, as received. */
  disposition: string;
  /** Final-Recipient (or Original-Recipient): which destination it answers ("rfc822;" is dropped). */
  address?: string | null;
  /** The report's own Message-ID. */
  messageId?: string | null;
  /** DSN Status (5.6.1...). */
  status?: string | null;
  /** DSN Diagnostic-Code or MDN Error/Warning text. */
  diagnostic?: string | null;
  /** Media-Accept-Features / X-Accept-Features, as received (for destinations.ts). */
  features?: string | null;
  /** Overrides the outcome read from `disposition` (job-states.ts reportOutcome). */
  outcome?: ReportOutcome;
  /** When it arrived; default now. */
  at?: Date;
}

export interface ReportResult {
  /** The job as it is after the report. */
  job: Job;
  outcome: ReportOutcome;
  /** The destination it was matched to, if any. */
  address: string | null;
  /** Whether it moved a state. */
  applied: boolean;
  /** Why it changed nothing, when it did not (too late, no such destination, a step backwards). */
  ignoredReason: string | null;
}

export class JobWriter {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
  ) {}

  row(id: string): JobRow {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new IfaxError('JOB_NOT_FOUND', `finding job ${JSON.stringify(id)} failed: no such job`, { context: { ref: id } });
    return row;
  }

  private destinations(id: string): DestinationRow[] {
    return this.db.prepare('SELECT * FROM job_destinations WHERE job_id = ? ORDER BY seq').all(id) as DestinationRow[];
  }

  event(id: string, at: string, address: string | null, from: JobState | null, to: JobState, detail: string): void {
    this.db.prepare('INSERT INTO job_events (job_id, at, address, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?)').run(id, at, address, from, to, storedText(detail) ?? '');
  }

  insertMessage(id: string, m: NewMessage, at: string): void {
    const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM job_messages WHERE job_id = ?').get(id) as { n: number }).n;
    const clash = this.db.prepare('SELECT job_id FROM job_messages WHERE message_id = ?').get(m.messageId) as { job_id: string } | undefined;
    if (clash) throw new IfaxError('DATA_INVALID', `recording a mail of job ${id} failed: Message-ID ${JSON.stringify(m.messageId)} is already recorded (job ${clash.job_id})`, { hint: 'Each mail needs a Message-ID of its own: MDNs are matched by it.' });
    this.db
      .prepare('INSERT INTO job_messages (message_id, job_id, seq, part_number, part_total, original_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(m.messageId, id, seq, m.partNumber ?? null, m.partTotal ?? null, m.originalMessageId ?? null, at);
  }

  /** Moves one destination; refuses an illegal move (a bug in the caller, or a retry gone wrong). */
  private moveDestination(job: JobRow, d: DestinationRow, to: JobState, at: string, reply: string | null | undefined, temporary: boolean | null, detail: string): void {
    if (!isLegalTransition(d.state, to)) {
      throw new IfaxError('INTERNAL', `updating job ${job.id} failed: destination ${JSON.stringify(d.address)} cannot go from ${d.state} to ${to}`, { context: { job: job.id, address: d.address, from: d.state, to } });
    }
    this.db
      .prepare('UPDATE job_destinations SET state = ?, smtp_reply = coalesce(?, smtp_reply), temporary = ?, updated_at = ? WHERE job_id = ? AND seq = ?')
      .run(to, storedText(reply), temporary === null ? null : temporary ? 1 : 0, at, job.id, d.seq);
    this.event(job.id, at, d.address, d.state, to, detail);
  }

  /**
   * The job's state from its destinations; logs and stores a change. `error` becomes the job's
   * last error when given; a job that becomes failed without one gets its destinations' replies.
   */
  private settle(job: JobRow, at: string, detail: string, error?: JobError): JobState {
    const dests = this.destinations(job.id);
    const to = aggregateState(
      dests.map((d) => d.state),
      job.watch,
    );
    if (to !== job.state && !isLegalTransition(job.state, to)) {
      throw new IfaxError('INTERNAL', `updating job ${job.id} failed: it cannot go from ${job.state} to ${to}`, { context: { job: job.id, from: job.state, to } });
    }
    let err = error;
    if (err === undefined && to === 'failed' && job.state !== 'failed') {
      const failed = dests.filter((d) => d.state === 'failed');
      const temporary = failed.length > 0 && failed.every((d) => d.temporary === 1);
      err = { code: temporary ? 'TEMPORARY_FAILURE' : 'UNAVAILABLE', message: failed.map((d) => `${d.address}: ${d.smtp_reply ?? 'failed'}`).join('; '), temporary };
    }
    this.db
      .prepare(
        `UPDATE jobs SET state = @to, updated_at = @at,
           error_code = CASE WHEN @set THEN @code ELSE error_code END,
           error_message = CASE WHEN @set THEN @message ELSE error_message END,
           error_temporary = CASE WHEN @set THEN @temporary ELSE error_temporary END
         WHERE id = @id`,
      )
      .run({ id: job.id, to, at, set: err ? 1 : 0, code: err?.code ?? null, message: storedText(err?.message) ?? null, temporary: err ? (err.temporary ? 1 : 0) : null });
    if (to !== job.state) this.event(job.id, at, null, job.state, to, detail);
    return to;
  }

  recordSend(id: string, outcome: SendOutcome): void {
    const job = this.row(id);
    if (job.state !== 'queued') throw new IfaxError('INTERNAL', `recording a send of job ${id} failed: it is ${job.state}, not queued`, { context: { job: id, state: job.state } });
    const at = this.now().toISOString();
    const dests = this.destinations(id).filter((d) => d.state === 'queued');
    const byAddress = new Map(dests.map((d) => [d.address.toLowerCase(), d]));
    const answered = new Set<string>();
    let accepted = 0;
    for (const r of outcome.destinations) {
      const d = byAddress.get(r.address.trim().toLowerCase());
      if (!d) throw new IfaxError('INTERNAL', `recording a send of job ${id} failed: ${JSON.stringify(r.address)} is not a queued destination of it`);
      answered.add(d.address.toLowerCase());
      if (r.accepted) accepted++;
      const temporary = r.accepted ? null : r.temporary === true;
      this.moveDestination(job, d, r.accepted ? 'sent' : 'failed', at, r.reply, temporary, r.accepted ? 'accepted by the server' : `refused${temporary ? ' (temporary)' : ''}`);
    }
    const left = dests.filter((d) => !answered.has(d.address.toLowerCase()));
    if (left.length > 0) {
      const err = outcome.error;
      if (!err) throw new IfaxError('INTERNAL', `recording a send of job ${id} failed: no outcome for ${left.map((d) => JSON.stringify(d.address)).join(', ')} and no error`);
      for (const d of left) this.moveDestination(job, d, 'failed', at, err.message, err.temporary, `not sent: ${err.code}`);
    }
    this.db.prepare(`UPDATE jobs SET attempts = attempts + 1${accepted > 0 ? ', sent_at = @at' : ''} WHERE id = @id`).run({ id, at });
    this.settle(job, at, accepted > 0 ? `accepted for ${accepted} of ${dests.length}` : 'nothing accepted', outcome.error);
  }

  defer(id: string, error: JobError): void {
    const job = this.row(id);
    if (job.state !== 'queued') throw new IfaxError('INTERNAL', `recording a deferred send of job ${id} failed: it is ${job.state}, not queued`, { context: { job: id, state: job.state } });
    const at = this.now().toISOString();
    this.db
      .prepare('UPDATE jobs SET attempts = attempts + 1, updated_at = @at, error_code = @code, error_message = @message, error_temporary = 1 WHERE id = @id')
      .run({ id, at, code: error.code, message: storedText(error.message) ?? null });
    this.event(id, at, null, 'queued', 'queued', `not sent, still queued: ${error.code}`);
  }

  requeue(id: string, detail: string): void {
    const job = this.row(id);
    const reason = retryRefusal(job.state, job.error_code === null ? null : { message: job.error_message ?? '', temporary: job.error_temporary === 1 });
    if (reason) throw new IfaxError('USAGE', `retrying job ${id} failed: ${reason}`, { context: { job: id, state: job.state }, hint: job.state === 'failed' ? "Send it again with 'ifax send' if the destination can take it now." : "'ifax jobs ID' shows what happened to it." });
    const at = this.now().toISOString();
    for (const d of this.destinations(id)) {
      if (d.state === 'failed' && d.temporary === 1) this.moveDestination(job, d, 'queued', at, null, null, detail);
    }
    this.settle(job, at, detail);
  }

  /** Times out a job still waiting; false when it is no longer waiting (an answer came in). */
  expire(id: string, detail: string): boolean {
    const job = this.row(id);
    if (!waitingStates(job.watch).includes(job.state)) return false;
    const at = this.now().toISOString();
    for (const d of this.destinations(id)) {
      if (waitingStates(job.watch).includes(d.state)) this.moveDestination(job, d, 'timeout', at, null, null, detail);
    }
    this.settle(job, at, detail);
    return true;
  }

  recordReport(id: string, r: NewReport): Omit<ReportResult, 'job'> {
    const job = this.row(id);
    const at = (r.at ?? this.now()).toISOString();
    const outcome = r.outcome ?? reportOutcome(r.type, r.disposition);
    const dests = this.destinations(id);
    const wanted = r.address ? r.address.replace(/^\s*rfc822\s*;/i, '').trim().replace(/^<(.*)>$/, '$1').toLowerCase() : '';
    const d = wanted ? dests.find((x) => x.address.toLowerCase() === wanted) : dests.length === 1 ? dests[0] : undefined;
    let ignoredReason: string | null = null;
    if (job.state === 'timeout' || job.state === 'processed') ignoredReason = `the job had already ended (${job.state})`;
    else if (!d) ignoredReason = wanted ? `${JSON.stringify(wanted)} is not a destination of the job` : 'it names no destination, and the job has several';
    else if (outcome !== 'none' && !isLegalTransition(d.state, outcome)) ignoredReason = `${d.address} is already ${d.state}`;
    const applied = ignoredReason === null && outcome !== 'none' && d !== undefined;
    this.db
      .prepare('INSERT INTO job_reports (job_id, type, received_at, message_id, address, disposition, status, diagnostic, features, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, r.type, at, storedText(r.messageId), storedText(r.address), storedText(r.disposition) ?? '', storedText(r.status), storedText(r.diagnostic), storedText(r.features), ignoredReason ? 1 : 0);
    if (applied && d) {
      const text = [r.disposition, r.status, r.diagnostic].filter((x) => x).join(' ');
      const label = `${r.type.toUpperCase()}: ${text}`;
      this.moveDestination(job, d, outcome as JobState, at, outcome === 'failed' ? text : null, outcome === 'failed' ? false : null, label);
      this.settle(job, at, label);
    }
    return { outcome, address: d?.address ?? null, applied, ignoredReason };
  }
}

/** Why a job cannot be retried, or null when it can: queued, or failed for a temporary reason. */
export function retryRefusal(state: JobState, error: Pick<JobError, 'message' | 'temporary'> | null): string | null {
  if (state === 'queued') return null;
  if (state === 'failed') return error?.temporary ? null : `it failed for good${error?.message ? ` (${error.message})` : ''}; a retry would fail the same way`;
  if (state === 'timeout') return 'it timed out waiting for an answer: the mail was accepted, so sending it again could deliver it twice';
  return `it is ${state}: the mail was accepted by the server`;
}
