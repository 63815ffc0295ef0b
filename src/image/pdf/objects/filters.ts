/**
 * Stream filters for the objects the reader itself needs (content streams, xref and object
 * streams, small lookup tables): PDF 32000-1 §7.4.2 ASCIIHexDecode, §7.4.3 ASCII85Decode,
 * §7.4.4 LZWDecode and FlateDecode with the predictors of §7.4.4.4 (Table 8), §7.4.5
 * RunLengthDecode. Image filters (CCITT, DCT, JBIG2, JPX) are not here: images are decoded by
 * image-stream.ts or pdf.js. Every decoder stops at `max` bytes out: a small stream must not
 * inflate to gigabytes.
 */

import { inflateSync } from 'node:zlib';
import { unpredict } from '../samples.js';
import { PdfDict, type PdfObject } from './model.js';

/** Why a stream cannot be decoded. */
export class PdfFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfFilterError';
  }
}

/** One filter with its parameters (already resolved by the caller). */
export interface FilterStep {
  name: string;
  parms?: PdfDict;
}

/** Decodes `data` through `steps` in order, each bounded by `max` bytes of output. */
export function decodeFilters(data: Uint8Array, steps: readonly FilterStep[], max: number): Uint8Array {
  let out = data;
  for (const { name, parms } of steps) {
    switch (name) {
      case 'FlateDecode':
      case 'Fl':
        out = predict(inflate(out, max), parms);
        break;
      case 'LZWDecode':
      case 'LZW':
        out = predict(lzw(out, max, early(parms)), parms);
        break;
      case 'ASCIIHexDecode':
      case 'AHx':
        out = asciiHex(out);
        break;
      case 'ASCII85Decode':
      case 'A85':
        out = ascii85(out, max);
        break;
      case 'RunLengthDecode':
      case 'RL':
        out = runLength(out, max);
        break;
      default:
        throw new PdfFilterError(`the filter ${JSON.stringify(name)} is not decoded here`);
    }
    if (out.length > max) throw new PdfFilterError(`a stream decodes to more than ${max} bytes`);
  }
  return out;
}

const num = (d: PdfDict | undefined, key: string, dflt: number): number => {
  const v: PdfObject | undefined = d?.get(key);
  return typeof v === 'number' ? v : dflt;
};

const early = (parms: PdfDict | undefined): boolean => num(parms, 'EarlyChange', 1) === 1;

function inflate(data: Uint8Array, max: number): Uint8Array {
  try {
    // Sync flush accepts streams cut short, as viewers do.
    return new Uint8Array(inflateSync(data, { maxOutputLength: max, finishFlush: 2 }));
  } catch (err) {
    throw new PdfFilterError(`Flate data cannot be inflated (${(err as Error).message})`);
  }
}

/** §7.4.4.4: Predictor 1 none, 2 TIFF, >= 10 PNG (each row carries its own type). */
function predict(data: Uint8Array, parms: PdfDict | undefined): Uint8Array {
  const predictor = num(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = num(parms, 'Colors', 1);
  const bpc = num(parms, 'BitsPerComponent', 8);
  const columns = num(parms, 'Columns', 1);
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || !Number.isInteger(columns)) {
    throw new PdfFilterError('its DecodeParms are out of range');
  }
  const stride = Math.ceil((columns * colors * bpc) / 8);
  const bpp = Math.max(1, (colors * bpc) >> 3);
  if (predictor === 2) {
    if (bpc !== 8) throw new PdfFilterError('the TIFF predictor is handled for 8-bit components only');
    return unpredict(data, 2, stride, bpp, Math.floor(data.length / stride));
  }
  if (predictor < 10) throw new PdfFilterError(`Predictor ${predictor} is not defined`);
  return unpredict(data, predictor, stride, bpp, Math.ceil(data.length / (stride + 1)));
}

function asciiHex(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (v < 0) continue; // white space (and, leniently, anything else) is skipped
    if (high < 0) high = v;
    else {
      out.push((high << 4) | v);
      high = -1;
    }
  }
  if (high >= 0) out.push(high << 4);
  return Uint8Array.from(out);
}

function ascii85(data: Uint8Array, max: number): Uint8Array {
  const out: number[] = [];
  let group: number[] = [];
  const flush = (n: number): void => {
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const d of group) v = v * 85 + d;
    for (let k = 0; k < n - 1; k++) out.push((v >>> (24 - 8 * k)) & 0xff);
    group = [];
  };
  for (let i = 0; i < data.length && out.length <= max; i++) {
    const c = data[i];
    if (c === 0x7e) break; // "~>"
    if (c === 0x7a && group.length === 0) out.push(0, 0, 0, 0);
    else if (c >= 0x21 && c <= 0x75) {
      group.push(c - 0x21);
      if (group.length === 5) flush(5);
    }
  }
  if (group.length > 1) flush(group.length);
  return Uint8Array.from(out);
}

function runLength(data: Uint8Array, max: number): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length && out.length <= max) {
    const n = data[i++];
    if (n === 128) break;
    if (n < 128) {
      for (let k = 0; k <= n && i < data.length; k++) out.push(data[i++]);
    } else {
      const v = data[i++] ?? 0;
      for (let k = 0; k < 257 - n; k++) out.push(v);
    }
  }
  return Uint8Array.from(out);
}

/** §7.4.4.2: variable-width codes 9 to 12 bits, 256 clear, 257 end; EarlyChange 1 by default. */
function lzw(data: Uint8Array, max: number, earlyChange: boolean): Uint8Array {
  const out: number[] = [];
  let dict: number[][] = [];
  const reset = (): void => {
    dict = [];
    for (let i = 0; i < 256; i++) dict.push([i]);
    dict.push([], []);
  };
  reset();
  let width = 9;
  let prev: number[] | undefined;
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < data.length && out.length <= max; ) {
    while (bits < width && i < data.length) {
      acc = ((acc << 8) | data[i++]) >>> 0;
      bits += 8;
    }
    if (bits < width) break;
    const code = (acc >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    acc &= (1 << bits) - 1;
    if (code === 256) {
      reset();
      width = 9;
      prev = undefined;
      continue;
    }
    if (code === 257) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code];
    else if (prev !== undefined && code === dict.length) entry = [...prev, prev[0]];
    else throw new PdfFilterError('LZW data holds a code not yet defined');
    for (const v of entry) out.push(v);
    if (prev !== undefined && dict.length < 4096) dict.push([...prev, entry[0]]);
    prev = entry;
    const next = dict.length + (earlyChange ? 1 : 0);
    width = next > 2048 ? 12 : next > 1024 ? 11 : next > 512 ? 10 : 9;
  }
  return Uint8Array.from(out);
}
