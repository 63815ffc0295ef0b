/**
 * RFC 3949 §4.4.3 ("export multiple-page TIFF-F files without manipulating fields and values")
 * and §4.4.6: a page's coded strip carried into FaxTiffWriter without decoding and
 * re-encoding, e.g. a received G4 fax re-wrapped as TIFF-F, or a Cisco FillOrder 1 page
 * turned into FillOrder 2 for profile S by reversing its bits (TIFF 6.0 §8 FillOrder).
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../errors.js';
import { reversedBitsCopy } from './bits.js';
import { checkDecodable } from './decode.js';
import { getPage, pageStrips } from './reader.js';
import { T4_2D, T4_EOL_FILL, compressionLabel } from './tags.js';
import type { TiffFile } from './types.js';
import type { FaxTiffPageInput } from './writer.js';

/**
 * A page's coded data and fields as FaxTiffWriter input, without decoding. Only single-strip
 * T.4 / T.6 pages qualify (several strips each restart coding and cannot simply be joined;
 * Compression 2 has no TIFF-FX form): others throw UNSUPPORTED_INPUT, and the caller decodes
 * and re-encodes. `fillOrder` asks for the data in that bit order (bits reversed if needed).
 */
export function rawFaxPage(file: TiffFile, pageIndex: number, fillOrder?: 1 | 2): FaxTiffPageInput {
  const page = getPage(file, pageIndex);
  checkDecodable(page);
  const refuse = (reason: string): IfaxError =>
    new IfaxError('UNSUPPORTED_INPUT', `Passing TIFF page ${pageIndex} through failed: ${reason}`, {
      context: { page: pageIndex },
      hint: 'Decode the page with decodePage and encode it again.',
    });
  if (page.compression !== 3 && page.compression !== 4) {
    throw refuse(`compression ${compressionLabel(page.compression)} has no TIFF-FX form`);
  }
  const strips = pageStrips(file, pageIndex);
  if (strips.length !== 1) throw refuse(`the page has ${strips.length} strips; TIFF-FX pages have one`);
  if (page.xResolution === undefined || page.yResolution === undefined) {
    throw refuse('XResolution or YResolution is missing');
  }
  const want = fillOrder ?? page.fillOrder;
  const data = want === page.fillOrder ? strips[0].data : reversedBitsCopy(strips[0].data);
  const input: FaxTiffPageInput = {
    data,
    width: page.width,
    height: page.height,
    coding: page.compression === 4 ? 'MMR' : (page.t4Options & T4_2D) !== 0 ? 'MR' : 'MH',
    fillOrder: want,
    eolFill: page.compression === 3 && (page.t4Options & T4_EOL_FILL) !== 0,
    xResolution: page.xResolution,
    yResolution: page.yResolution,
    resolutionUnit: page.resolutionUnit === 3 ? 3 : 2,
    photometric: page.photometric === 1 ? 1 : 0,
  };
  if (page.badFaxLines !== undefined) input.badFaxLines = page.badFaxLines;
  if (page.cleanFaxData === 0 || page.cleanFaxData === 1 || page.cleanFaxData === 2) input.cleanFaxData = page.cleanFaxData;
  if (page.consecutiveBadFaxLines !== undefined) input.consecutiveBadFaxLines = page.consecutiveBadFaxLines;
  return input;
}
