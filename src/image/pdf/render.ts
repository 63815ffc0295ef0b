/**
 * The size every renderer gives a page, checked against the limits, and rendering one PDF page
 * with pdf.js onto an @napi-rs/canvas canvas (the fallback to PDFium), at any resolution:
 * fax resolutions are not square (204 x 98, 204 x 196), so the page is scaled by a transform
 * on top of pdf.js's 72-dpi viewport rather than by the viewport's single scale.
 */

import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { IfaxError } from '../../errors.js';
import { MAX_HEIGHT, MAX_PIXELS_PER_PAGE, MAX_WIDTH } from '../../limits.js';
import type { Raster } from '../types.js';

/** Lowest and highest resolution accepted: below 10 dpi nothing is legible; above 2400 no fax goes. */
const MIN_DPI = 10;
const MAX_DPI = 2400;

type RenderParams = Parameters<PDFPageProxy['render']>[0];

const q = (s: string): string => JSON.stringify(s);

/** Pixel size of a page of widthPt x heightPt points at xDpi x yDpi (at least 1 x 1). */
export function renderSize(widthPt: number, heightPt: number, xDpi: number, yDpi: number): { width: number; height: number } {
  return {
    width: Math.max(1, Math.round((widthPt * xDpi) / 72)),
    height: Math.max(1, Math.round((heightPt * yDpi) / 72)),
  };
}

/**
 * The pixel size of a page of widthPt x heightPt points at xDpi x yDpi, checked: the resolution,
 * then MAX_WIDTH, MAX_HEIGHT and MAX_PIXELS_PER_PAGE. Every renderer calls it before allocating
 * anything: a page can claim any size in points. `pageNo` is 1-based, for messages.
 */
export function checkedRenderSize(
  pageNo: number,
  name: string,
  widthPt: number,
  heightPt: number,
  xDpi: number,
  yDpi: number,
): { width: number; height: number } {
  for (const [what, dpi] of [['xDpi', xDpi], ['yDpi', yDpi]] as const) {
    if (!Number.isFinite(dpi) || dpi < MIN_DPI || dpi > MAX_DPI) {
      throw new IfaxError('UNSUPPORTED_INPUT', `Rendering page ${pageNo} of ${q(name)} failed: ${what} ${JSON.stringify(dpi)} is outside ${MIN_DPI}-${MAX_DPI} dpi`, {
        context: { file: name, page: pageNo, [what]: dpi },
      });
    }
  }
  const { width, height } = renderSize(widthPt, heightPt, xDpi, yDpi);
  if (width > MAX_WIDTH || height > MAX_HEIGHT || width * height > MAX_PIXELS_PER_PAGE) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `Rendering page ${pageNo} of ${q(name)} failed: ${width} x ${height} pixels at ${xDpi} x ${yDpi} dpi is over ` +
        `MAX_WIDTH (${MAX_WIDTH}), MAX_HEIGHT (${MAX_HEIGHT}) or MAX_PIXELS_PER_PAGE (${MAX_PIXELS_PER_PAGE})`,
      { context: { file: name, page: pageNo, width, height, limit: 'MAX_PIXELS_PER_PAGE' }, hint: 'Use a lower resolution.' },
    );
  }
  return { width, height };
}

/**
 * Renders `page` on white with pdf.js: the fallback for files PDFium refuses (pdfium.ts).
 * Checks the size (checkedRenderSize) before the canvas is allocated.
 */
export async function renderPage(
  page: PDFPageProxy,
  name: string,
  xDpi: number,
  yDpi: number,
  colour: 'gray' | 'rgb',
): Promise<Raster> {
  const pageNo = page.pageNumber;
  const viewport = page.getViewport({ scale: 1 });
  const { width, height } = checkedRenderSize(pageNo, name, viewport.width, viewport.height, xDpi, yDpi);
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  // PDF pages are drawn on white paper; a transparent canvas would read as black once alpha is dropped.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  try {
    await page.render({
      // The context we filled, not a new one: pdf.js draws into canvasContext when canvas is null.
      canvas: null,
      canvasContext: ctx as unknown as RenderParams['canvasContext'],
      viewport,
      transform: [xDpi / 72, 0, 0, yDpi / 72, 0, 0],
    }).promise;
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `Rendering page ${pageNo} of ${q(name)} failed: ${(err as Error).message}`, {
      cause: err,
      context: { file: name, page: pageNo },
    });
  }
  const rgba = ctx.getImageData(0, 0, width, height).data;
  return colour === 'gray' ? rgbaToGrey(rgba, width, height) : rgbaToRgb(rgba, width, height);
}

/** RGBA (alpha ignored: the page was filled white first) to grey, Rec. 601 luma as libvips/sharp weigh it. */
function rgbaToGrey(rgba: Uint8ClampedArray, width: number, height: number): Raster {
  const n = width * height;
  const data = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    // 0.299 R + 0.587 G + 0.114 B in 8.8 fixed point, rounded.
    data[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29 + 128) >> 8;
  }
  return { width, height, channels: 1, data };
}

function rgbaToRgb(rgba: Uint8ClampedArray, width: number, height: number): Raster {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 4, k += 3) {
    data[k] = rgba[j];
    data[k + 1] = rgba[j + 1];
    data[k + 2] = rgba[j + 2];
  }
  return { width, height, channels: 3, data };
}
