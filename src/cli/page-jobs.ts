/**
 * Process-wide settings for the page jobs the CLI runs (convert; later send and receive). They
 * live here, not in the library, because they change the whole process: a program that imports
 * ifax as a library, or a long-running `poll --watch`, keeps its own settings and must not
 * depend on them.
 *
 * - libvips threads: sharp's default on glibc Linux is one thread, to limit heap fragmentation
 *   in long-running servers; a CLI run converts one page at a time, and with two threads a
 *   300-dpi A4 JPEG page decodes and scales about a quarter faster (measured on the 2-core
 *   benchmark machine). At most MAX_IMAGE_THREADS: more brings little for one page.
 * - Memory (MAX_UNCOLLECTED_BUFFER_BYTES): after a page, when the page buffers waiting for
 *   collection exceed the bound, a full collection is run. Node offers `gc` only behind
 *   --expose-gc; the flag is set at run time and the function taken from a fresh context, once,
 *   and only when needed. Where that is not possible the job carries on: the bound is V8's own.
 */

import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { useImageThreads } from '../image/sharp.js';
import { MAX_UNCOLLECTED_BUFFER_BYTES } from '../limits.js';

const MAX_IMAGE_THREADS = 4;

let collect: (() => void) | undefined | null = null;

function collector(): (() => void) | undefined {
  if (collect === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  return collect;
}

/** Call between pages: collects when page buffers pile up beyond the bound. */
export function relieveMemory(limit = MAX_UNCOLLECTED_BUFFER_BYTES): void {
  if (process.memoryUsage().arrayBuffers <= limit) return;
  collector()?.();
}

/** Sets up the process for a page job; returns the hook to call after each page. */
export function setUpPageJob(): () => void {
  useImageThreads(Math.min(availableParallelism(), MAX_IMAGE_THREADS));
  return () => relieveMemory();
}
