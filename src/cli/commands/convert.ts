/**
 * `ifax convert FILE... -o OUT` and `ifax convert --info FILE` (CLI.md). Light: the image
 * and TIFF code is imported inside the action, so `ifax --help` does not load sharp or pdf-lib.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { IfaxError } from '../../errors.js';
import { globalOptions, outputFor } from '../context.js';
import type { Output } from '../output.js';
import type { ConvertOptions, ConvertReport, OutputFormat } from '../../jobs/convert.js';
import type { HalftoneMode } from '../../image/types.js';
import type { InfoReport } from '../../jobs/convert-info.js';
import { PAPER_NAMES, RESOLUTION_NAMES, resolutionSummary } from '../../fax/vocabulary.js';
import { choiceOption, codingOption } from '../choices.js';
import { loadProfile } from '../profile.js';
import type { IfaxConfig } from '../../config/index.js';

/** The values of --format and --halftone, as the job's types name them. */
const OUTPUT_FORMATS = ['tiff', 'pbm', 'png', 'pdf'] as const satisfies readonly OutputFormat[];
const HALFTONE_MODES = ['auto', 'threshold', 'diffusion', 'ordered'] as const satisfies readonly HalftoneMode[];

/** The flags as commander parses them: the job's own options (same names and types), plus the CLI's. */
interface ConvertFlags extends Pick<ConvertOptions, 'format' | 'compression' | 'fit' | 'resolution' | 'paper' | 'rotate' | 'longPage' | 'halftone' | 'threshold'> {
  output?: string;
  mode: 'simple' | 'full';
  color?: boolean;
  gray?: boolean;
  bw?: boolean;
  header?: boolean;
  sender?: string;
  station?: string;
  timeZone?: string;
  date?: Date;
  info?: boolean;
}

function parseDate(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new InvalidArgumentError('An ISO 8601 date and time, e.g. 2026-11-27T14:03:00Z.');
  return d;
}

function parseThreshold(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 255) throw new InvalidArgumentError('A whole number 0-255 (grey below it is black).');
  return n;
}

const usage = (message: string, hint?: string): IfaxError => new IfaxError('USAGE', message, hint ? { hint } : {});

export function convertCommand(): Command {
  return new Command('convert')
    .description('Convert documents (PDF, TIFF, JPEG, PNG, PBM...) to fax pages (TIFF), and fax TIFFs to PBM, PNG or PDF')
    .usage('FILE... -o OUT [options] | --info FILE')
    .argument('[files...]', 'input files (PDF, TIFF, JPEG, PNG, WebP, GIF, PBM; "-" = stdin); several make one multi-page document')
    .option('-o, --output <file>', 'output file; the type comes from the extension (.tif .pbm .png .pdf); "-" = stdout (needs --format)')
    .addOption(choiceOption('--format <type>', 'output type, overriding the extension', OUTPUT_FORMATS, { tif: 'tiff' }))
    .addOption(codingOption('--compression <coding>', 'TIFF coding (default MMR; MH with --mode simple); also G3 or G3-1D = MH, G3-2D = MR, G4 = MMR'))
    .addOption(choiceOption('--mode <mode>', 'simple = TIFF profile S (MH, 1728 wide, FillOrder 2); full = profile F', ['simple', 'full'] as const).default('full'))
    .addOption(choiceOption('--fit <mode>', 'none = keep the pixels exactly: no scaling, no halftone, no header line', ['none'] as const))
    .addOption(choiceOption('--resolution <name>', `${resolutionSummary()} (default fine); with --fit none: the tags only`, RESOLUTION_NAMES))
    .addOption(choiceOption('--paper <size>', 'paper the page is fitted to (default A4)', PAPER_NAMES))
    .addOption(choiceOption('--rotate <mode>', 'auto (default): turn a landscape page when it then fits better; none', ['auto', 'none'] as const))
    .addOption(choiceOption('--long-page <mode>', 'a page longer than the paper: split (default) into pages, or shrink to one', ['split', 'shrink'] as const))
    .addOption(choiceOption('--halftone <mode>', 'grey to black and white: auto (default: photos dithered, text sharp), threshold, diffusion, ordered', HALFTONE_MODES))
    .addOption(new Option('--threshold <n>', 'grey level 0-255 below which a pixel is black (default: chosen per page, Otsu)').argParser(parseThreshold))
    .option('--color', 'colour and grey sources as colour pages (TIFF-FX profile C, JPEG; .tif only)')
    .option('--gray', 'colour and grey sources as grey pages (TIFF-FX profile C, JPEG; .tif only)')
    .option('--bw', 'black and white pages only (the default)')
    .option('--header', 'print the header line (sender, date and time, station, P.n/m) atop each page')
    .option('--no-header', 'no header line (the default for convert)')
    .option('--sender <name>', 'header line: the sender name, or its number in header.senderNames (default: header.defaultSender of the profile)')
    .option('--station <text>', 'header line: this station (default: device.name, else device.email of the profile)')
    .option('--time-zone <zone>', 'header line: IANA time zone of the date and time (default: local)')
    .option('--date <when>', 'header line: the date and time to print, ISO 8601 (default: now)', parseDate)
    .option('--info', 'describe each page of FILE (size, resolution, compression, profile, damaged rows) instead of converting')
    .addHelpText(
      'after',
      `
Examples:
  $ ifax convert scan.pbm -o fax.tif                      bitmap -> fax TIFF (MMR, profile F)
  $ ifax convert p1.png p2.png -o fax.tif --mode simple   two pages, TIFF profile S (MH, 1728 wide)
  $ ifax convert fax.tif -o fax.pdf                       fax TIFF -> PDF (G4 kept as is)
  $ ifax convert fax.tif -o page.png                      one PNG per page: page-1.png, page-2.png...
  $ ifax convert fax.tif -o fax-mh.tif --compression MH   re-encode with another coding
  $ cat scan.pbm | ifax convert - -o - --format tiff > fax.tif
  $ ifax convert --info fax.tif --json                    describe each page as JSON

Inputs: fax TIFF, PBM, PNG, JPEG, WebP, GIF, other TIFFs, PDF (the type comes from the
bytes). Pages are fitted to the paper at the resolution (scaled keeping the aspect ratio,
centred, landscape pages turned), grey and colour halftoned. A fax page that already fits
is passed through without re-encoding; a scanned PDF's pages are taken from its images
without rendering. --fit none keeps the pixels exactly (--mode simple then needs 1728-wide
pages). More examples:
  $ ifax convert scan.pdf -o fax.tif --resolution fine     PDF -> fine MMR pages
  $ ifax convert photo.jpg -o fax.tif --halftone diffusion
  $ ifax convert doc.pdf -o fax.tif --header --sender "Sales"
  $ ifax convert brochure.pdf -o fax.tif --color            colour pages (profile C)`,
    )
    .action(async (files: string[], flags: ConvertFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      // convert needs no profile, but a --config or --profile that names nothing is an error
      // here as in every command (CLI.md: 66, 78); the header line takes its fields from it.
      const profile = g.config !== undefined || g.profile !== undefined || flags.header === true ? await loadProfile(g, out, { allowMissing: true }) : undefined;
      if (flags.info) {
        await runInfo(files, flags, out);
        return;
      }
      if (files.length === 0) throw usage('Converting failed: no input files', 'Usage: ifax convert FILE... -o OUT');
      if (!flags.output) throw usage('Converting failed: -o OUT is missing', 'Name the output file, e.g. -o fax.tif (or -o - --format tiff for stdout).');
      if (flags.output === '-' && out.json) {
        throw usage('Converting failed: --json and -o - both want stdout', 'Write the output to a file, or drop --json.');
      }
      const { convert } = await import('../../jobs/convert.js');
      const { setUpPageJob } = await import('../page-jobs.js');
      const afterPage = setUpPageJob();
      const report = await convert(
        {
          inputs: files,
          output: flags.output,
          format: flags.format,
          compression: flags.compression,
          mode: flags.mode,
          fit: flags.fit,
          resolution: flags.resolution,
          ...pageFlags(flags),
          ...(flags.header === true && profile ? { header: await headerFields(flags, profile.config) } : {}),
        },
        {
          stdin: process.stdin,
          stdout: process.stdout,
          warn: (m) => out.warn(m),
          debug: (m) => out.debug(m),
          progress: (done, total, label) => out.progress(done, total, label),
          afterPage,
        },
      );
      if (flags.output === '-') out.info(summary(report));
      else out.summary(report, () => summary(report));
    });
}

/** The fitting flags; colour from --color/--gray/--bw (one of them). */
function pageFlags(flags: ConvertFlags): Partial<ConvertOptions> {
  const colours = (['color', 'gray', 'bw'] as const).filter((k) => flags[k]);
  if (colours.length > 1) throw usage(`Converting failed: ${colours.map((c) => '--' + c).join(' and ')} exclude each other`);
  const o: Partial<ConvertOptions> = {};
  if (flags.paper) o.paper = flags.paper;
  if (flags.rotate) o.rotate = flags.rotate;
  if (flags.longPage) o.longPage = flags.longPage;
  if (flags.halftone) o.halftone = flags.halftone;
  if (flags.threshold !== undefined) o.threshold = flags.threshold;
  if (colours.length === 1) o.colour = colours[0] === 'color' ? 'color' : colours[0] === 'gray' ? 'gray' : 'bw';
  return o;
}

/** The header line's fields: the profile's rules (jobs/header-line.ts) over the flags. */
async function headerFields(flags: ConvertFlags, config: IfaxConfig): Promise<NonNullable<ConvertOptions['header']>> {
  const { headerFields: fromProfile } = await import('../../jobs/header-line.js');
  return fromProfile(config, {
    ...(flags.sender !== undefined ? { sender: flags.sender } : {}),
    ...(flags.station !== undefined ? { station: flags.station } : {}),
    ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
    ...(flags.date ? { date: flags.date } : {}),
  });
}

async function runInfo(files: string[], flags: ConvertFlags, out: Output): Promise<void> {
  if (files.length !== 1) throw usage(`Describing failed: --info takes one file; ${files.length} were given`);
  if (flags.output) throw usage('Describing failed: --info prints a description; -o is for converting');
  const { describeFile } = await import('../../jobs/convert-info.js');
  const name = files[0];
  let report: InfoReport;
  if (name === '-') {
    const { spoolStdin } = await import('../../image/input-file.js');
    const { rmSync } = await import('node:fs');
    const spool = await spoolStdin(process.stdin);
    try {
      report = await describeFile(spool.file, 'stdin');
    } finally {
      rmSync(spool.dir, { recursive: true, force: true });
    }
  } else {
    report = await describeFile(name, name);
  }
  // A page that cannot be decoded makes the file bad data (65): the description is printed
  // first, then the error. With --json stdout holds one document (CLI.md), the error's.
  const bad = report.pages.filter((p) => p.decodeError !== undefined);
  if (bad.length === 0 || !out.json) out.result(report, () => formatInfo(report));
  if (bad.length > 0) {
    throw new IfaxError('FAX_DECODE_FAILED', `Describing ${JSON.stringify(report.file)} failed: page${bad.length === 1 ? '' : 's'} ${bad.map((p) => p.page).join(', ')} cannot be decoded: ${bad[0].decodeError}`, {
      context: { file: report.file, pages: bad.map((p) => p.page) },
    });
  }
}

function summary(r: ConvertReport): string {
  const passed = r.pages.filter((p) => p.path === 'pass-through').length;
  const where = Array.isArray(r.output) ? (r.output.length === 1 ? r.output[0] : `${r.output[0]} ... ${r.output[r.output.length - 1]}`) : r.output === '-' ? 'stdout' : r.output;
  const coding = r.format === 'tiff' ? ` ${[...new Set(r.pages.map((p) => p.compression))].join('/')}` : '';
  const damaged = r.pages.reduce((n, p) => n + p.damagedRows, 0);
  const missing = r.pages.reduce((n, p) => n + p.missingRows, 0);
  return (
    `wrote ${where}: ${r.pages.length} page${r.pages.length === 1 ? '' : 's'}, ${r.format.toUpperCase()}${coding}, ${r.bytes} bytes` +
    (passed > 0 ? ` (${passed} passed through unchanged)` : '') +
    (damaged > 0 ? `; ${damaged} damaged row(s)` : '') +
    (missing > 0 ? `; ${missing} missing row(s) left white` : '')
  );
}

function formatInfo(r: InfoReport): string {
  const lines: string[] = [];
  const n = r.pages.length;
  let head = `${r.file}: ${r.format.toUpperCase()}${r.byteOrder ? ` (${r.byteOrder})` : ''}, ${n} page${n === 1 ? '' : 's'}`;
  if (r.profile) head += `, TIFF-FX profile ${r.profile === 'other' ? 'none (not S or F)' : r.profile}`;
  lines.push(head);
  if (r.profileReasons && r.profileReasons.length > 0) {
    lines.push(`  not profile ${r.profile === 'F' ? 'S' : 'F'}:`);
    for (const reason of r.profileReasons) lines.push(`    ${reason}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const p of r.pages) {
    const res = p.xRes !== null && p.yRes !== null ? `${round(p.xRes)} x ${round(p.yRes)} dpi` : 'no resolution';
    let line = `page ${p.page}: ${p.width} x ${p.height} px, ${res}, ${p.compression ?? 'unknown'}`;
    if (p.tiff) {
      const t = p.tiff;
      if (t.options.length > 0) line += ` (${t.options.join(', ')})`;
      line += `, FillOrder ${t.fillOrder}, Photometric ${t.photometric ?? 'missing'}, ${t.strips} strip${t.strips === 1 ? '' : 's'}`;
      if (p.profile) line += `, profile ${p.profile === 'other' ? 'none' : p.profile}`;
    }
    lines.push(line);
    if (p.orientation) lines.push(`  ${p.orientation}`);
    if (p.decodeError) lines.push(`  cannot decode: ${p.decodeError}`);
    else if (p.damagedRows !== null) {
      // The damage as `convert` warns it (image/page-damage.ts).
      lines.push(`  ${p.damage ?? 'no damaged or missing rows'}`);
      // Decoder notes are listed even when no row was concealed (a short row padded white...).
      for (const d of p.diagnostics ?? []) lines.push(`    row ${d.row}: ${d.message.replace(/^rows? [\d-]+: /, '')}`);
    }
    for (const w of p.warnings) lines.push(`  note: ${w}`);
  }
  return lines.join('\n');
}

const round = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
