/**
 * Colour and grey fax pages: TIFF-FX profile C (RFC 3949 §6). sRGB <-> CIELAB D50 <-> ITULAB
 * (lab.ts), a baseline JPEG encoder (jpeg-encode.ts), raster -> profile C page
 * (encode-page.ts) and JPEG TIFF page -> raster (decode-page.ts, through jpeg-js).
 */

export {
  srgbToLab,
  labToSrgb,
  labToItulab,
  itulabToLab,
  rasterToItulab,
  itulabToRaster,
  ITULAB_DEFAULT_DECODE,
  type LabDecode,
  type LabPlanes,
} from './lab.js';
export { encodeJpeg, quantTable, DEFAULT_JPEG_QUALITY, type JpegComponent, type JpegEncodeInput } from './jpeg-encode.js';
export { encodeColorPage, type EncodeColorPageOptions } from './encode-page.js';
export { decodeColorPage } from './decode-page.js';
