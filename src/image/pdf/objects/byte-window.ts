/**
 * Byte access by absolute offset over a ByteSource, through a few cached blocks: the lexer
 * (lexer.ts) reads objects byte by byte where they lie in the file, and only the blocks it
 * touches are read. Memory is PDF_WINDOW_BLOCKS x PDF_WINDOW_BLOCK_BYTES whatever the file's
 * size. Bytes already in memory (an object stream's inflated data) are wrapped the same way.
 */

import type { ByteSource } from '../../pbm.js';
import { PDF_WINDOW_BLOCK_BYTES, PDF_WINDOW_BLOCKS } from '../../../limits.js';

/** Random access to bytes by absolute offset. */
export interface Bytes {
  readonly length: number;
  /** The byte at `i`, or -1 outside [0, length). */
  at(i: number): number;
  /** Bytes [start, end), clipped to the data. */
  slice(start: number, end: number): Uint8Array;
}

/** Bytes in memory. */
export function memoryBytes(data: Uint8Array): Bytes {
  return {
    length: data.length,
    at: (i) => (i >= 0 && i < data.length ? data[i] : -1),
    slice: (s, e) => data.slice(Math.max(0, s), Math.min(e, data.length)),
  };
}

/** A file's bytes through a small block cache (least recently used block evicted). */
export function windowBytes(source: ByteSource): Bytes {
  const blocks = new Map<number, Uint8Array>();
  let last = -1;
  let lastBlock: Uint8Array = new Uint8Array(0);
  const block = (n: number): Uint8Array => {
    if (n === last) return lastBlock;
    let b = blocks.get(n);
    if (b === undefined) {
      b = source.read(n * PDF_WINDOW_BLOCK_BYTES, PDF_WINDOW_BLOCK_BYTES);
      if (blocks.size >= PDF_WINDOW_BLOCKS) blocks.delete(blocks.keys().next().value as number);
    } else blocks.delete(n);
    blocks.set(n, b);
    last = n;
    lastBlock = b;
    return b;
  };
  return {
    length: source.size,
    at(i) {
      if (i < 0 || i >= source.size) return -1;
      const b = block(Math.floor(i / PDF_WINDOW_BLOCK_BYTES));
      const o = i % PDF_WINDOW_BLOCK_BYTES;
      return o < b.length ? b[o] : -1;
    },
    slice(s, e) {
      const start = Math.max(0, s);
      const end = Math.min(e, source.size);
      return end > start ? source.read(start, end - start) : new Uint8Array(0);
    },
  };
}
