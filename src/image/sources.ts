/**
 * Pages of grey and colour inputs for `ifax convert` and `send`: pictures (JPEG, PNG, WebP,
 * GIF, non-fax TIFF pages through sharp), TIFF-FX profile C pages (our JPEG/ITULAB reader:
 * libvips has no ITULAB), and PDF pages (the scanned-page fast path, else pdf.js rendering).
 * Headers only at open; pixels when a page is asked for, one page at a time.
 */

import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { toBilevel } from './halftone.js';
import { inFile, type BilevelOptions, type DecodedPixels, type InputDoc, type SourcePage } from './inputs.js';
import { openPdf } from './pdf/open.js';
import type { FastImage, PdfPage } from './pdf/types.js';
import { openImage, type ImagePage } from './raster-input.js';
import { rotatePixels } from './rotate.js';
import type { PagePixels, Raster } from './types.js';
import { RESOLUTIONS } from './fax-format.js';
import type { TiffFile, TiffPage } from '../tiff/index.js';
import { toDpi } from '../tiff/index.js';
import { loadSharp } from './sharp.js';

/** Rec. 601 luma: what a fax scanner's grey channel is. Grey rasters are returned as they are. */
export function greyOf(r: Raster): Raster {
  if (r.channels === 1) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n);
  const d = r.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (d[j] * 299 + d[j + 1] * 587 + d[j + 2] * 114 + 500) / 1000;
  return { width: r.width, height: r.height, channels: 1, data: out };
}

/** Pixels as a bitmap at their own size: halftoned (auto unless told) when grey or colour. */
export function bilevelOf(p: PagePixels, opts: BilevelOptions = {}): Bitmap {
  return p.kind === 'bitmap' ? p.bitmap : toBilevel(greyOf(p.raster), opts.halftone ?? 'auto', opts.threshold);
}

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

/** What a TIFF page's header says of it, as a SourcePage starts. */
export function tiffPageBase(name: string, page: TiffPage): Pick<SourcePage, 'file' | 'index' | 'width' | 'height' | 'xRes' | 'yRes'> {
  return {
    file: name,
    index: page.index,
    width: page.width,
    height: page.height,
    xRes: toDpi(page.xResolution, page.resolutionUnit),
    yRes: toDpi(page.yResolution, page.resolutionUnit),
  };
}

/** A TIFF page that is not bilevel fax: profile C (JPEG, ITULAB etc.) through our reader, the rest through sharp. */
export function colourTiffPage(name: string, tiff: TiffFile, page: TiffPage, picture: () => Promise<ImagePage>): SourcePage {
  const base = tiffPageBase(name, page);
  if (page.compression === 7) {
    // Loaded when needed: its colour tables cost ~40 ms to build, wasted on bilevel faxes.
    return rasterPage(base, async () => ({ kind: 'raster', raster: (await import('./color/index.js')).decodeColorPage(tiff, page.index) }));
  }
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
    sp.ccitt = fast.ccitt;
  }
  return sp;
}

/** A grey or RGB raster as PNG (with its resolution) or baseline JPEG, by sharp. */
export async function encodeRaster(r: Raster, as: 'png' | 'jpeg', xRes: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const img = sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), { raw: { width: r.width, height: r.height, channels: r.channels }, limitInputPixels: false }).withMetadata({ density: xRes });
  const out = as === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
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
    return { name, kind: 'pdf', pages, warnings: doc.warnings, close: () => doc.close() };
  } catch (err) {
    await doc.close();
    throw inFile(name, err);
  }
}
