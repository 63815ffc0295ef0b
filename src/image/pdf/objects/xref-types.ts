/**
 * Cross-reference entries (PDF 32000-1 §7.5.4 tables, §7.5.8.3 stream entries): where an
 * object lies. Pure.
 */

/** One object's entry: at a file offset, inside an object stream, or free. */
export type XrefEntry = { kind: 'offset'; offset: number; gen: number } | { kind: 'compressed'; stream: number; index: number } | { kind: 'free' };
