/**
 * sharp, loaded on first use (so `ifax --help` and a fax-to-PBM convert never load libvips).
 * Its thread count is a process-wide setting, so the library never changes it on its own: the
 * CLI asks for more threads with `useImageThreads` (see cli/page-jobs.ts for why), and the
 * setting is applied when sharp is loaded, or at once if it already is.
 */

import type { Raster } from './types.js';

type Sharp = typeof import('sharp')['default'];

let loaded: Promise<Sharp> | undefined;
let threads: number | undefined;

/** Asks libvips for `n` threads (applied on load). Process-wide: for applications, not libraries. */
export function useImageThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
  void loaded?.then((sharp) => sharp.concurrency(threads));
}

export function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    if (threads !== undefined) sharp.concurrency(threads);
    return sharp;
  });
  return loaded;
}

/** A grey or RGB raster as PNG (with its resolution) or baseline JPEG, by sharp. */
export async function encodeRaster(r: Raster, as: 'png' | 'jpeg', xRes: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const img = sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), { raw: { width: r.width, height: r.height, channels: r.channels }, limitInputPixels: false }).withMetadata({ density: xRes });
  const out = as === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
