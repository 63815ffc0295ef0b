/**
 * The life of a sent job and of each of its destinations (SETTINGS.md §6, §10):
 *
 *   queued -> sent -> delivered -> processed
 *      \        \         \
 *       `-> failed <-------`----- (DSN failed, MDN error, permanent refusal)
 *                 sent/delivered -> timeout (no answer within responseWatch.hours)
 *   failed (temporary only) -> queued (retry)
 *
 * `delivered` is what a DSN reports (RFC 3464 Action delivered/relayed/expanded): the mail
 * reached the receiving system. `processed` is what an MDN reports (RFC 8098): the receiver
 * handled the fax. RFC 2532 §2.1.2: MDNs confirm processing, never delivery; a job asked
 * for an MDN can go straight from sent to processed. A report that would move a state
 * backwards, or that comes after a final state, is kept as a row but changes nothing.
 */

/** Every job and destination state, in order of progress. */
export const JOB_STATES = ['queued', 'sent', 'delivered', 'processed', 'failed', 'timeout'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What answer a job waits for: an MDN (processing), a DSN (delivery), or none. */
export type ReportWatch = 'mdn' | 'dsn' | 'none';

/** The legal moves. `failed -> queued` also needs the failure to be temporary (see canRetry). */
export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['sent', 'failed'],
  sent: ['delivered', 'processed', 'failed', 'timeout'],
  delivered: ['processed', 'failed', 'timeout'],
  processed: [],
  failed: ['queued'],
  timeout: [],
};

/** Whether `from -> to` is a legal move. */
export function isLegalTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States with no answer left to wait for, given what the job asked for. */
export function isFinal(state: JobState, watch: ReportWatch): boolean {
  if (state === 'processed' || state === 'failed' || state === 'timeout') return true;
  if (state === 'delivered') return watch !== 'mdn';
  if (state === 'sent') return watch === 'none';
  return false;
}

/** The states responseWatch times out: accepted by the server, still waiting for the answer asked for. */
export function waitingStates(watch: ReportWatch): JobState[] {
  if (watch === 'none') return [];
  return watch === 'mdn' ? ['sent', 'delivered'] : ['sent'];
}

const PROGRESS: Record<JobState, number> = { queued: 0, sent: 1, delivered: 2, processed: 3, failed: 4, timeout: 4 };

/**
 * A job's state from its destinations' (a broadcast has several): queued while any waits to be
 * sent; once every destination is final, failed if any failed, else timeout if any timed out,
 * else the least advanced success; otherwise the least advanced state still waiting.
 */
export function aggregateState(states: readonly JobState[], watch: ReportWatch): JobState {
  if (states.length === 0 || states.includes('queued')) return 'queued';
  const waiting = states.filter((s) => !isFinal(s, watch));
  const pick = (list: readonly JobState[]): JobState => list.reduce((a, b) => (PROGRESS[b] < PROGRESS[a] ? b : a));
  if (waiting.length > 0) return pick(waiting);
  if (states.includes('failed')) return 'failed';
  if (states.includes('timeout')) return 'timeout';
  return pick(states);
}

/** What a report means for the destination it names. `none`: kept, moves nothing (a DSN "delayed"). */
export type ReportOutcome = 'delivered' | 'processed' | 'failed' | 'none';

/**
 * The outcome of an MDN Disposition (RFC 8098 §3.2.6: `action/sending; type[/modifier]`) or a
 * DSN Action (RFC 3464 §2.3.3). Lenient, as real devices are: the part after the last ";" is
 * read when there is one, case is ignored, and gateway text after the keyword ("failed with
 * cause code - call rejected (21)") still reads as failed.
 */
export function reportOutcome(type: 'mdn' | 'dsn', disposition: string): ReportOutcome {
  const text = disposition.toLowerCase();
  if (type === 'dsn') {
    const action = text.trim().split(/[\s;(]/)[0];
    if (action === 'delivered' || action === 'relayed' || action === 'expanded') return 'delivered';
    if (action === 'failed') return 'failed';
    return 'none';
  }
  const semi = text.lastIndexOf(';');
  const [kind, modifier = ''] = (semi >= 0 ? text.slice(semi + 1) : text).trim().split('/').map((s) => s.trim());
  // RFC 4142 §6.2 `deleted/alternative-preferred`: the receiver would rather have another
  // format. ifax keeps the built mail, not the documents, so the job cannot be resent in that
  // format: for this job it is the end (failed, not retryable: a retry would send the same
  // mail again); the user sends again with `ifax send`, which uses the capabilities stated.
  if (modifier.startsWith('error') || kind === 'failed' || kind === 'deleted') return 'failed';
  // RFC 3249 §4.4.1.2: devices answer "dispatched" (printed) or "processed" on success; "displayed" is a reader's.
  if (kind === 'processed' || kind === 'dispatched' || kind === 'displayed') return 'processed';
  return 'none';
}
