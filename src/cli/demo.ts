/**
 * `ifax demo`: the whole loop on an embedded loopback station, no mail server and no profile
 * needed. The station is ifax's SMTP listener (the mail server that takes the fax) and its
 * loopback POP3 server over the same mailbox folder, both on free ports of 127.0.0.1; the
 * profile is made in memory. Then the real code paths run: the bundled letter is converted and
 * sent as an I-Fax over SMTP, the mailbox is polled over POP3, the fax is stored in the inbox
 * and its MDN request answered, a second poll takes the MDN and marks the job processed. Each
 * step is printed; the exit is 0 only if every step passed. The state directory is kept (its
 * path is printed) so the received PDF can be looked at.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IfaxError, isIfaxError } from '../errors.js';
import { defaultConfig, type IfaxConfig } from '../config/index.js';
import type { Output } from './output.js';

/** The station's address: `.invalid` (RFC 2606) can never reach a real mail server. */
const STATION = 'fax@station.ifax-demo.invalid';

export interface DemoStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface DemoReport {
  ok: boolean;
  stateDir: string;
  steps: DemoStep[];
  job: string | null;
  pdf: string | null;
}

/** The bundled page (assets/demo/demo-letter.pdf, shipped with the package). */
function bundledLetter(): string {
  return fileURLToPath(new URL('../../assets/demo/demo-letter.pdf', import.meta.url));
}

export async function runDemo(out: Output, afterPage: () => void): Promise<DemoReport> {
  const root = mkdtempSync(path.join(tmpdir(), 'ifax-demo-'));
  const stateDir = path.join(root, 'state');
  const mailbox = path.join(root, 'mailbox');
  mkdirSync(mailbox, { recursive: true, mode: 0o700 });
  const report: DemoReport = { ok: false, stateDir, steps: [], job: null, pdf: null };
  const step = (name: string, detail: string): void => {
    report.steps.push({ step: name, ok: true, detail });
    out.info(`${out.json ? '' : out.color.green('✓')} ${name}: ${detail}`);
  };

  const { startListener } = await import('../transport/smtp-server/listener.js');
  const { startPop3Server } = await import('../transport/pop3-server/server.js');
  const { writeFileAtomic } = await import('../store/atomic-file.js');
  const password = randomBytes(12).toString('hex');
  let seq = 0;
  const smtp = await startListener({
    host: '127.0.0.1',
    port: 0,
    maxBytes: 64 * 1024 * 1024,
    name: 'station.ifax-demo.invalid',
    allowRecipient: (a) => a.toLowerCase() === STATION,
    async store(mail) {
      const chunks: Buffer[] = [];
      for await (const c of mail.stream) chunks.push(c as Buffer);
      // The mailbox's file names sort in arrival order: they are the POP3 server's UIDLs.
      await writeFileAtomic(path.join(mailbox, `${Date.now()}-${String(++seq).padStart(4, '0')}.eml`), Buffer.concat(chunks), { defaultMode: 0o600 });
    },
  });
  const pop = await startPop3Server({ host: '127.0.0.1', port: 0, dir: mailbox, user: 'station', password });
  try {
    step('station', `SMTP on 127.0.0.1:${smtp.port}, POP3 on 127.0.0.1:${pop.port}, mailbox ${mailbox}`);
    const config = demoConfig(stateDir, smtp.port, pop.port, password);
    const { JobStore } = await import('../store/jobs.js');
    const { ensureStateDir } = await import('../store/state-dir.js');
    ensureStateDir(stateDir);
    const store = Object.assign(JobStore.open(stateDir), { stateDir });
    try {
      // 1. convert and send, through the send command's own parts.
      const { sendDeps } = await import('./send-wiring.js');
      const { sendJob } = await import('../jobs/send/send.js');
      const { headerFields } = await import('../jobs/header-line.js');
      const sent = await sendJob(
        {
          inputs: [{ file: bundledLetter(), name: 'demo-letter.pdf' }],
          to: [STATION],
          wishes: { resolution: 'fine', coding: 'MMR', paper: 'A4', paperFixed: false, mode: 'auto' },
          pageChoices: { header: headerFields(config, {}) },
          sender: 'ifax demo',
          mdn: true,
          dsn: false,
          asEmail: false,
          retries: 0,
          dryRun: false,
        },
        sendDeps(config, out, afterPage, store, true),
      );
      report.job = sent.jobId ?? null;
      const g = sent.groups[0];
      step('convert', `demo-letter.pdf -> ${g.pages.length} page(s), TIFF profile ${g.decision.format.profile} ${g.decision.format.coding} ${g.decision.format.resolution}, ${g.documentBytes} bytes`);
      step('send', `job ${sent.jobId}, ${g.mails[0].messageId}, ${g.mails[0].raw.length} bytes by SMTP to ${STATION} (MDN requested)`);

      // 2. poll: the fax comes back, is stored, and its MDN request is answered.
      const first = await pollStation(config, stateDir, store.database, out);
      const fax = first.received[0];
      if (!fax) throw new IfaxError('INTERNAL', `demo failed: the poll received no fax (${describe(first)})`);
      report.pdf = fax.files.find((f) => f.endsWith('.pdf')) ?? null;
      step('receive', `POP3 fetched ${first.poll.fetched} mail; fax ${fax.id} stored with ${fax.pages} page(s): ${report.pdf ?? '(no PDF)'}`);
      if (first.mdnSent !== 1) throw new IfaxError('INTERNAL', `demo failed: the MDN request was not answered (${describe(first)})`);
      step('answer', 'MDN "processed" sent by SMTP to the sender, with this station\'s capabilities');

      // 3. poll again: the MDN comes back and closes the job.
      const second = await pollStation(config, stateDir, store.database, out);
      const mdn = second.reports.find((r) => r.type === 'mdn');
      const job = store.get(sent.jobId as string);
      if (!mdn || job.state !== 'processed') throw new IfaxError('INTERNAL', `demo failed: the MDN did not close the job (job ${job.id} is ${job.state}; ${describe(second)})`);
      step('match', `MDN matched to job ${job.id}: ${job.state}`);
      report.ok = true;
    } finally {
      store.close();
    }
  } catch (err) {
    const e = isIfaxError(err) ? err : new IfaxError('INTERNAL', `demo failed: ${(err as Error).message}`, { cause: err });
    report.steps.push({ step: 'failed', ok: false, detail: e.message });
    throw new IfaxError(e.code, e.message, { cause: e, ...(e.hint ? { hint: e.hint } : {}), context: { ...e.context, demo: report } });
  } finally {
    await pop.close();
    await smtp.close();
  }
  return report;
}

/** The station's profile: the defaults, the station's address, the embedded servers (no TLS: loopback only). */
function demoConfig(stateDir: string, smtpPort: number, popPort: number, password: string): IfaxConfig {
  const defaults = defaultConfig();
  return {
    ...defaults,
    ifax: { enabled: true },
    device: { name: 'ifax-demo', email: STATION },
    header: { senderNames: ['ifax demo'], defaultSender: 1 },
    smtp: { ...defaults.smtp, host: '127.0.0.1', port: smtpPort, tls: 'off' },
    pop: { ...defaults.pop, host: '127.0.0.1', port: popPort, tls: 'off', user: 'station', password },
    stateDir,
  };
}

async function pollStation(config: IfaxConfig, stateDir: string, database: import('../store/index.js').StoreDatabase, out: Output) {
  const { pollOnce } = await import('../jobs/poll.js');
  const { acquirePollLock } = await import('../store/poll-lock.js');
  const { connectPop, popAccount, processSpooledMail } = await import('./poll-wiring.js');
  const lock = acquirePollLock(stateDir);
  try {
    const r = await pollOnce(
      { stateDir, store: database, account: popAccount(config), connect: () => connectPop(config, out), process: (file) => processSpooledMail(file, { config, stateDir, store: database, out }), warn: (m) => out.warn(m) },
      { leaveOnServer: false },
    );
    if (r.failure) throw r.failure;
    return r.summary;
  } finally {
    lock.release();
  }
}

function describe(s: { received: unknown[]; reports: unknown[]; mdnSent: number; errors: { code: string; message: string }[] }): string {
  return `received ${s.received.length}, reports ${s.reports.length}, MDNs sent ${s.mdnSent}${s.errors.map((e) => `; ${e.code}: ${e.message}`).join('')}`;
}
