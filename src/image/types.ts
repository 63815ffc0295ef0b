/**
 * Types shared by the page conversion steps (inputs, PDF, fitting, halftoning, header line,
 * colour): what a page is between "decoded from the input" and "encoded for the fax".
 */

import type { Bitmap } from '../codec/types.js';

/**
 * An 8-bit grey (channels 1) or RGB (channels 3) image, rows top to bottom, no row padding:
 * data.length === width * height * channels. 0 is black, 255 white (as sharp gives it).
 */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** A page's pixels: bilevel (1 = black, packed MSB first, rows padded to a byte) or a raster. */
export type PagePixels = { kind: 'bitmap'; bitmap: Bitmap } | { kind: 'raster'; raster: Raster };

/** Paper sizes of a fax (T.4 §2.2, STANDARDS.md "TIFF for fax"): src/fax/vocabulary.ts. */
export type { PaperName } from '../fax/vocabulary.js';

/** How bilevel pages are made from grey: `auto` finds photo regions and dithers only those. */
export type HalftoneMode = 'auto' | 'threshold' | 'diffusion' | 'ordered';

/** Colour of the output pages: black and white (MH/MR/MMR), or TIFF-FX profile C (JPEG, ITULAB). */
export type ColourMode = 'bw' | 'gray' | 'color';

/** How a page became a fax page (reported by `ifax convert --json`). */
export type PagePath = 'pass-through' | 'fast-path' | 'rendered' | 'encoded';
