/**
 * TIFF 6.0 §3 (bilevel fields), §8 (baseline fields and their defaults), §11 (T4Options,
 * T6Options) and RFC 3949 §2.2/§4.3.3 (fax fields): one IFD's entries -> a TiffPage.
 * Readers are lenient where real files are sloppy (RFC 3949 §2.1.3 "readers SHOULD be
 * prepared"): tags in any order, SHORT for LONG, missing BitsPerSample, bogus byte counts.
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../errors.js';
import { MAX_STRIPS_PER_PAGE } from '../limits.js';
import { readAscii, readEntries, readNumbers, type ByteSource } from './ifd.js';
import { ROWS_PER_STRIP_ALL, TAGS, tagLabel, type TagName } from './tags.js';
import type { TiffEntry, TiffIfdLocation, TiffPage } from './types.js';

/** Entries of one IFD by tag number; the first of duplicated tags wins (as in libtiff). */
function indexEntries(entries: TiffEntry[], warnings: string[]): Map<number, TiffEntry> {
  const byTag = new Map<number, TiffEntry>();
  let previous = -1;
  let unsortedReported = false;
  for (const e of entries) {
    if (e.tag <= previous && !unsortedReported) {
      // TIFF 6.0 §2 wants ascending order; g3aoe.tif and others do not care. Harmless.
      warnings.push('IFD entries are not sorted by tag number (TIFF 6.0 §2); read anyway.');
      unsortedReported = true;
    }
    previous = e.tag;
    if (byTag.has(e.tag)) {
      warnings.push(`${tagLabel(e.tag)} appears more than once; the first value is used.`);
    } else {
      byTag.set(e.tag, e);
    }
  }
  return byTag;
}

interface FieldReader {
  ints(name: TagName, max: number): number[] | undefined;
  int(name: TagName): number | undefined;
  ascii(name: TagName): string | undefined;
  has(name: TagName): boolean;
}

function fieldReader(
  src: ByteSource,
  byTag: Map<number, TiffEntry>,
  page: number,
  warnings: string[],
): FieldReader {
  const ints = (name: TagName, max: number): number[] | undefined => {
    const entry = byTag.get(TAGS[name].tag);
    if (entry === undefined) return undefined;
    const values = readNumbers(src, entry, page, max);
    if (values === undefined || values.length === 0) {
      warnings.push(`${tagLabel(entry.tag)} has type ${entry.type} and ${entry.count} values; ignored.`);
      return undefined;
    }
    return values;
  };
  return {
    ints,
    int: (name) => ints(name, 1)?.[0],
    ascii: (name) => {
      const entry = byTag.get(TAGS[name].tag);
      return entry === undefined ? undefined : readAscii(src, entry, page);
    },
    has: (name) => byTag.has(TAGS[name].tag),
  };
}

function requiredInt(f: FieldReader, name: TagName, page: number): number {
  const v = f.int(name);
  if (v === undefined) {
    throw new IfaxError(
      'TIFF_INVALID',
      `Reading TIFF failed: page ${page + 1} has no ${tagLabel(TAGS[name].tag)}, which TIFF 6.0 requires`,
      { context: { page: page + 1, tag: TAGS[name].tag } },
    );
  }
  return v;
}

/** Reads a strip array (StripOffsets, StripByteCounts), bounded by MAX_STRIPS_PER_PAGE. */
function stripArray(
  src: ByteSource,
  byTag: Map<number, TiffEntry>,
  name: 'StripOffsets' | 'StripByteCounts',
  page: number,
): number[] | undefined {
  const entry = byTag.get(TAGS[name].tag);
  if (entry === undefined) return undefined;
  if (entry.count > MAX_STRIPS_PER_PAGE) {
    throw new IfaxError(
      'LIMIT_EXCEEDED',
      `Reading TIFF failed: page ${page + 1} ${tagLabel(entry.tag)} has ${entry.count} strips, more than MAX_STRIPS_PER_PAGE (${MAX_STRIPS_PER_PAGE})`,
      { context: { limit: 'MAX_STRIPS_PER_PAGE', value: entry.count, page: page + 1 } },
    );
  }
  return readNumbers(src, entry, page, entry.count);
}

/**
 * Parses one IFD into a TiffPage. `ifdOffsets` (every IFD of the chain) bounds strips whose
 * StripByteCounts is missing, 0 or runs past the end of the file.
 */
export function parsePage(
  src: ByteSource,
  ifd: TiffIfdLocation,
  index: number,
  ifdOffsets: readonly number[],
): TiffPage {
  const warnings: string[] = [];
  const byTag = indexEntries(readEntries(src, ifd), warnings);
  const f = fieldReader(src, byTag, index, warnings);

  const width = requiredInt(f, 'ImageWidth', index);
  const height = requiredInt(f, 'ImageLength', index);

  let fillOrder: 1 | 2 = 1;
  const fillOrderTag = f.int('FillOrder');
  if (fillOrderTag === 2) fillOrder = 2;
  else if (fillOrderTag !== undefined && fillOrderTag !== 1) {
    warnings.push(`FillOrder (266) is ${fillOrderTag}, not 1 or 2; read as 1 (MSB first).`);
  }

  let rowsPerStrip = f.int('RowsPerStrip') ?? ROWS_PER_STRIP_ALL;
  if (rowsPerStrip === 0) {
    warnings.push('RowsPerStrip (278) is 0; read as one strip for the whole page.');
    rowsPerStrip = ROWS_PER_STRIP_ALL;
  }

  const pn = f.ints('PageNumber', 2);
  let pageNumber: [number, number] | undefined;
  if (pn !== undefined) {
    if (pn.length < 2) warnings.push(`PageNumber (297) has ${pn.length} value, not 2; total read as 0.`);
    pageNumber = [pn[0], pn[1] ?? 0];
  }

  const positive = (v: number | undefined): number | undefined =>
    v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;

  const stripOffsets = stripArray(src, byTag, 'StripOffsets', index) ?? [];
  const stripByteCountsTag = stripArray(src, byTag, 'StripByteCounts', index);

  const page: TiffPage = {
    index,
    ifd,
    width,
    height,
    bitsPerSample: f.int('BitsPerSample') ?? 1,
    samplesPerPixel: f.int('SamplesPerPixel') ?? 1,
    compression: f.int('Compression') ?? 1,
    photometric: f.int('PhotometricInterpretation'),
    fillOrder,
    t4Options: f.int('T4Options') ?? 0,
    t6Options: f.int('T6Options') ?? 0,
    xResolution: positive(f.int('XResolution')),
    yResolution: positive(f.int('YResolution')),
    resolutionUnit: f.int('ResolutionUnit') ?? 2,
    pageNumber,
    rowsPerStrip,
    stripOffsets,
    stripByteCounts: [],
    stripByteCountsTag,
    newSubfileType: f.int('NewSubfileType') ?? 0,
    subfileType: f.int('SubfileType'),
    planarConfiguration: f.int('PlanarConfiguration') ?? 1,
    orientation: f.int('Orientation') ?? 1,
    badFaxLines: f.int('BadFaxLines'),
    cleanFaxData: f.int('CleanFaxData'),
    consecutiveBadFaxLines: f.int('ConsecutiveBadFaxLines'),
    software: f.ascii('Software'),
    dateTime: f.ascii('DateTime'),
    imageDescription: f.ascii('ImageDescription'),
    documentName: f.ascii('DocumentName'),
    tiled: f.has('TileWidth') || f.has('TileOffsets'),
    warnings,
  };
  page.stripByteCounts = resolveStripByteCounts(page, src.bytes.length, ifdOffsets);
  const expected = expectedStripCount(page);
  if (stripOffsets.length === 1 && expected > 1) {
    warnings.push(
      `RowsPerStrip (278) ${rowsPerStrip} implies ${expected} strips but there is one; read as one strip.`,
    );
  } else if (stripOffsets.length > expected) {
    warnings.push(`StripOffsets (273) has ${stripOffsets.length} values for ${expected} strips; the extra ones are ignored.`);
  }
  return page;
}

/** Strips the page should have: ceil(ImageLength / RowsPerStrip) (TIFF 6.0 §8). */
export function expectedStripCount(page: Pick<TiffPage, 'height' | 'rowsPerStrip'>): number {
  if (page.height === 0) return 0;
  return Math.ceil(page.height / Math.min(page.rowsPerStrip, page.height));
}

/**
 * The byte count the reader uses for each strip. A count that is missing, 0, or runs past the
 * end of the file (CCITT-G4-300dpi-StripByteCounts0.tif, truncated transmissions) is replaced
 * by the distance to the next thing in the file: another strip, an IFD, or the end. The fax
 * decoders stop at the row count or end marker, so a generous count is harmless.
 */
function resolveStripByteCounts(page: TiffPage, fileSize: number, ifdOffsets: readonly number[]): number[] {
  const offsets = page.stripOffsets;
  const tag = page.stripByteCountsTag;
  if (tag === undefined && offsets.length > 0) {
    page.warnings.push('StripByteCounts (279) is missing; each strip is read up to the next strip, IFD or end of file.');
  } else if (tag !== undefined && tag.length < offsets.length) {
    page.warnings.push(
      `StripByteCounts (279) has ${tag.length} values for ${offsets.length} strips; the missing ones are measured.`,
    );
  }
  let boundaries: number[] | undefined;
  const measure = (offset: number): number => {
    if (boundaries === undefined) {
      boundaries = [...offsets, ...ifdOffsets, fileSize].sort((a, b) => a - b);
    }
    let end = fileSize;
    for (const b of boundaries) {
      if (b > offset) {
        end = b;
        break;
      }
    }
    return Math.max(0, Math.min(end, fileSize) - offset);
  };
  const counts: number[] = new Array(offsets.length);
  let bogus = 0;
  for (let i = 0; i < offsets.length; i++) {
    const offset = offsets[i];
    const given = tag?.[i];
    if (offset >= fileSize) {
      counts[i] = 0; // decodePage reports the offset, naming StripOffsets.
    } else if (given === undefined) {
      counts[i] = measure(offset);
    } else if (given === 0 || offset + given > fileSize) {
      counts[i] = measure(offset);
      bogus++;
      if (bogus === 1) {
        page.warnings.push(
          `StripByteCounts (279) [${i}] is ${given} for a strip at offset ${offset} in a ${fileSize}-byte file; ` +
            `read ${counts[i]} bytes up to the next strip, IFD or end of file instead.`,
        );
      }
    } else {
      counts[i] = given;
    }
  }
  if (bogus > 1) page.warnings.push(`${bogus} strips in all had bogus StripByteCounts (279) values.`);
  return counts;
}
