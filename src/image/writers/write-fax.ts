/**
 * Fax pages into one file or into memory, for library callers (send wants TIFF bytes for the
 * mail, receive a PDF for people): the writer of the format, into a ByteSink that is a file
 * written atomically (nothing under the name until complete) or memory.
 */

import type { FaxCoding } from '../../codec/types.js';
import { defaultCoding } from '../../fax/vocabulary.js';
import { AtomicFile, MemorySink, type ByteSink } from '../../store/atomic-file.js';
import type { FaxPage } from '../fax-pages.js';
import { writePbmPages } from './pbm.js';
import { writePdfPages } from './pdf.js';
import type { PageReport, WriterIo } from './report.js';
import { writeTiffPages, type TiffOutOptions } from './tiff.js';

/** The output: a fax TIFF (profile S, F or C), a PDF, or PBM images. */
export type FaxOutput =
  | { format: 'tiff'; profile?: TiffOutOptions['profile']; coding?: FaxCoding; colour?: TiffOutOptions['colour'] }
  | { format: 'pdf' }
  | { format: 'pbm' };

export interface WriteFaxOptions {
  /** A path (written atomically), a sink of the caller's, or nothing: the bytes are returned. */
  to?: string | ByteSink;
  /** In memory: at most this many bytes (LIMIT_EXCEEDED beyond); default no bound. */
  maxBytes?: number;
  io?: WriterIo;
}

export interface WrittenFax {
  /** The bytes, when written to memory. */
  bytes?: Uint8Array;
  /** Bytes written. */
  size: number;
  pages: PageReport[];
}

/**
 * Writes `pages` as `out`. TIFF defaults: profile F, MMR (profile S: MH). On any error a file
 * is not left behind (the sink is aborted).
 */
export async function writeFax(pages: AsyncIterable<FaxPage>, out: FaxOutput, opts: WriteFaxOptions = {}): Promise<WrittenFax> {
  const memory = opts.to === undefined ? new MemorySink(opts.maxBytes) : undefined;
  const sink: ByteSink = memory ?? (typeof opts.to === 'string' ? await AtomicFile.create(opts.to) : (opts.to as ByteSink));
  const io: WriterIo = opts.io ?? { debug() {} };
  try {
    let reports: PageReport[];
    if (out.format === 'pdf') reports = await writePdfPages(pages, sink, io);
    else if (out.format === 'pbm') reports = await writePbmPages(pages, sink, io);
    else {
      const profile = out.profile ?? 'F';
      reports = await writeTiffPages(pages, sink, { profile, coding: out.coding ?? defaultCoding(profile === 'S'), ...(out.colour ? { colour: out.colour } : {}) }, io);
    }
    await sink.commit();
    return { ...(memory ? { bytes: memory.result() } : {}), size: sink.bytes, pages: reports };
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
