/**
 * Fitting a page to fax paper: the T.4 page width at the target resolution (paper.ts), the
 * content scaled to the paper keeping its physical aspect ratio (x and y scale separately for
 * non-square fax pixels such as 204 x 98), centred, turned when a landscape page fits better
 * turned, and a page longer than the paper split or shrunk. Then the colour the fax is sent in:
 * bilevel (halftone.ts), grey or RGB. Resampling and colour conversion are sharp's (libvips).
 *
 * Decisions:
 * - Never enlarged beyond the resolution the source states: a 100-dpi picture 4 inches wide
 *   comes out 4 inches wide, not full width. A source without a resolution
 *   (UNKNOWN_RESOLUTION) has no physical size: it is scaled to the paper width, up or down.
 * - Height is the content's, at most the paper's: fax pages may be shorter than the sheet.
 * - Scale factors within SNAP_TOLERANCE of 1 count as 1 (200 vs 204 dpi, 196 vs 200 lpi):
 *   fax devices treat those as one resolution, and resampling a page by 2% only blurs it.
 * - `split` cuts a long page into paper-high pages overlapping by SPLIT_OVERLAP_INCHES, so a
 *   text line cut at the boundary is whole on one of them.
 * - `rotate: 'auto'` turns a landscape page 90° counter-clockwise (its top to the paper's left
 *   edge, as printers and PDF viewers do) when it is then shrunk less, by ROTATE_MIN_GAIN.
 */

import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { MAX_IMAGE_PIXELS, MAX_PAGES } from '../limits.js';
import { toBilevel } from './halftone.js';
import { paperHeightPx, paperWidthPx } from './paper.js';
import type { ColourMode, HalftoneMode, PagePixels, PaperName, Raster } from './types.js';
import { loadSharp } from './sharp.js';

/** What the fax page should be. */
export interface FitOptions {
  /** Target resolution, dots per inch (204 x 196 is fine). */
  xRes: number;
  yRes: number;
  paper: PaperName;
  /** `auto`: turn a landscape page when it then fits better; `none`: never turn. */
  rotate: 'auto' | 'none';
  /** A page longer than the paper: `split` into several pages, or `shrink` to fit one. */
  longPage: 'split' | 'shrink';
  /** `bw`: a Bitmap; `gray`: a grey Raster; `color`: an RGB Raster. */
  colour: ColourMode;
  /** How grey becomes black and white (colour `bw` only). */
  halftone: HalftoneMode;
  /** Threshold 0-255 for `threshold` and `auto` (text parts); Otsu's when undefined. */
  threshold?: number;
  /**
   * Rows of the paper kept free for what is added above the page (the header line): the
   * page is fitted into the paper's height less these, so page and header fit the sheet.
   */
  reserveRows?: number;
  /**
   * A page whose pixels map one to one is kept unscaled even when it is up to
   * LONG_PAGE_TOLERANCE too long (default true: bilevel fax pages lose by resampling). False
   * for rendered and picture pages, and for every page of a profile S document (whose
   * receivers take nothing longer than the sheet): those are shrunk onto the sheet instead.
   */
  exactRows?: boolean;
}

/** One fax page made from a source page. */
export interface FittedPage {
  pixels: PagePixels;
  /** True when the pixels were resampled (not only padded, turned or cut). */
  scaled: boolean;
  /** True when the page was turned 90°. */
  rotated: boolean;
}

/** A source resolution of 0: the source states none (see the module comment). */
export const UNKNOWN_RESOLUTION = 0;

/** Scale factors this close to 1 are taken as 1 (see the module comment). */
export const SNAP_TOLERANCE = 0.025;

/**
 * A landscape page is turned only when that makes it at least this much (10%) larger: turning
 * costs the reader a turn of the sheet, which a 2% gain (a 3456-pixel 400-dpi strip is 8.64 in
 * wide, the 204-dpi scan line 8.47 in) is not worth.
 */
export const ROTATE_MIN_GAIN = 0.1;

/** Overlap of the pages of a split long page: 0.2 inch (5 mm) is one line of 12-point text. */
export const SPLIT_OVERLAP_INCHES = 0.2;

/** The geometry fitPage decided, in target pixels. */
export interface FitPlan {
  /** Turned 90° counter-clockwise first. */
  rotate: boolean;
  /** Size of the content after scaling (before centring). */
  contentWidth: number;
  contentHeight: number;
  /** Page width: the paper's scan width at opts.xRes. */
  pageWidth: number;
  /** The paper's height in rows at opts.yRes: the most a page may have. */
  paperHeight: number;
  /** White columns left of the content (centring). */
  left: number;
  /** True when contentWidth x contentHeight differs from the (turned) source size. */
  scaled: boolean;
  /** Row ranges [start, end) of contentHeight, one per output page. */
  pages: Array<[number, number]>;
}

const known = (r: number): boolean => Number.isFinite(r) && r > 0;
const sameRes = (a: number, b: number): boolean => Math.abs(a / b - 1) <= SNAP_TOLERANCE;

/**
 * How much longer than the sheet a page may be and still go as one page: 10%. Fax pages
 * longer than A4 are common (ITU-T chart No. 1 is 2376 rows at 7.7 l/mm, the A4 sheet 2292)
 * and receivers print them, reduced; cutting off a 4% tail as a page of its own is worse.
 */
export const LONG_PAGE_TOLERANCE = 0.1;

/** The most rows one output page may have (before the reserved rows are added back). */
function oneLongPage(opts: FitOptions): number {
  return Math.floor(paperHeightPx(opts.paper, opts.yRes) * (1 + LONG_PAGE_TOLERANCE)) - (opts.reserveRows ?? 0);
}

/** The most rows an unscaled page keeps as one page: the long-page band unless exactRows is off. */
function onePageRows(opts: FitOptions): number {
  return opts.exactRows === false ? paperHeightPx(opts.paper, opts.yRes) - (opts.reserveRows ?? 0) : oneLongPage(opts);
}

/**
 * The geometry of fitting a `width` x `height` source at `source` dpi to `opts` (no pixels
 * touched): whether to turn, the scaled size, centring, and the rows of each output page.
 */
export function planFit(width: number, height: number, source: { xRes: number; yRes: number }, opts: FitOptions): FitPlan {
  const pageWidth = paperWidthPx(opts.paper, opts.xRes);
  const paperHeight = Math.max(1, paperHeightPx(opts.paper, opts.yRes) - (opts.reserveRows ?? 0));
  const unknown = !(known(source.xRes) && known(source.yRes));
  // Physical size in inches; without a resolution, in pixels (square), scaled to the width below.
  // A source at the target resolution within SNAP_TOLERANCE (200 x 200 for 204 x 196) is taken
  // as at it, so that its pixels map one to one (fitsAlready agrees).
  const same = !unknown && sameRes(source.xRes, opts.xRes) && sameRes(source.yRes, opts.yRes);
  const sx = unknown ? 1 : same ? opts.xRes : source.xRes;
  const sy = unknown ? 1 : same ? opts.yRes : source.yRes;
  const paperW = pageWidth / opts.xRes;
  const paperH = paperHeight / opts.yRes;
  // Never enlarged beyond the stated resolution; without one, scaled to the width.
  const widthScale = (w: number): number => (unknown ? paperW / w : Math.min(1, paperW / w));
  const fitScale = (w: number, h: number): number => Math.min(widthScale(w), paperH / h);

  let wIn = width / sx;
  let hIn = height / sy;
  let srcW = width;
  let srcH = height;
  let rotate = false;
  // The papers are all portrait: only a landscape page can gain from turning.
  if (opts.rotate === 'auto' && wIn > hIn && fitScale(hIn, wIn) > fitScale(wIn, hIn) * (1 + ROTATE_MIN_GAIN)) {
    rotate = true;
    [wIn, hIn] = [hIn, wIn];
    [srcW, srcH] = [srcH, srcW];
  }
  let s = widthScale(wIn);
  // A page turned to fit the sheet better is fitted onto one sheet, never split.
  if (opts.longPage === 'shrink' || rotate) s = Math.min(s, paperH / hIn);
  // A page at most LONG_PAGE_TOLERANCE longer than the sheet (less the reserved rows) is not
  // split: kept as it is when its pixels map one to one (a fax page, see oneLongPage), else
  // shrunk a little, since it is resampled anyway.
  const oneMax = oneLongPage(opts);
  const mapsOneToOne = opts.exactRows !== false && !unknown && same && widthScale(wIn) === 1 && !rotate && srcW <= pageWidth;
  if (hIn * s > paperH && hIn * s * opts.yRes <= oneMax && !mapsOneToOne) s = Math.min(s, paperH / hIn);
  let contentWidth = Math.max(1, Math.min(pageWidth, Math.round(wIn * s * opts.xRes)));
  let contentHeight = Math.max(1, Math.round(hIn * s * opts.yRes));
  if (opts.longPage === 'shrink') contentHeight = Math.min(contentHeight, paperHeight);
  const near1 = (a: number, b: number): boolean => Math.abs(a / b - 1) <= SNAP_TOLERANCE;
  // Snapping back to the source rows must not undo the shrink of a slightly long rendered page.
  const rowsMayStay = srcH <= paperHeight || (opts.longPage === 'split' && (opts.exactRows !== false || srcH > oneMax));
  if (near1(contentWidth, srcW) && near1(contentHeight, srcH) && srcW <= pageWidth && rowsMayStay) {
    contentWidth = srcW;
    contentHeight = srcH;
  }
  const scaled = contentWidth !== srcW || contentHeight !== srcH;
  // A page that is resampled is resampled whole, before it is split into sheets: that picture
  // is what MAX_IMAGE_PIXELS bounds. A bilevel page kept pixel for pixel (not scaled, not
  // turned) is only cut into sheets, so no such picture is made and the limit does not apply.
  const keptAsIs = !scaled && !rotate && opts.exactRows !== false;
  if (!keptAsIs && pageWidth * contentHeight > MAX_IMAGE_PIXELS) throw tooLongToScale(pageWidth, contentHeight, srcH, opts);
  const pages: Array<[number, number]> = [];
  if (contentHeight <= onePageRows(opts) && !scaled) {
    pages.push([0, contentHeight]);
    return { rotate, contentWidth, contentHeight, pageWidth, paperHeight, left: (pageWidth - contentWidth) >> 1, scaled, pages };
  }
  const overlap = Math.min(Math.round(SPLIT_OVERLAP_INCHES * opts.yRes), paperHeight >> 2);
  for (let y = 0; ; y += paperHeight - overlap) {
    const end = Math.min(y + paperHeight, contentHeight);
    pages.push([y, end]);
    if (end === contentHeight) break;
    if (pages.length > MAX_PAGES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Fitting the page failed: splitting it makes more than MAX_PAGES (${MAX_PAGES}) pages`, {
        context: { limit: 'MAX_PAGES', max: MAX_PAGES },
      });
    }
  }
  return { rotate, contentWidth, contentHeight, pageWidth, paperHeight, left: (pageWidth - contentWidth) >> 1, scaled, pages };
}

/**
 * LIMIT_EXCEEDED for a long page whose scaled whole is over MAX_IMAGE_PIXELS. Only a page that
 * is split gets here (a shrunk or turned page is at most one sheet), so the hint says what helps
 * then: shorter parts of the source (how long), or fewer rows per inch.
 */
function tooLongToScale(pageWidth: number, contentHeight: number, srcRows: number, opts: FitOptions): IfaxError {
  const maxRows = Math.floor(MAX_IMAGE_PIXELS / pageWidth);
  const partRows = Math.max(1, Math.floor((srcRows * maxRows) / contentHeight));
  const lower = opts.yRes > 100 ? ', or choose a lower resolution (--resolution standard has half the rows)' : '';
  return new IfaxError(
    'LIMIT_EXCEEDED',
    `Fitting the page failed: a long page is scaled whole before it is split into sheets, and scaled it is ${pageWidth} x ${contentHeight} pixels, over MAX_IMAGE_PIXELS (${MAX_IMAGE_PIXELS})`,
    {
      context: { limit: 'MAX_IMAGE_PIXELS', max: MAX_IMAGE_PIXELS, value: pageWidth * contentHeight },
      hint: `Cut the source into parts of at most ${partRows} rows (e.g. pamcut, or ImageMagick -crop)${lower}.`,
    },
  );
}

/**
 * True when a bilevel page of `width` x `height` at `srcRes` is already a fax page for `opts`:
 * colour `bw`, the paper's scan width, the target resolution (within SNAP_TOLERANCE), at most
 * the paper's height plus LONG_PAGE_TOLERANCE. Callers then pass its coded data through without decoding or re-encoding;
 * fitPage would return the bitmap unchanged.
 */
export function fitsAlready(width: number, height: number, srcRes: { xRes: number; yRes: number }, opts: FitOptions): boolean {
  if (opts.colour !== 'bw' || !known(srcRes.xRes) || !known(srcRes.yRes)) return false;
  return (
    width === paperWidthPx(opts.paper, opts.xRes) &&
    height <= onePageRows(opts) &&
    sameRes(srcRes.xRes, opts.xRes) &&
    sameRes(srcRes.yRes, opts.yRes)
  );
}

/**
 * Fits one source page (a Bitmap, or a grey or RGB Raster) at `source` dpi (UNKNOWN_RESOLUTION
 * when it states none) to fax pages for `opts` (see planFit and the module comment). Bilevel
 * sources that need resampling are scaled as grey and halftoned again (unless `opts.threshold`,
 * at a threshold that keeps thin lines when shrinking: bilevelThreshold); a bilevel source at the target width and resolution is returned as is
 * (the same Bitmap, `scaled: false`), cut into pages when it is longer than the paper.
 * Several pages only come from `longPage: 'split'`. Pages share memory with each other (views).
 */
export async function fitPage(pixels: PagePixels, source: { xRes: number; yRes: number }, opts: FitOptions): Promise<FittedPage[]> {
  const size = pixels.kind === 'bitmap' ? pixels.bitmap : pixels.raster;
  const plan = planFit(size.width, size.height, source, opts);
  const rotated = plan.rotate;
  const scaled = plan.scaled;
  if (pixels.kind === 'bitmap' && opts.colour === 'bw' && !scaled && !rotated) {
    const page = padBitmap(pixels.bitmap, plan.pageWidth, plan.left);
    return plan.pages.map(([y0, y1]) => ({ pixels: { kind: 'bitmap', bitmap: bitmapRows(page, y0, y1) }, scaled, rotated }));
  }
  const raster = pixels.kind === 'bitmap' ? bitmapToGrey(pixels.bitmap) : pixels.raster;
  const out = await resample(raster, plan, opts.colour);
  if (opts.colour === 'bw') {
    const threshold = opts.threshold ?? (pixels.kind === 'bitmap' ? bilevelThreshold(plan, size.width, size.height) : undefined);
    const bitmap = toBilevel(out, opts.halftone, threshold);
    return plan.pages.map(([y0, y1]) => ({ pixels: { kind: 'bitmap', bitmap: bitmapRows(bitmap, y0, y1) }, scaled, rotated }));
  }
  return plan.pages.map(([y0, y1]) => ({ pixels: { kind: 'raster', raster: rasterRows(out, y0, y1) }, scaled, rotated }));
}

/**
 * The threshold for a bilevel source scaled as grey. Shrunk by a factor f, a 1-pixel line
 * becomes grey 255·(1 - f): at 128 every line thinner than 1/f pixels (a 400-dpi hairline at
 * 204 dpi) would vanish. 255·(1 - f/2) keeps lines of half a target pixel; strokes thicken a
 * little, which reads better on fax than broken letters. At f >= 1 it is 128.
 */
function bilevelThreshold(plan: FitPlan, width: number, height: number): number {
  const [w, h] = plan.rotate ? [height, width] : [width, height];
  const f = Math.min(1, plan.contentWidth / w, plan.contentHeight / h);
  return Math.max(128, Math.min(224, Math.round(255 * (1 - f / 2))));
}

/** Turn, scale, convert colour and centre with sharp; grey out for `bw` and `gray`, RGB for `color`. */
async function resample(raster: Raster, plan: FitPlan, colour: ColourMode): Promise<Raster> {
  const sharp = await loadSharp();
  const input = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  // Pixel limits were checked by planFit and by whoever decoded the source.
  let p = sharp(input, { raw: { width: raster.width, height: raster.height, channels: raster.channels }, limitInputPixels: false });
  if (plan.rotate) p = p.rotate(270);
  if (plan.scaled) {
    const w = plan.rotate ? raster.height : raster.width;
    const h = plan.rotate ? raster.width : raster.height;
    // Lanczos for reduction (sharp shrinks by box averaging first, then Lanczos: area-correct,
    // no aliasing); Mitchell for enlargement, which rings less around text edges than Lanczos.
    const kernel = plan.contentWidth <= w && plan.contentHeight <= h ? 'lanczos3' : 'mitchell';
    p = p.resize(plan.contentWidth, plan.contentHeight, { fit: 'fill', kernel });
  }
  const channels = colour === 'color' ? 3 : 1;
  p = p.toColourspace(channels === 3 ? 'srgb' : 'b-w');
  const right = plan.pageWidth - plan.contentWidth - plan.left;
  if (plan.left > 0 || right > 0) {
    p = p.extend({ left: plan.left, right, top: 0, bottom: 0, background: { r: 255, g: 255, b: 255 } });
  }
  const { data, info } = await p.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.width !== plan.pageWidth || info.height !== plan.contentHeight || info.channels !== channels) {
    throw new IfaxError('INTERNAL', `Fitting the page failed: resampling gave ${info.width} x ${info.height} x ${info.channels}, expected ${plan.pageWidth} x ${plan.contentHeight} x ${channels}`);
  }
  return { width: info.width, height: info.height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** A Bitmap as 8-bit grey (black 0, white 255), for resampling. */
export function bitmapToGrey(bitmap: Bitmap): Raster {
  const { width, height, data } = bitmap;
  const stride = (width + 7) >> 3;
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const o = y * width;
    for (let x = 0; x < width; x++) if (data[row + (x >> 3)] & (0x80 >> (x & 7))) out[o + x] = 0;
  }
  return { width, height, channels: 1, data: out };
}

/** `bitmap` centred on a `width`-pixel page with `left` white columns; the same object when nothing changes. */
export function padBitmap(bitmap: Bitmap, width: number, left: number): Bitmap {
  if (width === bitmap.width && left === 0) return bitmap;
  const srcStride = (bitmap.width + 7) >> 3;
  const dstStride = (width + 7) >> 3;
  const out = new Uint8Array(dstStride * bitmap.height);
  const off = left >> 3;
  const sh = left & 7;
  for (let y = 0; y < bitmap.height; y++) {
    const s = y * srcStride;
    const d = y * dstStride + off;
    const dEnd = (y + 1) * dstStride;
    if (sh === 0) {
      out.set(bitmap.data.subarray(s, s + srcStride), d);
      continue;
    }
    for (let i = 0; i < srcStride; i++) {
      const b = bitmap.data[s + i];
      if (b === 0) continue;
      out[d + i] |= b >> sh;
      // Spill into the next byte; pad bits of the source are 0, so nothing passes the row end.
      if (d + i + 1 < dEnd) out[d + i + 1] |= (b << (8 - sh)) & 0xff;
    }
  }
  return { width, height: bitmap.height, data: out };
}

function bitmapRows(bitmap: Bitmap, y0: number, y1: number): Bitmap {
  if (y0 === 0 && y1 === bitmap.height) return bitmap;
  const stride = (bitmap.width + 7) >> 3;
  return { width: bitmap.width, height: y1 - y0, data: bitmap.data.subarray(y0 * stride, y1 * stride) };
}

function rasterRows(raster: Raster, y0: number, y1: number): Raster {
  if (y0 === 0 && y1 === raster.height) return raster;
  const stride = raster.width * raster.channels;
  return { width: raster.width, height: y1 - y0, channels: raster.channels, data: raster.data.subarray(y0 * stride, y1 * stride) };
}
