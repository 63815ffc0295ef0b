/**
 * Pages of grey and colour inputs for `ifax convert` and `send`: pictures (JPEG, PNG, WebP,
 * GIF, non-fax TIFF pages through sharp), TIFF-FX profile C pages (our JPEG/ITULAB reader:
 * libvips has no ITULAB), and PDF pages (the scanned-page fast path, else pdf.js rendering).
 * Headers only at open; pixels when a page is asked for, one page at a time.
 */

import { codingOfK } from '../fax/vocabulary.js';
import { IfaxError } from '../errors.js';
import { bilevelOf } from './bilevel.js';
import { inFile, type DecodedPixels, type InputDoc, type SourcePage } from './source-page.js';
import { openPdf } from './pdf/open.js';
import type { FastImage, PdfPage } from './pdf/types.js';
import { openImage, type ImagePage } from './raster-input.js';
import { isOrientation, orientPixels, rotatePixels, swapsAxes, type Orientation } from './rotate.js';
import type { PagePixels, Raster } from './types.js';
import type { CodedPage } from '../tiff/index.js';
import { RESOLUTIONS } from './fax-format.js';
import type { TiffFile, TiffPage } from '../tiff/index.js';
import { toDpi } from '../tiff/index.js';

const clean = (pixels: PagePixels): DecodedPixels => ({ pixels, damagedRows: 0, diagnostics: [], warnings: [] });

/** A grey or colour page: bitmap on decode() (halftoned), pixels kept on pixels(). */
function rasterPage(base: Omit<SourcePage, 'decode' | 'pixels' | 'source' | 'path'>, read: () => Promise<PagePixels>, path: SourcePage['path'] = 'encoded'): SourcePage {
  return {
    ...base,
    source: 'raster',
    path,
    colourPixels: true,
    async pixels() {
      try {
        return clean(await read());
      } catch (err) {
        throw inFile(base.file, err);
      }
    },
    async decode(opts) {
      const d = await this.pixels();
      return { bitmap: bilevelOf(d.pixels, opts), damagedRows: d.damagedRows, diagnostics: d.diagnostics, warnings: d.warnings };
    },
  };
}

function imagePage(name: string, p: ImagePage): SourcePage {
  return rasterPage({ file: name, index: p.index, width: p.width, height: p.height, xRes: p.xRes, yRes: p.yRes }, async () => ({ kind: 'raster', raster: await p.read() }));
}

/** A picture file (sharp reads it): every page grey or colour. */
export async function openPicture(file: string, name: string): Promise<InputDoc> {
  const doc = await openImage(file, name);
  return { name, kind: doc.kind, pages: doc.pages.map((p) => imagePage(name, p)), warnings: doc.warnings, close() {} };
}

/**
 * A TIFF page's Orientation (274), 1 when absent or not a value TIFF 6.0 defines (as libtiff
 * reads it: such a page is shown as stored).
 */
export function tiffOrientation(page: TiffPage): Orientation {
  return isOrientation(page.orientation) ? page.orientation : 1;
}

/**
 * What a TIFF page's header says of it, as a SourcePage starts: the page as shown, i.e. with
 * its Orientation applied (5-8 swap width and height, and the resolutions with them).
 */
export function tiffPageBase(name: string, page: TiffPage): Pick<SourcePage, 'file' | 'index' | 'width' | 'height' | 'xRes' | 'yRes'> {
  const xRes = toDpi(page.xResolution, page.resolutionUnit);
  const yRes = toDpi(page.yResolution, page.resolutionUnit);
  const swap = swapsAxes(tiffOrientation(page));
  return {
    file: name,
    index: page.index,
    width: swap ? page.height : page.width,
    height: swap ? page.width : page.height,
    xRes: swap ? yRes : xRes,
    yRes: swap ? xRes : yRes,
  };
}

/** A TIFF page that is not bilevel fax: profile C (JPEG, ITULAB etc.) through our reader, the rest through sharp. */
export function colourTiffPage(name: string, tiff: TiffFile, page: TiffPage, picture: () => Promise<ImagePage>): SourcePage {
  const base = tiffPageBase(name, page);
  if (page.compression === 7) {
    // Loaded when needed: its colour tables cost ~40 ms to build, wasted on bilevel faxes.
    const o = tiffOrientation(page);
    return rasterPage(base, async () => orientPixels({ kind: 'raster', raster: (await import('./color/index.js')).decodeColorPage(tiff, page.index) }, o));
  }
  // sharp (libvips) applies Orientation itself (raster-input.ts autoOrient).
  return rasterPage(base, async () => ({ kind: 'raster', raster: await (await picture()).read() }));
}

/** A scanned PDF page: its image, turned upright. */
function fastPage(name: string, page: PdfPage, fast: FastImage): SourcePage {
  const turned = fast.rotation === 90 || fast.rotation === 270;
  const base = {
    file: name,
    index: page.index,
    width: turned ? fast.height : fast.width,
    height: turned ? fast.width : fast.height,
    xRes: turned ? fast.yRes : fast.xRes,
    yRes: turned ? fast.xRes : fast.yRes,
  };
  const sp = rasterPage(base, async () => rotatePixels(await fast.pixels(), fast.rotation), 'fast-path');
  // CCITT data kept only when it is the page as shown: no turn, the usual polarity, rows unaligned.
  if (fast.ccitt && fast.rotation === 0 && !fast.ccitt.blackIs1 && !fast.ccitt.encodedByteAlign && fast.ccitt.rows === fast.height) {
    const c = fast.ccitt;
    sp.ccitt = c;
    sp.undecodedCoding = codingOfK(c.k);
    sp.coded = (clean?: boolean): CodedPage => ({
      width: c.columns,
      height: c.rows,
      coding: codingOfK(c.k),
      strips: [{ data: c.data, firstRow: 0, rows: c.rows }],
      // PDF 1.7 §7.4.6: CCITTFaxDecode data is MSB first; T.4 EOLs carry no fill bits there.
      fillOrder: 1,
      eolFill: false,
      uncompressed: false,
      byteAligned: c.encodedByteAlign,
      photometric: 0,
      ...(clean !== undefined ? { clean } : {}),
    });
  }
  return sp;
}

/** A PDF page without a single image: rendered at the resolution asked for. */
function renderedPage(name: string, page: PdfPage): SourcePage {
  const render = async (x: number, y: number, colour: 'gray' | 'rgb'): Promise<Raster> => {
    try {
      return await page.render(x, y, colour);
    } catch (err) {
      throw inFile(name, err);
    }
  };
  return {
    file: name,
    index: page.index,
    // Exact points: the pixel size at a resolution is computed from them (renderSize), as the
    // renderer does, so the planned page count matches what rendering gives.
    width: page.widthPt,
    height: page.heightPt,
    xRes: undefined,
    yRes: undefined,
    source: 'pdf',
    path: 'rendered',
    render,
    async pixels() {
      throw new IfaxError('INTERNAL', `pixels() of rendered PDF page ${page.index + 1} of ${JSON.stringify(name)}: call render() at the target resolution`);
    },
    async decode(opts) {
      const x = opts?.xRes ?? RESOLUTIONS.fine.x;
      const y = opts?.yRes ?? RESOLUTIONS.fine.y;
      const raster = await render(x, y, 'gray');
      return { bitmap: bilevelOf({ kind: 'raster', raster }, opts), damagedRows: 0, diagnostics: [], warnings: [] };
    },
  };
}

/** A PDF: each page taken by the fast path when it is one full-page image, else rendered. */
export async function openPdfInput(file: string, name: string): Promise<InputDoc> {
  const doc = await openPdf(file, name);
  try {
    const pages: SourcePage[] = [];
    for (const page of doc.pages) {
      const fast = await page.fastPath();
      pages.push(fast ? fastPage(name, page, fast) : renderedPage(name, page));
    }
    return { name, kind: 'pdf', pages, warnings: doc.warnings, notes: doc.notes, close: () => doc.close() };
  } catch (err) {
    await doc.close();
    throw inFile(name, err);
  }
}
