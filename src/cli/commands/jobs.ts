/**
 * `ifax jobs [ID]` and `ifax jobs retry ID` (CLI.md): the sent jobs of the state directory and
 * their MDN/DSN state. A list is a table on a terminal and tab-separated lines in a pipe (one
 * job a line, no header, for cut and awk), newest first. The store (SQLite) is imported inside
 * the actions, so `ifax --help` does not load it.
 *
 * --json (stable keys, no secret; times ISO 8601 UTC):
 *   list:   { "jobs": [JobSummary] }
 *   one:    { "job": Job, "history": [JobEvent], "reports": [JobReport] }
 *   retry:  { "retried": ID, "job": Job }
 * (the shapes are src/store/job-types.ts).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { IfaxError } from '../../errors.js';
import { globalOptions, outputFor } from '../context.js';
import type { Output } from '../output.js';
import { choiceOption, wholeNumberParser } from '../choices.js';
import { loadProfile } from '../profile.js';
import { JOB_STATES, type JobState } from '../../store/job-states.js';
import type { Job, JobEvent, JobReport, JobSummary } from '../../store/job-types.js';
import type { JobStore } from '../../store/jobs.js';

/** What `ifax jobs retry` needs from the sender; the integrator passes it to jobsCommand. */
export interface RetryDeps {
  /**
   * Sends `job` again (it is `queued` when called: its temporarily failed destinations were put
   * back) and records the outcome in `store` (recordSend / fail). Throws what the send throws.
   */
  resend(job: Job, store: JobStore): Promise<void>;
}

export interface JobsCommandDeps {
  /**
   * The sender for `jobs retry`, or a function making it for the command (it needs the
   * profile that --config/--profile name); without it, retry stops after its checks with INTERNAL.
   */
  retry?: RetryDeps | ((command: Command) => Promise<RetryDeps>);
}

/**
 * The job `ref` names, if a retry may send it: JOB_NOT_FOUND (64) when there is none, USAGE
 * (64) with the reason when it is neither queued nor failed for a temporary reason.
 */
export async function retryableJob(store: JobStore, ref: string): Promise<Job> {
  const { retryRefusal } = await import('../../store/job-writer.js');
  const job = store.get(ref);
  const reason = retryRefusal(job.state, job.error);
  if (reason) {
    throw new IfaxError('USAGE', `retrying job ${job.id} failed: ${reason}`, {
      context: { job: job.id, state: job.state },
      hint: job.state === 'failed' ? "Send the document again with 'ifax send' once the destination can take it." : `'ifax jobs ${job.id}' shows what happened to it.`,
    });
  }
  return job;
}

/**
 * `ifax jobs retry` as a library call: checks the job (retryableJob), puts a failed one back
 * to queued, then calls `deps.resend`. Returns the job as the store has it afterwards.
 */
export async function retryJob(store: JobStore, ref: string, deps: RetryDeps): Promise<Job> {
  const job = await retryableJob(store, ref);
  const queued = job.state === 'queued' ? job : store.requeue(job.id, 'retry requested');
  await deps.resend(queued, store);
  return store.get(job.id);
}

const parseLimit = wholeNumberParser(1, 100_000);

function parseSince(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new InvalidArgumentError('An ISO 8601 date, e.g. 2026-11-27 or 2026-11-27T14:03:00Z.');
  return d;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

/** The store of the profile's state directory, or undefined when none was made yet (nothing was ever sent). */
async function openExisting(cmd: Command, out: Output): Promise<{ store: JobStore | undefined; stateDir: string }> {
  const g = globalOptions(cmd);
  const loaded = await loadProfile(g, out, { allowMissing: true });
  const { DATABASE_FILE, resolveStateDir } = await import('../../store/state-dir.js');
  const stateDir = resolveStateDir(loaded.config.stateDir, { profileFile: loaded.filepath });
  out.debug(`state directory: ${stateDir}`);
  // Looking is not writing: `ifax jobs` creates no state directory of its own. Only a file
  // that is not there means "nothing sent yet"; one that cannot be reached is opened and
  // fails with 73 naming it.
  if (!exists(path.join(stateDir, DATABASE_FILE))) return { store: undefined, stateDir };
  const { JobStore } = await import('../../store/jobs.js');
  const store = JobStore.open(stateDir);
  // Jobs past ifaxAdvanced.responseWatch.hours without their MDN/DSN are shown as what they are: timeout.
  const { expireUnanswered } = await import('../../jobs/response-watch.js');
  for (const job of expireUnanswered(store, loaded.config)) out.debug(`job ${job.id}: no answer within ${loaded.config.ifaxAdvanced.responseWatch.hours} h: timeout`);
  return { store, stateDir };
}

/** `ifax jobs`: list, or one job; `ifax jobs retry ID`. */
export function jobsCommand(deps: JobsCommandDeps = {}): Command {
  const cmd = new Command('jobs')
    .description('sent fax jobs and their MDN/DSN state; one job in full with its history')
    .usage('[ID] [--state STATE] [--limit N] [--since DATE] | retry ID')
    .argument('[id]', 'a job id, or at least 4 characters of its start or of its last 8 characters')
    .addOption(choiceOption('--state <state>', 'only jobs in this state', JOB_STATES))
    .option('--limit <n>', 'at most this many jobs, newest first (default 50)', parseLimit)
    .option('--since <date>', 'only jobs created at or after this date (ISO 8601)', parseSince)
    .addHelpText(
      'after',
      `
States: queued (recorded, not yet accepted by the server), sent (accepted), delivered (a DSN
said so), processed (the receiver's MDN said so), failed, timeout (no answer within
ifaxAdvanced.responseWatch.hours).

Examples:
  $ ifax jobs                              the last 50 jobs, newest first
  $ ifax jobs --state failed | cut -f1     ids of failed jobs (tab-separated in a pipe)
  $ ifax jobs k3q9                         one job by a part of its id, with its history
  $ ifax jobs retry k3q9                   send a job that failed for a temporary reason again`,
    )
    .action(async (id: string | undefined, opts: { state?: JobState; limit?: number; since?: Date }, command: Command) => {
      const out = outputFor(command);
      const { store, stateDir } = await openExisting(command, out);
      try {
        if (id !== undefined) {
          if (!store) {
            const { notFound } = await import('../../store/jobs.js');
            throw notFound(id);
          }
          const job = store.get(id);
          const history = store.history(job.id);
          const reports = store.reports(job.id);
          out.result({ job, history, reports }, () => jobText(job, history, reports));
          return;
        }
        const jobs = store ? store.list({ state: opts.state, limit: opts.limit ?? 50, since: opts.since }) : [];
        if (jobs.length === 0 && !out.json) out.info(`no jobs${opts.state ? ` in state ${opts.state}` : ''} in ${stateDir}`);
        out.result({ jobs }, () => (process.stdout.isTTY ? listTable(jobs) : listLines(jobs)));
      } finally {
        store?.close();
      }
    });
  cmd.addCommand(
    new Command('retry')
      .description('send a job again that is queued or failed for a temporary reason')
      .argument('<id>', 'the job id, or a unique part of it')
      .action(async (id: string, _opts: unknown, command: Command) => {
        const out = outputFor(command);
        const { store } = await openExisting(command, out);
        if (!store) {
          const { notFound } = await import('../../store/jobs.js');
          throw notFound(id);
        }
        try {
          // The checks first (a wrong id or state is the user's to fix, and needs no profile);
          // then the sender, which needs a profile ready to send; the job is changed only after both.
          await retryableJob(store, id);
          const retry = typeof deps.retry === 'function' ? await deps.retry(command) : deps.retry;
          if (!retry) throw notWired(await retryableJob(store, id));
          const job = await retryJob(store, id, retry);
          out.result({ retried: job.id, job }, `job ${job.id}: ${job.state}`);
        } finally {
          store.close();
        }
      }),
  );
  return cmd;
}

/** No sender given to jobsCommand: nothing is sent, and the exit (70) says it is a fault in how ifax was put together. */
function notWired(job: Job): IfaxError {
  return new IfaxError('INTERNAL', `retrying job ${job.id} failed: this ifax was built without a sender for retries`, { hint: 'This is a bug in how ifax was put together; please report it. The job was left as it was.' });
}

/** Local time as "YYYY-MM-DD HH:MM" for the table (people), from ISO text. */
function localTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function toText(dests: readonly string[]): string {
  return dests.length <= 1 ? (dests[0] ?? '') : `${dests[0]} +${dests.length - 1}`;
}

/** A pipe: id, state, created (ISO), pages, destinations (comma-separated), subject; tab-separated. */
export function listLines(jobs: readonly JobSummary[]): string {
  return jobs.map((j) => [j.id, j.state, j.createdAt, String(j.pages), j.destinations.join(','), j.subject ?? ''].join('\t')).join('\n');
}

/** A terminal: the same in aligned columns with a header, the subject cut to fit. */
export function listTable(jobs: readonly JobSummary[]): string {
  if (jobs.length === 0) return '';
  const rows = [['ID', 'STATE', 'CREATED', 'PAGES', 'TO', 'SUBJECT'], ...jobs.map((j) => [j.id, j.state, localTime(j.createdAt), String(j.pages), toText(j.destinations), j.subject ?? ''])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** One job in full: its fields, mails, destinations, history and reports. */
export function jobText(job: Job, history: readonly JobEvent[], reports: readonly JobReport[]): string {
  const lines: string[] = [];
  const field = (k: string, v: string | number | null): void => {
    if (v !== null && v !== '') lines.push(`${k.padEnd(10)}${v}`);
  };
  field('job', job.id);
  field('state', job.state);
  field('waits for', job.watch === 'none' ? 'no answer' : job.watch.toUpperCase());
  field('envid', job.envid);
  field('created', job.createdAt);
  field('updated', job.updatedAt);
  field('sent', job.sentAt);
  field('subject', job.subject);
  field('sender', job.senderName);
  field('mode', job.mode);
  field('pages', `${job.pages} (${job.bytes} bytes)`);
  if (job.format !== null) field('format', typeof job.format === 'string' ? job.format : JSON.stringify(job.format));
  field('outbox', job.outboxPath);
  field('attempts', job.attempts);
  if (job.error) field('error', `${job.error.code}: ${job.error.message}${job.error.temporary ? ' (temporary: ifax jobs retry)' : ''}`);
  for (const m of job.messages) {
    const part = m.partNumber !== null ? ` (part ${m.partNumber}${m.partTotal !== null ? `/${m.partTotal}` : ''})` : '';
    field('mail', `<${m.messageId}>${part}${m.originalMessageId ? ` resends <${m.originalMessageId}>` : ''}`);
  }
  for (const d of job.destinations) {
    const given = d.given !== d.address ? ` (${d.kind}: ${d.given})` : d.kind === 'address' ? '' : ` (${d.kind})`;
    field('to', `${d.address}${given}  ${d.state}${d.smtpReply ? `  ${d.smtpReply}` : ''}`);
  }
  if (history.length > 0) {
    lines.push('history');
    for (const e of history) lines.push(`  ${e.at}  ${e.address ? `${e.address}: ` : ''}${e.from ? `${e.from} -> ` : ''}${e.to}${e.detail ? `  ${e.detail}` : ''}`);
  }
  if (reports.length > 0) {
    lines.push('reports');
    for (const r of reports) {
      const text = [r.disposition, r.status, r.diagnostic].filter((x) => x).join('  ');
      lines.push(`  ${r.receivedAt}  ${r.type.toUpperCase()}${r.address ? ` ${r.address}` : ''}  ${text}${r.ignored ? '  (ignored)' : ''}`);
    }
  }
  return lines.join('\n');
}
