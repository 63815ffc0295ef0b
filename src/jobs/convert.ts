/**
 * `ifax convert`: fax TIFFs, PBM, pictures (PNG, JPEG, WebP, GIF, other TIFFs) and PDF in;
 * fax TIFF (profile S, F or C), PBM, PNG or PDF out. Page by page: open every input (headers
 * only, all limits checked), then for each page decode -> fit -> encode -> write, so one
 * decoded page is in memory at a time. Fitting (paper, resolution, halftone, header line) is
 * convert-fitted.ts and jobs/pages.ts; `--fit none` keeps the pixels exactly and is here.
 * Outputs are written atomically (image/atomic-file.ts). Coded data is passed through
 * unchanged where nothing changes (same coding, one strip, clean decode), else re-encoded.
 */

import path from 'node:path';
import { rmSync } from 'node:fs';
import type { FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { MAX_PAGES } from '../limits.js';
import { AtomicFile, StdoutSink, type ByteSink } from '../image/atomic-file.js';
import { openInput, spoolStdin, type DecodedSource, type InputDoc, type SourcePage } from '../image/inputs.js';
import type { Resolution, ResolutionName } from '../image/fax-format.js';
import { Planner } from '../image/page-plan.js';
import { pbmHeader } from '../image/pbm.js';
import { encodePng } from '../image/png.js';
import { PdfFaxWriter, type PdfStrip } from '../image/pdf-out.js';
import { RESOLUTIONS } from '../image/fax-format.js';
import type { ColourMode, HalftoneMode, PagePath, PaperName } from '../image/types.js';
import { convertFitted } from './convert-fitted.js';
import { encodeRaster } from '../image/sources.js';
import { relieveMemory } from './memory.js';
import {
  FaxTiffWriter,
  encodeFaxTiffPage,
  faxPageFields,
  pageStrips,
  reversedBitsCopy,
  type FaxTiffPageInput,
} from '../tiff/index.js';

export type OutputFormat = 'tiff' | 'pbm' | 'png' | 'pdf';

export interface ConvertOptions {
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
  /**
   * Fitting: the target resolution (default fine). With `fit: 'none'`: the resolution tags to
   * set; default what the input states, else guessed from the width.
   */
  resolution?: ResolutionName;
  /** Fitting: paper (default A4), turning, long pages, halftone, threshold, colour, header. */
  paper?: PaperName;
  rotate?: 'auto' | 'none';
  longPage?: 'split' | 'shrink';
  halftone?: HalftoneMode;
  threshold?: number;
  /** `bw` (default), or `gray` / `color`: TIFF-FX profile C pages for grey and colour sources. */
  colour?: ColourMode;
  /** The header line (TTI) atop each page; none when absent. Not with `fit: 'none'`. */
  header?: { sender?: string; station?: string; date?: Date; timeZone?: string };
}

/** What the job needs from the outside world. */
export interface ConvertIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  warn(message: string): void;
  debug(message: string): void;
  progress(done: number, total: number, label: string): void;
}

export interface PageReport {
  /** Input file and 1-based page in it. */
  source: string;
  sourcePage: number;
  width: number;
  height: number;
  xRes: number;
  yRes: number;
  /** Coding in the output: MH, MR, MMR (TIFF, PDF), none (PBM), deflate (PNG). */
  compression: string;
  /** Bytes of this page's image data in the output. */
  bytes: number;
  /** How the page was made: pass-through (coded data kept), fast-path (a scanned PDF's image), rendered (PDF), encoded. */
  path: PagePath;
  damagedRows: number;
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
    if (opts.fit !== 'none' && opts.paper && !['A4', 'letter', 'legal'].includes(opts.paper)) {
      throw usage(`Converting failed: --mode simple (TIFF profile S) pages are 1728 pixels wide (A4, letter, legal); --paper ${opts.paper} was given`);
    }
  }
  if (opts.fit === 'none') {
    const fitting = FITTING_OPTIONS.filter((k) => opts[k] !== undefined);
    if (fitting.length > 0) {
      throw usage(`Converting failed: --fit none keeps the pixels exactly; ${fitting.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')} ${fitting.length === 1 ? 'needs' : 'need'} fitting`);
    }
    if (opts.colour && opts.colour !== 'bw') throw usage(`Converting failed: --fit none writes the pixels as a bitmap; --${opts.colour} needs fitting`);
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

/** Runs the conversion. Throws IfaxError; on any error no output file is left behind. */
export async function convert(opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const format = outputFormat(opts);
  checkOptions(opts, format);
  if (opts.output === '-' && format === 'png' && opts.inputs.length > 1) {
    throw usage('Converting failed: PNG to stdout holds one page; several inputs were given', 'Write to a file: out.png gives out-1.png, out-2.png...');
  }
  const docs: InputDoc[] = [];
  let spool: { dir: string } | undefined;
  try {
    for (const input of opts.inputs) {
      let file = input;
      const name = input === '-' ? 'stdin' : input;
      if (input === '-') {
        spool = await spoolStdin(io.stdin);
        file = path.join(spool.dir, 'stdin');
      }
      const doc = await openInput(file, name);
      docs.push(doc);
      for (const w of doc.warnings) io.warn(`${name}: ${w}`);
    }
    const pages = docs.flatMap((d) => d.pages);
    if (pages.length > MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Converting failed: ${pages.length} pages exceed MAX_PAGES (${MAX_PAGES})`, { context: { limit: 'MAX_PAGES', max: MAX_PAGES, value: pages.length } });
    }
    if (opts.output === '-' && format === 'png' && pages.length > 1) {
      throw usage(`Converting failed: PNG to stdout holds one page; the input has ${pages.length}`, 'Write to a file: out.png gives out-1.png, out-2.png...');
    }
    if (fits(opts, format)) {
      const simple = opts.mode === 'simple';
      const resolution = RESOLUTIONS[opts.resolution ?? 'fine'];
      return await convertFitted(
        pages,
        format,
        {
          resolution,
          paper: opts.paper ?? 'A4',
          rotate: opts.rotate ?? 'auto',
          longPage: opts.longPage ?? 'split',
          halftone: opts.halftone ?? 'auto',
          ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
          colour: opts.colour ?? 'bw',
          coding: opts.compression ?? (simple ? 'MH' : 'MMR'),
          ...(simple ? { strictLength: true } : {}),
          ...(opts.header ? { header: { ...opts.header, date: opts.header.date ?? new Date() } } : {}),
        },
        opts,
        io,
      );
    }
    const plan = new Planner(opts, io);
    for (const p of pages) plan.resolution(p); // every profile S refusal before anything is written
    switch (format) {
      case 'tiff':
        return await toTiff(pages, plan, opts, io);
      case 'pdf':
        return await toPdf(pages, plan, opts, io);
      case 'pbm':
        return await toPbm(pages, plan, opts, io);
      default:
        return await toPng(pages, plan, opts, io);
    }
  } finally {
    for (const d of docs) d.close();
    if (spool) rmSync(spool.dir, { recursive: true, force: true });
  }
}

/** After each page: page buffers collected when they pile up (memory.ts), then progress. */
export function pageDone(io: ConvertIo, done: number, total: number): void {
  relieveMemory();
  io.progress(done, total, 'pages');
}

/** The output: stdout, or an atomic file. */
export async function openSink(target: string, io: ConvertIo): Promise<ByteSink> {
  return target === '-' ? new StdoutSink(io.stdout) : AtomicFile.create(target);
}

/** Runs `body` with a sink; aborts it (no file left) on any error, commits on success. */
export async function withSinks<T>(sinks: ByteSink[], body: () => Promise<T>): Promise<T> {
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

function report(p: SourcePage, res: Resolution, width: number, height: number, compression: string, bytes: number, pathKind: PageReport['path'], damagedRows: number): PageReport {
  return { source: p.file, sourcePage: p.index + 1, width, height, xRes: res.x, yRes: res.y, compression, bytes, path: pathKind, damagedRows };
}

/** Decodes a page, noting damage; the bitmap lives until the caller drops it. */
async function decode(p: SourcePage, plan: Planner): Promise<DecodedSource> {
  // A PDF page without pixels of its own is rendered at the resolution it is tagged with.
  const res = p.source === 'pdf' ? plan.resolution(p) : undefined;
  const d = await p.decode(res ? { xRes: res.x, yRes: res.y } : undefined);
  plan.noteDecode(p, d);
  return d;
}

const isClean = (d: DecodedSource): boolean => d.damagedRows === 0 && d.diagnostics.length === 0;

function codingOf(compression: number, t4Options: number): FaxCoding | undefined {
  if (compression === 4) return 'MMR';
  if (compression === 3) return (t4Options & 1) !== 0 ? 'MR' : 'MH';
  return undefined;
}

async function toTiff(pages: SourcePage[], plan: Planner, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const simple = plan.simple;
  const coding: FaxCoding = opts.compression ?? (simple ? 'MH' : 'MMR');
  const profile = simple ? 'S' : 'F';
  const writer = new FaxTiffWriter({ profile, pageCount: pages.length, ...(simple ? {} : { allowNonStandardSize: true }) });
  const sink = await openSink(opts.output, io);
  const reports: PageReport[] = [];
  await withSinks([sink], async () => {
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      const res = plan.resolution(p);
      const d = await decode(p, plan);
      let input: FaxTiffPageInput | undefined = passThroughTiff(p, d, coding, simple, res);
      const kind: PageReport['path'] = input ? 'pass-through' : 'encoded';
      input ??= encodeFaxTiffPage(d.bitmap, {
        profile,
        compression: coding,
        xRes: res.x,
        yRes: res.y,
        ...(coding === 'MR' ? { k: res.y <= 100 ? 2 : 4 } : {}),
        ...(simple ? {} : { allowNonStandardSize: true }),
      });
      plan.checkFaxSize(p, faxPageFields(input, i, pages.length));
      await sink.write(writer.addPage(input));
      reports.push(report(p, res, input.width, input.height, coding, input.data.length, kind, d.damagedRows));
      pageDone(io, i + 1, pages.length);
    }
    for (const patch of writer.finish()) await sink.patch(patch.offset, patch.bytes);
  });
  return { output: opts.output, format: 'tiff', pages: reports, bytes: sink.bytes };
}

/**
 * The page's coded data as stored, when re-encoding would change nothing: same coding, one
 * strip, no uncompressed mode, WhiteIsZero (BlackIsZero is kept in profile F), and a clean
 * decode (damaged data is re-encoded from the concealed bitmap, not copied). Profile S needs
 * FillOrder 2: bit-reversing the bytes is not re-encoding.
 */
export function passThroughTiff(p: SourcePage, d: DecodedSource, coding: FaxCoding, simple: boolean, res: Resolution): FaxTiffPageInput | undefined {
  if (!p.tiff || !isClean(d)) return undefined;
  const { file, page } = p.tiff;
  if (codingOf(page.compression, page.t4Options) !== coding) return undefined;
  if ((page.t4Options & 2) !== 0 || page.t6Options !== 0 || (page.t4Options & ~7) !== 0) return undefined;
  const photometric = page.photometric ?? 0;
  if (photometric !== 0 && (simple || photometric !== 1)) return undefined;
  const strips = pageStrips(file, page.index);
  if (strips.length !== 1 || strips[0].data.length === 0) return undefined;
  let data = strips[0].data;
  let fillOrder = page.fillOrder;
  if (simple && fillOrder !== 2) {
    data = reversedBitsCopy(data);
    fillOrder = 2;
  }
  return {
    data,
    width: page.width,
    height: page.height,
    coding,
    fillOrder,
    ...(coding !== 'MMR' ? { eolFill: (page.t4Options & 4) !== 0 } : {}),
    xResolution: res.x,
    yResolution: res.y,
    ...(photometric === 1 ? { photometric: 1 as const } : {}),
  };
}

async function toPdf(pages: SourcePage[], plan: Planner, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const pdf = await PdfFaxWriter.create();
  const reports: PageReport[] = [];
  // Opened first, so an unwritable output fails before any page is worked on.
  const sink = await openSink(opts.output, io);
  await withSinks([sink], async () => {
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      const res = plan.resolution(p);
      if (p.colourPixels) {
        // Colour fax pages and photos go in as JPEG (DCTDecode), grey or RGB.
        const c = await p.pixels();
        if (c.pixels.kind === 'raster') {
          const r = c.pixels.raster;
          const jpeg = await encodeRaster(r, 'jpeg', res.x);
          await pdf.addJpegPage(jpeg, r.width, r.height, res.x, res.y);
          reports.push(report(p, res, r.width, r.height, 'JPEG', jpeg.length, 'encoded', 0));
          pageDone(io, i + 1, pages.length);
          continue;
        }
      }
      const d = await decode(p, plan);
      let strips: PdfStrip[] | undefined;
      let inverted = false;
      const t = p.tiff?.page;
      // T.6 pages go in as stored (one image per strip); FillOrder 2 is bit-reversed, not re-encoded.
      if (t && p.tiff && isClean(d) && t.compression === 4 && t.t6Options === 0 && (t.photometric ?? 0) <= 1) {
        strips = pageStrips(p.tiff.file, t.index).map((s) => ({ data: t.fillOrder === 2 ? reversedBitsCopy(s.data) : s.data, firstRow: s.firstRow, rows: s.rows }));
        inverted = t.photometric === 1;
      }
      const kind: PageReport['path'] = strips ? 'pass-through' : 'encoded';
      if (!strips) {
        const coded = encodeFaxTiffPage(d.bitmap, { profile: 'F', compression: 'MMR', xRes: res.x, yRes: res.y, fillOrder: 1, allowNonStandardSize: true });
        strips = [{ data: coded.data, firstRow: 0, rows: d.bitmap.height }];
      }
      pdf.addPage({ width: d.bitmap.width, height: d.bitmap.height, xRes: res.x, yRes: res.y, strips, inverted });
      const bytes = strips.reduce((n, s) => n + s.data.length, 0);
      reports.push(report(p, res, d.bitmap.width, d.bitmap.height, 'MMR', bytes, kind, d.damagedRows));
      pageDone(io, i + 1, pages.length);
    }
    await sink.write(await pdf.save());
  });
  return { output: opts.output, format: 'pdf', pages: reports, bytes: sink.bytes };
}

async function toPbm(pages: SourcePage[], plan: Planner, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const sink = await openSink(opts.output, io);
  const reports: PageReport[] = [];
  await withSinks([sink], async () => {
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      const res = plan.resolution(p);
      const d = await decode(p, plan);
      const { width, height, data } = d.bitmap;
      const header = pbmHeader(width, height);
      await sink.write(header);
      await sink.write(data);
      reports.push(report(p, res, width, height, 'none', header.length + data.length, 'encoded', d.damagedRows));
      pageDone(io, i + 1, pages.length);
    }
  });
  return { output: opts.output, format: 'pbm', pages: reports, bytes: sink.bytes };
}

async function toPng(pages: SourcePage[], plan: Planner, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const toStdout = opts.output === '-';
  const sinks: ByteSink[] = [];
  const reports: PageReport[] = [];
  await withSinks(sinks, async () => {
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      const res = plan.resolution(p);
      // Colour fax pages and photos stay grey or colour: a PNG shows them as they are.
      const colour = p.colourPixels ? await p.pixels() : undefined;
      const d = colour?.pixels.kind === 'raster' ? undefined : await decode(p, plan);
      const png = colour?.pixels.kind === 'raster' ? await encodeRaster(colour.pixels.raster, 'png', res.x) : encodePng(d!.bitmap, res.x, res.y);
      const size = colour?.pixels.kind === 'raster' ? colour.pixels.raster : d!.bitmap;
      const sink = await openSink(toStdout ? '-' : pngPagePath(opts.output, i + 1), io);
      sinks.push(sink);
      await sink.write(png);
      await sink.close(); // one open file at a time; renamed together at the end
      reports.push(report(p, res, size.width, size.height, 'deflate', png.length, 'encoded', d?.damagedRows ?? 0));
      pageDone(io, i + 1, pages.length);
    }
  });
  const outputs = sinks.map((s) => s.target);
  return { output: toStdout ? '-' : outputs, format: 'png', pages: reports, bytes: sinks.reduce((n, s) => n + s.bytes, 0) };
}

