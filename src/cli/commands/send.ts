/**
 * `ifax send FILE... --to ADDR [--to ADDR...]` (CLI.md): convert the files to fax pages and
 * mail them as one I-Fax job. The job (jobs/send/send.ts) gets its outside world from
 * send-wiring.ts; this file only reads flags and prints. Heavy modules load inside the action.
 */
import { Command, Option } from 'commander';
import { IfaxError } from '../../errors.js';
import { globalOptions, outputFor } from '../context.js';
import { PAPER_NAMES, RESOLUTION_NAMES, resolutionSummary } from '../../fax/vocabulary.js';
import { choiceOption, codingOption, wholeNumberParser } from '../choices.js';
import type { FaxCoding } from '../../codec/types.js';
import type { PaperName, ResolutionName } from '../../fax/vocabulary.js';
import type { SendReport } from '../../jobs/send/types.js';

interface SendFlags {
  to?: string[];
  resolution?: ResolutionName;
  compression?: FaxCoding;
  color?: boolean;
  gray?: boolean;
  bw?: boolean;
  paper?: PaperName;
  sender?: string;
  subject?: string;
  mode?: 'simple' | 'full';
  mdn: boolean;
  dsn?: boolean;
  asEmail?: boolean;
  retries: number;
  dryRun?: boolean;
  out?: string;
  header: boolean;
  timeZone?: string;
}

const parseRetries = wholeNumberParser(0, 10, 'A whole number 0-10.');

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const usage = (message: string, hint?: string): IfaxError => new IfaxError('USAGE', message, hint ? { hint } : {});

export function sendCommand(): Command {
  return new Command('send')
    .description('Convert documents to fax pages and mail them as an Internet Fax (T.37) job')
    .usage('FILE... --to ADDR [--to ADDR...] [options]')
    .argument('[files...]', 'documents (PDF, TIFF, JPEG, PNG, WebP, GIF, PBM; "-" = stdin); several make one multi-page fax')
    .option('--to <addr>', 'destination: an address, FAX=+number@gateway (RFC 3192), or a name known to ifax; repeat for a broadcast', collect)
    .addOption(choiceOption('--resolution <name>', `${resolutionSummary()} (default send.resolution), bounded by the destination and ifaxAdvanced.maxResolution`, RESOLUTION_NAMES))
    .addOption(codingOption('--compression <coding>', 'black-and-white coding (default compression.bw); also G3 = MH, G3-2D = MR, G4 = MMR'))
    .option('--color', 'colour pages (TIFF-FX profile C) where the destination takes them')
    .option('--gray', 'grey pages (TIFF-FX profile C) where the destination takes them')
    .option('--bw', 'black and white pages only')
    .addOption(choiceOption('--paper <size>', 'paper (default send.paper); given here, no other paper is sent instead', PAPER_NAMES))
    .option('--sender <n|name>', 'sender name (header line and From), or its number in header.senderNames')
    .option('--subject <text>', 'subject (default send.subject; placeholders {device} {sender} {pages} {date} {to})')
    .addOption(choiceOption('--mode <mode>', 'simple = RFC 3965 (TIFF profile S) whatever is known; full = RFC 4142 (default send.mode)', ['simple', 'full'] as const))
    .option('--no-mdn', 'do not ask for a processing receipt (MDN)')
    .option('--dsn', 'ask the mail server for a delivery report (DSN); an MDN request wins')
    .option('--as-email', 'mail the pages as an ordinary PDF attachment, for people (smtp.scanToEmail)')
    .addOption(new Option('--retries <n>', 'retries of temporary failures (4xx, network) before the job stays queued').argParser(parseRetries).default(3))
    .option('--no-header', 'no header line (default send.header)')
    .option('--time-zone <zone>', 'header line and subject date: IANA time zone (default: local)')
    .option('--dry-run', 'build the mail, send nothing and record nothing')
    .option('--out <file.eml>', 'with --dry-run: write the mail there (fragments and groups: FILE-1.eml, FILE-2.eml...)')
    .addHelpText(
      'after',
      `
Examples:
  $ ifax send scan.pdf --to fax@branch.example.com
  $ ifax send p1.tif p2.tif --to FAX=+4930123456@fax.example.com --resolution fine
  $ ifax send offer.pdf --to alice@example.com --to bob@example.com --to FAX=+12025550123@gw.example.com
  $ ifax send scan.pdf --to fax@example.com --dry-run --out fax.eml    build only, look at fax.eml
  $ scanimage --format=png | ifax send - --to fax@example.com --json

Prints the job id, Message-ID, the format chosen for each destination and why. Exit codes:
0 sent; 64 bad flags or an unknown destination; 65/66 a bad or missing file; 69 refused for
good (5xx, the destination cannot take the document, the mail too large); 75 try again
later: the job stays queued ('ifax jobs retry ID'); 77 login or certificate rejected;
78 the profile is missing, invalid, or ifax.enabled is off.`,
    )
    .action(async (files: string[], flags: SendFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      if (files.length === 0) throw usage('Sending failed: no files', 'Usage: ifax send FILE... --to ADDR');
      if (!flags.to || flags.to.length === 0) throw usage('Sending failed: no destination', 'Name one with --to ADDRESS (several --to make a broadcast).');
      const colours = (['color', 'gray', 'bw'] as const).filter((k) => flags[k]);
      if (colours.length > 1) throw usage(`Sending failed: ${colours.map((c) => '--' + c).join(' and ')} exclude each other`);
      if (flags.out && !flags.dryRun) throw usage('Sending failed: --out is for --dry-run', 'Add --dry-run to build the mail into a file without sending it.');
      const { runSend } = await import('../send-wiring.js');
      const { setUpPageJob } = await import('../page-jobs.js');
      const afterPage = setUpPageJob();
      const report = await runSend(
        {
          files,
          to: flags.to,
          ...(flags.resolution ? { resolution: flags.resolution } : {}),
          ...(flags.compression ? { compression: flags.compression } : {}),
          ...(colours.length === 1 ? { colour: colours[0] === 'color' ? 'color' : colours[0] === 'gray' ? 'gray' : 'bw' } : {}),
          ...(flags.paper ? { paper: flags.paper } : {}),
          ...(flags.sender !== undefined ? { sender: flags.sender } : {}),
          ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
          ...(flags.mode ? { mode: flags.mode } : {}),
          mdn: flags.mdn,
          dsn: flags.dsn === true,
          asEmail: flags.asEmail === true,
          retries: flags.retries,
          dryRun: flags.dryRun === true,
          ...(flags.out ? { out: flags.out } : {}),
          header: flags.header,
          ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
        },
        g,
        out,
        afterPage,
      );
      out.summary(report.json, () => summary(report.report, report.written));
    });
}

/** The human account: job, Message-ID(s), per group the format and why, pages, size. */
function summary(r: SendReport, written: string[]): string {
  const lines: string[] = [];
  if (r.jobId) lines.push(`job ${r.jobId}: ${r.state}${r.state === 'sent' ? ` (${r.recipients.filter((x) => x.accepted).length} of ${r.recipients.length} destinations accepted)` : ''}`);
  else lines.push(`dry run: ${r.groups.reduce((n, g) => n + g.mails.length, 0)} mail(s) built, nothing sent`);
  for (const g of r.groups) {
    const f = g.decision.format;
    const to = g.destinations.map((d) => d.address).join(', ');
    lines.push(`to ${to}`);
    lines.push(`  format: ${f.contentType} profile ${f.profile}, ${f.coding}, ${f.resolution} (${f.dpi.x}x${f.dpi.y}), ${f.paper}, ${f.colour === 'bw' ? 'black and white' : f.colour}`);
    for (const why of g.decision.reasons) lines.push(`  why: ${why}`);
    lines.push(`  pages: ${g.pages.length}, document ${g.documentBytes} bytes, ${g.delivery === 'split' ? `${g.mails.length} message/partial fragments` : g.delivery === 'url' ? `download URL ${g.url}` : 'attached'}`);
    for (const m of g.mails) lines.push(`  Message-ID: ${m.messageId} (${m.raw.length} bytes${m.part ? `, part ${m.part.number}/${m.part.total}` : ''})`);
  }
  for (const f of written) lines.push(`wrote ${f}`);
  for (const x of r.recipients.filter((y) => !y.accepted)) lines.push(`refused: ${x.address}: ${x.reply ?? ''}`);
  return lines.join('\n');
}
