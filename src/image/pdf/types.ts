/**
 * What `openPdf` hands out: a PDF's pages with their displayed sizes, a renderer, and the
 * scanned-page fast path (a page that is one full-page image is taken as that image).
 */

import type { PagePixels, Raster } from '../types.js';

/** CCITT parameters of a fast-path image, so a caller can pass T.4/T.6 data on undecoded. */
export interface PdfCcittImage {
  /** The image stream's bytes as stored in the PDF (CCITTFaxDecode is its only filter). */
  data: Uint8Array;
  /** DecodeParms K: < 0 T.6 (MMR), 0 T.4 1-D (MH), > 0 T.4 2-D (MR). */
  k: number;
  columns: number;
  rows: number;
  /**
   * True when runs coded as black are 1 bits in the picture as displayed: DecodeParms
   * BlackIs1 with the image's /Decode [1 0] folded in (both invert). The usual scan
   * (BlackIs1 false, no /Decode) is false: decode with the codec's default polarity.
   */
  blackIs1: boolean;
  /** DecodeParms EncodedByteAlign: each coded row starts on a byte boundary. */
  encodedByteAlign: boolean;
}

/**
 * A page that is a single image covering the page, taken from the PDF without rendering.
 * width/height are the image's pixels as stored; `rotation` is how far to turn them
 * clockwise to get the page as displayed (the image's cm and the page's /Rotate together).
 * xRes/yRes are along the stored image's own axes: its pixels over the page extent they
 * cover, in dots per inch.
 */
export interface FastImage {
  path: 'fast-path';
  width: number;
  height: number;
  xRes: number;
  yRes: number;
  rotation: 0 | 90 | 180 | 270;
  /** Decodes the image: a bitmap (1 = black) for 1-bit images, else a grey or RGB raster. */
  pixels(): Promise<PagePixels>;
  /** Set when the image is CCITT coded. */
  ccitt?: PdfCcittImage;
}

/** One page of an opened PDF. */
export interface PdfPage {
  /** 0-based page number. */
  index: number;
  /** Displayed size in points (CropBox within MediaBox, after /Rotate). */
  widthPt: number;
  heightPt: number;
  /**
   * Renders the page on white at xDpi x yDpi (may differ: 204 x 98 fax standard) and returns
   * its pixels, grey (1 channel) or RGB. Throws LIMIT_EXCEEDED before allocating a page over
   * MAX_PIXELS_PER_PAGE.
   */
  render(xDpi: number, yDpi: number, colour: 'gray' | 'rgb'): Promise<Raster>;
  /** The page's single full-page image, or undefined when the page must be rendered. */
  fastPath(): Promise<FastImage | undefined>;
}

/** An opened PDF. Call close() when done: it frees pdf.js's document. */
export interface PdfDoc {
  pages: PdfPage[];
  /** Things that did not stop reading (e.g. the fast path is off because the file is damaged). */
  warnings: string[];
  /** Details for `-v`: what the PDF libraries said (in ifax's words, their text quoted). */
  notes: string[];
  close(): Promise<void> | void;
}
