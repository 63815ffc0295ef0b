/**
 * Option checking for the T.4 / T.6 codec (ITU-T T.4 §4, T.6 §2; option names after the
 * TIFF tags and the PDF CCITTFaxDecode parameters). Invalid options throw instead of
 * falling back, and sizes are checked against src/limits.ts before anything is allocated.
 */

import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_PIXELS_PER_PAGE, MAX_WIDTH } from '../limits.js';
import type { FaxCodecOptions, FaxCoding } from './types.js';

/** Options with defaults applied. */
export interface ResolvedOptions {
  coding: FaxCoding;
  width: number;
  fillOrder: 1 | 2;
  eolFill: boolean;
  byteAlign: boolean;
  endMarker: boolean;
  /** MR: K, or 0 for 'cost'. */
  k: number;
  blackIs1: boolean;
  /** undefined = auto (decoder), true/false as given. */
  eol: boolean | undefined;
}

const CODINGS: readonly FaxCoding[] = ['MH', 'MR', 'MMR'];

function invalid(operation: string, reason: string, key: string, value: unknown): IfaxError {
  return new IfaxError('UNSUPPORTED_INPUT', `${operation} failed: ${reason}: ${JSON.stringify(value)}`, {
    context: { option: key, value },
  });
}

/** Checks a width against MAX_WIDTH: every decoded row costs width / 8 bytes. */
export function checkWidth(operation: string, width: unknown): number {
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
    throw invalid(operation, 'width must be a positive integer', 'width', width);
  }
  if (width > MAX_WIDTH) {
    throw new IfaxError('LIMIT_EXCEEDED', `${operation} failed: width ${width} exceeds MAX_WIDTH (${MAX_WIDTH})`, {
      context: { limit: 'MAX_WIDTH', value: width, max: MAX_WIDTH },
    });
  }
  return width;
}

/** Checks a height against MAX_HEIGHT and width x height against MAX_PIXELS_PER_PAGE. */
export function checkHeight(operation: string, width: number, height: unknown): number {
  if (typeof height !== 'number' || !Number.isInteger(height) || height < 0) {
    throw invalid(operation, 'height must be a non-negative integer', 'height', height);
  }
  if (height > MAX_HEIGHT) {
    throw new IfaxError('LIMIT_EXCEEDED', `${operation} failed: height ${height} exceeds MAX_HEIGHT (${MAX_HEIGHT})`, {
      context: { limit: 'MAX_HEIGHT', value: height, max: MAX_HEIGHT },
    });
  }
  if (width * height > MAX_PIXELS_PER_PAGE) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `${operation} failed: ${width} x ${height} pixels exceed MAX_PIXELS_PER_PAGE (${MAX_PIXELS_PER_PAGE})`,
      { context: { limit: 'MAX_PIXELS_PER_PAGE', value: width * height, max: MAX_PIXELS_PER_PAGE } },
    );
  }
  return height;
}

export function resolveOptions(operation: string, opts: FaxCodecOptions): ResolvedOptions {
  if (opts === null || typeof opts !== 'object') throw invalid(operation, 'options must be an object', 'options', opts);
  if (!CODINGS.includes(opts.coding)) throw invalid(operation, 'coding must be MH, MR or MMR', 'coding', opts.coding);
  const width = checkWidth(operation, opts.width);
  const fillOrder = opts.fillOrder ?? 1;
  if (fillOrder !== 1 && fillOrder !== 2) throw invalid(operation, 'fillOrder must be 1 or 2', 'fillOrder', fillOrder);
  let k = 2;
  if (opts.k === 'cost') {
    k = 0;
  } else if (opts.k !== undefined) {
    if (!Number.isInteger(opts.k) || opts.k < 1) throw invalid(operation, "k must be a positive integer or 'cost'", 'k', opts.k);
    k = opts.k;
  }
  if (opts.eol === false && opts.coding === 'MR') {
    throw invalid(operation, 'MR needs EOLs (each carries the 1-D/2-D tag bit); eol: false is for MH', 'eol', opts.eol);
  }
  return {
    coding: opts.coding,
    width,
    fillOrder,
    eolFill: opts.eolFill === true,
    byteAlign: opts.byteAlign === true,
    endMarker: opts.endMarker === true,
    k,
    blackIs1: opts.blackIs1 !== false,
    eol: opts.eol,
  };
}
