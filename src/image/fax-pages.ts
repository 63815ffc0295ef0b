/**
 * The one page stream of ifax (convert, send, receive): source pages (fax TIFF, PBM, pictures,
 * PDF, stdin) become fax pages, an AsyncIterable that every writer (image/writers/) consumes,
 * one decoded page at a time, so a long document never sits in memory decoded. Two ways,
 * chosen by an option, not by a second program:
 *
 * `fit: 'page'` (what a fax needs): fitted to the paper and resolution (fit.ts), bilevel by
 * threshold or halftone, grey or colour kept for TIFF-FX profile C, the header line (TTI) on top.
 * - A bilevel page that already is a fax page (paper width, target resolution, at most the
 *   paper's height) is not touched; with no header it is offered for pass-through coded as it
 *   is (TIFF strips, or a scanned PDF's CCITT data, not even decoded when the coding matches).
 * - Colour (`gray`, `color`) applies to grey and colour sources; a bilevel page stays bilevel
 *   in a colour document. Colour fax has no 204 dpi (T.4 Annex E): colour pages are fitted at
 *   200, 300 or 400 dpi square, the one nearest the asked resolution.
 * - The header line is added above the page; the page is fitted into the paper's height less
 *   the header's rows, so page plus header still fit the sheet.
 * - `P.n/m` counts output pages: a long page split in three counts three. The count is known
 *   before the first page is made (planFit works on sizes only).
 *
 * `fit: 'none'` (viewing or re-wrapping a fax): the pixels exactly as they are, tagged with the
 * resolution asked for, else stated, else guessed from the width (page-plan.ts); grey and colour
 * pages kept as they are when the output can show them (PNG, PDF).
 *
 * In both, a page that is unchanged carries its source's coded data (`coded`), and the writer
 * asks the one pass-through rule (tiff/passthrough.ts) whether it may be copied.
 */

import type { Bitmap, FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import type { CodedPage } from '../tiff/index.js';
import { bilevelOf } from './bilevel.js';
import { defaultCoding, scanWidthsAt } from '../fax/vocabulary.js';
import { RESOLUTIONS, guessResolution, type Resolution, type ResolutionName } from './fax-format.js';
import { UNKNOWN_RESOLUTION, fitPage, fitsAlready, planFit, type FitOptions } from './fit.js';
import { addHeaderToBitmap, addHeaderToRaster, headerMetrics, renderHeader } from './header.js';
import { Planner } from './page-plan.js';
import { renderSize } from './pdf/render.js';
import type { DecodedSource, SourcePage } from './source-page.js';
import type { ColourMode, HalftoneMode, PagePath, PagePixels, PaperName } from './types.js';

/** How the pages are made: fitted to a fax page, or kept exactly. */
export type PageOptions = FitPageOptions | KeepPageOptions;

/** Fitted fax pages (convert's and send's image options). */
export interface FitPageOptions {
  fit: 'page';
  /** Target resolution (dots per inch). */
  resolution: Resolution;
  paper: PaperName;
  rotate: 'auto' | 'none';
  longPage: 'split' | 'shrink';
  halftone: HalftoneMode;
  threshold?: number;
  colour: ColourMode;
  /** The coding bilevel pages get: coded data in another coding is not passed through. */
  coding: FaxCoding;
  /** Pages never longer than the sheet (TIFF profile S): slightly long ones are shrunk. */
  strictLength?: boolean;
  /** The header line's fields; no header when absent. */
  header?: { sender?: string; station?: string; date: Date; timeZone?: string };
}

/** What `fitPages` may be told; every field has the default `ifax convert` uses. */
export interface FitChoices {
  /** Default fine (204 x 196). */
  resolution?: ResolutionName;
  paper?: PaperName;
  rotate?: 'auto' | 'none';
  longPage?: 'split' | 'shrink';
  halftone?: HalftoneMode;
  threshold?: number;
  colour?: ColourMode;
  /** Default MMR (MH when `strictLength`, i.e. for TIFF profile S). */
  coding?: FaxCoding;
  strictLength?: boolean;
  header?: { sender?: string; station?: string; date?: Date; timeZone?: string };
}

/** Fitted-page options with defaults filled in: fine, A4, turn when better, split, auto halftone, black and white. */
export function fitPages(c: FitChoices = {}): FitPageOptions {
  return {
    fit: 'page',
    resolution: RESOLUTIONS[c.resolution ?? 'fine'],
    paper: c.paper ?? 'A4',
    rotate: c.rotate ?? 'auto',
    longPage: c.longPage ?? 'split',
    halftone: c.halftone ?? 'auto',
    ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
    colour: c.colour ?? 'bw',
    coding: c.coding ?? defaultCoding(c.strictLength === true),
    ...(c.strictLength ? { strictLength: true } : {}),
    ...(c.header ? { header: { ...c.header, date: c.header.date ?? new Date() } } : {}),
  };
}

/** The pixels as they are (`--fit none`). */
export interface KeepPageOptions {
  fit: 'none';
  /** The resolution tags to set; default what the page states, else guessed from its width. */
  resolution?: ResolutionName;
  /** TIFF profile S is asked for: pages that cannot be profile S unscaled are refused up front. */
  simple: boolean;
  /** Grey and colour pages stay grey and colour (PNG, PDF out), else they are halftoned. */
  keepColour: boolean;
}

/** One fax page, ready to encode (or to pass through). */
export interface FaxPage {
  source: SourcePage;
  /** 0-based output page, and how many there are. */
  index: number;
  total: number;
  /**
   * The pixels. Absent only when the page was not decoded because its coded data is the page
   * as it is (`coded` is then set): a writer that needs pixels calls `pageBitmap`.
   */
  pixels?: PagePixels;
  xRes: number;
  yRes: number;
  /** How the page was made; a writer that copies `coded` reports `pass-through`. */
  path: PagePath;
  /** The source's coded data, offered when the page is unchanged (pixels, size and rows). */
  coded?: CodedPage;
  /**
   * The source page's damage (page-damage.ts): damaged rows, and rows missing from its data.
   * Counted once, on the first fax page made from the source page.
   */
  damagedRows: number;
  missingRows: number;
}

/** The page as a bitmap: its pixels (grey and colour halftoned), or the source decoded. */
export async function pageBitmap(f: FaxPage): Promise<Bitmap> {
  if (f.pixels) return bilevelOf(f.pixels);
  return bilevelOf((await f.source.pixels()).pixels);
}

/** Where the pipeline's notes go. */
export interface PageIo {
  warn(message: string): void;
  debug(message: string): void;
}

/** Colour fax resolutions (RFC 3949 §6.2.1, T.4 Annex E): square, inch-based. */
export function colourResolution(res: Resolution): Resolution {
  const dpi = res.x <= 250 ? 200 : res.x <= 350 ? 300 : 400;
  return { x: dpi, y: dpi };
}

/** The resolution a source states, or the one a fax-width bitmap implies, else unknown (0). */
function sourceResolution(p: SourcePage): Resolution {
  if (p.xRes !== undefined && p.yRes !== undefined && p.xRes > 0 && p.yRes > 0) return { x: p.xRes, y: p.yRes };
  if (p.source === 'bilevel') {
    const g = guessResolution(p.width);
    if (scanWidthsAt(g.x).includes(p.width)) return g;
  }
  return { x: UNKNOWN_RESOLUTION, y: UNKNOWN_RESOLUTION };
}

/** Pixels and their resolution, for a page rendered or not. */
interface Placed {
  width: number;
  height: number;
  res: Resolution;
  colour: ColourMode;
}

function fitOptions(o: FitPageOptions, colour: ColourMode, exactRows = true): FitOptions {
  const res = colour === 'bw' ? o.resolution : colourResolution(o.resolution);
  const reserveRows = o.header ? headerMetrics(res.x, res.y).height : 0;
  return {
    xRes: res.x,
    yRes: res.y,
    paper: o.paper,
    rotate: o.rotate,
    longPage: o.longPage,
    colour,
    halftone: o.halftone,
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    reserveRows,
    exactRows,
  };
}

/** Bilevel fax pages keep their rows one to one; rendered and picture pages may be shrunk (fit.ts exactRows). */
function exact(p: SourcePage, o: FitPageOptions): boolean {
  return !o.strictLength && (p.source === 'bilevel' || p.ccitt !== undefined);
}

/** Size and resolution of a source page as fitting will see it (no pixels decoded). */
function place(p: SourcePage, o: FitPageOptions): Placed {
  const colour: ColourMode = p.source === 'bilevel' || p.ccitt ? 'bw' : o.colour;
  if (p.source === 'pdf') {
    const res = colour === 'bw' ? o.resolution : colourResolution(o.resolution);
    const size = renderSize(p.width, p.height, res.x, res.y);
    return { ...size, res, colour };
  }
  return { width: p.width, height: p.height, res: sourceResolution(p), colour };
}

const isClean = (d: { damagedRows: number; diagnostics: readonly unknown[] }): boolean => d.damagedRows === 0 && d.diagnostics.length === 0;

/**
 * The fax pages of `sources`, in order, one decoded page at a time. Throws IfaxError
 * (LIMIT_EXCEEDED, DATA_INVALID, UNSUPPORTED_INPUT...) naming the file; the caller writes each
 * page as it comes.
 */
export function faxPages(sources: SourcePage[], o: PageOptions, io: PageIo): AsyncGenerator<FaxPage> {
  return o.fit === 'none' ? keptPages(sources, o, io) : fittedPages(sources, o, io);
}

async function* keptPages(sources: SourcePage[], o: KeepPageOptions, io: PageIo): AsyncGenerator<FaxPage> {
  const plan = new Planner({ mode: o.simple ? 'simple' : 'full', fit: 'none', ...(o.resolution ? { resolution: o.resolution } : {}) }, io);
  // Every page's resolution, and every profile S refusal, before the first page goes out.
  const resolutions = sources.map((p) => plan.resolution(p));
  const total = sources.length;
  for (let index = 0; index < total; index++) {
    const p = sources[index];
    const res = resolutions[index];
    const base = { source: p, index, total, xRes: res.x, yRes: res.y, path: 'encoded' as const };
    if (o.keepColour && p.colourPixels) {
      const c = await p.pixels();
      if (c.pixels.kind === 'raster') {
        yield { ...base, pixels: c.pixels, damagedRows: 0, missingRows: 0 };
        continue;
      }
    }
    // A PDF page without pixels of its own is rendered at the resolution it is tagged with.
    const d = await p.decode(p.source === 'pdf' ? { xRes: res.x, yRes: res.y } : undefined);
    const damage = plan.noteDecode(p, d);
    const coded = p.coded?.(isClean(d));
    yield { ...base, pixels: { kind: 'bitmap', bitmap: d.bitmap }, ...(coded ? { coded } : {}), damagedRows: damage.damagedRows, missingRows: damage.missingRows };
  }
}

async function* fittedPages(sources: SourcePage[], o: FitPageOptions, io: PageIo): AsyncGenerator<FaxPage> {
  const plan = new Planner({}, io);
  const placed = sources.map((p) => place(p, o));
  const counts = placed.map((g, i) => {
    try {
      return planFit(g.width, g.height, { xRes: g.res.x, yRes: g.res.y }, fitOptions(o, g.colour, exact(sources[i], o))).pages.length;
    } catch (err) {
      throw fitError(sources[i], err);
    }
  });
  const total = counts.reduce((a, b) => a + b, 0);
  let index = 0;
  for (let i = 0; i < sources.length; i++) {
    const p = sources[i];
    const g = placed[i];
    const fo = fitOptions(o, g.colour, exact(p, o));
    const src = { xRes: g.res.x, yRes: g.res.y };
    const already = !o.header && fitsAlready(g.width, g.height, src, fo);

    // A scanned PDF's CCITT page that is a fax page already: out as it is, not even decoded.
    if (already && p.coded && p.undecodedCoding === o.coding) {
      yield { source: p, index, total, xRes: fo.xRes, yRes: fo.yRes, path: p.path, coded: p.coded(), damagedRows: 0, missingRows: 0 };
      index++;
      continue;
    }

    let pixels: PagePixels;
    let damage = { damagedRows: 0, missingRows: 0 };
    let decoded: DecodedSource | undefined;
    if (p.source === 'pdf') {
      const raster = await p.render!(fo.xRes, fo.yRes, g.colour === 'color' ? 'rgb' : 'gray');
      pixels = { kind: 'raster', raster };
    } else {
      const d = await p.pixels();
      pixels = d.pixels;
      if (pixels.kind === 'bitmap') decoded = { bitmap: pixels.bitmap, damagedRows: d.damagedRows, diagnostics: d.diagnostics, warnings: d.warnings };
      damage = plan.noteDecode(p, d);
    }
    // The colour decided before decoding stands (a fast-path image that turns out 1-bit in a
    // colour document becomes a grey page): the page count, and so P.n/m, was planned with it.
    const opts = fo;
    const fitted = await fitPage(pixels, src, opts).catch((err: unknown) => {
      throw fitError(p, err);
    });
    if (fitted.length !== counts[i]) {
      throw new IfaxError('INTERNAL', `Fitting page ${p.index + 1} of ${JSON.stringify(p.file)} gave ${fitted.length} pages, planned ${counts[i]}`);
    }
    const path: PagePath = p.source === 'pdf' ? 'rendered' : p.path;
    for (const [k, f] of fitted.entries()) {
      let out = f.pixels;
      if (o.header) out = withHeader(out, o.header, index + 1, total, opts.xRes, opts.yRes);
      const unchanged = already && !f.scaled && !f.rotated && decoded !== undefined && fitted.length === 1;
      const coded = unchanged && decoded ? p.coded?.(isClean(decoded)) : undefined;
      const counted = k === 0 ? { damagedRows: damage.damagedRows, missingRows: damage.missingRows } : { damagedRows: 0, missingRows: 0 };
      yield { source: p, index, total, pixels: out, xRes: opts.xRes, yRes: opts.yRes, path, ...(coded ? { coded } : {}), ...counted };
      index++;
    }
  }
}

/** A fitting error with the page named: fit.ts knows pixels, not which page of which file. */
function fitError(p: SourcePage, err: unknown): unknown {
  if (!(err instanceof IfaxError) || !err.message.startsWith('Fitting the page failed')) return err;
  return new IfaxError(err.code, err.message.replace('Fitting the page failed', `Fitting page ${p.index + 1} of ${JSON.stringify(p.file)} failed`), {
    cause: err,
    context: { ...err.context, file: p.file, page: p.index + 1 },
    ...(err.hint !== undefined ? { hint: err.hint } : {}),
  });
}

function withHeader(pixels: PagePixels, h: NonNullable<FitPageOptions['header']>, page: number, pages: number, xRes: number, yRes: number): PagePixels {
  const width = pixels.kind === 'bitmap' ? pixels.bitmap.width : pixels.raster.width;
  const strip: Bitmap = renderHeader({ ...h, page, pages }, width, xRes, yRes);
  return pixels.kind === 'bitmap' ? { kind: 'bitmap', bitmap: addHeaderToBitmap(pixels.bitmap, strip) } : { kind: 'raster', raster: addHeaderToRaster(pixels.raster, strip) };
}
