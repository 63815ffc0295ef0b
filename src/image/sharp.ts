/**
 * sharp, loaded on first use (so `ifax --help` does not load libvips), with libvips allowed
 * the machine's cores. sharp's default on glibc Linux is one thread, to limit heap
 * fragmentation in long-running servers; ifax converts one page at a time, and with two
 * threads a 300-dpi A4 JPEG page decodes and scales about a quarter faster (measured on the
 * 2-core benchmark machine). At most MAX_THREADS: more brings little for one page.
 */

import { availableParallelism } from 'node:os';

type Sharp = typeof import('sharp')['default'];

const MAX_THREADS = 4;

let loaded: Promise<Sharp> | undefined;

export function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(Math.max(1, Math.min(availableParallelism(), MAX_THREADS)));
    return sharp;
  });
  return loaded;
}
