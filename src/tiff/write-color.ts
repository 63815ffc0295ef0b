/**
 * RFC 3949 §6 (profile C) writing side: the IFD of a colour (L*a*b*) or grey (L*) page whose
 * strip is one complete baseline JPEG interchange stream (TIFF Technical Note 2, Compression
 * 7, no JPEGTables: RFC 3949 §2.1.2 keeps compression parameters in the data stream), with
 * PhotometricInterpretation 10 (ITULAB), the default T.42 Decode ranges written out (§6.2.3),
 * ChromaSubSampling / ChromaPositioning (§6.2.2) for 3 samples, one strip per page.
 * FaxTiffWriter.addColorPage lays it out like every other page (§3.5 order).
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../errors.js';
import { MAX_HEIGHT, MAX_WIDTH } from '../limits.js';
import { textFields, type FieldPosition, type OutField } from './ifd-writer.js';
import { readJpegMarkers } from './jpeg-markers.js';
import { profileCReasons, type ColorRuleFields } from './profile-c.js';
import { FieldType, Photometric, SUBFILE_PAGE, TAGS } from './tags.js';

/** One colour or grey page for FaxTiffWriter.addColorPage. */
export interface ColorPageInput {
  /** One complete baseline JPEG stream (SOI..EOI) of ITULAB samples: written as the page's strip. */
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 = L* only (grey page), 3 = L*, a*, b*. Must match the JPEG frame. */
  samplesPerPixel: 1 | 3;
  /** ChromaSubSampling of the stream (3 samples): [2, 2] (the default: L* 2x2 to each of a* and b* 1x1) or [1, 1]. */
  chromaSubsampling?: [1, 1] | [2, 2];
  /** Square: 100, 200, 300 or 400 dpi (RFC 3949 §6.2.1). */
  xResolution: number;
  yResolution: number;
  /** RFC 3949 §2.2.3 recommended fields. */
  software?: string;
  dateTime?: string;
  imageDescription?: string;
  documentName?: string;
}

/** The default ITULAB Decode (RFC 3949 §6.2.3 table) as SRATIONAL numerator/denominator pairs. */
const DEFAULT_DECODE: readonly (readonly [number, number])[] = [
  [0, 1], [100, 1], [-21760, 255], [21590, 255], [-19200, 255], [31800, 255],
];

function usage(reason: string, context?: Record<string, unknown>): IfaxError {
  return new IfaxError('USAGE', `Writing TIFF failed: ${reason}`, context ? { context } : {});
}

/** The page as the profile C rules see it (stream markers included). */
export function colorRuleFields(page: ColorPageInput, index: number, total: number | undefined): ColorRuleFields {
  const spp = page.samplesPerPixel;
  return {
    width: page.width,
    compression: 7,
    photometric: Photometric.ITULab,
    bitsPerSample: spp === 3 ? [8, 8, 8] : [8],
    samplesPerPixel: spp,
    xResolution: page.xResolution,
    yResolution: page.yResolution,
    resolutionUnit: 2,
    newSubfileType: SUBFILE_PAGE,
    pageNumber: [index, total ?? 0],
    planarConfiguration: 1,
    chromaSubsampling: spp === 3 ? (page.chromaSubsampling ?? [2, 2]) : undefined,
    chromaPositioning: spp === 3 ? 1 : undefined,
    decode: undefined,
    stream: readJpegMarkers(page.data) ?? 'unreadable',
  };
}

/**
 * Refuses (USAGE) a page the writer would not accept as profile C: sizes, the JPEG frame
 * against the fields, resolutions and widths unless `allowNonStandardSize`.
 */
export function validateColorPage(page: ColorPageInput, index: number, total: number | undefined, allowNonStandardSize = false): void {
  const { width, height } = page;
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw usage(`page ${index + 1} width ${JSON.stringify(width)} is not 1 to MAX_WIDTH (${MAX_WIDTH})`);
  }
  if (!Number.isInteger(height) || height < 1 || height > MAX_HEIGHT) {
    throw usage(`page ${index + 1} height ${JSON.stringify(height)} is not 1 to MAX_HEIGHT (${MAX_HEIGHT})`);
  }
  if (page.samplesPerPixel !== 1 && page.samplesPerPixel !== 3) {
    throw usage(`page ${index + 1} samplesPerPixel ${JSON.stringify(page.samplesPerPixel)} is not 1 or 3`);
  }
  if (!(page.xResolution > 0) || !(page.yResolution > 0)) {
    throw usage(`page ${index + 1} resolution ${page.xResolution} x ${page.yResolution} is not positive`);
  }
  const fields = colorRuleFields(page, index, total);
  const reasons = profileCReasons(fields, allowNonStandardSize);
  const s = fields.stream;
  if (s !== 'unreadable' && s !== undefined && (s.width !== width || s.height !== height)) {
    reasons.push(`The JPEG frame is ${s.width} x ${s.height}, the page ${width} x ${height}.`);
  }
  if (reasons.length > 0) {
    throw new IfaxError('USAGE', `Writing TIFF failed: page ${index + 1} is not profile C: ${reasons.join(' ')}`, {
      context: { page: index + 1, profile: 'C', reasons },
      hint: 'Profile C pages are baseline JPEG of ITULAB samples, square 100/200/300/400 dpi, 1728 wide at 200 dpi (A4/Letter); encodeColorPage makes them.',
    });
  }
}

/** The IFD fields of a profile C page (RFC 3949 §6.4 table); StripOffsets filled in later. */
export function colorIfdFields(page: ColorPageInput, index: number, total: number | undefined): OutField[] {
  const spp = page.samplesPerPixel;
  const sizeType = (v: number) => (v <= 0xffff ? FieldType.SHORT : FieldType.LONG);
  const f: OutField[] = [
    { tag: TAGS.NewSubfileType.tag, type: FieldType.LONG, value: [SUBFILE_PAGE] },
    { tag: TAGS.ImageWidth.tag, type: sizeType(page.width), value: [page.width] },
    { tag: TAGS.ImageLength.tag, type: sizeType(page.height), value: [page.height] },
    { tag: TAGS.BitsPerSample.tag, type: FieldType.SHORT, value: spp === 3 ? [8, 8, 8] : [8] },
    { tag: TAGS.Compression.tag, type: FieldType.SHORT, value: [7] },
    { tag: TAGS.PhotometricInterpretation.tag, type: FieldType.SHORT, value: [Photometric.ITULab] },
    { tag: TAGS.StripOffsets.tag, type: FieldType.LONG, value: [0] },
    { tag: TAGS.SamplesPerPixel.tag, type: FieldType.SHORT, value: [spp] },
    { tag: TAGS.RowsPerStrip.tag, type: sizeType(page.height), value: [page.height] },
    { tag: TAGS.StripByteCounts.tag, type: FieldType.LONG, value: [page.data.length] },
    { tag: TAGS.XResolution.tag, type: FieldType.RATIONAL, value: [page.xResolution] },
    { tag: TAGS.YResolution.tag, type: FieldType.RATIONAL, value: [page.yResolution] },
    { tag: TAGS.PlanarConfiguration.tag, type: FieldType.SHORT, value: [1] },
    { tag: TAGS.ResolutionUnit.tag, type: FieldType.SHORT, value: [2] },
    { tag: TAGS.PageNumber.tag, type: FieldType.SHORT, value: [index, total ?? 0] },
    // Values are placeholders of the right count: patchSRationals writes the real ones.
    { tag: TAGS.Decode.tag, type: FieldType.SRATIONAL, value: new Array<number>(2 * spp).fill(0) },
  ];
  if (spp === 3) {
    f.push({ tag: TAGS.ChromaSubSampling.tag, type: FieldType.SHORT, value: page.chromaSubsampling ?? [2, 2] });
    f.push({ tag: TAGS.ChromaPositioning.tag, type: FieldType.SHORT, value: [1] });
  }
  f.push(...textFields(page));
  return f;
}

/**
 * serializeIfd sizes SRATIONAL values but does not encode them: write the Decode pairs
 * (signed numerator, denominator, little-endian) where it put them. `ifdAt` is the file
 * offset of `bytes`.
 */
export function patchDecode(bytes: Uint8Array, ifdAt: number, positions: readonly FieldPosition[], samplesPerPixel: 1 | 3): void {
  const pos = positions.find((p) => p.tag === TAGS.Decode.tag);
  if (pos === undefined) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  DEFAULT_DECODE.slice(0, 2 * samplesPerPixel).forEach(([num, den], i) => {
    view.setInt32(pos.valueOffset - ifdAt + 8 * i, num, true);
    view.setInt32(pos.valueOffset - ifdAt + 8 * i + 4, den, true);
  });
}
