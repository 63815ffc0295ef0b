/**
 * `ifax receive [FILE|-] [--out DIR --format tiff|pdf|png] [--json]` (CLI.md): one raw mail,
 * from a file or from stdin as a mail transfer agent's pipe gives it (`| ifax receive -`),
 * processed by jobs/receive: a fax stored in the inbox and its MDN request answered, an
 * MDN/DSN applied to its job, a fragment kept, anything else kept in other/.
 *
 * Exit codes for the MTA: 0 once the mail is safe on disk (stored, applied or kept); 75 on
 * trouble that may pass (disk full, store busy, a parallel delivery holding the same
 * message/partial set, stdin cut short), so the MTA keeps the mail and tries again; 65 when
 * the mail cannot be read or its fax cannot be decoded (it is still kept in other/). With
 * --json, stdout holds the outcome (CLI.md `receive` shape), or the error's document when
 * the exit is not 0 (one document on stdout).
 *
 * MDNs go out through the profile's SMTP (send-wiring.ts openProfileSmtp: the same
 * certificate checks as send) with the null envelope sender.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { IfaxError, isIfaxError } from '../../errors.js';
import { choiceOption } from '../choices.js';
import { globalOptions, outputFor } from '../context.js';
import { loadProfile } from '../profile.js';
import type { ReceiveOutcome } from '../../jobs/receive/receive.js';

const FORMATS = ['tiff', 'pdf', 'png'] as const;

/** The MDN sender of the profile: one SMTP session per MDN (a receive sends at most one). */
/** The human summary of an outcome. */
export function outcomeText(o: ReceiveOutcome): string {
  const lines: string[] = [];
  for (const r of o.received) lines.push(`fax ${r.id}: ${r.pages} page${r.pages === 1 ? '' : 's'} from ${r.from ?? 'unknown sender'}${r.subject ? ` "${r.subject}"` : ''}\n  ${r.files.join('\n  ')}`);
  for (const r of o.reports) lines.push(`${r.type.toUpperCase()}: ${r.job ? `job ${r.job} ${r.state}` : 'no matching job'}${r.ignoredReason ? ` (ignored: ${r.ignoredReason})` : ''}${r.capabilitiesLearned ? '; capabilities learned' : ''}`);
  if (o.mdnSent > 0) lines.push(`MDN sent: ${o.mdnSent}`);
  if (o.partial > 0) lines.push(`message/partial fragments taken: ${o.partial}`);
  if (o.other > 0) lines.push(`kept in other/: ${o.other}`);
  for (const e of o.errors) lines.push(`error ${e.code}: ${e.message}`);
  return lines.join('\n') || 'nothing to do';
}

/** `ifax receive`. */
export function receiveCommand(): Command {
  return new Command('receive')
    .description('process one raw mail: store a fax, answer its MDN request, apply an MDN/DSN to its job')
    .argument('[file]', 'the mail (.eml); - or nothing reads stdin (a mail transfer agent pipe)', '-')
    .option('--out <dir>', 'also write each received fax into this folder')
    .addOption(choiceOption('--format <format>', 'format of the --out copies (default pdf)', FORMATS))
    .addHelpText(
      'after',
      `
As a mail transfer agent pipe (Postfix master.cf: flags=R ... argv=ifax receive -): exit 0 once
the mail is safe on disk, 75 (try again) when it cannot be stored now, 65 when it cannot be read
(it is kept in <stateDir>/other/ all the same).

Examples:
  $ ifax receive fax.eml                      store a saved fax
  $ ifax receive - < fax.eml --out ~/Faxes    and put a PDF copy in ~/Faxes
  $ ifax receive mdn.eml --json               apply an MDN to its job, report as JSON`,
    )
    .action(async (file: string, opts: { out?: string; format?: (typeof FORMATS)[number] }, command: Command) => {
      const out = outputFor(command);
      if (opts.format && !opts.out) throw new IfaxError('USAGE', 'receiving failed: --format needs --out DIR', { hint: 'ifax receive FILE --out DIR --format tiff|pdf|png' });
      const loaded = await loadProfile(globalOptions(command), out);
      const config = loaded.config;
      const { ensureStateDir, resolveStateDir } = await import('../../store/state-dir.js');
      let spool: { file: string; dir: string } | undefined;
      let input = file;
      if (file === '-') {
        const { spoolStdin } = await import('../../image/input-file.js');
        try {
          spool = await spoolStdin(process.stdin);
        } catch (err) {
          if (isIfaxError(err, 'LIMIT_EXCEEDED')) throw err;
          throw new IfaxError('TEMPORARY_FAILURE', `receiving failed: reading the mail from stdin failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err, hint: 'Nothing was stored; the mail system delivers it again.' });
        }
        input = spool.file;
      }
      let outcome: ReceiveOutcome;
      try {
        let store;
        let stateDir: string;
        try {
          stateDir = ensureStateDir(resolveStateDir(config.stateDir, { profileFile: loaded.filepath }));
          const { JobStore } = await import('../../store/jobs.js');
          store = JobStore.open(stateDir);
        } catch (err) {
          // The mail must not be bounced for a store that is busy or a disk that is full: the MTA tries again.
          throw new IfaxError('TEMPORARY_FAILURE', `receiving failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err, hint: 'Nothing was stored; the mail system delivers the mail again.' });
        }
        out.debug(`state directory: ${stateDir}`);
        try {
          const { DestinationStore } = await import('../../store/destinations.js');
          const { receiveMail } = await import('../../jobs/receive/receive.js');
          outcome = await receiveMail(input, {
            config,
            stateDir,
            jobs: store,
            destinations: new DestinationStore(store.database),
            sendMail: (await import('../send-wiring.js')).mdnSender(config, out),
            now: () => new Date(),
            io: { warn: (m) => out.warn(m), debug: (m) => out.debug(m) },
            ...(opts.out ? { out: { dir: path.resolve(opts.out), format: opts.format ?? 'pdf' } } : {}),
          });
        } finally {
          store.close();
        }
      } finally {
        if (spool) rmSync(spool.dir, { recursive: true, force: true });
      }
      if (outcome.exitCode === 65) {
        if (!out.json) out.summary(null, () => outcomeText(outcome));
        const first = outcome.errors[0];
        throw new IfaxError('DATA_INVALID', `receiving failed: ${first?.message ?? 'the mail cannot be processed'}`, { hint: 'The mail is kept in the other/ folder of the state directory.', context: { outcome } });
      }
      // The CLI.md shape: the exit code is the process's, not a key of the document.
      const { exitCode: _code, ...doc } = outcome;
      out.summary(doc, () => outcomeText(outcome));
    });
}
