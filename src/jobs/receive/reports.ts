/**
 * Incoming MDNs and DSNs applied to the jobs they answer (RFC 3249 §4.2-4.3): an MDN found by
 * its Original-Message-ID (then In-Reply-To / References, then the returned message's
 * Message-ID, for devices that leave the field out), a DSN by its Original-Envelope-Id (then
 * the returned headers' Message-ID). The job store moves the destination (processed /
 * delivered / failed, job-states.ts reportOutcome reads the lenient Action and Disposition);
 * an answer that comes more than responseWatch.hours after the send is recorded but moves
 * nothing (logged). Media-Accept-Features / X-Accept-Features replace what is known of the
 * destination's capabilities (source mdn / dsn and the date kept; a manual entry wins).
 *
 * A `deleted/alternative-preferred` MDN (full mode) fails its destination with a note saying
 * to send again (alternativePreferredNote). Its capabilities are stored like any MDN's,
 * although RFC 3297 §6.2 says they "MUST NOT be cached" (they may hold for this transaction
 * only): ifax cannot resend by itself, so the user's next `ifax send` is how this transaction
 * is finished, and it can only use them if they are kept; the final MDN of that send carries
 * the receiver's lasting capabilities (§3.4) and replaces them.
 */
import { isAlternativePreferred, type ClassifiedMail } from '../../mime/parse/index.js';
import type { ReportOutcome } from '../../store/job-states.js';
import type { Job } from '../../store/job-types.js';
import type { ReceivedReport, ReceiveDeps } from './types.js';

type MdnMail = Extract<ClassifiedMail, { kind: 'mdn' }>;
type DsnMail = Extract<ClassifiedMail, { kind: 'dsn' }>;

/** Message-IDs of an References / In-Reply-To field. */
function ids(value: string | undefined): string[] {
  return value === undefined ? [] : (value.match(/<[^<>]+>/g) ?? []);
}

/** True when the answer came after responseWatch.hours from the job's send. */
function tooLate(job: Job, deps: ReceiveDeps, at: Date): boolean {
  const watch = deps.config.ifaxAdvanced.responseWatch;
  if (!watch.enabled || job.sentAt === null) return false;
  return at.getTime() - Date.parse(job.sentAt) > watch.hours * 3_600_000;
}

function learn(deps: ReceiveDeps, job: Job | undefined, address: string | undefined, features: string | undefined, source: 'mdn' | 'dsn', at: Date): boolean {
  if (!features || !address || !address.includes('@')) return false;
  const r = deps.destinations.upsert({ address, caps: features, source, jobId: job?.id ?? null, at });
  if (!r.stored) deps.io.debug(`capabilities of ${address} from the ${source.toUpperCase()} not stored: a manual entry is kept`);
  return r.stored;
}

/** One report applied to `job` (or to nothing when none was found). */
function apply(
  deps: ReceiveDeps,
  type: 'mdn' | 'dsn',
  job: Job | undefined,
  report: { disposition: string; address?: string; status?: string; diagnostic?: string; features?: string; messageId?: string; outcome?: ReportOutcome },
  at: Date,
): ReceivedReport {
  if (!job) {
    const capabilitiesLearned = learn(deps, undefined, report.address, report.features, type, at);
    deps.io.warn(`${type.toUpperCase()} ${report.messageId ?? ''} matches no job (${report.disposition}); kept only in the log`.replace('  ', ' '));
    return { type, job: null, state: null, address: report.address ?? null, applied: false, ignoredReason: 'no job has this message or envelope id', capabilitiesLearned };
  }
  const late = tooLate(job, deps, at);
  const outcome: ReportOutcome | undefined = late ? 'none' : report.outcome;
  const r = deps.jobs.recordReport(job.id, {
    type,
    disposition: report.disposition,
    address: report.address ?? null,
    messageId: report.messageId ?? null,
    status: report.status ?? null,
    diagnostic: report.diagnostic ?? null,
    features: report.features ?? null,
    ...(outcome ? { outcome } : {}),
    at,
  });
  const ignoredReason = late ? `it came more than ${deps.config.ifaxAdvanced.responseWatch.hours} h after the send (ifaxAdvanced.responseWatch.hours)` : (r.ignoredReason ?? undefined);
  if (late) deps.io.warn(`${type.toUpperCase()} for job ${job.id} ignored: ${ignoredReason}`);
  else if (r.ignoredReason) deps.io.warn(`${type.toUpperCase()} for job ${job.id} changed nothing: ${r.ignoredReason}`);
  else deps.io.debug(`${type.toUpperCase()} for job ${job.id}: ${report.disposition} -> ${r.job.state}`);
  const capabilitiesLearned = learn(deps, job, r.address ?? report.address, report.features, type, at);
  return { type, job: job.id, state: r.job.state, address: r.address, applied: r.applied, ...(ignoredReason ? { ignoredReason } : {}), capabilitiesLearned };
}

/**
 * What a `deleted/alternative-preferred` MDN (RFC 3297 §3.2-3.3, RFC 4142 §6.2) says to the
 * user. The destination is failed for good: the receiver may have discarded the fax ("deleted")
 * and waits for another format; ifax keeps only the built mail, not the documents, so neither
 * a resend in the format asked for nor `ifax jobs retry` (the same mail, the same answer) can
 * be made from the job. The user sends the documents again; `ifax send` then picks the format
 * from the Media-Accept-Features stored below.
 */
export function alternativePreferredNote(features: boolean): string {
  return `alternative preferred: the receiver asks for the fax in another format and may have discarded this one (RFC 3297 §3.2); send the documents again with 'ifax send', which ${features ? 'chooses the format from the capabilities the receiver stated' : 'uses a baseline format, as the receiver stated no capabilities (RFC 3297 §3.3)'}`;
}

/** Applies an incoming MDN. */
export function applyMdn(mail: MdnMail, deps: ReceiveDeps): ReceivedReport {
  const m = mail.mdn;
  const job = deps.jobs.findByMessageId(m.originalMessageId, ...ids(mail.summary.inReplyTo), ...ids(mail.summary.references).reverse(), mail.returnedMessageId);
  const alternative = isAlternativePreferred(m.disposition);
  const diagnostic = [...(alternative ? [alternativePreferredNote(Boolean(m.mediaAcceptFeatures))] : []), ...m.errors, ...m.failures, ...m.warnings].join('; ');
  return apply(
    deps,
    'mdn',
    job,
    {
      disposition: m.disposition,
      ...(m.finalRecipientAddress ?? m.originalRecipientAddress ? { address: (m.finalRecipientAddress ?? m.originalRecipientAddress)! } : {}),
      ...(diagnostic ? { diagnostic } : {}),
      ...(m.mediaAcceptFeatures ? { features: m.mediaAcceptFeatures } : {}),
      ...(mail.summary.messageId ? { messageId: mail.summary.messageId } : {}),
    },
    deps.now(),
  );
}

/** Applies an incoming DSN: one report per recipient group. */
export function applyDsn(mail: DsnMail, deps: ReceiveDeps): ReceivedReport[] {
  const d = mail.dsn;
  const job = deps.jobs.findByEnvid(d.originalEnvelopeId) ?? deps.jobs.findByMessageId(mail.returnedMessageId);
  const at = deps.now();
  if (d.recipients.length === 0) {
    return [apply(deps, 'dsn', job, { disposition: 'no recipient fields', ...(mail.summary.messageId ? { messageId: mail.summary.messageId } : {}) }, at)];
  }
  return d.recipients.map((r) => {
    // ORCPT (Original-Recipient) names the address as we gave it; Final-Recipient may be rewritten by an alias.
    const address = r.originalRecipientAddress ?? r.finalRecipientAddress;
    return apply(
      deps,
      'dsn',
      job,
      {
        disposition: r.actionText || r.action,
        ...(address ? { address } : {}),
        ...(r.status ? { status: r.status } : {}),
        ...(r.diagnosticCode ? { diagnostic: r.diagnosticCode } : {}),
        ...(r.acceptFeatures ? { features: r.acceptFeatures } : {}),
        ...(mail.summary.messageId ? { messageId: mail.summary.messageId } : {}),
      },
      at,
    );
  });
}
