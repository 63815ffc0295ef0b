/**
 * RFC 3949 §6 (TIFF-FX profile C): a raster -> one colour or grey fax page, ready for
 * FaxTiffWriter.addColorPage. sRGB -> CIELAB D50 -> 8-bit ITULAB with the T.42 default ranges
 * (lab.ts), then baseline JPEG (jpeg-encode.ts): L* with the luminance tables, a* and b* with
 * the chrominance tables, subsampled 2x2 (ChromaSubSampling (2,2), the T.4 Annex E default and
 * the value every profile C reader must take) unless asked for (1,1).
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../../errors.js';
import type { ColorPageInput } from '../../tiff/index.js';
import type { Raster } from '../types.js';
import { DEFAULT_JPEG_QUALITY, encodeJpeg } from './jpeg-encode.js';
import { rasterToItulab } from './lab.js';

export interface EncodeColorPageOptions {
  /** Square resolution: 100, 200, 300 or 400 dpi (RFC 3949 §6.2.1). */
  xRes: number;
  yRes: number;
  /** JPEG quality 1..100 (IJG scaling of the T.81 Annex K tables); default 75. */
  quality?: number;
  /**
   * 1 = grey page (L* only, `compression.color: jpeg-gray`), 3 = colour page. Default: the
   * raster's channels (a grey raster makes a grey page).
   */
  samplesPerPixel?: 1 | 3;
  /** Chroma subsampling of colour pages: [2, 2] (default) or [1, 1] (sharper colour edges, larger). */
  chromaSubsampling?: [1, 1] | [2, 2];
}

/**
 * Encodes an sRGB (channels 3) or grey (channels 1) raster as a profile C page: ITULAB
 * samples in one baseline JPEG stream. The page's width must be one profile C allows at its
 * resolution (1728 at 200 dpi for A4/Letter); the writer checks that. Throws USAGE for a raster
 * whose data does not match its size, or bad options.
 */
export function encodeColorPage(raster: Raster, opts: EncodeColorPageOptions): ColorPageInput {
  const { width, height, channels, data } = raster;
  if (channels !== 1 && channels !== 3) {
    throw new IfaxError('USAGE', `Encoding colour page failed: raster channels ${JSON.stringify(channels)} is not 1 or 3`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * channels) {
    throw new IfaxError(
      'USAGE',
      `Encoding colour page failed: raster ${width} x ${height} x ${channels} needs ${width * height * channels} bytes, has ${data.length}`,
    );
  }
  const spp = opts.samplesPerPixel ?? channels;
  if (spp !== 1 && spp !== 3) {
    throw new IfaxError('USAGE', `Encoding colour page failed: samplesPerPixel ${JSON.stringify(spp)} is not 1 or 3`);
  }
  const sub = opts.chromaSubsampling ?? [2, 2];
  if (!((sub[0] === 1 && sub[1] === 1) || (sub[0] === 2 && sub[1] === 2))) {
    throw new IfaxError('USAGE', `Encoding colour page failed: chromaSubsampling ${JSON.stringify(sub)} is not [1, 1] or [2, 2] (RFC 3949 §6.2.2)`);
  }
  const lab = rasterToItulab(raster, spp);
  const jpeg = encodeJpeg({
    width,
    height,
    quality: opts.quality ?? DEFAULT_JPEG_QUALITY,
    components:
      spp === 1
        ? [{ plane: lab.planes[0], h: 1, v: 1, table: 0 }]
        : [
            { plane: lab.planes[0], h: sub[0], v: sub[1], table: 0 },
            { plane: lab.planes[1], h: 1, v: 1, table: 1 },
            { plane: lab.planes[2], h: 1, v: 1, table: 1 },
          ],
  });
  return {
    data: jpeg,
    width,
    height,
    samplesPerPixel: spp,
    ...(spp === 3 ? { chromaSubsampling: sub } : {}),
    xResolution: opts.xRes,
    yResolution: opts.yRes,
  };
}
