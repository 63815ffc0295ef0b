/**
 * `ifax demo` (CLI.md): the whole loop on an embedded loopback station, no mail server and no
 * profile needed (src/cli/demo.ts). Each step is printed on stderr; the result (the received
 * PDF's path, the job, the state directory) on stdout, or as JSON.
 */
import { Command } from 'commander';
import { outputFor } from '../context.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('send a fax to an embedded loopback station and receive it: convert, SMTP, POP3, inbox, MDN, job processed')
    .addHelpText(
      'after',
      `
Needs no mail server and no profile: the station listens on free ports of 127.0.0.1 only, and
its state directory (printed) is kept so that the received PDF can be opened.

Examples:
  $ ifax demo
  $ ifax demo --json`,
    )
    .action(async (_opts: unknown, command: Command) => {
      const out = outputFor(command);
      const { runDemo } = await import('../demo.js');
      const { setUpPageJob } = await import('../page-jobs.js');
      const report = await runDemo(out, setUpPageJob());
      out.result(report, () => `received fax: ${report.pdf}\njob ${report.job}: processed\nstate directory: ${report.stateDir}`);
    });
}
