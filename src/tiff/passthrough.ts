/**
 * RFC 3949 §4.4.3 ("export multiple-page TIFF-F files without manipulating fields and values")
 * and §4.4.6: a page's coded data carried into a new file without decoding and re-encoding,
 * e.g. a received G4 fax re-wrapped as TIFF-F or embedded in a PDF, a scanned PDF's G4 image
 * sent as a fax page, or a Cisco FillOrder 1 page turned into FillOrder 2 for profile S by
 * reversing its bits (TIFF 6.0 §8 FillOrder: bit order is not coding).
 *
 * The one pass-through rule of ifax: every writer (TIFF S/F/C, PDF) asks `passThrough`, and
 * nothing else decides whether coded data may be copied. Pure: no `node:` imports.
 */

import type { FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { codingOf } from '../fax/vocabulary.js';
import { reversedBitsCopy } from './bits.js';
import { checkDecodable } from './decode.js';
import { getPage, pageStrips } from './reader.js';
import { T4_2D, T4_EOL_FILL, T4_UNCOMPRESSED, T6_UNCOMPRESSED, compressionLabel } from './tags.js';
import type { TiffFile } from './types.js';
import type { FaxTiffPageInput } from './writer.js';

/** One coded strip: a run of rows that restarts coding (TIFF strips; a PDF image is one). */
export interface CodedStrip {
  data: Uint8Array;
  firstRow: number;
  rows: number;
}

/** A page's coded fax data as stored in its source, with what a copy must preserve. */
export interface CodedPage {
  width: number;
  height: number;
  /** Stored coding, or undefined when it is none of MH/MR/MMR (Compression 2, options unknown to T.4). */
  coding: FaxCoding | undefined;
  strips: CodedStrip[];
  fillOrder: 1 | 2;
  /** T4Options bit 2 (EOLs end on a byte boundary). */
  eolFill: boolean;
  /** Uncompressed mode allowed (T4Options bit 1, T6Options bit 1): few readers have it. */
  uncompressed: boolean;
  /** Each row starts on a byte boundary (PDF EncodedByteAlign; TIFF Compression 2): not T.4/T.6 as fax readers take it. */
  byteAligned: boolean;
  /** 1 = BlackIsZero (TIFF Photometric 1, PDF BlackIs1 false with /Decode [1 0]...). */
  photometric: 0 | 1;
  /**
   * TIFF Orientation (274) of the stored rows; 1 (or absent) = top row first, left to right. The
   * writers write no Orientation, so data stored any other way is not copied (it would print
   * mirrored or turned).
   */
  orientation?: number;
  /**
   * How decoding went: true = no damaged rows and no decoder notes, false = damage (the copy
   * would carry it on; the concealed bitmap is re-encoded instead), undefined = not decoded
   * (a scanned PDF's image taken as it is).
   */
  clean?: boolean;
  /** Page-quality fields of a page received from a fax line (RFC 3949 §4.3.3), kept on copy. */
  badFaxLines?: number;
  cleanFaxData?: 0 | 1 | 2;
  consecutiveBadFaxLines?: number;
}

/** What a writer wants of a copied page. */
export interface PassThroughWants {
  coding: FaxCoding;
  /** Bit order the writer stores; undefined keeps the source's. */
  fillOrder?: 1 | 2;
  /** Strips the output can hold per page: TIFF-FX pages have one (§4.4.6); a PDF page one image per strip. */
  maxStrips: number;
  /** BlackIsZero is kept (profile F, PDF /Decode) or refused (profile S is WhiteIsZero, §3.3). */
  allowBlackIsZero: boolean;
}

/** Why a page cannot be copied, or undefined when it can (the rule, for messages and tests). */
export function passThroughRefusal(page: CodedPage, want: PassThroughWants): string | undefined {
  if (page.coding === undefined) return 'the data is not T.4 or T.6 as fax readers take it';
  if (page.coding !== want.coding) return `the data is ${page.coding}, ${want.coding} is wanted`;
  if (page.uncompressed) return 'it allows uncompressed mode, which few fax readers decode';
  if ((page.orientation ?? 1) !== 1) return `it is stored in another orientation (TIFF Orientation ${page.orientation})`;
  if (page.byteAligned) return 'its rows are byte-aligned';
  if (page.clean === false) return 'it has damaged rows (the concealed page is re-encoded)';
  if (page.photometric === 1 && !want.allowBlackIsZero) return 'it is BlackIsZero';
  if (page.strips.length === 0 || page.strips.some((s) => s.data.length === 0)) return 'it has no coded data';
  if (page.strips.length > want.maxStrips) return `it has ${page.strips.length} strips; ${want.maxStrips} can be kept`;
  return undefined;
}

/**
 * The page's strips in the wanted bit order when it may be copied unchanged, else undefined
 * (the caller decodes and encodes). Only bit order changes on the way; nothing is re-coded.
 */
export function passThrough(page: CodedPage, want: PassThroughWants): CodedStrip[] | undefined {
  if (passThroughRefusal(page, want) !== undefined) return undefined;
  const order = want.fillOrder ?? page.fillOrder;
  return order === page.fillOrder ? page.strips : page.strips.map((s) => ({ ...s, data: reversedBitsCopy(s.data) }));
}

/**
 * A copied page as FaxTiffWriter input, retagged with the resolution `res` (the caller's
 * decision: the source's own, or what `--resolution` tags), or undefined when the rule refuses.
 */
export function passThroughTiffPage(page: CodedPage, want: Omit<PassThroughWants, 'maxStrips'> & { profile: 'S' | 'F' }, res: { x: number; y: number }): FaxTiffPageInput | undefined {
  const strips = passThrough(page, { ...want, maxStrips: 1 });
  if (!strips) return undefined;
  const input: FaxTiffPageInput = {
    data: strips[0].data,
    width: page.width,
    height: page.height,
    coding: want.coding,
    fillOrder: want.fillOrder ?? page.fillOrder,
    ...(want.coding !== 'MMR' ? { eolFill: page.eolFill } : {}),
    xResolution: res.x,
    yResolution: res.y,
    ...(page.photometric === 1 ? { photometric: 1 as const } : {}),
  };
  // The page-quality fields stay true of data copied unchanged; profile S has no such fields (§2.2.3).
  if (want.profile === 'F') {
    if (page.badFaxLines !== undefined) input.badFaxLines = page.badFaxLines;
    if (page.cleanFaxData !== undefined) input.cleanFaxData = page.cleanFaxData;
    if (page.consecutiveBadFaxLines !== undefined) input.consecutiveBadFaxLines = page.consecutiveBadFaxLines;
  }
  return input;
}

/** T4Options bits T.4 defines (2-D, uncompressed, EOL fill); others make the data unknown. */
const T4_KNOWN = T4_2D | T4_UNCOMPRESSED | T4_EOL_FILL;

/**
 * A TIFF page's coded data as a CodedPage. `clean` is the caller's: whether the page decoded
 * without damage (pass undefined when it was not decoded).
 */
export function tiffCodedPage(file: TiffFile, pageIndex: number, clean?: boolean): CodedPage {
  const page = getPage(file, pageIndex);
  const t4 = page.compression === 3 ? page.t4Options : 0;
  const t6 = page.compression === 4 ? page.t6Options : 0;
  const coded: CodedPage = {
    width: page.width,
    height: page.height,
    coding: (t4 & ~T4_KNOWN) !== 0 || (t6 & ~T6_UNCOMPRESSED) !== 0 ? undefined : codingOf({ compression: page.compression, t4Options: t4 }),
    strips: page.compression === 3 || page.compression === 4 ? pageStrips(file, pageIndex) : [],
    fillOrder: page.fillOrder,
    eolFill: (t4 & T4_EOL_FILL) !== 0,
    uncompressed: (t4 & T4_UNCOMPRESSED) !== 0 || (t6 & T6_UNCOMPRESSED) !== 0,
    byteAligned: page.compression === 2,
    photometric: page.photometric === 1 ? 1 : 0,
    orientation: page.orientation,
    ...(clean !== undefined ? { clean } : {}),
  };
  // Only WhiteIsZero/BlackIsZero are bilevel fax data; anything else is not copied.
  if (page.photometric !== undefined && page.photometric > 1) coded.coding = undefined;
  if (page.badFaxLines !== undefined) coded.badFaxLines = page.badFaxLines;
  if (page.cleanFaxData === 0 || page.cleanFaxData === 1 || page.cleanFaxData === 2) coded.cleanFaxData = page.cleanFaxData;
  if (page.consecutiveBadFaxLines !== undefined) coded.consecutiveBadFaxLines = page.consecutiveBadFaxLines;
  return coded;
}

/**
 * A page's coded data and fields as FaxTiffWriter input, without decoding, keeping the page's
 * own resolution and coding. Pages the rule refuses throw UNSUPPORTED_INPUT naming why (the
 * caller decodes and re-encodes). `fillOrder` asks for the data in that bit order.
 */
export function rawFaxPage(file: TiffFile, pageIndex: number, fillOrder?: 1 | 2): FaxTiffPageInput {
  const page = getPage(file, pageIndex);
  checkDecodable(page);
  const refuse = (reason: string): IfaxError =>
    new IfaxError('UNSUPPORTED_INPUT', `Passing TIFF page ${pageIndex + 1} through failed: ${reason}`, {
      context: { page: pageIndex + 1 },
      hint: 'Decode the page with decodePage and encode it again.',
    });
  if (page.compression !== 3 && page.compression !== 4) throw refuse(`compression ${compressionLabel(page.compression)} has no TIFF-FX form`);
  if (page.xResolution === undefined || page.yResolution === undefined) throw refuse('XResolution or YResolution is missing');
  const coded = tiffCodedPage(file, pageIndex);
  const want = { coding: coded.coding ?? 'MH', ...(fillOrder ? { fillOrder } : {}), allowBlackIsZero: true, profile: 'F' as const };
  const why = passThroughRefusal(coded, { ...want, maxStrips: 1 });
  if (why !== undefined) throw refuse(why.replace(/(\d+) strips; 1 can be kept/, '$1 strips; TIFF-FX pages have one'));
  const input = passThroughTiffPage(coded, want, { x: page.xResolution, y: page.yResolution })!;
  input.resolutionUnit = page.resolutionUnit === 3 ? 3 : 2;
  input.eolFill = coded.eolFill;
  input.photometric = coded.photometric;
  return input;
}
