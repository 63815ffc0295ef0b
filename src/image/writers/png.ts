/**
 * Fax pages -> PNG, one file per page (PNG holds one image): bilevel pages as 1-bit PNG with
 * their resolution (png.ts), grey and colour pages as they are (sharp).
 */

import { IfaxError } from '../../errors.js';
import type { ByteSink } from '../../store/atomic-file.js';
import { pageBitmap, type FaxPage } from '../fax-pages.js';
import { encodePng } from '../png.js';
import { encodeRaster } from '../sharp.js';
import { pageReport, type PageReport, type WriterIo } from './report.js';

export interface PngOutOptions {
  /** The sink of page `n` (1-based). Each is closed after its page; the caller commits them. */
  sinkFor(n: number): Promise<ByteSink>;
  /** Only one page may be written (stdout). */
  onePage?: boolean;
}

/** USAGE: PNG to stdout holds one page (a PNG file is one image); `why` says what there is. */
export function onePngPage(why: string): IfaxError {
  return new IfaxError('USAGE', `Converting failed: PNG to stdout holds one page; ${why}`, { hint: 'Write to a file: out.png gives out-1.png, out-2.png...' });
}

/** Writes each page of `pages` as a PNG into its own sink; returns a report per page. */
export async function writePngPages(pages: AsyncIterable<FaxPage>, o: PngOutOptions, io: WriterIo): Promise<PageReport[]> {
  const reports: PageReport[] = [];
  for await (const f of pages) {
    if (o.onePage && f.total > 1) throw onePngPage(`the output has ${f.total}`);
    let png: Uint8Array;
    let size: { width: number; height: number };
    if (f.pixels?.kind === 'raster') {
      png = await encodeRaster(f.pixels.raster, 'png', f.xRes);
      size = f.pixels.raster;
    } else {
      const b = await pageBitmap(f);
      png = encodePng(b, f.xRes, f.yRes);
      size = b;
    }
    const sink = await o.sinkFor(f.index + 1);
    await sink.write(png);
    await sink.close(); // one open file at a time; renamed together at the end
    reports.push(pageReport(f, { width: size.width, height: size.height, compression: 'deflate', bytes: png.length }));
    io.pageDone?.(f.index + 1, f.total, reports[reports.length - 1]);
  }
  return reports;
}
