/**
 * `ifax convert FILE... -o OUT` and `ifax convert --info FILE` (CLI.md). Light: the image
 * and TIFF code is imported inside the action, so `ifax --help` does not load sharp or pdf-lib.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { IfaxError } from '../../errors.js';
import { outputFor } from '../context.js';
import type { Output } from '../output.js';
import type { ConvertReport, OutputFormat } from '../../jobs/convert.js';
import type { InfoReport } from '../../jobs/convert-info.js';
import type { ResolutionName } from '../../image/fax-format.js';
import type { FaxCoding } from '../../codec/types.js';

interface ConvertFlags {
  output?: string;
  format?: OutputFormat;
  compression?: FaxCoding;
  mode: 'simple' | 'full';
  fit?: 'none';
  resolution?: ResolutionName;
  info?: boolean;
}

function parseCompression(value: string): FaxCoding {
  const v = value.toUpperCase();
  if (v === 'MH' || v === 'MR' || v === 'MMR') return v;
  throw new InvalidArgumentError('Allowed choices are MH, MR, MMR.');
}

const usage = (message: string, hint?: string): IfaxError => new IfaxError('USAGE', message, hint ? { hint } : {});

export function convertCommand(): Command {
  return new Command('convert')
    .description('Convert bitmaps (PBM, PNG) to a fax TIFF, and fax TIFFs to PBM, PNG, PDF or another coding')
    .usage('FILE... -o OUT [options] | --info FILE')
    .argument('[files...]', 'input files (fax TIFF, PBM P1/P4, PNG; "-" = stdin); several make one multi-page document')
    .option('-o, --output <file>', 'output file; the type comes from the extension (.tif .pbm .png .pdf); "-" = stdout (needs --format)')
    .addOption(new Option('--format <type>', 'output type, overriding the extension').choices(['tiff', 'pbm', 'png', 'pdf']))
    .addOption(new Option('--compression <coding>', 'TIFF coding: MH, MR or MMR (default MMR; MH with --mode simple)').argParser(parseCompression))
    .addOption(new Option('--mode <mode>', 'simple = TIFF profile S (MH, 1728 wide, FillOrder 2); full = profile F').choices(['simple', 'full']).default('full'))
    .addOption(new Option('--fit <mode>', 'none = keep the pixels exactly (no scaling, no header line): the only mode today').choices(['none']))
    .addOption(
      new Option('--resolution <name>', 'resolution tags: standard 204x98, fine 204x196, superfine 400x400, ultrafine 600x600 (default: from the input)').choices([
        'standard',
        'fine',
        'superfine',
        'ultrafine',
      ]),
    )
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

Bitmaps are never scaled: pixels are kept exactly (--fit none). A page that is not a fax
width is written as it is, with a warning; --mode simple refuses it (exit 65).`,
    )
    .action(async (files: string[], flags: ConvertFlags, cmd: Command) => {
      const out = outputFor(cmd);
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
      const report = await convert(
        {
          inputs: files,
          output: flags.output,
          format: flags.format,
          compression: flags.compression,
          mode: flags.mode,
          fit: flags.fit,
          resolution: flags.resolution,
        },
        {
          stdin: process.stdin,
          stdout: process.stdout,
          warn: (m) => out.warn(m),
          debug: (m) => out.debug(m),
          progress: (done, total, label) => out.progress(done, total, label),
        },
      );
      if (flags.output === '-') out.info(summary(report));
      else out.result(report, () => summary(report));
    });
}

async function runInfo(files: string[], flags: ConvertFlags, out: Output): Promise<void> {
  if (files.length !== 1) throw usage(`Describing failed: --info takes one file; ${files.length} were given`);
  if (flags.output) throw usage('Describing failed: --info prints a description; -o is for converting');
  const { describeFile } = await import('../../jobs/convert-info.js');
  const name = files[0];
  let report: InfoReport;
  if (name === '-') {
    const { spoolStdin } = await import('../../image/inputs.js');
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
  out.result(report, () => formatInfo(report));
}

function summary(r: ConvertReport): string {
  const passed = r.pages.filter((p) => p.path === 'pass-through').length;
  const where = Array.isArray(r.output) ? (r.output.length === 1 ? r.output[0] : `${r.output[0]} ... ${r.output[r.output.length - 1]}`) : r.output === '-' ? 'stdout' : r.output;
  const coding = r.format === 'tiff' ? ` ${[...new Set(r.pages.map((p) => p.compression))].join('/')}` : '';
  const damaged = r.pages.reduce((n, p) => n + p.damagedRows, 0);
  return (
    `wrote ${where}: ${r.pages.length} page${r.pages.length === 1 ? '' : 's'}, ${r.format.toUpperCase()}${coding}, ${r.bytes} bytes` +
    (passed > 0 ? ` (${passed} passed through unchanged)` : '') +
    (damaged > 0 ? `; ${damaged} damaged row(s) concealed` : '')
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
    if (p.decodeError) lines.push(`  cannot decode: ${p.decodeError}`);
    else if (p.damagedRows !== null) {
      lines.push(`  damaged rows: ${p.damagedRows}${p.damagedRows > 0 ? ` (longest run ${p.consecutiveDamagedRows ?? '?'})` : ''}`);
      // Decoder notes are listed even when no row was concealed (a short row padded white...).
      for (const d of p.diagnostics ?? []) lines.push(`    row ${d.row}: ${d.message.replace(/^row \d+: /, '')}`);
    }
    for (const w of p.warnings) lines.push(`  note: ${w}`);
  }
  return lines.join('\n');
}

const round = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
