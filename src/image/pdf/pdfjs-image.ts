/**
 * The fast path for image filters we do not decode ourselves (JBIG2Decode, JPXDecode, LZW,
 * 16-bit samples, Separation colour...): pdf.js decodes the page's one image while building
 * its operator list, and its pixel data is read back instead of rendering the page.
 */

import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { loadPdfJs } from './pdfjs.js';
import type { PagePixels } from '../types.js';

/** pdf.js's decoded image (src/shared/util.js ImageKind). */
interface PdfJsImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/**
 * Decodes the page's single image with pdf.js. Undefined when the operator list paints
 * anything besides one image XObject, or pdf.js hands back no plain pixel data.
 */
export async function pdfjsImagePixels(page: PDFPageProxy, grey: boolean): Promise<PagePixels | undefined> {
  const { OPS, ImageKind } = await loadPdfJs();
  const list = await page.getOperatorList();
  const painting = new Set<number>([
    OPS.paintImageXObject, OPS.paintImageMaskXObject, OPS.paintInlineImageXObject, OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObjectRepeat, OPS.paintSolidColorImageMask, OPS.paintImageMaskXObjectGroup, OPS.paintInlineImageXObjectGroup,
  ]);
  const paints = list.fnArray.flatMap((fn, i) => (painting.has(fn) ? [i] : []));
  if (paints.length !== 1 || list.fnArray[paints[0]] !== OPS.paintImageXObject) return undefined;
  const id = (list.argsArray[paints[0]] as unknown[])[0];
  if (typeof id !== 'string') return undefined;
  const objs = id.startsWith('g_') ? page.commonObjs : page.objs;
  const img = await new Promise<PdfJsImage | undefined>((resolve) => {
    objs.get(id, (data: unknown) => resolve((data ?? undefined) as PdfJsImage | undefined));
  });
  if (img?.data === undefined) return undefined;
  const { width, height, data } = img;
  const n = width * height;
  if (img.kind === ImageKind.GRAYSCALE_1BPP) {
    // pdf.js's 1-bit rows: 1 = white; ours: 1 = black.
    const stride = (width + 7) >> 3;
    if (data.length < stride * height) return undefined;
    const out = new Uint8Array(stride * height);
    const tail = width % 8 === 0 ? 0xff : (0xff << (8 - (width % 8))) & 0xff;
    for (let i = 0; i < out.length; i++) out[i] = ~data[i] & ((i + 1) % stride === 0 ? tail : 0xff);
    return { kind: 'bitmap', bitmap: { width, height, data: out } };
  }
  const step = img.kind === ImageKind.RGB_24BPP ? 3 : img.kind === ImageKind.RGBA_32BPP ? 4 : 0;
  if (step === 0 || data.length < n * step) return undefined;
  const channels = grey ? 1 : 3;
  const out = new Uint8Array(n * channels);
  for (let i = 0, j = 0; i < n; i++, j += step) {
    if (grey) out[i] = data[j];
    else {
      out[i * 3] = data[j];
      out[i * 3 + 1] = data[j + 1];
      out[i * 3 + 2] = data[j + 2];
    }
  }
  return { kind: 'raster', raster: { width, height, channels, data: out } };
}
