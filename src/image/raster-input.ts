/**
 * Pictures as fax page sources: JPEG, PNG (any colour type), WebP, GIF and TIFF that is not a
 * fax bitmap (LZW, Deflate, PackBits, JPEG, uncompressed; grey, RGB, palette, CMYK), all read
 * by sharp (libvips). `openImage` reads headers only and checks the limits; each page's pixels
 * are decoded when `read()` is called, one page at a time.
 *
 * Decisions:
 * - A GIF or animated WebP is one page, its first frame: animation frames are not pages, and
 *   faxing every frame of a 200-frame animation is never what was meant (a warning says so).
 * - A multi-page TIFF is one page per IFD, each with its own size and resolution.
 * - Densities below MIN_DENSITY are screen defaults (72, 96 dpi written by every editor), not
 *   a scan's resolution, and are reported as unknown, as src/image/inputs.ts does for PNG.
 * - EXIF orientation is applied: width and height are those of the picture as displayed.
 */

import { readFileSync } from 'node:fs';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_IMAGE_PIXELS, MAX_PAGES, MAX_WIDTH } from '../limits.js';
import { readTiff, toDpi } from '../tiff/index.js';
import { checkFile } from './input-file.js';
import type { Raster } from './types.js';
import { loadSharp } from './sharp.js';

/** The picture formats openImage takes (sharp's names for them). */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff';

/** One page of a picture: its size and resolution from the header; pixels on `read()`. */
export interface ImagePage {
  /** 0-based page in the file (TIFF IFD; always 0 for the other kinds). */
  index: number;
  /** Size as displayed (after EXIF orientation). */
  width: number;
  height: number;
  /** Resolution the file states, dots per inch; undefined when it states none or a screen default. */
  xRes?: number;
  yRes?: number;
  /**
   * Decodes the page: grey (channels 1) when the picture is grey, else RGB (channels 3); alpha
   * composited on white; EXIF orientation applied. Throws DATA_INVALID naming the file when
   * the data is damaged.
   */
  read(): Promise<Raster>;
}

/** An opened picture. */
export interface ImageDoc {
  kind: ImageKind;
  pages: ImagePage[];
  /** Things the user should know (only the first frame of an animation is used, ...). */
  warnings: string[];
}

/** Densities from here up are a resolution; below are screen defaults (72, 96 dpi). */
const MIN_DENSITY = 100;
/** Densities above this are nonsense in a header (a 20000-dpi "scan" would print as a dot). */
const MAX_DENSITY = 9600;

const KINDS: readonly ImageKind[] = ['jpeg', 'png', 'webp', 'gif', 'tiff'];

const q = (s: string): string => JSON.stringify(s);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

function invalid(name: string, reason: string, cause?: unknown, context: Record<string, unknown> = {}): IfaxError {
  return new IfaxError('DATA_INVALID', `Reading ${q(name)} failed: ${reason}`, { cause, context: { file: name, ...context } });
}

function usableDensity(d: number | undefined): number | undefined {
  return typeof d === 'number' && d >= MIN_DENSITY && d <= MAX_DENSITY ? d : undefined;
}

/** LIMIT_EXCEEDED naming the limit, before any pixel is decoded. */
function checkLimits(name: string, page: number, width: number, height: number): void {
  const over = (limit: string, max: number, value: number, what: string): IfaxError =>
    new IfaxError('LIMIT_EXCEEDED', `Reading ${q(name)} failed: page ${page + 1}: ${what} ${value} exceeds ${limit} (${max})`, {
      context: { file: name, page: page + 1, limit, max, value },
    });
  if (width > MAX_WIDTH) throw over('MAX_WIDTH', MAX_WIDTH, width, 'width');
  if (height > MAX_HEIGHT) throw over('MAX_HEIGHT', MAX_HEIGHT, height, 'height');
  if (width * height > MAX_IMAGE_PIXELS) throw over('MAX_IMAGE_PIXELS', MAX_IMAGE_PIXELS, width * height, 'pixel count');
}

/**
 * Per-axis TIFF resolutions (sharp reports only one density, but 204 x 98 pages exist), from
 * the project's TIFF reader. Undefined when that reader refuses the file: sharp's single
 * density is used then, and libtiff (inside sharp) is the judge of whether the file decodes.
 */
function tiffResolutions(file: string): Array<{ x: number | undefined; y: number | undefined }> | undefined {
  try {
    const tiff = readTiff(readFileSync(file));
    return tiff.pages.map((p) => ({ x: toDpi(p.xResolution, p.resolutionUnit), y: toDpi(p.yResolution, p.resolutionUnit) }));
  } catch {
    return undefined;
  }
}

/**
 * Opens a picture (`file` on disk; `name` for messages). Reads headers only: kind, pages,
 * each page's size and resolution, checked against MAX_WIDTH, MAX_HEIGHT, MAX_IMAGE_PIXELS and
 * MAX_PAGES before anything is decoded. Throws INPUT_NOT_FOUND (66) for a missing file,
 * DATA_INVALID (65) for an unreadable header, UNSUPPORTED_INPUT (65) for a format that is not
 * a picture ifax takes (SVG, HEIF, PDF...), LIMIT_EXCEEDED (65); every message names the file.
 */
export async function openImage(file: string, name: string): Promise<ImageDoc> {
  checkFile(file, name);
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // No pixel limit for the header: sharp's refusal would not name our limit (checked below).
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw invalid(name, `it is not a picture ifax can read, or its header is damaged (${messageOf(err)})`, err);
  }
  const kind = meta.format as ImageKind;
  if (!KINDS.includes(kind)) {
    throw new IfaxError('UNSUPPORTED_INPUT', `Reading ${q(name)} failed: it is a ${String(meta.format).toUpperCase()} image; pictures must be JPEG, PNG, WebP, GIF or TIFF`, {
      context: { file: name, format: meta.format },
      hint: 'Convert it to PNG or JPEG first.',
    });
  }
  const warnings: string[] = [];
  const frames = meta.pages ?? 1;
  let metas: Metadata[] = [meta];
  if (kind === 'tiff' && frames > 1) {
    if (frames > MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading ${q(name)} failed: it has ${frames} pages, over MAX_PAGES (${MAX_PAGES})`, {
        context: { file: name, limit: 'MAX_PAGES', max: MAX_PAGES, value: frames },
      });
    }
    metas = [];
    for (let i = 0; i < frames; i++) {
      try {
        metas.push(await sharp(file, { limitInputPixels: false, page: i }).metadata());
      } catch (err) {
        throw invalid(name, `page ${i + 1} of ${frames} cannot be read (${messageOf(err)})`, err, { page: i + 1 });
      }
    }
  } else if (frames > 1) {
    warnings.push(`${q(name)}: an animated ${kind.toUpperCase()} of ${frames} frames; only the first frame is faxed`);
  }
  const tiffRes = kind === 'tiff' ? tiffResolutions(file) : undefined;

  const pages = metas.map((m, index): ImagePage => {
    // sharp reports the size as stored; EXIF orientations 5-8 swap it when displayed.
    const width = m.autoOrient?.width ?? m.width;
    const height = m.autoOrient?.height ?? m.height;
    if (!(width > 0 && height > 0)) throw invalid(name, `page ${index + 1} is ${width} x ${height} pixels`, undefined, { page: index + 1 });
    checkLimits(name, index, width, height);
    let xRes = usableDensity(m.density);
    let yRes = xRes;
    const res = tiffRes?.length === metas.length ? tiffRes[index] : undefined;
    if (res !== undefined) {
      // The screen-default test goes by the horizontal value: 98 lpi is fax standard vertically.
      xRes = usableDensity(res.x);
      yRes = res.y !== undefined && res.y >= MIN_DENSITY / 2 && res.y <= MAX_DENSITY ? res.y : undefined;
      if (xRes === undefined || yRes === undefined) xRes = yRes = undefined;
    }
    const swapped = (m.orientation ?? 1) >= 5;
    if (swapped) [xRes, yRes] = [yRes, xRes];
    // Grey pictures stay one channel: a grey page as RGB triples the work of every later step.
    const grey = m.space === 'b-w' || m.space === 'grey16';
    // 8-bit grey without alpha (a grey scan's JPEG) is already what we want: no conversion steps.
    const plainGrey = m.space === 'b-w' && m.channels === 1 && !m.hasAlpha && (m.depth === undefined || m.depth === 'uchar');
    const page: ImagePage = { index, width, height, read: () => readPage(file, name, kind, index, width, height, grey, plainGrey) };
    if (xRes !== undefined && yRes !== undefined) {
      page.xRes = xRes;
      page.yRes = yRes;
    }
    return page;
  });
  return { kind, pages, warnings };
}

async function readPage(file: string, name: string, kind: ImageKind, index: number, width: number, height: number, greyHeader: boolean, plainGrey = false): Promise<Raster> {
  const sharp = await loadSharp();
  // sharp's own pixel limit is a second guard behind checkLimits; failOn 'error' rejects damaged
  // data (a truncated JPEG) instead of decoding grey filler into the page.
  const options: SharpOptions = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', autoOrient: true };
  if (kind === 'tiff') options.page = index;
  let pipeline: Sharp = sharp(file, options);
  // flatten and a colour conversion cost half a decode again on a 300-dpi A4 page (measured).
  if (!plainGrey) pipeline = pipeline.flatten({ background: { r: 255, g: 255, b: 255 } }).toColourspace(greyHeader ? 'b-w' : 'srgb');
  let data: Buffer;
  let info;
  try {
    ({ data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw invalid(name, `the picture data of page ${index + 1} cannot be decoded (${messageOf(err)})`, err, { page: index + 1 });
  }
  const channels = info.channels;
  if (info.width !== width || info.height !== height || (channels !== 1 && channels !== 3)) {
    throw invalid(name, `page ${index + 1} decoded as ${info.width} x ${info.height} x ${channels}; its header says ${width} x ${height}`);
  }
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (channels === 3 && isGreyRgb(pixels)) return { width, height, channels: 1, data: rgbToGrey(pixels) };
  return { width, height, channels, data: pixels };
}

/** True when every pixel has R = G = B (palette PNGs and GIFs of grey scans say "srgb"). */
function isGreyRgb(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  return true;
}

function rgbToGrey(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; j < out.length; i += 3, j++) out[j] = rgb[i];
  return out;
}
