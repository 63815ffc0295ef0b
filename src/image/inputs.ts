/**
 * Opening an input: existence and size first (input-file.ts: INPUT_NOT_FOUND, LIMIT_EXCEEDED),
 * then the kind from the bytes (sniff.ts), then headers only: every page's size and
 * decodability is known, and checked against the limits, before any page is decoded. Fax TIFF
 * and PBM pages are made here, pictures and PDF pages in sources.ts. Pages are decoded one at a
 * time, when asked for (`SourcePage.decode`), so a long document never sits in memory decoded.
 */

import { closeSync, fstatSync, openSync, readSync, readFileSync } from 'node:fs';
import { IfaxError, isIfaxError } from '../errors.js';
import { checkDecodable, checkPageLimits, decodePage, readTiff, tiffCodedPage } from '../tiff/index.js';
import { bilevelOf } from './bilevel.js';
import { checkFile, fdSource } from './input-file.js';
import { readPbmImage, scanPbm, type ByteSource, type PbmImageInfo } from './pbm.js';
import { checkPngLimits, readPng } from './png.js';
import { describeKind, sniff, SNIFF_BYTES, type FileKind } from './sniff.js';
import { openImage, type ImageDoc } from './raster-input.js';
import { inFile, type InputDoc, type SourcePage } from './source-page.js';
import { missingRowsOf } from './page-damage.js';
import { orientBitmap } from './rotate.js';
import { colourTiffPage, openPdfInput, openPicture, tiffOrientation, tiffPageBase } from './sources.js';
import { loadSharp } from './sharp.js';


/** PNG density is used as the resolution only from this value up: 72/96 dpi is a screen default, not a scan. */
const MIN_PNG_DENSITY = 100;

const q = (s: string): string => JSON.stringify(s);

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
    // A page stored in another orientation (TIFF Orientation 2-8) is turned or mirrored when
    // read, as libtiff's tifftopnm shows it; its coded data is then not the page as shown, so
    // the pass-through rule refuses it (CodedPage.orientation): it is encoded from the turned pixels.
    const orientation = tiffOrientation(page);
    return {
      ...tiffPageBase(name, page),
      source: 'bilevel',
      path: 'encoded',
      coded: (clean?: boolean) => tiffCodedPage(tiff, page.index, clean),
      async decode() {
        try {
          const d = decodePage(tiff, page.index);
          return { bitmap: orientBitmap(d.bitmap, orientation), damagedRows: d.damagedRows, missingRows: missingRowsOf(page.height, d.rowsDecoded), diagnostics: d.diagnostics, warnings: d.warnings };
        } catch (err) {
          throw inFile(name, err);
        }
      },
      async pixels() {
        const d = await this.decode();
        return { pixels: { kind: 'bitmap', bitmap: d.bitmap }, damagedRows: d.damagedRows, ...(d.missingRows !== undefined ? { missingRows: d.missingRows } : {}), diagnostics: d.diagnostics, warnings: d.warnings };
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
