/**
 * `ifax convert` as a job: fax TIFFs, PBM, pictures (PNG, JPEG, WebP, GIF, other TIFFs) and PDF
 * in; fax TIFF (profile S, F or C), PBM, PNG or PDF out. Open every input (headers only, all
 * limits checked), then the one page stream (image/fax-pages.ts: fitted, or `--fit none`)
 * feeds the one writer of the output format (image/writers/), page by page, so one decoded
 * page is in memory at a time. Outputs are written atomically (store/atomic-file.ts).
 * I/O (stdin, stdout, messages, progress) comes in as `ConvertIo`.
 */

import path from 'node:path';
import { rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { MAX_PAGES } from '../limits.js';
import { AtomicFile, StdoutSink, directoryError, type ByteSink } from '../store/atomic-file.js';
import { spoolStdin } from '../image/input-file.js';
import { readFax, type FaxDocument, type FaxInput } from '../image/document.js';
import { PAPERS, PAPER_NAMES, defaultCoding } from '../fax/vocabulary.js';
import { fitPages, type FaxPage, type FitChoices, type PageOptions } from '../image/fax-pages.js';
import { onePngPage, writePbmPages, writePdfPages, writePngPages, writeTiffPages, type PageReport, type WriterIo } from '../image/writers/index.js';

export type { PageReport } from '../image/writers/index.js';

export type OutputFormat = 'tiff' | 'pbm' | 'png' | 'pdf';

/**
 * What to convert and how. The page options are those of `fitPages` (image/fax-pages.ts):
 * fitting (resolution default fine, paper A4, turning, long pages, halftone, threshold, colour,
 * header line); with `fit: 'none'` only `resolution` applies, as the tags to set (default what
 * the input states, else guessed from the width).
 */
export interface ConvertOptions extends Omit<FitChoices, 'coding' | 'strictLength'> {
  /** Input paths; "-" is stdin (once). */
  inputs: string[];
  /** Output path; "-" is stdout (needs `format`). */
  output: string;
  /** Output type; default from the output's extension. */
  format?: OutputFormat;
  /** TIFF coding; default MMR (MH in simple mode). */
  compression?: FaxCoding;
  /** 'simple' = TIFF profile S (RFC 3949 §3); 'full' (default) = profile F. */
  mode?: 'simple' | 'full';
  /** 'none' = keep the pixels exactly (no scaling, no header), and say nothing about non-fax sizes. */
  fit?: 'none';
}

/** What the job needs from the outside world. */
export interface ConvertIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  warn(message: string): void;
  debug(message: string): void;
  progress(done: number, total: number, label: string): void;
  /** Called after each page is written (the CLI bounds memory here); optional. */
  afterPage?(): void;
}

export interface ConvertReport {
  /** The file written, or the files (PNG: one per page). */
  output: string | string[];
  format: OutputFormat;
  pages: PageReport[];
  /** Bytes written in total. */
  bytes: number;
}

const q = (s: string): string => JSON.stringify(s);
const usage = (message: string, hint?: string): IfaxError => new IfaxError('USAGE', message, hint ? { hint } : {});

/** The output type from `--format` or the extension; USAGE when neither says. */
export function outputFormat(opts: Pick<ConvertOptions, 'output' | 'format'>): OutputFormat {
  if (opts.format) return opts.format;
  if (opts.output === '-') throw usage('Converting failed: "-o -" (stdout) needs --format tiff|pbm|png|pdf', 'The type of an output file comes from its extension; stdout has none.');
  const ext = path.extname(opts.output).toLowerCase();
  const byExt: Record<string, OutputFormat> = { '.tif': 'tiff', '.tiff': 'tiff', '.pbm': 'pbm', '.png': 'png', '.pdf': 'pdf' };
  const f = byExt[ext];
  if (!f) throw usage(`Converting failed: cannot tell the output type of ${q(opts.output)} from its extension`, 'Use .tif/.tiff, .pbm, .png or .pdf, or give --format.');
  return f;
}

/** Options that only fitting uses (colour aside: `--bw` is fine without fitting). */
const FITTING_OPTIONS = ['paper', 'rotate', 'longPage', 'halftone', 'header'] as const;

/** Flag combinations that cannot work, as USAGE errors (exit 64), before any file is touched. */
export function checkOptions(opts: ConvertOptions, format: OutputFormat): void {
  if (opts.inputs.length === 0) throw usage('Converting failed: no input files');
  if (opts.inputs.filter((f) => f === '-').length > 1) throw usage('Converting failed: "-" (stdin) is given more than once');
  if (format !== 'tiff') {
    if (opts.mode === 'simple') throw usage(`Converting failed: --mode simple makes a TIFF profile S file; the output is ${format.toUpperCase()}`);
    if (opts.compression && !(format === 'pdf' && opts.compression === 'MMR')) {
      throw usage(
        `Converting failed: --compression ${opts.compression} is for TIFF output; the output is ${format.toUpperCase()}`,
        format === 'pdf' ? 'PDF output always embeds T.6 (MMR) data.' : undefined,
      );
    }
  }
  if (opts.mode === 'simple') {
    if (opts.compression && opts.compression !== 'MH') {
      throw usage(`Converting failed: --mode simple (TIFF profile S) allows MH only; --compression ${opts.compression} was given`, 'Drop --compression, or use --mode full for MR/MMR.');
    }
    if (opts.resolution === 'superfine' || opts.resolution === 'ultrafine') {
      throw usage(`Converting failed: --mode simple (TIFF profile S) allows standard or fine resolution; --resolution ${opts.resolution} was given`);
    }
    if (opts.colour && opts.colour !== 'bw') throw usage(`Converting failed: --mode simple (TIFF profile S) is black and white; --${opts.colour} was given`);
    if (opts.fit !== 'none' && opts.paper && PAPERS[opts.paper].widthClass !== 0) {
      const narrow = PAPER_NAMES.filter((p) => PAPERS[p].widthClass === 0).join(', ');
      throw usage(`Converting failed: --mode simple (TIFF profile S) pages are 1728 pixels wide (${narrow}); --paper ${opts.paper} was given`);
    }
  }
  if (opts.fit === 'none') {
    const fitting = FITTING_OPTIONS.filter((k) => opts[k] !== undefined);
    if (fitting.length > 0) {
      throw usage(`Converting failed: --fit none keeps the pixels exactly; ${fitting.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')} ${fitting.length === 1 ? 'needs' : 'need'} fitting`);
    }
    if (opts.colour && opts.colour !== 'bw') throw usage(`Converting failed: --fit none writes the pixels as a bitmap; --${opts.colour} needs fitting`);
  }
  if (opts.colour && opts.colour !== 'bw' && format !== 'tiff') {
    throw usage(`Converting failed: --${opts.colour} pages are TIFF-FX profile C; write a .tif (got ${format})`, 'Drop --color/--gray for PDF, PBM and PNG output: those are written black and white.');
  }
  if (opts.threshold !== undefined && !(Number.isInteger(opts.threshold) && opts.threshold >= 0 && opts.threshold <= 255)) {
    throw usage(`Converting failed: --threshold must be a whole number 0-255; got ${q(String(opts.threshold))}`);
  }
}

/**
 * Whether pages are fitted: into a fax TIFF always (the send pipeline), unless `--fit none`;
 * into PBM, PNG or PDF (viewing a fax) only when a fitting option asks for it, else the
 * pixels are kept as received.
 */
export function fits(opts: ConvertOptions, format: OutputFormat): boolean {
  if (opts.fit === 'none') return false;
  if (format === 'tiff') return true;
  return FITTING_OPTIONS.some((k) => opts[k] !== undefined) || (opts.colour !== undefined && opts.colour !== 'bw');
}

/** The PNG file of page `n` (1-based): out.png -> out-1.png (CLI.md). */
export function pngPagePath(output: string, n: number): string {
  const base = output.toLowerCase().endsWith('.png') ? output.slice(0, -4) : output;
  return `${base}-${n}.png`;
}

/**
 * How pages are made for `format`: fitted (paper, resolution, halftone, header), or, with
 * `--fit none` and for viewing a fax without fitting options, kept exactly.
 */
export function pageOptions(opts: ConvertOptions, format: OutputFormat): PageOptions {
  const simple = opts.mode === 'simple';
  if (!fits(opts, format)) {
    return { fit: 'none', simple, keepColour: format === 'pdf' || format === 'png', ...(opts.resolution ? { resolution: opts.resolution } : {}) };
  }
  const { inputs: _i, output: _o, format: _f, compression: _c, mode: _m, fit: _fit, ...choices } = opts;
  return fitPages({ ...choices, coding: tiffCoding(opts), ...(simple ? { strictLength: true } : {}) });
}

/** The coding of bilevel TIFF pages: `--compression`, else MH in simple mode, else MMR. */
const tiffCoding = (opts: ConvertOptions): FaxCoding => opts.compression ?? defaultCoding(opts.mode === 'simple');

/** Runs the conversion. Throws IfaxError; on any error no output file is left behind. */
export async function convert(opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  // Before the extension is looked at: "-o outdir" is a directory, not a file without a type.
  await refuseDirectory(opts);
  const format = outputFormat(opts);
  checkOptions(opts, format);
  // Said before any input is read; a single input of several pages is refused by the writer.
  if (opts.output === '-' && format === 'png' && opts.inputs.length > 1) throw onePngPage('several inputs were given');
  const po = pageOptions(opts, format);
  let spool: { dir: string } | undefined;
  let doc: FaxDocument | undefined;
  try {
    const inputs: FaxInput[] = [];
    for (const input of opts.inputs) {
      if (input === '-') {
        spool = await spoolStdin(io.stdin);
        inputs.push({ file: path.join(spool.dir, 'stdin'), name: 'stdin' });
      } else {
        inputs.push(input);
      }
    }
    doc = await readFax(inputs, { pages: po, warn: (m) => io.warn(m), debug: (m) => io.debug(m) });
    for (const w of doc.warnings) io.warn(w);
    const sources = doc.sources;
    if (sources.length > MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Converting failed: ${sources.length} pages exceed MAX_PAGES (${MAX_PAGES})`, { context: { limit: 'MAX_PAGES', max: MAX_PAGES, value: sources.length } });
    }
    io.debug(decisions(opts, format, po));
    // What -v tells of each page: noted as pages pass to the writer (the small facts only, never
    // the pixels), told as soon as the writer's report says how the page went out.
    const seen: SeenPage[] = [];
    const pages: AsyncIterable<FaxPage> = noting(doc, seen);
    const wio: WriterIo = {
      debug: (m) => io.debug(m),
      pageDone(done, total, report) {
        tellPage(report, done - 1, seen[done - 1], po, io);
        io.afterPage?.();
        io.progress(done, total, 'pages');
      },
    };
    if (format === 'png') {
      const toStdout = opts.output === '-';
      const sinks: ByteSink[] = [];
      const sinkFor = async (n: number): Promise<ByteSink> => {
        const sink = await openSink(toStdout ? '-' : pngPagePath(opts.output, n), io);
        sinks.push(sink);
        return sink;
      };
      const reports = await withSinks(sinks, () => writePngPages(pages, { sinkFor, onePage: toStdout }, wio));
      return { output: toStdout ? '-' : sinks.map((s) => s.target), format, pages: reports, bytes: sinks.reduce((n, s) => n + s.bytes, 0) };
    }
    // Opened first, so an unwritable output fails before any page is worked on.
    const sink = await openSink(opts.output, io);
    const reports = await withSinks([sink], () => {
      if (format === 'pdf') return writePdfPages(pages, sink, wio);
      if (format === 'pbm') return writePbmPages(pages, sink, wio);
      const profile = opts.mode === 'simple' ? 'S' : po.fit === 'page' && po.colour !== 'bw' ? 'C' : 'F';
      return writeTiffPages(pages, sink, { profile, coding: tiffCoding(opts), ...(po.fit === 'page' && po.colour !== 'bw' ? { colour: po.colour } : {}) }, wio);
    });
    return { output: opts.output, format, pages: reports, bytes: sink.bytes };
  } finally {
    try {
      await doc?.close();
    } finally {
      if (spool) rmSync(spool.dir, { recursive: true, force: true });
    }
  }
}

/** OUTPUT_FAILED (exit 73) when the output names an existing directory. */
async function refuseDirectory({ output, format }: Pick<ConvertOptions, 'output' | 'format'>): Promise<void> {
  if (output === '-') return;
  const st = await stat(output).catch(() => undefined);
  if (st?.isDirectory()) throw directoryError(output, 'Writing', `fax.${format && format !== 'tiff' ? format : 'tif'}`);
}

/** The output: stdout, or an atomic file. */
async function openSink(target: string, io: ConvertIo): Promise<ByteSink> {
  return target === '-' ? new StdoutSink(io.stdout) : AtomicFile.create(target);
}

/**
 * Runs `body` writing into `sinks`; aborts them all (no file left) on any error, else closes
 * them all and then commits them all, so several outputs (PNG pages) appear together.
 */
async function withSinks<T>(sinks: ByteSink[], body: () => Promise<T>): Promise<T> {
  try {
    const r = await body();
    for (const s of sinks) await s.close();
    for (const s of sinks) await s.commit();
    return r;
  } catch (err) {
    for (const s of sinks) await s.abort();
    throw err;
  }
}

/** What -v says of a page before it is written: where it came from and its size there. */
interface SeenPage {
  kind: string;
  /** Size and resolution in the source; null for a PDF page that is rendered (its size is in points). */
  size: { width: number; height: number; xRes: number | undefined; yRes: number | undefined } | null;
}

/** The pages of `pages`, unchanged, each noted in `seen` as it passes. */
async function* noting(pages: AsyncIterable<FaxPage>, seen: SeenPage[]): AsyncGenerator<FaxPage> {
  for await (const f of pages) {
    const p = f.source;
    const kind =
      p.source === 'pdf' ? 'PDF page' : p.path === 'fast-path' ? "scanned PDF page's image" : p.source === 'bilevel' ? 'bilevel image' : 'grey or colour image';
    seen.push({ kind, size: p.source === 'pdf' ? null : { width: p.width, height: p.height, xRes: p.xRes, yRes: p.yRes } });
    yield f;
  }
}

const dpi = (x: number | undefined, y: number | undefined): string => (x && y ? `${Math.round(x)} x ${Math.round(y)} dpi` : 'no resolution stated');

/** The job's choices for -v: output type and coding, and whether pages are fitted or kept, and why. */
function decisions(opts: ConvertOptions, format: OutputFormat, po: PageOptions): string {
  const from = opts.format ? '--format' : 'the extension of -o';
  let text = `output: ${format.toUpperCase()} (from ${from})`;
  if (format === 'tiff') {
    const colour = po.fit === 'page' && po.colour !== 'bw' ? po.colour : undefined;
    text += colour ? `, TIFF-FX profile C (--${colour})` : `, TIFF profile ${opts.mode === 'simple' ? 'S' : 'F'}, ${tiffCoding(opts)} (${opts.compression ? '--compression' : opts.mode === 'simple' ? 'profile S' : 'default'})`;
  }
  if (po.fit === 'page') {
    text += `; pages fitted to ${po.paper} at ${dpi(po.resolution.x, po.resolution.y)}, ${po.colour === 'bw' ? 'black and white' : po.colour}, halftone ${po.halftone}${po.header ? ', header line' : ''}`;
  } else {
    text += `; pages kept as they are (${opts.fit === 'none' ? '--fit none' : `no fitting option for ${format.toUpperCase()} output`})`;
  }
  return text;
}

/** The -v line of output page `i`: "page N of FILE: <source kind>, <fitted or kept>, <how it went out>". */
function tellPage(r: PageReport, i: number, s: SeenPage | undefined, po: PageOptions, io: Pick<ConvertIo, 'debug'>): void {
  const source = s ? `${s.kind}${s.size ? ` ${s.size.width} x ${s.size.height} px, ${dpi(s.size.xRes, s.size.yRes)}` : ''}` : 'page';
  const size = `${r.width} x ${r.height} px at ${dpi(r.xRes, r.yRes)}`;
  let fit: string;
  if (po.fit === 'none') fit = `kept: ${size}`;
  // Fitting scales to the paper's width: a page that keeps its width already was a fax page.
  else if (s?.size && s.size.width === r.width) fit = `already ${po.paper} width, not scaled: ${size}`;
  else fit = `fitted to ${po.paper}: ${size}`;
  const how =
    r.path === 'pass-through'
      ? `passed through (its ${r.compression} data copied)`
      : r.path === 'fast-path'
        ? `taken from the PDF's image, ${r.compression}`
        : `${r.path} ${r.compression}`;
  const damaged = r.damagedRows > 0 ? `; ${r.damagedRows} damaged row(s) (see the warning)` : '';
  const at = r.sourcePage === i + 1 ? '' : ` (output page ${i + 1})`;
  io.debug(`page ${r.sourcePage} of ${q(r.source)}${at}: ${source}, ${fit}, ${how}, ${r.bytes} bytes${damaged}`);
}
