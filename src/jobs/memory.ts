/**
 * Keeps page-by-page jobs within their memory bound (MAX_UNCOLLECTED_BUFFER_BYTES): after a
 * page, when the page buffers waiting for collection exceed the bound, a full collection is
 * run. Node offers `gc` only behind --expose-gc; the flag is set at run time and the function
 * taken from a fresh context, once, and only when needed. Where that is not possible the job
 * carries on: the bound is then V8's own.
 */

import v8 from 'node:v8';
import vm from 'node:vm';
import { MAX_UNCOLLECTED_BUFFER_BYTES } from '../limits.js';

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
