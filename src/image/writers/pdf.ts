/**
 * Fax pages -> PDF for people to view or print (pdf-out.ts: PDF 1.7 §7.4.6 CCITTFaxDecode).
 * Bilevel pages are embedded as T.6: a page's coded data is copied when the pass-through rule
 * allows it (T.6 already, clean; one image per strip, BlackIsZero kept with /Decode), else it is
 * encoded. Grey and colour pages go in as JPEG (DCTDecode), as they are.
 */

import { encodeFaxTiffPage, passThrough } from '../../tiff/index.js';
import type { ByteSink } from '../../store/atomic-file.js';
import { PdfFaxWriter, type PdfStrip } from '../pdf-out.js';
import { pageBitmap, type FaxPage } from '../fax-pages.js';
import { encodeRaster } from '../sharp.js';
import { pageReport, type PageReport, type WriterIo } from './report.js';

/** Writes `pages` into `sink` as one PDF; returns a report per page. */
export async function writePdfPages(pages: AsyncIterable<FaxPage>, sink: ByteSink, io: WriterIo): Promise<PageReport[]> {
  const pdf = await PdfFaxWriter.create();
  const reports: PageReport[] = [];
  for await (const f of pages) {
    if (f.pixels?.kind === 'raster') {
      const r = f.pixels.raster;
      const jpeg = await encodeRaster(r, 'jpeg', f.xRes);
      await pdf.addJpegPage(jpeg, r.width, r.height, f.xRes, f.yRes);
      reports.push(pageReport(f, { width: r.width, height: r.height, compression: 'JPEG', bytes: jpeg.length }));
    } else {
      const copied = f.coded && passThrough(f.coded, { coding: 'MMR', fillOrder: 1, maxStrips: Number.MAX_SAFE_INTEGER, allowBlackIsZero: true });
      let strips: PdfStrip[];
      let width: number;
      let height: number;
      if (copied && f.coded) {
        strips = copied;
        [width, height] = [f.coded.width, f.coded.height];
      } else {
        const bitmap = await pageBitmap(f);
        const coded = encodeFaxTiffPage(bitmap, { profile: 'F', compression: 'MMR', xRes: f.xRes, yRes: f.yRes, fillOrder: 1, allowNonStandardSize: true });
        strips = [{ data: coded.data, firstRow: 0, rows: bitmap.height }];
        [width, height] = [bitmap.width, bitmap.height];
      }
      pdf.addPage({ width, height, xRes: f.xRes, yRes: f.yRes, strips, inverted: !!copied && f.coded?.photometric === 1 });
      const bytes = strips.reduce((n, s) => n + s.data.length, 0);
      reports.push(pageReport(f, { width, height, compression: 'MMR', bytes, passedThrough: !!copied }));
    }
    io.pageDone?.(f.index + 1, f.total, reports[reports.length - 1]);
  }
  await sink.write(await pdf.save());
  return reports;
}
