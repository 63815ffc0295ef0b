/**
 * `ifax poll [--watch] [--max N]` (CLI.md): fetch the POP mailbox into the spool and process
 * every mail as `receive` does. One pass for cron; with --watch, a pass every
 * pop.intervalMinutes while pop.autoCheck is on, until SIGTERM or SIGINT, which end the poll
 * after the mail in hand. A second poll while one runs exits 75 (LOCK_HELD).
 *
 * --json: { "received": [...], "reports": [...], "mdnSent": N, "partial": N, "other": N,
 *   "errors": [{ "messageId", "code", "message" }], "poll": { fetched, deleted, processed,
 *   pending, leftOnServer, dedupe } } (one document per pass with --watch).
 * Exit: 0 when the pass went through (failed mails are in "errors"); the session's code
 * otherwise (75 network or lock, 77 login or certificate, 69 refused).
 */
import { Command } from 'commander';
import { wholeNumberParser } from '../choices.js';
import { IfaxError } from '../../errors.js';
import type { PollResult, PollSummary } from '../../jobs/poll.js';
import { globalOptions, outputFor } from '../context.js';
import { loadProfile } from '../profile.js';

const parseMax = wholeNumberParser(1, 9_999_999, 'not a whole number of at least 1');

function human(s: PollSummary): string {
  const lines = [`fetched ${s.poll.fetched}, deleted on the server ${s.poll.deleted}, processed ${s.poll.processed}, left in the spool ${s.poll.pending}${s.poll.leftOnServer ? `, ${s.poll.leftOnServer} more on the server (--max)` : ''}`];
  for (const r of s.received) lines.push(`received ${r.id}: ${r.pages} page(s) from ${r.from}${r.files.length ? ` -> ${r.files.join(', ')}` : ''}`);
  for (const r of s.reports) lines.push(`${r.type.toUpperCase()} for job ${r.job ?? '(none)'}: ${r.state ?? '?'}`);
  if (s.mdnSent) lines.push(`MDNs sent: ${s.mdnSent}`);
  if (s.partial) lines.push(`fragments waiting for the rest: ${s.partial}`);
  if (s.other) lines.push(`other mails: ${s.other}`);
  for (const e of s.errors) lines.push(`error${e.messageId ? ` (${e.messageId})` : ''}: ${e.code}: ${e.message}`);
  return lines.join('\n');
}

export function pollCommand(): Command {
  return new Command('poll')
    .description('fetch the POP mailbox and process every mail as receive does (cron); --watch keeps polling')
    .option('--watch', 'poll every pop.intervalMinutes while pop.autoCheck is on, until SIGTERM/SIGINT')
    .option('--max <n>', 'fetch at most N new mails in a pass', parseMax)
    .addHelpText(
      'after',
      `
Examples:
  $ ifax poll                                  one pass (from cron: */5 * * * * ifax poll --quiet)
  $ ifax poll --watch                          every pop.intervalMinutes until SIGTERM or Ctrl-C
  $ ifax poll --max 20 --json                  at most 20 new mails, the summary as JSON

Exit: 0 done (failed mails listed), 75 lock held by another poll or network trouble, 77 login or certificate rejected, 78 profile.`,
    )
    .action(async (opts: { watch?: boolean; max?: number }, command: Command) => {
      const out = outputFor(command);
      const loaded = await loadProfile(globalOptions(command), out);
      const config = loaded.config;
      if (!config.ifax.enabled) throw new IfaxError('IFAX_DISABLED', 'poll failed: ifax.enabled is off', { hint: "Turn it on with 'ifax config set ifax.enabled true'." });
      if (!config.pop.enabled) throw new IfaxError('IFAX_DISABLED', 'poll failed: pop.enabled is off (receiving is turned off)', { hint: "Turn it on with 'ifax config set pop.enabled true'." });
      const { resolveStateDir, openStore } = await import('../../store/index.js');
      const { acquirePollLock } = await import('../../store/poll-lock.js');
      const { pollOnce, pollWatch } = await import('../../jobs/poll.js');
      const { JobStore } = await import('../../store/jobs.js');
      const { expireUnanswered } = await import('../../jobs/response-watch.js');
      const { connectPop, popAccount, processSpooledMail } = await import('../poll-wiring.js');
      const stateDir = resolveStateDir(config.stateDir, { profileFile: loaded.filepath });
      const store = openStore(stateDir);
      let stop = false;
      let onStop: () => void = () => undefined;
      const stopped = new Promise<void>((r) => (onStop = r));
      const signal = (): void => {
        if (!stop) out.info('stopping after the mail in hand');
        stop = true;
        onStop();
      };
      const lock = acquirePollLock(stateDir);
      process.on('SIGTERM', signal);
      process.on('SIGINT', signal);
      let last: PollResult | undefined;
      try {
        const pass = (): Promise<PollResult> =>
          pollOnce(
            {
              stateDir,
              store,
              account: popAccount(config),
              connect: () => connectPop(config, out),
              process: (file) => processSpooledMail(file, { config, stateDir, store, out }),
              stopRequested: () => stop,
              progress: (phase, done, total) => out.progress(done, total, phase === 'fetch' ? 'mails fetched' : 'mails processed'),
              warn: (m) => out.warn(m),
              trace: (step, detail) => out.debug(`poll: ${step} ${detail}`, 2),
            },
            { leaveOnServer: config.pop.leaveOnServer, ...(opts.max !== undefined ? { max: opts.max } : {}) },
          );
        const print = (r: PollResult): void => {
          last = r;
          for (const job of expireUnanswered(new JobStore(store), config)) out.info(`job ${job.id}: no answer within ${config.ifaxAdvanced.responseWatch.hours} h: timeout`);
          // One pass that failed: with --json stdout holds one document, the error's (CLI.md).
          if (!opts.watch && r.failure && out.json) return;
          out.summary(r.summary, () => human(r.summary));
          if (opts.watch && r.failure) out.warn(`${r.failure.message}; trying again in ${config.pop.intervalMinutes} min`);
        };
        if (opts.watch && config.pop.autoCheck) {
          out.info(`polling every ${config.pop.intervalMinutes} min (pop.intervalMinutes); SIGTERM or Ctrl-C stops`);
          await pollWatch(pass, { intervalMs: config.pop.intervalMinutes * 60_000, stopped, stopRequested: () => stop, onPass: print });
        } else {
          if (opts.watch) out.warn('pop.autoCheck is off: --watch polls once');
          print(await pass());
        }
      } finally {
        process.off('SIGTERM', signal);
        process.off('SIGINT', signal);
        lock.release();
        store.close();
      }
      // With --watch a failed pass is retried at the next interval; one pass exits with its code.
      const failure = (last as PollResult | undefined)?.failure;
      if (!opts.watch && failure) throw failure;
    });
}
