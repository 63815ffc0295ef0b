/**
 * Fax pages -> one TIFF-FX file (RFC 3949): profile S (§3: MH, 1728 wide, FillOrder 2), F (§4:
 * MH, MR or MMR) or C (§6: colour and grey pages as JPEG/ITULAB, bilevel pages as in F). A
 * page's coded data is copied when the pass-through rule allows it (same coding, one strip,
 * clean decode; bits reversed for profile S), else the page is encoded with the TIFF writer's
 * defaults (K, EOLs, fill). Each page's bytes go to the sink as soon as they are made.
 */

import type { FaxCoding } from '../../codec/types.js';
import { IfaxError } from '../../errors.js';
import type { ByteSink } from '../../store/atomic-file.js';
import { FaxTiffWriter, encodeFaxTiffPage, faxPageFields, passThroughTiffPage, profileFReasons, type FaxTiffPageInput } from '../../tiff/index.js';
import { pageBitmap, type FaxPage } from '../fax-pages.js';
import type { ColourMode } from '../types.js';
import { pageReport, type PageReport, type WriterIo } from './report.js';

export interface TiffOutOptions {
  /** S, F, or C (colour pages allowed; bilevel pages written as in F). */
  profile: 'S' | 'F' | 'C';
  /** Coding of bilevel pages. Profile S: MH only. */
  coding: FaxCoding;
  /** Profile C: whether raster pages are written grey or in colour. */
  colour?: Exclude<ColourMode, 'bw'>;
}

/** Writes `pages` into `sink` as one TIFF file; returns a report per page. */
export async function writeTiffPages(pages: AsyncIterable<FaxPage>, sink: ByteSink, o: TiffOutOptions, io: WriterIo): Promise<PageReport[]> {
  const simple = o.profile === 'S';
  const reports: PageReport[] = [];
  const noted = new Set<string>();
  let writer: FaxTiffWriter | undefined;
  for await (const f of pages) {
    writer ??= new FaxTiffWriter({ profile: o.profile, pageCount: f.total, ...(simple ? {} : { allowNonStandardSize: true }) });
    if (o.profile === 'C' && f.pixels?.kind === 'raster') {
      const { encodeColorPage } = await import('../color/index.js');
      const grey = o.colour === 'gray';
      const page = encodeColorPage(f.pixels.raster, { xRes: f.xRes, yRes: f.yRes, samplesPerPixel: grey ? 1 : 3 });
      await sink.write(writer.addColorPage(page));
      reports.push(pageReport(f, { width: page.width, height: page.height, compression: grey ? 'JPEG grey' : 'JPEG colour', bytes: page.data.length }));
    } else {
      const copied = f.coded && passThroughTiffPage(f.coded, { coding: o.coding, ...(simple ? { fillOrder: 2 as const } : {}), allowBlackIsZero: !simple, profile: simple ? 'S' : 'F' }, { x: f.xRes, y: f.yRes });
      const input: FaxTiffPageInput =
        copied ||
        encodeFaxTiffPage(await pageBitmap(f), {
          profile: simple ? 'S' : 'F',
          compression: o.coding,
          xRes: f.xRes,
          yRes: f.yRes,
          ...(simple ? {} : { allowNonStandardSize: true }),
        });
      if (!simple) noteSize(f, input, noted, io);
      await sink.write(writer.addPage(input));
      reports.push(pageReport(f, { width: input.width, height: input.height, compression: o.coding, bytes: input.data.length, passedThrough: !!copied }));
    }
    io.pageDone?.(f.index + 1, f.total, reports[reports.length - 1]);
  }
  if (!writer) throw new IfaxError('DATA_INVALID', 'Writing TIFF failed: the input has no pages');
  for (const patch of writer.finish()) await sink.patch(patch.offset, patch.bytes);
  return reports;
}

/** Says (once per file and size, at -v) when a page is not a TIFF-FX profile F size. */
function noteSize(f: FaxPage, input: FaxTiffPageInput, noted: Set<string>, io: WriterIo): void {
  const fields = faxPageFields(input, f.index, f.total);
  const reasons = profileFReasons(fields);
  const key = `${f.source.file}:${input.width}:${fields.xResolution}:${fields.yResolution}`;
  if (reasons.length === 0 || noted.has(key)) return;
  noted.add(key);
  io.debug(`${JSON.stringify(f.source.file)}: pages ${input.width} pixels wide at ${fields.xResolution} x ${fields.yResolution} dpi are not a TIFF-FX profile F size (${reasons.join(' ')}); some fax devices may refuse them`);
}
