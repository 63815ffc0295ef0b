/**
 * `ifax send` as a job (CLI.md `send`): resolve the destinations, choose each one's format
 * (capabilities, maxResolution, mode, the job's wishes), make one document per format through
 * the page pipeline, build one I-Fax mail per group of destinations that take the same
 * document (broadcast, as devices do), apply the size policy (smtp.loadReduction), record the
 * job as queued BEFORE the first byte goes to a server (no crash can send a fax without a
 * record), then send every mail over one SMTP session, retrying temporary failures with
 * backoff. A job that still cannot be sent stays queued (exit 75) for `ifax jobs retry`.
 * I/O comes in as `SendDeps`.
 */

import { IfaxError, isIfaxError } from '../../errors.js';
import { MAX_DESTINATIONS, MAX_DOCUMENT_BYTES } from '../../limits.js';
import { readFax, type FaxDocument } from '../../image/document.js';
import { fitPages } from '../../image/fax-pages.js';
import { writeFax } from '../../image/writers/index.js';
import type { IfaxConfig } from '../../config/index.js';
import { makeDocument, type DocumentIo } from './document.js';
import { renderSubject } from './subject.js';
import { makeFormat } from '../../mime/features/index.js';
import { envelopeSender } from '../../transport/smtp/options.js';
import { withRetries } from '../../transport/smtp/retries.js';
import type { BuiltMail, Destination, FormatDecision, FormatWishes, MailGroup, SendReport, SendRequest } from './types.js';
import type { PlacedDocument } from './download.js';

/** Builds the mails of a job (src/mime through the composition root). */
export interface MailBuilder {
  messageId(): string;
  /** The I-Fax mail of one group (RFC 3965 / 2532 / 4142). */
  ifax(m: MailContent & { document: Uint8Array; contentType: 'image/tiff' | 'image/tiff-fx'; decision: FormatDecision; mdnTo?: string }): Uint8Array;
  /** `--as-email`: the pages as a PDF for people. */
  email(m: MailContent & { document: Uint8Array }): Uint8Array;
  /** The URL modes: the document's URL, size and SHA-256 instead of the attachment. */
  url(m: MailContent & { placed: PlacedDocument; mdnTo?: string }): Uint8Array;
  /** RFC 2046 §5.2.2 fragments for a fragment size of `maxBytes` (smtp.splitSizeKB). */
  split(raw: Uint8Array, maxBytes: number): { messageId: string; raw: Uint8Array }[];
}

export interface MailContent {
  from: { name?: string; address: string };
  to: string[];
  date: Date;
  messageId: string;
  subject: string;
  text: string;
  pages: number;
}

/** Mail transport: one session sends every mail of a job (smtp through the composition root). */
export interface Mailer {
  open(): Promise<MailSession>;
}

export interface MailSession {
  send(mail: { from: string; to: string[]; raw: Uint8Array; dsn?: { envid: string } }): Promise<SentMail>;
  close(): Promise<void>;
}

export interface SentMail {
  accepted: string[];
  rejected: { address: string; reply: string }[];
  /** The server's final reply (e.g. "250 2.0.0 Ok: queued as ..."). */
  response: string;
  /**
   * The final reply per accepted recipient, where it differs by recipient: a DSN request with
   * ORCPT sends each recipient in a transaction (and queue id) of its own.
   */
  responses?: Record<string, string>;
  warnings: string[];
}

/** The job store as send uses it. */
export interface JobRecorder {
  /** Records the job queued, with its mails (kept for a retry); returns the job id and ENVID. */
  create(job: { subject: string; sender?: string; groups: MailGroup[]; mails: BuiltMail[]; mdn: boolean; dsn: boolean }): Promise<{ id: string; envid: string }>;
  sent(id: string, result: { recipients: SendReport['recipients']; warnings: string[] }): Promise<void>;
  /** Still queued: a temporary failure after the retries. */
  deferred(id: string, error: IfaxError, attempts: number): Promise<void>;
  failed(id: string, error: IfaxError): Promise<void>;
}

export interface SendDeps {
  config: IfaxConfig;
  resolve(input: string): Promise<Destination>;
  /** The format for `dest` (mime/features chooseFormat); `pagesHaveColour`: some page is grey or colour. */
  decide(dest: Destination, wishes: FormatWishes, pagesHaveColour: boolean): FormatDecision;
  build: MailBuilder;
  placeDocument(bytes: Uint8Array, ext: string): Promise<PlacedDocument>;
  /** Absent in a dry run. */
  jobs?: JobRecorder;
  mailer: Mailer;
  /** POP before SMTP: a POP3 login, then the wait (smtp.popBeforeSmtp). */
  popBeforeSmtp?(): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): Date;
  io: DocumentIo & { progress(done: number, total: number, label: string): void };
}

const q = (s: string): string => JSON.stringify(s);

/** Base delay of the retry backoff: 2 s, 4 s, 8 s... (a 4xx greylisting server wants minutes: `jobs retry`). */
const RETRY_BASE_MS = 2000;

/** Runs a send. Throws IfaxError; a job left queued throws TEMPORARY_FAILURE (75) naming its id. */
export async function sendJob(req: SendRequest, deps: SendDeps): Promise<SendReport> {
  const { config, io } = deps;
  if (!config.device.email) {
    throw new IfaxError('CONFIG_INVALID', 'Sending failed: device.email is not set (the From address of every fax)', { hint: "Set it with 'ifax config set device.email fax@example.com'." });
  }
  if (req.to.length === 0) throw new IfaxError('USAGE', 'Sending failed: no destination', { hint: 'Name one with --to ADDRESS (several --to make a broadcast).' });
  if (req.to.length > MAX_DESTINATIONS) {
    throw new IfaxError('LIMIT_EXCEEDED', `Sending failed: ${req.to.length} destinations exceed MAX_DESTINATIONS (${MAX_DESTINATIONS})`, { context: { limit: 'MAX_DESTINATIONS', max: MAX_DESTINATIONS, value: req.to.length } });
  }
  if (req.asEmail && !config.smtp.scanToEmail) {
    throw new IfaxError('CONFIG_INVALID', 'Sending failed: --as-email needs smtp.scanToEmail on', { hint: "Turn it on with 'ifax config set smtp.scanToEmail true'." });
  }
  // Every input is opened (headers only, all limits checked) before anything else: a missing or
  // unreadable file is said first, and whether any page is grey or colour bounds the format.
  // The document stays open for every format it is made in.
  const doc = await readFax(req.inputs, { warn: (m) => io.warn(m), debug: (m) => io.debug(m) });
  try {
    for (const w of doc.warnings) io.warn(w);
    return await sendDocument(doc, req, deps);
  } finally {
    await doc.close();
  }
}

async function sendDocument(doc: FaxDocument, req: SendRequest, deps: SendDeps): Promise<SendReport> {
  const { config, io } = deps;
  const stationEmail = config.device.email as string; // checked by sendJob
  const pagesHaveColour = hasColour(doc);
  const destinations = await resolveAll(req.to, deps);
  const date = deps.now();
  const envelopeFrom = envelopeSender(config);
  const mdnTo = req.mdn && !req.asEmail ? envelopeFrom : undefined;
  const warnings: string[] = [];

  // Group destinations by their document: same format (and same content description) = same mail.
  const byFormat = new Map<string, { decision: FormatDecision; destinations: Destination[] }>();
  for (const d of destinations) {
    const decision = req.asEmail ? asEmailDecision() : deps.decide(d, req.wishes, pagesHaveColour);
    for (const r of decision.reasons) io.debug(`${d.address}: ${r}`);
    const key = JSON.stringify(decision.format) + (decision.contentFeatures ?? '');
    const g = byFormat.get(key);
    if (g) g.destinations.push(d);
    else byFormat.set(key, { decision, destinations: [d] });
  }

  const groups: MailGroup[] = [];
  let subject = '';
  for (const { decision, destinations: dests } of byFormat.values()) {
    const made = req.asEmail ? await makePdf(doc, req, io) : await makeDocument(doc, decision.format, req.pageChoices, io);
    const to = dests.map((d) => d.address);
    subject = renderSubject(req.subject ?? config.send.subject, {
      ...(config.device.name ? { device: config.device.name } : {}),
      ...(req.sender ? { sender: req.sender } : {}),
      pages: made.pages.length,
      date,
      ...(req.pageChoices.header?.timeZone ? { timeZone: req.pageChoices.header.timeZone } : {}),
      to: dests.map((d) => d.name ?? d.input),
    });
    const content: MailContent = {
      from: { ...(req.sender ? { name: req.sender } : {}), address: stationEmail },
      to,
      date,
      messageId: deps.build.messageId(),
      subject,
      text: bodyText(made.pages.length, config, req.sender),
      pages: made.pages.length,
    };
    const group: MailGroup = { destinations: dests, decision, pages: made.pages, documentBytes: made.bytes.length, delivery: 'attached', mails: [] };
    const whole = (): Uint8Array =>
      req.asEmail
        ? deps.build.email({ ...content, document: made.bytes })
        : deps.build.ifax({ ...content, document: made.bytes, contentType: decision.format.contentType, decision, ...(mdnTo ? { mdnTo } : {}) });
    await applySizePolicy(group, content, made.bytes, whole, req, deps, mdnTo);
    groups.push(group);
  }

  const mails = groups.flatMap((g) => g.mails);
  const recipients: SendReport['recipients'] = [];
  if (req.dryRun) return { state: 'built', subject, groups, recipients, warnings };
  if (!deps.jobs) throw new IfaxError('INTERNAL', 'Sending failed: no job store to record the job in');

  // The record exists before any connection: a crash from here on leaves a queued job.
  const job = await deps.jobs.create({ subject, ...(req.sender ? { sender: req.sender } : {}), groups, mails, mdn: mdnTo !== undefined, dsn: req.dsn && mdnTo === undefined });
  const dsn = req.dsn && mdnTo === undefined ? { envid: job.envid } : undefined;
  recipients.push(...(await deliverJob(job.id, mails, { from: envelopeFrom, ...(dsn ? { dsn } : {}), retries: req.retries }, { ...deps, jobs: deps.jobs }, warnings)));
  const refused = recipients.filter((r) => !r.accepted);
  if (refused.length > 0) {
    warnings.push(`${refused.length} of ${recipients.length} destination(s) refused by the server: ${refused.map((r) => `${r.address} (${r.reply ?? 'no reply'})`).join('; ')}`);
  }
  return { jobId: job.id, envid: job.envid, state: 'sent', subject, groups, recipients, warnings };
}

/**
 * Whether any page may be grey or colour: pictures and rendered PDF pages may; fax TIFF and
 * PBM pages and a scanned PDF's CCITT images are bilevel.
 */
function hasColour(doc: FaxDocument): boolean {
  return doc.sources.some((s) => s.source !== 'bilevel' && s.ccitt === undefined && s.undecodedCoding === undefined);
}

async function resolveAll(inputs: string[], deps: SendDeps): Promise<Destination[]> {
  const seen = new Map<string, Destination>();
  for (const input of inputs) {
    const d = await deps.resolve(input);
    const key = d.address.toLowerCase();
    if (seen.has(key)) {
      deps.io.warn(`${q(input)} is ${d.address}, named more than once: it gets one fax`);
      continue;
    }
    seen.set(key, d);
  }
  return [...seen.values()];
}

function asEmailDecision(): FormatDecision {
  // For people, not fax machines: a PDF at fine resolution, black and white; no capabilities apply.
  return {
    format: makeFormat('F', 'MMR', 'fine', 'A4', 'bw'),
    reasons: ['--as-email: the pages as a PDF attachment for people (smtp.scanToEmail)'],
    downgraded: {},
  };
}

/** `--as-email`: the pages fitted as for a fax, written as a PDF (G4 images) for people. */
async function makePdf(doc: FaxDocument, req: SendRequest, io: DocumentIo): Promise<{ bytes: Uint8Array; pages: MailGroup['pages'] }> {
  const pages = fitPages({ ...req.pageChoices, resolution: req.wishes.resolution, paper: req.wishes.paper });
  const w = await writeFax(doc.pages(pages), { format: 'pdf' }, { maxBytes: MAX_DOCUMENT_BYTES, io: { debug: io.debug, pageDone: (d, t) => io.pageDone?.(d, t) } });
  return { bytes: w.bytes as Uint8Array, pages: w.pages };
}

function bodyText(pages: number, config: IfaxConfig, sender: string | undefined): string {
  const from = sender ?? config.device.name ?? config.device.email ?? '';
  return `This is an Internet Fax (ITU-T T.37) of ${pages} page${pages === 1 ? '' : 's'}${from ? ` from ${from}` : ''}.\r\nThe pages are in the attached TIFF file.\r\n`;
}

/**
 * smtp.loadReduction: off (as built), split (RFC 2046 message/partial fragments of
 * splitSizeKB, less a margin), stop-if-over (refused before anything is sent or recorded),
 * url-if-over / url-always (the document placed in download.dir, its URL mailed).
 */
async function applySizePolicy(group: MailGroup, content: MailContent, document: Uint8Array, whole: () => Uint8Array, req: SendRequest, deps: SendDeps, mdnTo: string | undefined): Promise<void> {
  const smtp = deps.config.smtp;
  const policy = smtp.loadReduction;
  const maxBytes = smtp.maxMailSizeKB === null ? undefined : smtp.maxMailSizeKB * 1024;
  const asUrl = async (): Promise<void> => {
    const placed = await deps.placeDocument(document, req.asEmail ? 'pdf' : 'tif');
    group.delivery = 'url';
    group.url = placed.url;
    group.mails = [{ messageId: content.messageId, to: content.to, raw: deps.build.url({ ...content, placed, ...(mdnTo ? { mdnTo } : {}) }) }];
    deps.io.debug(`the document (${placed.size} bytes, SHA-256 ${placed.sha256}) is at ${placed.url} (smtp.loadReduction ${policy})`);
  };
  if (policy === 'url-always') return asUrl();
  const raw = whole();
  const over = maxBytes !== undefined && raw.length > maxBytes;
  if (policy === 'stop-if-over' && over) {
    throw new IfaxError('MAIL_TOO_LARGE', `Sending failed: the mail is ${kb(raw.length)} KB, over smtp.maxMailSizeKB (${smtp.maxMailSizeKB} KB); nothing was sent`, {
      hint: 'Send fewer pages or a lower resolution, or set smtp.loadReduction to split or url-if-over.',
      context: { limit: 'smtp.maxMailSizeKB', max: smtp.maxMailSizeKB, value: kb(raw.length) },
    });
  }
  if (policy === 'url-if-over' && over) return asUrl();
  const splitBytes = smtp.splitSizeKB * 1024;
  if (policy === 'split' && raw.length > splitBytes) {
    // The builder keeps each fragment under splitBytes less a margin for Received: growth (mime/partial.ts).
    const parts = deps.build.split(raw, splitBytes);
    group.delivery = 'split';
    group.mails = parts.map((p, i) => ({ messageId: p.messageId, to: content.to, raw: p.raw, part: { number: i + 1, total: parts.length } }));
    deps.io.debug(`the mail (${kb(raw.length)} KB) goes as ${parts.length} message/partial fragments of at most ${smtp.splitSizeKB} KB`);
    return;
  }
  group.mails = [{ messageId: content.messageId, to: content.to, raw }];
}

const kb = (n: number): number => Math.ceil(n / 1024);

/**
 * Sends every mail over one session; a temporary failure (75) is retried with backoff, with a
 * new session, and only the mails not yet accepted are sent again.
 */
/** What delivering a recorded job needs: the job store, SMTP (and POP before it), the clock, messages. */
export type DeliverDeps = Pick<SendDeps, 'mailer' | 'popBeforeSmtp' | 'sleep' | 'io'> & { jobs: JobRecorder };

/**
 * Sends the mails of the recorded job `id` (deliver) and records the outcome: sent, or on a
 * temporary failure after the retries still queued (75, `ifax jobs retry`), or failed. Used by
 * `ifax send` and by `ifax jobs retry` (the same mails from the outbox).
 */
export async function deliverJob(id: string, mails: BuiltMail[], o: { from: string; dsn?: { envid: string }; retries: number }, deps: DeliverDeps, warnings: string[]): Promise<SendReport['recipients']> {
  let recipients: SendReport['recipients'];
  try {
    recipients = await deliver(mails, o.from, o.dsn, o.retries, deps, warnings);
  } catch (err) {
    const e = isIfaxError(err) ? err : new IfaxError('INTERNAL', `Sending failed: ${(err as Error).message}`, { cause: err });
    if (e.exitCode === 75) {
      await deps.jobs.deferred(id, e, o.retries + 1);
      throw new IfaxError(e.code, `${e.message}; job ${id} stays queued`, { cause: e, hint: `Send it later with 'ifax jobs retry ${id}'.`, context: { ...e.context, job: id } });
    }
    await deps.jobs.failed(id, e);
    throw new IfaxError(e.code, `${e.message} (job ${id} failed)`, { cause: e, ...(e.hint ? { hint: e.hint } : {}), context: { ...e.context, job: id } });
  }
  await deps.jobs.sent(id, { recipients, warnings });
  return recipients;
}

async function deliver(mails: BuiltMail[], from: string, dsn: { envid: string } | undefined, retries: number, deps: Omit<DeliverDeps, 'jobs'>, warnings: string[]): Promise<SendReport['recipients']> {
  const results = new Map<string, { accepted: boolean; reply?: string }>();
  const done = new Set<number>();
  const totalBytes = mails.reduce((n, m) => n + m.raw.length, 0);
  // A new session for each try; the mails a server already accepted are not sent again.
  await withRetries(
    async () => {
      if (deps.popBeforeSmtp) await deps.popBeforeSmtp();
      const session = await deps.mailer.open();
      try {
        let sentBytes = mails.filter((_, i) => done.has(i)).reduce((n, m) => n + m.raw.length, 0);
        for (const [i, mail] of mails.entries()) {
          if (done.has(i)) continue;
          const r = await session.send({ from, to: mail.to, raw: mail.raw, ...(dsn ? { dsn } : {}) });
          done.add(i);
          for (const w of r.warnings) if (!warnings.includes(w)) warnings.push(w);
          for (const a of r.accepted) results.set(a.toLowerCase(), { accepted: true, reply: r.responses?.[a] ?? r.response });
          for (const x of r.rejected) if (!results.get(x.address.toLowerCase())?.accepted) results.set(x.address.toLowerCase(), { accepted: false, reply: x.reply });
          sentBytes += mail.raw.length;
          deps.io.progress(sentBytes, totalBytes, 'bytes sent');
        }
      } finally {
        await session.close().catch(() => undefined);
      }
    },
    {
      retries,
      delays: [RETRY_BASE_MS],
      sleep: deps.sleep,
      onRetry: (attempt, delay, err) => deps.io.warn(`${(err as Error).message}; try ${attempt + 1} of ${retries + 1} in ${delay / 1000} s`),
    },
  );
  // One line per destination: the fragments of a split mail all go to the same ones.
  const recipients: SendReport['recipients'] = [];
  const listed = new Set<string>();
  for (const a of mails.flatMap((m) => m.to)) {
    if (listed.has(a.toLowerCase())) continue;
    listed.add(a.toLowerCase());
    const r = results.get(a.toLowerCase());
    recipients.push({ address: a, accepted: r?.accepted ?? false, ...(r?.reply ? { reply: r.reply } : {}) });
  }
  return recipients;
}
