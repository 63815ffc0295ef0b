/**
 * Image samples to page pixels: PDF 32000-1 §8.9.5 (sample data: rows padded to a byte,
 * 1/2/4/8 bits per component), §7.4.4.4 (the PNG and TIFF predictors of FlateDecode), §8.6
 * (colour spaces) and §8.9.5.2 (Decode arrays: only the identity and the full inversion are
 * handled here; anything else goes to pdf.js). Pure.
 */

import type { Bitmap } from '../../codec/types.js';
import type { PagePixels } from '../types.js';

/** The colour spaces decoded here; ICCBased and Cal* stand in as their device space (profile not applied). */
export type ColourModel =
  | { kind: 'gray' | 'rgb' | 'cmyk' }
  | { kind: 'indexed'; base: 'gray' | 'rgb' | 'cmyk'; hival: number; lookup: Uint8Array };

export const COMPONENTS = { gray: 1, rgb: 3, cmyk: 4, indexed: 1 } as const;

/** What the samples are: an ImageMask (1-bit stencil, painted in the default black) or colour. */
export interface SampleLayout {
  width: number;
  height: number;
  bpc: 1 | 2 | 4 | 8;
  colour: ColourModel | 'mask';
  /** /Decode inverts every component ([1 0], [1 0 1 0 1 0], ...). */
  invert: boolean;
}

/** Bytes per row of samples. */
export function rowBytes(l: SampleLayout): number {
  const comps = l.colour === 'mask' ? 1 : COMPONENTS[l.colour.kind];
  return Math.ceil((l.width * comps * l.bpc) / 8);
}

/**
 * Undoes a FlateDecode predictor in place of a new buffer: 2 = TIFF horizontal differencing
 * (8-bit components only; the caller checks), >= 10 = PNG, each row with its own filter type.
 * `data` holds rows of `stride` bytes (PNG: each preceded by its type byte).
 */
export function unpredict(data: Uint8Array, predictor: number, stride: number, bpp: number, rows: number): Uint8Array {
  if (predictor === 2) {
    const out = data.slice(0, stride * rows);
    for (let r = 0; r < rows; r++) {
      const o = r * stride;
      for (let i = bpp; i < stride; i++) out[o + i] = (out[o + i] + out[o + i - bpp]) & 0xff;
    }
    return out;
  }
  const out = new Uint8Array(stride * rows);
  for (let r = 0; r < rows; r++) {
    const src = r * (stride + 1);
    if (src >= data.length) break; // missing rows stay 0, as pdf.js leaves them
    const type = data[src];
    const o = r * stride;
    const up = o - stride;
    for (let i = 0; i < stride; i++) {
      const x = src + 1 + i < data.length ? data[src + 1 + i] : 0;
      const a = i >= bpp ? out[o + i - bpp] : 0;
      const b = r > 0 ? out[up + i] : 0;
      const c = i >= bpp && r > 0 ? out[up + i - bpp] : 0;
      let p: number;
      switch (type) {
        case 1: p = a; break;
        case 2: p = b; break;
        case 3: p = (a + b) >> 1; break;
        case 4: {
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: p = 0;
      }
      out[o + i] = (x + p) & 0xff;
    }
  }
  return out;
}

/** Sample rows (rowBytes(l) each, short data padded with 0 as pdf.js does) to page pixels. */
export function samplesToPixels(samples: Uint8Array, l: SampleLayout): PagePixels {
  const stride = rowBytes(l);
  let data = samples;
  if (data.length < stride * l.height) {
    data = new Uint8Array(stride * l.height);
    data.set(samples);
  }
  if (l.bpc === 1 && (l.colour === 'mask' || l.colour.kind === 'gray')) return { kind: 'bitmap', bitmap: toBitmap(data, l) };
  const colour = l.colour as ColourModel;
  const n = l.width * l.height;
  const comps = COMPONENTS[colour.kind];
  const max = (1 << l.bpc) - 1;
  const sample = sampleReader(data, stride, l.bpc);
  const outChannels = colour.kind === 'gray' || (colour.kind === 'indexed' && colour.base === 'gray') ? 1 : 3;
  const out = new Uint8Array(n * outChannels);
  const v = new Float64Array(4);
  for (let y = 0, p = 0; y < l.height; y++) {
    for (let x = 0; x < l.width; x++, p++) {
      for (let c = 0; c < comps; c++) {
        let s = sample(y, x * comps + c);
        if (l.invert) s = max - s;
        v[c] = s;
      }
      if (colour.kind === 'indexed') {
        const baseComps = COMPONENTS[colour.base];
        const i = Math.min(v[0], colour.hival) * baseComps;
        for (let c = 0; c < baseComps; c++) v[c] = colour.lookup[i + c] ?? 0;
        writeColour(out, p, colour.base, v, 255);
      } else writeColour(out, p, colour.kind, v, max);
    }
  }
  return { kind: 'raster', raster: { width: l.width, height: l.height, channels: outChannels, data: out } };
}

function writeColour(out: Uint8Array, p: number, kind: 'gray' | 'rgb' | 'cmyk', v: Float64Array, max: number): void {
  const k = 255 / max;
  if (kind === 'gray') out[p] = Math.round(v[0] * k);
  else if (kind === 'rgb') {
    out[p * 3] = Math.round(v[0] * k);
    out[p * 3 + 1] = Math.round(v[1] * k);
    out[p * 3 + 2] = Math.round(v[2] * k);
  } else {
    // The naive conversion of PDF 32000-1 §10.4.2: no profile is known for DeviceCMYK.
    const white = 1 - v[3] / max;
    out[p * 3] = Math.round(255 * (1 - v[0] / max) * white);
    out[p * 3 + 1] = Math.round(255 * (1 - v[1] / max) * white);
    out[p * 3 + 2] = Math.round(255 * (1 - v[2] / max) * white);
  }
}

function sampleReader(data: Uint8Array, stride: number, bpc: number): (row: number, index: number) => number {
  if (bpc === 8) return (row, i) => data[row * stride + i];
  const perByte = 8 / bpc;
  const mask = (1 << bpc) - 1;
  return (row, i) => (data[row * stride + Math.floor(i / perByte)] >> (8 - bpc * ((i % perByte) + 1))) & mask;
}

/**
 * 1-bit grey or stencil samples to a bitmap (1 = black). Sample 1 is white in DeviceGray and
 * unpainted in an ImageMask, so both invert, unless /Decode [1 0] inverts back.
 */
function toBitmap(data: Uint8Array, l: SampleLayout): Bitmap {
  const stride = Math.ceil(l.width / 8);
  const out = new Uint8Array(stride * l.height);
  const flip = l.invert ? 0x00 : 0xff;
  const tail = l.width % 8 === 0 ? 0xff : (0xff << (8 - (l.width % 8))) & 0xff;
  for (let y = 0; y < l.height; y++) {
    const o = y * stride;
    for (let i = 0; i < stride; i++) out[o + i] = data[o + i] ^ flip;
    out[o + stride - 1] &= tail; // pad bits are 0 (codec/types.ts)
  }
  return { width: l.width, height: l.height, data: out };
}
