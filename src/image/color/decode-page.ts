/**
 * Reading colour and grey TIFF pages (TIFF Technical Note 2, Compression 7) to sRGB or grey
 * rasters: RFC 3949 §6 profile C pages (PhotometricInterpretation 10, ITULAB with its Decode
 * ranges, §6.2.3) and what other writers make with JPEG (Photometric 1 and 0 grey, 2 RGB,
 * 6 YCbCr). Strips that rely on JPEGTables (347) get the tables spliced in first; the JPEG
 * decoding itself is jpeg-js (an independent decoder, not our encoder run backwards).
 * Old-style JPEG (Compression 6) and other colour models are refused with UNSUPPORTED_INPUT.
 */

import jpeg from 'jpeg-js';
import { IfaxError } from '../../errors.js';
import { MAX_JPEG_DECODE_MB, MAX_PIXELS_PER_PAGE } from '../../limits.js';
import {
  colorPageFields,
  compressionLabel,
  pageStrips,
  readJpegMarkers,
  reversedBitsCopy,
  spliceJpegTables,
  type TiffFile,
} from '../../tiff/index.js';
import type { Raster } from '../types.js';
import { ITULAB_DEFAULT_DECODE, itulabToRaster, type LabDecode } from './lab.js';

const PHOTOMETRIC_NAMES: Record<number, string> = {
  0: 'WhiteIsZero',
  1: 'BlackIsZero',
  2: 'RGB',
  3: 'palette',
  4: 'transparency mask',
  5: 'separated (CMYK)',
  6: 'YCbCr',
  8: 'CIELab',
  9: 'ICCLab',
  10: 'ITULab',
};

/**
 * Decodes a JPEG page (Compression 7) of a TIFF to a raster: channels 3 (sRGB) for colour
 * pages, channels 1 for grey ones (L* pages and BlackIsZero / WhiteIsZero). ITULAB samples
 * are converted through CIELAB D50 with the page's Decode ranges (default: T.42 base ranges).
 * Errors: UNSUPPORTED_INPUT (Compression 6 or not JPEG, planar or unsupported colour model),
 * LIMIT_EXCEEDED (MAX_PIXELS_PER_PAGE, or jpeg-js's caps from MAX_JPEG_DECODE_MB), DATA_INVALID (a
 * strip that is not decodable JPEG).
 */
export function decodeColorPage(file: TiffFile, pageIndex: number): Raster {
  const fields = colorPageFields(file, pageIndex);
  const page = fields.page;
  const what = `Reading TIFF page ${pageIndex + 1} failed`;
  const unsupported = (reason: string, hint?: string) =>
    new IfaxError('UNSUPPORTED_INPUT', `${what}: ${reason}`, { context: { page: pageIndex + 1 }, ...(hint ? { hint } : {}) });
  if (page.compression === 6) {
    throw unsupported(
      'the page is old-style JPEG (Compression 6, TIFF 6.0 §22), which ifax does not read',
      'Rewrite it as new-style JPEG with: tiffcp -c jpeg in.tif out.tif',
    );
  }
  if (page.compression !== 7) {
    throw unsupported(`decodeColorPage reads JPEG pages (Compression 7); this page is ${compressionLabel(page.compression)}`);
  }
  const photometric = page.photometric ?? (page.samplesPerPixel === 3 ? 6 : 1);
  if (![0, 1, 2, 6, 10].includes(photometric)) {
    throw unsupported(
      `PhotometricInterpretation ${photometric} (${PHOTOMETRIC_NAMES[photometric] ?? 'unknown'}) is not one ifax reads in JPEG pages (0, 1, 2, 6, 10)`,
    );
  }
  if (page.samplesPerPixel > 1 && page.planarConfiguration !== 1) {
    throw unsupported(`PlanarConfiguration ${page.planarConfiguration} (separate planes) is not supported for JPEG pages`);
  }
  const { width, height } = page;
  if (width * height > MAX_PIXELS_PER_PAGE) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `${what}: ${width} x ${height} pixels is more than MAX_PIXELS_PER_PAGE (${MAX_PIXELS_PER_PAGE})`,
      { context: { limit: 'MAX_PIXELS_PER_PAGE', value: width * height, page: pageIndex + 1 } },
    );
  }

  // Components per pixel as the JPEG stream says (RFC 3949 §2.1.2: the stream wins).
  let components = 0;
  let planes: Uint8Array[] = [];
  for (const strip of pageStrips(file, pageIndex)) {
    let data = strip.data;
    if (page.fillOrder === 2) data = reversedBitsCopy(data);
    if (fields.jpegTables !== undefined) data = spliceJpegTables(fields.jpegTables, data);
    const markers = readJpegMarkers(data);
    if (markers === undefined || markers.sof === undefined) {
      throw new IfaxError('DATA_INVALID', `${what}: the strip at row ${strip.firstRow} is not a JPEG stream`, {
        context: { page: pageIndex + 1, row: strip.firstRow },
      });
    }
    const n = markers.components.length;
    if (components === 0) {
      if (n !== 1 && n !== 3) throw unsupported(`the JPEG stream has ${n} components; 1 or 3 are supported`);
      components = n;
      planes = Array.from({ length: n }, () => new Uint8Array(width * height).fill(n === 1 || photometric !== 10 ? 255 : 0));
      if (photometric === 10 && n === 3) {
        // Rows a broken strip leaves out stay neutral white: L 255, a* 0, b* 0.
        planes[1].fill(128);
        planes[2].fill(96);
      }
    } else if (n !== components) {
      throw new IfaxError('DATA_INVALID', `${what}: strips disagree on the number of JPEG components (${components}, then ${n})`);
    }
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(data, {
        useTArray: true,
        formatAsRGBA: false,
        // YCbCr pages are the only ones whose components need the JPEG colour transform.
        colorTransform: photometric === 6 && n === 3,
        maxResolutionInMP: MAX_PIXELS_PER_PAGE / 1e6,
        maxMemoryUsageInMB: MAX_JPEG_DECODE_MB,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // jpeg-js names its own caps "maxResolutionInMP limit exceeded" / "maxMemoryUsageInMB ...".
      const code = /limit exceeded/.test(message) ? 'LIMIT_EXCEEDED' : 'DATA_INVALID';
      throw new IfaxError(code, `${what}: the JPEG strip at row ${strip.firstRow} cannot be decoded: ${message}`, {
        context: { page: pageIndex + 1, row: strip.firstRow },
        cause: err,
      });
    }
    // jpeg-js always returns 3 values per pixel (grey repeated); copy the rows this strip holds.
    const rows = Math.min(strip.rows, img.height, height - strip.firstRow);
    const cols = Math.min(width, img.width);
    for (let c = 0; c < n; c++) {
      const plane = planes[c];
      for (let y = 0; y < rows; y++) {
        const src = y * img.width * 3 + c;
        const dst = (strip.firstRow + y) * width;
        for (let x = 0; x < cols; x++) plane[dst + x] = img.data[src + 3 * x];
      }
    }
  }
  return toRaster(planes, width, height, photometric, fields.decode);
}

function toRaster(planes: Uint8Array[], width: number, height: number, photometric: number, decode: number[] | undefined): Raster {
  if (photometric === 10) return itulabToRaster({ width, height, planes }, labDecode(decode, planes.length));
  if (planes.length === 1) {
    const data = planes[0];
    if (photometric === 0) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
    return { width, height, channels: 1, data };
  }
  const data = new Uint8Array(width * height * 3);
  const [r, g, b] = planes;
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    data[j] = r[i];
    data[j + 1] = g[i];
    data[j + 2] = b[i];
  }
  return { width, height, channels: 3, data };
}

/** The page's Decode field as ranges; absent or malformed values fall back to the T.42 defaults. */
function labDecode(decode: number[] | undefined, components: number): LabDecode {
  const d = ITULAB_DEFAULT_DECODE;
  if (decode === undefined || decode.length < 2 * components || decode.some((v) => !Number.isFinite(v))) return d;
  const pair = (i: number, fallback: [number, number]): [number, number] =>
    decode[2 * i + 1] > decode[2 * i] ? [decode[2 * i], decode[2 * i + 1]] : fallback;
  return { L: pair(0, d.L), a: components === 3 ? pair(1, d.a) : d.a, b: components === 3 ? pair(2, d.b) : d.b };
}
