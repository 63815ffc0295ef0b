/**
 * What a page of an input is before it becomes a fax page: the types every input reader
 * (fax TIFF, PBM, pictures, PDF) hands out and the page stream (fax-pages.ts) consumes. A low
 * file on purpose: the readers import it, never each other.
 */

import type { Bitmap, FaxCoding, FaxDiagnostic } from '../codec/types.js';
import { IfaxError, isIfaxError } from '../errors.js';
import type { CodedPage } from '../tiff/index.js';
import type { FileKind } from './sniff.js';
import type { PdfCcittImage } from './pdf/types.js';
import type { HalftoneMode, PagePath, PagePixels, Raster } from './types.js';

/** A page as decoded: the bitmap (1 = black) and what went wrong on the way. */
export interface DecodedSource {
  bitmap: Bitmap;
  damagedRows: number;
  /** Rows not in the data, left white (page-damage.ts); undefined when none can be. */
  missingRows?: number;
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
  /**
   * The page's coded fax data as stored (a bilevel TIFF page's strips, a scanned PDF's CCITT
   * image), for the pass-through rule (tiff/passthrough.ts). `clean` is how decoding went, when
   * the page was decoded. Absent for pages that have none.
   */
  coded?(clean?: boolean): CodedPage;
  /**
   * Set when the coded data is the page exactly as shown and can go out without even being
   * decoded (a scanned PDF's CCITT image: no turn, usual polarity): the coding it has.
   */
  undecodedCoding?: FaxCoding;
  /** For scanned PDF pages whose image is CCITT coded: the image's parameters (`--info`). */
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
  /** As DecodedSource.missingRows. */
  missingRows?: number;
  diagnostics: FaxDiagnostic[];
  warnings: string[];
}

/** An opened input: its kind, its pages (headers only), and its resources. */
export interface InputDoc {
  name: string;
  kind: FileKind;
  pages: SourcePage[];
  warnings: string[];
  /** Details for `-v` (what the libraries reading the file said); absent when none. */
  notes?: string[];
  close(): void | Promise<void>;
}

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
