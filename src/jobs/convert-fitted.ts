/**
 * `ifax convert` with fitting (the default; `--fit none` is convert.ts): source pages go
 * through the page pipeline (pages.ts) and each fax page is written as it comes: TIFF
 * (profile F, S, or C when colour pages are asked for), PDF (G4), PBM, PNG.
 */

import type { FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { PdfFaxWriter, type PdfStrip } from '../image/pdf-out.js';
import { pbmHeader } from '../image/pbm.js';
import { encodePng } from '../image/png.js';
import { bilevelOf } from '../image/sources.js';
import type { SourcePage } from '../image/inputs.js';
import { FaxTiffWriter, encodeFaxTiffPage, reversedBitsCopy, type FaxTiffPageInput } from '../tiff/index.js';
import { faxPages, type FaxPage, type PageOptions } from './pages.js';
import type { ByteSink } from '../image/atomic-file.js';
import { openSink, pageDone, passThroughTiff, pngPagePath, withSinks, type ConvertIo, type ConvertOptions, type ConvertReport, type OutputFormat, type PageReport } from './convert.js';

function pageReport(f: FaxPage, width: number, height: number, compression: string, bytes: number): PageReport {
  return {
    source: f.source.file,
    sourcePage: f.source.index + 1,
    width,
    height,
    xRes: f.xRes,
    yRes: f.yRes,
    compression,
    bytes,
    path: f.path,
    damagedRows: f.damagedRows,
  };
}

/** A bilevel fax page's TIFF input: its coded data passed through, or encoded. */
function bilevelInput(f: FaxPage, coding: FaxCoding, simple: boolean): { input: FaxTiffPageInput; passed: boolean } {
  const profile = simple ? 'S' : 'F';
  if (f.passThrough?.kind === 'ccitt' && f.source.ccitt) {
    const c = f.source.ccitt;
    const input: FaxTiffPageInput = {
      data: simple ? reversedBitsCopy(c.data) : c.data,
      width: c.columns,
      height: c.rows,
      coding,
      fillOrder: simple ? 2 : 1,
      ...(coding !== 'MMR' ? { eolFill: false } : {}),
      xResolution: f.xRes,
      yResolution: f.yRes,
    };
    return { input, passed: true };
  }
  if (f.passThrough?.kind === 'tiff') {
    const input = passThroughTiff(f.source, f.passThrough.decoded, coding, simple, { x: f.xRes, y: f.yRes });
    if (input) return { input, passed: true };
  }
  const bitmap = bilevelOf(f.pixels);
  const input = encodeFaxTiffPage(bitmap, {
    profile,
    compression: coding,
    xRes: f.xRes,
    yRes: f.yRes,
    ...(coding === 'MR' ? { k: f.yRes <= 100 ? 2 : 4 } : {}),
    ...(simple ? {} : { allowNonStandardSize: true }),
  });
  return { input, passed: false };
}

/** Runs the fitted conversion of `sources` into `format`. */
export async function convertFitted(sources: SourcePage[], format: OutputFormat, po: PageOptions, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  if (po.colour !== 'bw' && format !== 'tiff') {
    throw new IfaxError('USAGE', `Converting failed: --${po.colour} pages are TIFF-FX profile C; write a .tif (got ${format})`, {
      hint: 'Drop --color/--gray for PDF, PBM and PNG output: those are written black and white.',
    });
  }
  const pages = faxPages(sources, po, io);
  switch (format) {
    case 'tiff':
      return toTiff(pages, po, opts, io);
    case 'pdf':
      return toPdf(pages, opts, io);
    case 'pbm':
      return toPbm(pages, opts, io);
    default:
      return toPng(pages, opts, io);
  }
}

async function toTiff(pages: AsyncGenerator<FaxPage>, po: PageOptions, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const simple = opts.mode === 'simple';
  const coding = po.coding;
  const sink = await openSink(opts.output, io);
  const reports: PageReport[] = [];
  let writer: FaxTiffWriter | undefined;
  await withSinks([sink], async () => {
    for await (const f of pages) {
      writer ??= new FaxTiffWriter({ profile: simple ? 'S' : po.colour !== 'bw' ? 'C' : 'F', pageCount: f.total, ...(simple ? {} : { allowNonStandardSize: true }) });
      if (f.pixels.kind === 'raster' && po.colour !== 'bw') {
        const { encodeColorPage } = await import('../image/color/index.js');
        const page = encodeColorPage(f.pixels.raster, { xRes: f.xRes, yRes: f.yRes, samplesPerPixel: po.colour === 'gray' ? 1 : 3 });
        await sink.write(writer.addColorPage(page));
        reports.push(pageReport(f, page.width, page.height, po.colour === 'gray' ? 'JPEG grey' : 'JPEG colour', page.data.length));
      } else {
        const { input, passed } = bilevelInput(f, coding, simple);
        await sink.write(writer.addPage(input));
        reports.push(pageReport(passed ? { ...f, path: 'pass-through' } : f, input.width, input.height, coding, input.data.length));
      }
      pageDone(io, f.index + 1, f.total);
    }
    if (!writer) throw new IfaxError('DATA_INVALID', 'Converting failed: the input has no pages');
    for (const patch of writer.finish()) await sink.patch(patch.offset, patch.bytes);
  });
  return { output: opts.output, format: 'tiff', pages: reports, bytes: sink.bytes };
}

async function toPdf(pages: AsyncGenerator<FaxPage>, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const pdf = await PdfFaxWriter.create();
  const reports: PageReport[] = [];
  const sink = await openSink(opts.output, io);
  await withSinks([sink], async () => {
    for await (const f of pages) {
      let strips: PdfStrip[];
      let width: number;
      let height: number;
      let path = f.path;
      if (f.passThrough?.kind === 'ccitt' && f.source.ccitt && f.source.ccitt.k < 0) {
        const c = f.source.ccitt;
        strips = [{ data: c.data, firstRow: 0, rows: c.rows }];
        [width, height, path] = [c.columns, c.rows, 'pass-through'];
      } else {
        const bitmap = bilevelOf(f.pixels);
        const coded = encodeFaxTiffPage(bitmap, { profile: 'F', compression: 'MMR', xRes: f.xRes, yRes: f.yRes, fillOrder: 1, allowNonStandardSize: true });
        strips = [{ data: coded.data, firstRow: 0, rows: bitmap.height }];
        [width, height] = [bitmap.width, bitmap.height];
      }
      pdf.addPage({ width, height, xRes: f.xRes, yRes: f.yRes, strips, inverted: false });
      reports.push(pageReport({ ...f, path }, width, height, 'MMR', strips.reduce((n, s) => n + s.data.length, 0)));
      pageDone(io, f.index + 1, f.total);
    }
    await sink.write(await pdf.save());
  });
  return { output: opts.output, format: 'pdf', pages: reports, bytes: sink.bytes };
}

async function toPbm(pages: AsyncGenerator<FaxPage>, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const sink = await openSink(opts.output, io);
  const reports: PageReport[] = [];
  await withSinks([sink], async () => {
    for await (const f of pages) {
      const b = await bitmapOf(f);
      const header = pbmHeader(b.width, b.height);
      await sink.write(header);
      await sink.write(b.data);
      reports.push(pageReport(f, b.width, b.height, 'none', header.length + b.data.length));
      pageDone(io, f.index + 1, f.total);
    }
  });
  return { output: opts.output, format: 'pbm', pages: reports, bytes: sink.bytes };
}

async function toPng(pages: AsyncGenerator<FaxPage>, opts: ConvertOptions, io: ConvertIo): Promise<ConvertReport> {
  const toStdout = opts.output === '-';
  const sinks: ByteSink[] = [];
  const reports: PageReport[] = [];
  await withSinks(sinks, async () => {
    for await (const f of pages) {
      if (toStdout && f.total > 1) {
        throw new IfaxError('USAGE', `Converting failed: PNG to stdout holds one page; the output has ${f.total}`, { hint: 'Write to a file: out.png gives out-1.png, out-2.png...' });
      }
      const b = await bitmapOf(f);
      const png = encodePng(b, f.xRes, f.yRes);
      const sink = await openSink(toStdout ? '-' : pngPagePath(opts.output, f.index + 1), io);
      sinks.push(sink);
      await sink.write(png);
      await sink.close();
      reports.push(pageReport(f, b.width, b.height, 'deflate', png.length));
      pageDone(io, f.index + 1, f.total);
    }
  });
  return { output: toStdout ? '-' : sinks.map((s) => s.target), format: 'png', pages: reports, bytes: sinks.reduce((n, s) => n + s.bytes, 0) };
}

/** The page's bitmap; a passed-through CCITT page is decoded here (PBM/PNG need pixels). */
async function bitmapOf(f: FaxPage) {
  if (f.passThrough?.kind === 'ccitt') {
    const d = await f.source.pixels();
    return bilevelOf(d.pixels);
  }
  return bilevelOf(f.pixels);
}
