/**
 * What a page writer says of each page it wrote (`ifax convert --json` pages[], and later the
 * send and receive job records), and the I/O a writer is given.
 */

import type { FaxPage } from '../fax-pages.js';
import type { PagePath } from '../types.js';

export interface PageReport {
  /** Input file and 1-based page in it. */
  source: string;
  sourcePage: number;
  width: number;
  height: number;
  xRes: number;
  yRes: number;
  /** Coding in the output: MH, MR, MMR (TIFF, PDF), JPEG..., none (PBM), deflate (PNG). */
  compression: string;
  /** Bytes of this page's image data in the output. */
  bytes: number;
  /** How the page was made: pass-through (coded data kept), fast-path (a scanned PDF's image), rendered (PDF), encoded. */
  path: PagePath;
  /** The source page's damaged and missing rows (page-damage.ts), on its first output page only. */
  damagedRows: number;
  missingRows: number;
}

/** Where a writer's notes go, and what it calls after each page (progress, memory). */
export interface WriterIo {
  debug(message: string): void;
  /** After page `done` of `total` is handed to the sink, with what was written of it. */
  pageDone?(done: number, total: number, report: PageReport): void;
}

/** The report of page `f` as written: its size, coding and bytes in the output. */
export function pageReport(f: FaxPage, out: { width: number; height: number; compression: string; bytes: number; passedThrough?: boolean }): PageReport {
  return {
    source: f.source.file,
    sourcePage: f.source.index + 1,
    width: out.width,
    height: out.height,
    xRes: f.xRes,
    yRes: f.yRes,
    compression: out.compression,
    bytes: out.bytes,
    // A page offered for pass-through but re-encoded reports how it was made, never "pass-through".
    path: out.passedThrough ? 'pass-through' : f.path === 'pass-through' ? 'encoded' : f.path,
    damagedRows: f.damagedRows,
    missingRows: f.missingRows,
  };
}
