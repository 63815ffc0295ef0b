/**
 * An image XObject's dictionary (PDF 32000-1 §8.9.5, Table 89) read into a decoding plan:
 * CCITTFaxDecode by our codec (§7.4.6), DCTDecode by sharp (§7.4.8), FlateDecode or no
 * filter by samples.ts. Filters, colour spaces and Decode arrays that are not handled here are
 * left to pdf.js ('pdfjs'); transparency (SMask, Mask) needs compositing, so such pages are
 * rendered (undefined).
 */

import { inflateSync } from 'node:zlib';
import { decodeFax } from '../../codec/index.js';
import type { FaxCoding } from '../../codec/types.js';
import { IfaxError } from '../../errors.js';
import { codingOfK } from '../../fax/vocabulary.js';
import { MAX_PIXELS_PER_PAGE } from '../../limits.js';
import type { PagePixels } from '../types.js';
import type { PdfCcittImage } from './types.js';
import { COMPONENTS, rowBytes, samplesToPixels, unpredict, type ColourModel, type SampleLayout } from './samples.js';
import { loadSharp } from '../sharp.js';
import type { PdfObjects } from './objects/document.js';
import { PdfDict, PdfName, PdfStream, PdfString, boolOf, nameOf, numberOf, type PdfObject } from './objects/model.js';

/** An image we decode ourselves. */
export interface ImagePlan {
  width: number;
  height: number;
  /** Grey output expected (for pdf.js data, which comes as RGB). */
  ccitt?: PdfCcittImage;
  pixels(): Promise<PagePixels>;
}

/** Bytes an Indexed lookup table may hold: 256 entries of 4 components. */
const MAX_LOOKUP_BYTES = 1024;

const num = numberOf;
const bool = boolOf;

/**
 * Reads the image's plan. Throws LIMIT_EXCEEDED for images over MAX_PIXELS_PER_PAGE (checked
 * before anything is decoded); returns 'pdfjs' for what pdf.js should decode, undefined when
 * the page is better rendered.
 */
export function planImage(doc: PdfObjects, stream: PdfStream, where: string): ImagePlan | 'pdfjs' | undefined {
  const get = (key: string): PdfObject | undefined => doc.get(stream.dict, key);
  const width = num(get('Width'));
  const height = num(get('Height'));
  if (width === undefined || height === undefined || !Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return undefined;
  if (width * height > MAX_PIXELS_PER_PAGE) {
    throw new IfaxError('LIMIT_EXCEEDED', `${where} failed: the page's image is ${width} x ${height} pixels, over MAX_PIXELS_PER_PAGE (${MAX_PIXELS_PER_PAGE})`, {
      context: { limit: 'MAX_PIXELS_PER_PAGE', max: MAX_PIXELS_PER_PAGE, value: width * height },
    });
  }
  if (get('SMask') !== undefined || get('Mask') !== undefined) return undefined;
  const mask = bool(get('ImageMask')) === true;
  const bpc = mask ? 1 : num(get('BitsPerComponent'));
  const colour = mask ? 'mask' : colourModel(doc, get('ColorSpace'));
  if (colour === undefined || (bpc !== 1 && bpc !== 2 && bpc !== 4 && bpc !== 8)) return 'pdfjs';
  const comps = colour === 'mask' ? 1 : COMPONENTS[colour.kind];
  const invert = decodeInversion(doc, get('Decode'), comps, colour === 'mask' || colour.kind !== 'indexed' ? 1 : (1 << bpc) - 1);
  if (invert === undefined) return 'pdfjs';
  const filters = filterNames(doc, get('Filter'));
  const parms = firstParms(doc, get('DecodeParms'));
  if (filters === undefined || filters.length > 1) return 'pdfjs';
  const layout: SampleLayout = { width, height, bpc, colour, invert };
  const bilevel = bpc === 1 && (colour === 'mask' || colour.kind === 'gray');
  switch (filters[0]) {
    case 'CCITTFaxDecode':
      return bilevel ? ccittPlan(doc, stream, layout, parms, where) : 'pdfjs';
    case 'DCTDecode': {
      const plain = bpc === 8 && !invert && colour !== 'mask' && (colour.kind === 'gray' || colour.kind === 'rgb');
      // ColorTransform overrides the JPEG's own markers; sharp only reads the markers.
      return plain && (parms === undefined || doc.get(parms, 'ColorTransform') === undefined) ? dctPlan(doc, stream, layout, where) : 'pdfjs';
    }
    case 'FlateDecode':
    case undefined:
      return samplesPlan(doc, stream, layout, filters[0] === 'FlateDecode', parms, where) ?? 'pdfjs';
    default:
      return 'pdfjs';
  }
}

function filterNames(doc: PdfObjects, o: PdfObject | undefined): string[] | undefined {
  if (o === undefined) return [];
  if (o instanceof PdfName) return [o.name];
  if (!Array.isArray(o)) return undefined;
  const names = o.map((x) => nameOf(doc.resolve(x)));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

function firstParms(doc: PdfObjects, o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (Array.isArray(o) && o.length === 1) {
    const p = doc.resolve(o[0]);
    return p instanceof PdfDict ? p : undefined;
  }
  return undefined;
}

/** false for no /Decode or the identity, true for the full inversion, undefined for anything else. */
function decodeInversion(doc: PdfObjects, o: PdfObject | undefined, comps: number, max: number): boolean | undefined {
  if (o === undefined) return false;
  if (!Array.isArray(o) || o.length !== comps * 2) return undefined;
  const v = o.map((x) => num(doc.resolve(x)));
  const all = (lo: number, hi: number): boolean => v.every((x, i) => x === (i % 2 === 0 ? lo : hi));
  return all(0, max) ? false : all(max, 0) ? true : undefined;
}

function colourModel(doc: PdfObjects, o: PdfObject | undefined): ColourModel | undefined {
  const device = (n: string | undefined): 'gray' | 'rgb' | 'cmyk' | undefined =>
    n === 'DeviceGray' ? 'gray' : n === 'DeviceRGB' ? 'rgb' : n === 'DeviceCMYK' ? 'cmyk' : undefined;
  if (o instanceof PdfName) {
    const kind = device(o.name);
    return kind && { kind };
  }
  if (!Array.isArray(o) || o.length === 0) return undefined;
  const at = (i: number): PdfObject | undefined => doc.resolve(o[i]);
  const family = nameOf(at(0));
  if (family === 'CalGray') return { kind: 'gray' };
  if (family === 'CalRGB') return { kind: 'rgb' };
  if (family === 'ICCBased') {
    const profile = at(1);
    const n = profile instanceof PdfStream ? num(doc.get(profile.dict, 'N')) : undefined;
    return n === 1 ? { kind: 'gray' } : n === 3 ? { kind: 'rgb' } : n === 4 ? { kind: 'cmyk' } : undefined;
  }
  if (family === 'Indexed' && o.length === 4) {
    const base = colourModel(doc, at(1));
    const hival = num(at(2));
    if (base === undefined || base.kind === 'indexed' || hival === undefined || !Number.isInteger(hival) || hival < 0 || hival > 255) return undefined;
    const t = at(3);
    let lookup: Uint8Array | undefined;
    if (t instanceof PdfString) lookup = t.bytes;
    else if (t instanceof PdfStream) lookup = lookupStream(doc, t);
    if (lookup === undefined || lookup.length > MAX_LOOKUP_BYTES) return undefined;
    return { kind: 'indexed', base: base.kind, hival, lookup };
  }
  return undefined;
}

/** An Indexed lookup table held in a stream, or undefined when it is too big or cannot be decoded. */
function lookupStream(doc: PdfObjects, t: PdfStream): Uint8Array | undefined {
  try {
    if (doc.streamBytes(t).length > MAX_LOOKUP_BYTES * 4) return undefined;
    return doc.decodeStream(t, MAX_LOOKUP_BYTES + 1);
  } catch {
    return undefined;
  }
}

function ccittPlan(doc: PdfObjects, stream: PdfStream, l: SampleLayout, parms: PdfDict | undefined, where: string): ImagePlan | 'pdfjs' {
  const p = (key: string): PdfObject | undefined => (parms === undefined ? undefined : doc.get(parms, key));
  const k = num(p('K')) ?? 0;
  const columns = num(p('Columns')) ?? 1728;
  // Rows may be absent (0): the image's Height then says how many rows there are.
  const rows = num(p('Rows')) || l.height;
  if (columns !== l.width || rows !== l.height) return 'pdfjs';
  const ccitt: PdfCcittImage = {
    // Read from the file each time it is asked for, never kept: a scanned document's pages
    // would each hold theirs for the document's life (memory growing with the page count).
    get data() {
      return doc.streamBytes(stream);
    },
    k,
    columns,
    rows,
    blackIs1: (bool(p('BlackIs1')) === true) !== l.invert,
    encodedByteAlign: bool(p('EncodedByteAlign')) === true,
  };
  const coding: FaxCoding = codingOfK(k);
  return {
    width: l.width,
    height: l.height,
    ccitt,
    async pixels() {
      try {
        // The codec's default polarity (white runs are 0) is the usual scan's: BlackIs1 false.
        const r = decodeFax(ccitt.data, {
          coding,
          width: columns,
          height: rows,
          blackIs1: !ccitt.blackIs1,
          byteAlign: ccitt.encodedByteAlign,
          ...(bool(p('EndOfLine')) === true ? { eol: true } : {}),
        });
        return { kind: 'bitmap', bitmap: r.bitmap };
      } catch (err) {
        throw wrap(err, where);
      }
    },
  };
}

function dctPlan(doc: PdfObjects, stream: PdfStream, l: SampleLayout, where: string): ImagePlan {
  const channels = (l.colour as ColourModel).kind === 'gray' ? 1 : 3;
  return {
    width: l.width,
    height: l.height,
    async pixels() {
      const sharp = await loadSharp();
      let out: { data: Buffer; info: { width: number; height: number; channels: number } };
      try {
        // No .rotate(): a PDF ignores the JPEG's EXIF orientation, so must we.
        // sharp's raw output is sRGB unless told: a grey JPEG stays one channel as 'b-w'.
        const img = sharp(doc.streamBytes(stream), { limitInputPixels: MAX_PIXELS_PER_PAGE });
        out = await (channels === 1 ? img.toColourspace('b-w') : img).raw().toBuffer({ resolveWithObject: true });
      } catch (err) {
        throw new IfaxError('DATA_INVALID', `${where} failed: its JPEG image cannot be decoded (${(err as Error).message})`, { cause: err });
      }
      const { info } = out;
      if (info.width !== l.width || info.height !== l.height || info.channels !== channels) {
        throw new IfaxError(
          'DATA_INVALID',
          `${where} failed: its JPEG image is ${info.width} x ${info.height} with ${info.channels} channels, the PDF says ${l.width} x ${l.height} with ${channels}`,
        );
      }
      return { kind: 'raster', raster: { width: l.width, height: l.height, channels, data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length) } };
    },
  };
}

function samplesPlan(doc: PdfObjects, stream: PdfStream, l: SampleLayout, flate: boolean, parms: PdfDict | undefined, where: string): ImagePlan | undefined {
  const p = (key: string): number | undefined => num(parms === undefined ? undefined : doc.get(parms, key));
  const predictor = flate ? (p('Predictor') ?? 1) : 1;
  const comps = l.colour === 'mask' ? 1 : COMPONENTS[l.colour.kind];
  const stride = rowBytes(l);
  if (predictor !== 1) {
    const matches = (p('Colors') ?? 1) === comps && (p('BitsPerComponent') ?? 8) === l.bpc && (p('Columns') ?? 1) === l.width;
    if (!matches || (predictor === 2 && l.bpc !== 8) || (predictor !== 2 && predictor < 10)) return undefined;
  }
  const bpp = Math.max(1, (comps * l.bpc) >> 3);
  const expected = predictor >= 10 ? (stride + 1) * l.height : stride * l.height;
  return {
    width: l.width,
    height: l.height,
    async pixels() {
      let data: Uint8Array = doc.streamBytes(stream);
      if (flate) {
        try {
          // Bounded by what the image can use: a small stream must not inflate to gigabytes.
          // Sync flush accepts streams cut short, as viewers do.
          data = inflateSync(data, { maxOutputLength: expected + 1024, finishFlush: 2 });
        } catch (err) {
          throw new IfaxError('DATA_INVALID', `${where} failed: its Flate image data cannot be inflated (${(err as Error).message})`, { cause: err });
        }
      }
      if (predictor !== 1) data = unpredict(data, predictor, stride, bpp, l.height);
      return samplesToPixels(data, l);
    },
  };
}

function wrap(err: unknown, where: string): unknown {
  if (!(err instanceof IfaxError) || err.message.startsWith(where)) return err;
  return new IfaxError(err.code, `${where} failed: ${err.message}`, { cause: err, ...(err.context ? { context: err.context } : {}) });
}

