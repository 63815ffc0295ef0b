/**
 * Opening the files `ifax convert` reads: existence and size first (INPUT_NOT_FOUND,
 * LIMIT_EXCEEDED), then the kind from the bytes (sniff.ts), then headers only: every page's
 * size and decodability is known, and checked against the limits, before any page is decoded.
 * Pages are decoded one at a time, when asked for (`SourcePage.decode`), so a long document
 * never sits in memory decoded. `-` is stdin, spooled to a temp file (so a large PBM on stdin
 * is read image by image, like a file).
 */

import { closeSync, createWriteStream, fstatSync, mkdtempSync, openSync, readSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bitmap, FaxDiagnostic } from '../codec/types.js';
import { IfaxError, isIfaxError } from '../errors.js';
import { MAX_INPUT_BYTES } from '../limits.js';
import { checkDecodable, checkPageLimits, decodePage, readTiff, type TiffFile, type TiffPage } from '../tiff/index.js';
import { readPbmImage, scanPbm, type ByteSource, type PbmImageInfo } from './pbm.js';
import { checkPngLimits, readPng } from './png.js';
import { describeKind, sniff, SNIFF_BYTES, type FileKind } from './sniff.js';
import type { PdfCcittImage } from './pdf/types.js';
import { openImage, type ImageDoc } from './raster-input.js';
import { bilevelOf, colourTiffPage, openPdfInput, openPicture, tiffPageBase } from './sources.js';
import type { HalftoneMode, PagePath, PagePixels, Raster } from './types.js';
import { loadSharp } from './sharp.js';

/** A page as decoded: the bitmap (1 = black) and what went wrong on the way. */
export interface DecodedSource {
  bitmap: Bitmap;
  damagedRows: number;
  diagnostics: FaxDiagnostic[];
  warnings: string[];
}

/** One page of an input, not yet decoded. */
export interface SourcePage {
  /** The input's name as the user gave it ("-" is shown as "stdin"). */
  file: string;
  /** 0-based page (image, IFD) in its file. */
  index: number;
  /**
   * Size in pixels. For a PDF page that is rendered (`render` set), its size at 72 dpi
   * (points); the real size comes with the resolution it is rendered at.
   */
  width: number;
  height: number;
  /** Resolution the file states, in dots per inch; undefined when it has none. */
  xRes: number | undefined;
  yRes: number | undefined;
  /**
   * What the pixels are: `bilevel` (fax TIFF, PBM), `raster` (grey or colour pictures, colour
   * TIFF pages, a scanned PDF page taken as its image: pixels() says which), or `pdf` (a PDF
   * page rendered at the resolution asked for).
   */
  source: 'bilevel' | 'raster' | 'pdf';
  /** How the page is taken: a fax file's pages are `encoded`, a scanned PDF's `fast-path`. */
  path: PagePath;
  /** For TIFF pages: the parsed file and page, for pass-through of the coded strips. */
  tiff?: { file: TiffFile; page: TiffPage };
  /** For scanned PDF pages whose image is CCITT coded: the data, for pass-through. */
  ccitt?: PdfCcittImage;
  /** For PDF pages without a fast path: renders the page. */
  render?(xDpi: number, yDpi: number, colour: 'gray' | 'rgb'): Promise<Raster>;
  /** Grey or colour pixels worth keeping when the page is viewed (PNG, PDF out): colour fax pages, photos. */
  colourPixels?: boolean;
  /** The page as a bitmap at its own size (what `--fit none` keeps). */
  decode(opts?: BilevelOptions): Promise<DecodedSource>;
  /** The page's pixels at its own size, grey or colour kept (for fitting); not for `pdf` pages. */
  pixels(): Promise<DecodedPixels>;
}

/** How a grey or colour page becomes a bitmap when it is kept at its own size. */
export interface BilevelOptions {
  halftone?: HalftoneMode;
  threshold?: number;
  /** Resolution a PDF page is rendered at (default fine, 204 x 196). */
  xRes?: number;
  yRes?: number;
}

/** A page's pixels as decoded, grey or colour kept, with what went wrong on the way. */
export interface DecodedPixels {
  pixels: PagePixels;
  damagedRows: number;
  diagnostics: FaxDiagnostic[];
  warnings: string[];
}

/** An opened input: its kind, its pages (headers only), and its resources. */
export interface InputDoc {
  name: string;
  kind: FileKind;
  pages: SourcePage[];
  warnings: string[];
  close(): void | Promise<void>;
}

/** PNG density is used as the resolution only from this value up: 72/96 dpi is a screen default, not a scan. */
const MIN_PNG_DENSITY = 100;

const q = (s: string): string => JSON.stringify(s);

/** Re-throws a reader's error with the input file named in front. */
export function inFile(name: string, err: unknown): unknown {
  if (!isIfaxError(err) || err.message.includes(q(name))) return err;
  return new IfaxError(err.code, `Reading ${q(name)} failed: ${err.message}`, {
    cause: err,
    context: { ...err.context, file: name },
    ...(err.hint !== undefined ? { hint: err.hint } : {}),
  });
}

/** stat + open checks: INPUT_NOT_FOUND naming the file, LIMIT_EXCEEDED for MAX_INPUT_BYTES. Returns the size. */
export function checkFile(file: string, name: string): number {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) {
      throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: it is a directory, not a file`, { context: { file: name } });
    }
    size = st.size;
  } catch (err) {
    if (isIfaxError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new IfaxError(
      'INPUT_NOT_FOUND',
      `Reading ${q(name)} failed: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      { cause: err, context: { file: name, errno: code }, hint: code === 'ENOENT' ? 'Check the path; use "-" to read standard input.' : undefined },
    );
  }
  if (size > MAX_INPUT_BYTES) {
    throw new IfaxError('LIMIT_EXCEEDED', `Reading ${q(name)} failed: the file is ${size} bytes, over MAX_INPUT_BYTES (${MAX_INPUT_BYTES})`, {
      context: { file: name, limit: 'MAX_INPUT_BYTES', max: MAX_INPUT_BYTES, value: size },
    });
  }
  return size;
}

/** A ByteSource over an open file descriptor. */
function fdSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    readInto(offset, target) {
      let got = 0;
      while (got < target.length) {
        const r = readSync(fd, target, got, target.length - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got;
    },
  };
}

/** Stdin spooled to a temp file (bounded by MAX_INPUT_BYTES); remove the dir when done. */
export async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ file: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-stdin-'));
  const file = path.join(dir, 'stdin');
  const out = createWriteStream(file);
  let total = 0;
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_INPUT_BYTES) {
        throw new IfaxError('LIMIT_EXCEEDED', `Reading "stdin" failed: more than MAX_INPUT_BYTES (${MAX_INPUT_BYTES}) bytes`, {
          context: { file: 'stdin', limit: 'MAX_INPUT_BYTES', max: MAX_INPUT_BYTES },
        });
      }
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { file, dir };
}

/**
 * Opens one input (`file` on disk; `name` for messages). Reads headers only and checks every
 * page against the limits and what ifax can decode. Throws INPUT_NOT_FOUND (66),
 * DATA_INVALID / TIFF_INVALID / UNSUPPORTED_INPUT / LIMIT_EXCEEDED (65), naming the file.
 */
export async function openInput(file: string, name: string): Promise<InputDoc> {
  const size = checkFile(file, name);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: ${(err as Error).message}`, { cause: err, context: { file: name } });
  }
  let keepOpen = false;
  try {
    const src = fdSource(fd, fstatSync(fd).size);
    const kind = sniff(src.read(0, SNIFF_BYTES));
    switch (kind) {
      case 'tiff':
        return openTiff(readWhole(fd, size, name), file, name);
      case 'pbm': {
        const doc = openPbm(src, name, () => closeSync(fd));
        keepOpen = true;
        return doc;
      }
      case 'png':
        return await openPng(file, name);
      case 'jpeg':
      case 'gif':
      case 'webp':
        return await openPicture(file, name);
      case 'pdf':
        return await openPdfInput(file, name);
      default:
        throw unsupportedKind(kind, name, src.read(0, 8));
    }
  } catch (err) {
    throw inFile(name, err);
  } finally {
    if (!keepOpen) closeSync(fd);
  }
}

function readWhole(fd: number, size: number, name: string): Uint8Array {
  const buf = new Uint8Array(size);
  let got = 0;
  while (got < size) {
    const r = readSync(fd, buf, got, size - got, got);
    if (r === 0) throw new IfaxError('DATA_INVALID', `Reading ${q(name)} failed: the file shrank while being read`);
    got += r;
  }
  return buf;
}

function unsupportedKind(kind: FileKind, name: string, head: Uint8Array): IfaxError {
  const known = 'PDF, TIFF, JPEG, PNG, WebP, GIF and PBM (P1/P4)';
  if (kind === 'unknown') {
    const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return new IfaxError('DATA_INVALID', `Reading ${q(name)} failed: it is not a file ifax reads (it starts with bytes ${hex || '(none: the file is empty)'})`, {
      context: { file: name },
      hint: `ifax reads ${known}; the type is taken from the content, not the file name.`,
    });
  }
  return new IfaxError('UNSUPPORTED_INPUT', `Reading ${q(name)} failed: it is ${describeKind(kind)}; ifax reads ${known}`, {
    context: { file: name, kind },
    hint: kind === 'bigtiff' ? 'BigTIFF is not used for fax; write a classic TIFF.' : 'Convert it to PNG first (netpbm: pnmtopng).',
  });
}

/**
 * A TIFF: bilevel fax pages are decoded by our codec; other pages (grey, colour, profile C,
 * LZW or JPEG pictures) are pictures, so one multi-page TIFF may mix both.
 */
function openTiff(bytes: Uint8Array, file: string, name: string): InputDoc {
  const tiff = readTiff(bytes);
  let pictures: Promise<ImageDoc> | undefined;
  const picture = (index: number) => async () => {
    pictures ??= openImage(file, name);
    const doc = await pictures;
    const page = doc.pages[index];
    if (!page) throw new IfaxError('TIFF_INVALID', `Reading ${q(name)} failed: page ${index + 1} cannot be read as a picture`);
    return page;
  };
  const pages = tiff.pages.map((page): SourcePage => {
    checkPageLimits(page);
    try {
      checkDecodable(page);
    } catch (err) {
      if (!isIfaxError(err, 'UNSUPPORTED_INPUT') || page.tiled) throw err;
      return colourTiffPage(name, tiff, page, picture(page.index));
    }
    return {
      ...tiffPageBase(name, page),
      source: 'bilevel',
      path: 'encoded',
      tiff: { file: tiff, page },
      async decode() {
        try {
          const d = decodePage(tiff, page.index);
          return { bitmap: d.bitmap, damagedRows: d.damagedRows, diagnostics: d.diagnostics, warnings: d.warnings };
        } catch (err) {
          throw inFile(name, err);
        }
      },
      async pixels() {
        const d = await this.decode();
        return { pixels: { kind: 'bitmap', bitmap: d.bitmap }, damagedRows: d.damagedRows, diagnostics: d.diagnostics, warnings: d.warnings };
      },
    };
  });
  if (pages.length === 0) throw new IfaxError('TIFF_INVALID', `Reading ${q(name)} failed: the TIFF has no pages`);
  return { name, kind: 'tiff', pages, warnings: tiff.warnings, close() {} };
}

function openPbm(src: ByteSource, name: string, close: () => void): InputDoc {
  const scan = scanPbm(src, name);
  const pages = scan.images.map((info: PbmImageInfo): SourcePage => ({
    file: name,
    index: info.index,
    width: info.width,
    height: info.height,
    xRes: undefined,
    yRes: undefined,
    source: 'bilevel',
    path: 'encoded',
    async decode() {
      return { bitmap: readPbmImage(src, info, name), damagedRows: 0, diagnostics: [], warnings: [] };
    },
    async pixels() {
      return { pixels: { kind: 'bitmap', bitmap: readPbmImage(src, info, name) }, damagedRows: 0, diagnostics: [], warnings: [] };
    },
  }));
  return { name, kind: 'pbm', pages, warnings: scan.warnings, close };
}

async function openPng(file: string, name: string): Promise<InputDoc> {
  const sharp = await loadSharp();
  let meta;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `Reading PNG ${q(name)} failed: the header cannot be read (${(err as Error).message})`, { cause: err });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  checkPngLimits(name, width, height);
  const density = typeof meta.density === 'number' && meta.density >= MIN_PNG_DENSITY ? meta.density : undefined;
  const page: SourcePage = {
    file: name,
    index: 0,
    width,
    height,
    xRes: density,
    yRes: density,
    source: 'raster',
    path: 'encoded',
    // Kept at its own size (--fit none), a PNG is thresholded as before: bilevel PNGs are
    // exact. Fitted, it is read grey or colour, so photos are halftoned at the fax size.
    async decode(opts) {
      if (opts?.halftone !== undefined && opts.halftone !== 'threshold') {
        const raster = await (await openImage(file, name)).pages[0].read();
        return { bitmap: bilevelOf({ kind: 'raster', raster }, opts), damagedRows: 0, diagnostics: [], warnings: [] };
      }
      const png = await readPng(readFileSync(file), name);
      return { bitmap: png.bitmap, damagedRows: 0, diagnostics: [], warnings: [] };
    },
    async pixels() {
      const raster = await (await openImage(file, name)).pages[0].read();
      return { pixels: { kind: 'raster', raster }, damagedRows: 0, diagnostics: [], warnings: [] };
    },
  };
  return { name, kind: 'png', pages: [page], warnings: [], close() {} };
}

/** Re-export for callers that only need the kind. */
export type { FileKind };
