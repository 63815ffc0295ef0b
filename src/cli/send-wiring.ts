/**
 * The composition root of `ifax send` and `ifax jobs retry`: the profile's settings turned into
 * the real parts the send job (jobs/send/send.ts) is given: destinations (mime/address, the
 * job store's known destinations), the format choice (mime/features), the mail builder
 * (mime), the job store and outbox (store/), SMTP with ifax's own certificate checks
 * (transport/smtp, transport/tls) and POP before SMTP (transport/pop3).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IfaxError } from '../errors.js';
import type { IfaxConfig } from '../config/index.js';
import type { FaxCoding } from '../codec/types.js';
import type { PaperName, ResolutionName } from '../fax/vocabulary.js';
import type { FaxInput } from '../image/document.js';
import { spoolStdin } from '../image/input-file.js';
import { buildDocumentMail, buildIfaxMessage, buildUrlMail, createMessageId, parseDestination, splitMessage, type IfaxMode } from '../mime/index.js';
import { chooseFormat, contentFeatures, parseFeatureExpression } from '../mime/features/index.js';
import { headerFields } from '../jobs/header-line.js';
import { sendJob, type JobRecorder, type MailBuilder, type MailContent, type Mailer, type MailSession, type SendDeps } from '../jobs/send/send.js';
import { placeDocument } from '../jobs/send/download.js';
import type { BuiltMail, Destination, FormatDecision, FormatWishes, SendReport, SendRequest } from '../jobs/send/types.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { DestinationStore, type DestinationCaps } from '../store/destinations.js';
import type { TlsTrust } from '../transport/tls/connect-options.js';
import { envelopeSender } from '../transport/smtp/options.js';
import type { GlobalOptions, Output } from './output.js';
import { loadProfile } from './profile.js';

/** What the send command read from its flags. */
export interface SendFlagsIn {
  files: string[];
  to: string[];
  resolution?: ResolutionName;
  compression?: FaxCoding;
  colour?: 'bw' | 'gray' | 'color';
  paper?: PaperName;
  sender?: string;
  subject?: string;
  mode?: 'simple' | 'full';
  mdn: boolean;
  dsn: boolean;
  asEmail: boolean;
  retries: number;
  dryRun: boolean;
  out?: string;
  header: boolean;
  timeZone?: string;
}

export interface SendRun {
  report: SendReport;
  /** .eml files a dry run wrote. */
  written: string[];
  /** The --json document. */
  json: unknown;
}

const q = (s: string): string => JSON.stringify(s);

/** Runs `ifax send`: the profile, the parts, the job; writes a dry run's mails. */
export async function runSend(flags: SendFlagsIn, g: Pick<GlobalOptions, 'config' | 'profile'>, out: Output, afterPage: () => void): Promise<SendRun> {
  const loaded = await loadProfile(g, out);
  const config = loaded.config;
  if (!flags.dryRun) {
    const { assertReady } = await import('../config/index.js');
    assertReady(config, 'send');
  }
  const sender = senderName(config, flags.sender);
  let spool: { dir: string } | undefined;
  const inputs: FaxInput[] = [];
  for (const f of flags.files) {
    if (f === '-') {
      if (spool) throw new IfaxError('USAGE', 'Sending failed: "-" (stdin) is given more than once');
      spool = await spoolStdin(process.stdin);
      inputs.push({ file: path.join(spool.dir, 'stdin'), name: 'stdin' });
    } else {
      inputs.push(f);
    }
  }
  // A dry run records nothing, but still knows the destinations' capabilities when a store exists.
  const store = await openJobStore(config, loaded.filepath, !flags.dryRun);
  try {
    const request: SendRequest = {
      inputs,
      to: flags.to,
      wishes: {
        resolution: flags.resolution ?? config.send.resolution,
        coding: flags.compression ?? config.compression.bw,
        ...(flags.colour ? { colour: flags.colour } : {}),
        paper: flags.paper ?? config.send.paper,
        paperFixed: flags.paper !== undefined,
        mode: flags.mode ?? config.send.mode,
      },
      pageChoices: {
        ...(flags.header && config.send.header
          ? { header: headerFields(config, { ...(flags.sender !== undefined ? { sender: flags.sender } : {}), ...(flags.timeZone ? { timeZone: flags.timeZone } : {}) }) }
          : {}),
      },
      ...(sender ? { sender } : {}),
      ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
      mdn: flags.mdn && config.ifaxAdvanced.mdnRequest,
      dsn: flags.dsn || config.ifaxAdvanced.dsnRequest,
      asEmail: flags.asEmail,
      retries: flags.retries,
      dryRun: flags.dryRun,
    };
    const deps = sendDeps(config, out, afterPage, store, !flags.dryRun);
    const report = await sendJob(request, deps);
    for (const w of report.warnings) out.warn(w);
    const written = flags.dryRun && flags.out ? await writeDryRun(report, flags.out) : [];
    return { report, written, json: sendJson(report, written) };
  } finally {
    store?.close();
    if (spool) rmSync(spool.dir, { recursive: true, force: true });
  }
}

/** The sender name: --sender (a name, or its number in header.senderNames), else header.defaultSender. */
function senderName(config: IfaxConfig, flag: string | undefined): string | undefined {
  return headerFields(config, flag !== undefined ? { sender: flag } : {}).sender;
}

type Store = NonNullable<Awaited<ReturnType<typeof openJobStore>>>;

/** The job store of the profile's state directory; with `create` false, only one that exists. */
async function openJobStore(config: IfaxConfig, profileFile: string | null | undefined, create: boolean) {
  const { JobStore } = await import('../store/jobs.js');
  const { DATABASE_FILE, resolveStateDir } = await import('../store/state-dir.js');
  const dir = resolveStateDir(config.stateDir, { profileFile: profileFile ?? null });
  if (!create && !existsSync(path.join(dir, DATABASE_FILE))) return undefined;
  const store = JobStore.open(dir);
  return Object.assign(store, { stateDir: dir });
}

/** The parts of a send from the profile. */
export function sendDeps(config: IfaxConfig, out: Output, afterPage: () => void, store: Store | undefined, record: boolean): SendDeps {
  const domain = (config.device.email ?? 'localhost').split('@').pop() as string;
  const tzOffsetMinutes = -new Date().getTimezoneOffset();
  // The header fields every mail of a job has (mime's MailBasics).
  const basics = (m: MailContent) => ({
    from: { ...(m.from.name ? { name: m.from.name } : {}), address: m.from.address },
    to: m.to,
    date: m.date,
    tzOffsetMinutes,
    messageId: m.messageId,
    subject: m.subject,
  });
  const build: MailBuilder = {
    messageId: () => createMessageId({ domain, random: randomBytes(16), time: new Date() }),
    ifax(m) {
      const alternative = m.decision.alternative;
      const mode: IfaxMode = m.mdnTo === undefined ? 'simple' : alternative && m.decision.contentFeatures ? 'full' : 'extended';
      return buildIfaxMessage({
        ...basics(m),
        mode,
        text: m.text,
        document: { bytes: m.document, contentType: m.contentType, filename: 'fax.tif', pages: m.pages },
        ...(m.mdnTo ? { mdnTo: m.mdnTo } : {}),
        ...(m.decision.contentFeatures ? { contentFeatures: m.decision.contentFeatures } : {}),
        ...(mode === 'full' && alternative ? { alternatives: [contentFeatures(alternative)] } : {}),
        random: randomBytes(16),
      });
    },
    email(m) {
      return buildDocumentMail({
        ...basics(m),
        text: `The ${m.pages} page${m.pages === 1 ? '' : 's'} of this document are in the attached PDF file.\r\n`,
        document: { bytes: m.document, filename: 'document.pdf' },
        random: randomBytes(16),
      });
    },
    url(m) {
      return buildUrlMail({
        ...basics(m),
        text: `The fax of ${m.pages} page${m.pages === 1 ? '' : 's'} is not attached; download it here:`,
        url: m.placed.url,
        size: m.placed.size,
        sha256: m.placed.sha256,
        filename: path.basename(m.placed.file),
        ...(m.mdnTo ? { mdnTo: m.mdnTo } : {}),
      });
    },
    split(raw, maxBytes) {
      return splitMessage(raw, { splitBytes: maxBytes, random: randomBytes(16), domain, time: new Date() }).map((part) => ({ messageId: messageIdOf(part), raw: part }));
    },
  };
  return {
    config,
    resolve: (input) => resolveDestination(input, store),
    decide: (dest, wishes, colour) => decide(config, dest, wishes, colour),
    build,
    // A dry run sends and records nothing, so it publishes nothing in download.dir either.
    placeDocument: (bytes, ext) => placeDocument(bytes, ext, config.download, undefined, record),
    ...(store && record ? { jobs: jobRecorder(store, config) } : {}),
    mailer: smtpMailer(config, out),
    ...(config.smtp.popBeforeSmtp.enabled ? { popBeforeSmtp: () => popBeforeSmtp(config, out) } : {}),
    sleep: (ms) => sleep(ms).then(() => undefined),
    now: () => new Date(),
    io: {
      warn: (m) => out.warn(m),
      debug: (m) => out.debug(m),
      pageDone: (done, total) => {
        afterPage();
        out.progress(done, total, 'pages');
      },
      progress: (done, total, label) => out.progress(done, total, label),
    },
  };
}

/** The Message-ID of a built mail (its first Message-ID field). */
function messageIdOf(raw: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(raw.subarray(0, Math.min(raw.length, 16384)));
  const m = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head);
  if (!m) throw new IfaxError('INTERNAL', 'Building the mail failed: a fragment has no Message-ID');
  return m[1];
}

/**
 * `--to`: an address or RFC 3192 fax address (parsed strictly), or a name the job store knows
 * (destinations learned or set by hand); anything else is DESTINATION_UNKNOWN (64) naming the
 * names that come close.
 */
async function resolveDestination(input: string, store: Store | undefined): Promise<Destination> {
  const known = store ? new DestinationStore(store.database).list() : [];
  const capsOf = (k: DestinationCaps): Destination['caps'] => ({ expression: k.caps, learnedAt: k.learnedAt, source: k.source });
  if (input.includes('@')) {
    const parsed = parseDestination(input);
    const address = parsed.address;
    const entry = known.find((k) => k.address.toLowerCase() === address.toLowerCase());
    return { input, address, kind: parsed.kind === 'fax' ? 'fax' : 'address', ...(entry ? { caps: capsOf(entry) } : {}) };
  }
  const byName = known.find((k) => k.displayName !== null && k.displayName.toLowerCase() === input.toLowerCase());
  if (byName) return { input, address: byName.address, kind: 'book', name: byName.displayName as string, caps: capsOf(byName) };
  const { nearest } = await import('../config/suggest.js');
  const close = nearest(input, known.map((k) => k.displayName).filter((n): n is string => n !== null));
  throw new IfaxError('DESTINATION_UNKNOWN', `Sending failed: ${q(input)} is neither an e-mail address nor a known destination`, {
    hint: close ? `Did you mean ${q(close)}?` : 'Give an address (name@example.com) or a fax address (FAX=+4930123456@gateway.example.com).',
    context: { destination: input },
  });
}

/** The format for one destination: its known capabilities, the profile's bounds, the job's wishes. */
function decide(config: IfaxConfig, dest: Destination, wishes: FormatWishes, pagesHaveColour: boolean): FormatDecision {
  let capabilities;
  if (dest.caps) {
    try {
      capabilities = parseFeatureExpression(dest.caps.expression, { strict: false }).expression;
    } catch (err) {
      throw new IfaxError('DESTINATION_INCAPABLE', `Sending failed: the capabilities stored for ${dest.address} cannot be read (${(err as Error).message})`, {
        cause: err,
        hint: `Clear them with 'ifax caps clear ${dest.address}'.`,
      });
    }
  }
  const choice = chooseFormat({
    capabilities,
    maxResolution: config.ifaxAdvanced.maxResolution,
    mode: wishes.mode,
    resolution: wishes.resolution,
    coding: wishes.coding,
    colour: wishes.colour,
    colourCompression: config.compression.color,
    paper: wishes.paper,
    paperFixed: wishes.paperFixed,
    pagesHaveColour,
  });
  return { ...choice, ...(config.ifaxAdvanced.addContentInfo || (choice.alternative && wishes.mode !== 'simple') ? { contentFeatures: contentFeatures(choice.format) } : {}) };
}

/**
 * An SMTP session of the profile, with ifax's own certificate checks (transport/tls): what
 * `send` mails with, and what `receive` sends its MDNs with. `trust` is loaded when not given.
 */
export async function openProfileSmtp(config: IfaxConfig, out: Output, trust?: TlsTrust): Promise<{ session: import('../transport/smtp/client.js').SmtpSession; trust: TlsTrust }> {
  const { profileTls } = await import('./tls-wiring.js');
  const { openSmtpSession, smtpClientOptions } = await import('../transport/smtp/index.js');
  const tls = profileTls(config, 'smtp', config.smtp.host as string, trust ? { trust } : {});
  const options = smtpClientOptions(config, {
    ...(tls.tlsOptions ? { tlsOptions: tls.tlsOptions } : {}),
    verifyTls: tls.verifyTls,
    trace: (line) => out.debug(line, 2),
  });
  return { session: await openSmtpSession(options), trust: tls.trust };
}

/**
 * SMTP with ifax's certificate checks, one session per job. nodemailer and the ASN.1 code are
 * loaded on the first connection: a dry run never needs them (a third of its start-up).
 */
function smtpMailer(config: IfaxConfig, out: Output): Mailer {
  let trust: TlsTrust | undefined;
  return {
    async open(): Promise<MailSession> {
      const opened = await openProfileSmtp(config, out, trust);
      trust = opened.trust;
      const session = opened.session;
      return {
        async send(mail) {
          const r = await session.send({
            raw: mail.raw,
            from: mail.from,
            to: mail.to,
            ...(mail.dsn ? { dsn: { envid: mail.dsn.envid, ret: 'HDRS', notify: ['SUCCESS', 'FAILURE'], orcpt: true } } : {}),
          });
          return {
            accepted: r.accepted,
            rejected: r.recipients.filter((x) => !x.accepted).map((x) => ({ address: x.address, reply: x.reply })),
            response: r.response,
            // Each recipient's own final reply: with a DSN request every recipient is a
            // transaction of its own, and the last reply would name another's queue id.
            responses: Object.fromEntries(r.recipients.filter((x) => x.accepted && x.response).map((x) => [x.address, x.response as string])),
            warnings: r.warnings,
          };
        },
        async close() {
          await session.quit();
        },
      };
    },
  };
}

/** POP before SMTP (smtp.popBeforeSmtp): logs in to pop.* and waits, before a session is opened. */
export async function popBeforeSmtp(config: IfaxConfig, out: Output): Promise<void> {
  const { popLogin } = await import('../transport/pop3/index.js');
  const { popSessionOptions } = await import('./poll-wiring.js');
  const host = config.pop.host;
  if (!host) throw new IfaxError('CONFIG_INVALID', 'POP before SMTP failed: pop.host is not set', { hint: 'smtp.popBeforeSmtp logs in to the POP server of pop.*: set pop.host, pop.user and pop.password.' });
  await popLogin(config.pop, await popSessionOptions(config, host, out));
  const wait = config.smtp.popBeforeSmtp.waitSeconds;
  out.debug(`POP before SMTP: logged in to ${host}; waiting ${wait} s (smtp.popBeforeSmtp.waitSeconds)`);
  if (wait > 0) await sleep(wait * 1000);
}

/** The job store as the send job records into it, with the outbox that `jobs retry` resends. */
function jobRecorder(store: Store, config: IfaxConfig): JobRecorder {
  return {
    async create(job) {
      const { saveOutboxMail } = await import('../store/outbox.js');
      const format = job.groups.map((g) => ({ to: g.destinations.map((d) => d.address), format: g.decision.format, reasons: g.decision.reasons, downgraded: g.decision.downgraded, delivery: g.delivery }));
      const created = store.create({
        destinations: job.groups.flatMap((g) => g.destinations.map((d) => ({ address: d.address, kind: d.kind, given: d.input }))),
        messages: job.mails.map((m) => ({ messageId: m.messageId, ...(m.part ? { partNumber: m.part.number, partTotal: m.part.total } : {}) })),
        watch: job.mdn ? 'mdn' : job.dsn ? 'dsn' : 'none',
        subject: job.subject,
        senderName: job.sender ?? null,
        mode: config.send.mode,
        pages: job.groups.reduce((n, g) => Math.max(n, g.pages.length), 0),
        bytes: job.mails.reduce((n, m) => n + m.raw.length, 0),
        format,
      });
      // The mails, exactly as sent, and which envelope each had: what a retry sends again.
      const files: { file: string; to: string[]; messageId: string }[] = [];
      for (const [i, m] of job.mails.entries()) files.push({ file: await saveOutboxMail(store.stateDir, created.id, m.raw, i + 1), to: m.to, messageId: m.messageId });
      const manifest = path.join(path.dirname(files[0].file), `${created.id}.json`);
      await writeFileAtomic(manifest, JSON.stringify({ job: created.id, mails: files }, null, 2) + '\n', { defaultMode: 0o600 });
      store.setOutbox(created.id, manifest);
      return { id: created.id, envid: created.envid };
    },
    async sent(id, result) {
      store.recordSend(id, { destinations: result.recipients.map((r) => ({ address: r.address, accepted: r.accepted, reply: r.reply ?? null })) });
    },
    async deferred(id, error) {
      store.deferSend(id, { code: error.code, message: error.message, temporary: true });
    },
    async failed(id, error) {
      store.recordSend(id, { destinations: [], error: { code: error.code, message: error.message, temporary: error.exitCode === 75 } });
    },
  };
}

/** A dry run's mails as .eml files: FILE.eml, or FILE-1.eml, FILE-2.eml... for several. */
async function writeDryRun(report: SendReport, out: string): Promise<string[]> {
  const mails = report.groups.flatMap((g) => g.mails);
  const base = out.toLowerCase().endsWith('.eml') ? out.slice(0, -4) : out;
  const written: string[] = [];
  for (const [i, m] of mails.entries()) {
    const file = mails.length === 1 ? out : `${base}-${i + 1}.eml`;
    written.push(await writeFileAtomic(file, m.raw, { what: 'Writing the mail' }));
  }
  return written;
}

/** The --json of `ifax send`: never the mail's bytes, never a secret. */
function sendJson(r: SendReport, written: string[]): unknown {
  return {
    job: r.jobId ?? null,
    envid: r.envid ?? null,
    state: r.state,
    subject: r.subject,
    groups: r.groups.map((g) => ({
      to: g.destinations.map((d) => ({ input: d.input, address: d.address, kind: d.kind, ...(d.caps ? { capabilities: d.caps } : {}) })),
      format: g.decision.format,
      reasons: g.decision.reasons,
      downgraded: g.decision.downgraded,
      pages: g.pages.length,
      documentBytes: g.documentBytes,
      delivery: g.delivery,
      ...(g.url ? { url: g.url } : {}),
      mails: g.mails.map((m) => ({ messageId: m.messageId, bytes: m.raw.length, to: m.to, ...(m.part ? { part: m.part } : {}) })),
    })),
    recipients: r.recipients,
    warnings: r.warnings,
    files: written,
  };
}

/** One mail of the outbox manifest a job's `create` wrote. */
interface OutboxMail {
  file: string;
  to: string[];
  messageId: string;
}

/**
 * `ifax jobs retry`: the job's mails from the outbox, the same bytes (same Message-IDs, so an
 * MDN to either attempt finds the job), to the destinations still queued, over one session.
 */
export async function retrySender(command: import('commander').Command): Promise<import('./commands/jobs.js').RetryDeps> {
  const { globalOptions, outputFor } = await import('./context.js');
  const out = outputFor(command);
  const loaded = await loadProfile(globalOptions(command), out);
  const config = loaded.config;
  const { assertReady } = await import('../config/index.js');
  assertReady(config, 'send');
  return {
    async resend(job, store) {
      const { readFile } = await import('node:fs/promises');
      const { readOutboxMail } = await import('../store/outbox.js');
      if (!job.outboxPath) throw new IfaxError('INPUT_NOT_FOUND', `Retrying job ${job.id} failed: its mail was not kept (no outbox)`, { hint: "Send the document again with 'ifax send'." });
      let manifest: { mails: OutboxMail[] };
      try {
        manifest = JSON.parse(await readFile(job.outboxPath, 'utf8')) as { mails: OutboxMail[] };
      } catch (err) {
        throw new IfaxError('INPUT_NOT_FOUND', `Retrying job ${job.id} failed: its outbox ${q(job.outboxPath)} cannot be read (${(err as Error).message})`, { cause: err, hint: "Send the document again with 'ifax send'." });
      }
      const queued = new Set(job.destinations.filter((d) => d.state === 'queued').map((d) => d.address.toLowerCase()));
      const mails: BuiltMail[] = [];
      for (const m of manifest.mails) {
        const to = m.to.filter((a) => queued.has(a.toLowerCase()));
        if (to.length > 0) mails.push({ messageId: m.messageId, to, raw: await readOutboxMail(m.file) });
      }
      // The send path's own delivery and recording (jobs/send/send.ts), one attempt: the user retries.
      const { deliverJob } = await import('../jobs/send/send.js');
      const warnings: string[] = [];
      await deliverJob(
        job.id,
        mails,
        { from: envelopeSender(config), ...(job.watch === 'dsn' ? { dsn: { envid: job.envid } } : {}), retries: 0 },
        {
          jobs: jobRecorder(store as Store, config),
          mailer: smtpMailer(config, out),
          ...(config.smtp.popBeforeSmtp.enabled ? { popBeforeSmtp: () => popBeforeSmtp(config, out) } : {}),
          sleep: (ms) => sleep(ms).then(() => undefined),
          io: { warn: (m) => out.warn(m), debug: (m) => out.debug(m), progress: (done, total, label) => out.progress(done, total, label) },
        },
        warnings,
      );
      for (const w of warnings) out.warn(w);
    },
  };
}

/**
 * How a received fax's MDN goes out (receive, poll, serve): the profile's SMTP (after POP
 * before SMTP when set), envelope sender `<>` (RFC 8098 §2.1: nobody answers an MDN).
 */
export function mdnSender(config: IfaxConfig, out: Output): (raw: Uint8Array, envelope: { from: ''; to: string[] }) => Promise<void> {
  return async (raw, envelope) => {
    if (!config.smtp.enabled || !config.smtp.host) {
      throw new IfaxError('CONFIG_INVALID', 'sending the MDN failed: smtp.host is not set or smtp.enabled is off', { hint: 'Set smtp.host (ifax config set smtp.host ...) or turn ifaxAdvanced.mdnResponse off.' });
    }
    if (config.smtp.popBeforeSmtp.enabled) await popBeforeSmtp(config, out);
    const { session } = await openProfileSmtp(config, out);
    try {
      await session.send({ raw, from: envelope.from, to: envelope.to });
    } finally {
      await session.quit().catch(() => undefined);
    }
  };
}
