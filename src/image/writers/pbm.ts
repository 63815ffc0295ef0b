/**
 * Fax pages -> PBM (Netpbm P4, one image per page, concatenated as Netpbm allows): the page's
 * bits as they are, 1 = black, rows padded to a byte, which is also our bitmap layout.
 */

import type { ByteSink } from '../../store/atomic-file.js';
import { pbmHeader } from '../pbm.js';
import { pageBitmap, type FaxPage } from '../fax-pages.js';
import { pageReport, type PageReport, type WriterIo } from './report.js';

/** Writes `pages` into `sink` as PBM images; returns a report per page. */
export async function writePbmPages(pages: AsyncIterable<FaxPage>, sink: ByteSink, io: WriterIo): Promise<PageReport[]> {
  const reports: PageReport[] = [];
  for await (const f of pages) {
    const b = await pageBitmap(f);
    const header = pbmHeader(b.width, b.height);
    await sink.write(header);
    await sink.write(b.data);
    reports.push(pageReport(f, { width: b.width, height: b.height, compression: 'none', bytes: header.length + b.data.length }));
    io.pageDone?.(f.index + 1, f.total, reports[reports.length - 1]);
  }
  return reports;
}
