/**
 * TIFF 6.0 §2 "TIFF Structure" (header, IFD chain = pages) and RFC 3949 §2.1.3 / §4.4.6
 * ("readers SHOULD be prepared to read TIFF files whose structure is consistent with [TIFF]"):
 * reads every page's fields; image data is only touched by decodePage / pageStrips.
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../errors.js';
import { byteSource, readEntries, readHeader, walkIfdChain } from './ifd.js';
import { expectedStripCount, parsePage } from './page-fields.js';
import type { RawStrip, TiffEntry, TiffFile, TiffPage } from './types.js';

/**
 * Parses a TIFF file: header, IFD chain (loop-checked, at most MAX_PAGES), and the fields of
 * each page with TIFF 6.0 defaults. II and MM files are read; BigTIFF is refused
 * (UNSUPPORTED_INPUT). A value offset outside the file is TIFF_INVALID naming the tag.
 * Cost is proportional to the IFDs, not to the image data, so a 50-page 600-dpi file is cheap
 * to open; decode its pages one at a time with decodePage.
 */
export function readTiff(bytes: Uint8Array): TiffFile {
  const header = readHeader(bytes);
  const src = byteSource(bytes, header.littleEndian);
  const warnings = [...header.warnings];
  const ifds = walkIfdChain(src, header.firstIfdOffset, warnings);
  const ifdOffsets = ifds.map((ifd) => ifd.offset);
  const pages = ifds.map((ifd, index) => parsePage(src, ifd, index, ifdOffsets));
  return { bytes, byteOrder: header.byteOrder, firstIfdOffset: header.firstIfdOffset, pages, warnings };
}

/** The page at `pageIndex`, or USAGE naming the index and the page count. */
export function getPage(file: TiffFile, pageIndex: number): TiffPage {
  const page = file.pages[pageIndex];
  if (!Number.isInteger(pageIndex) || page === undefined) {
    throw new IfaxError(
      'USAGE',
      `Reading TIFF page failed: page index ${JSON.stringify(pageIndex)} (counted from 0) does not exist; the file has ${file.pages.length} page(s)`,
      { context: { pageIndex, pages: file.pages.length } },
    );
  }
  return page;
}

/** The raw IFD entries of a page, in file order (for profile checks and diagnostics). */
export function ifdEntries(file: TiffFile, pageIndex: number): TiffEntry[] {
  const page = getPage(file, pageIndex);
  return readEntries(byteSource(file.bytes, file.byteOrder === 'II'), page.ifd);
}

/**
 * The strips of a page as stored, without decoding: views into the file bytes, with the rows
 * each holds. For pass-through (a G4 page into a PDF CCITTFaxDecode stream or another TIFF).
 * Throws TIFF_INVALID naming StripOffsets when a strip lies outside the file or strips are
 * missing, UNSUPPORTED_INPUT for tiled pages.
 */
export function pageStrips(file: TiffFile, pageIndex: number): RawStrip[] {
  const page = getPage(file, pageIndex);
  const fail = (reason: string, context: Record<string, unknown> = {}): IfaxError =>
    new IfaxError('TIFF_INVALID', `Reading TIFF page ${pageIndex + 1} failed: ${reason}`, {
      context: { page: pageIndex + 1, ...context },
    });
  if (page.tiled) {
    throw new IfaxError(
      'UNSUPPORTED_INPUT',
      `Reading TIFF page ${pageIndex + 1} failed: the page is tiled (TileWidth/TileOffsets); fax pages are stored in strips`,
      { context: { page: pageIndex + 1 } },
    );
  }
  const offsets = page.stripOffsets;
  if (offsets.length === 0) {
    throw fail('StripOffsets (273) is missing or empty', { tag: 273 });
  }
  let stripCount = expectedStripCount(page);
  let rowsPerStrip = Math.min(page.rowsPerStrip, page.height);
  if (offsets.length < stripCount) {
    if (offsets.length !== 1) {
      throw fail(
        `StripOffsets (273) has ${offsets.length} values, but ImageLength ${page.height} / RowsPerStrip ` +
          `${page.rowsPerStrip} needs ${stripCount} strips`,
        { tag: 273 },
      );
    }
    // One strip and a RowsPerStrip that disagrees: the strip holds the whole page
    // (parsePage has noted it in page.warnings).
    stripCount = 1;
    rowsPerStrip = page.height;
  }
  const size = file.bytes.length;
  const strips: RawStrip[] = new Array(stripCount);
  for (let i = 0; i < stripCount; i++) {
    const offset = offsets[i];
    if (offset >= size) {
      throw fail(`StripOffsets (273) [${i}] is ${offset}, outside the file (${size} bytes)`, {
        tag: 273,
        strip: i,
        offset,
      });
    }
    const firstRow = i * rowsPerStrip;
    strips[i] = {
      data: file.bytes.subarray(offset, offset + page.stripByteCounts[i]),
      firstRow,
      rows: Math.min(rowsPerStrip, page.height - firstRow),
    };
  }
  return strips;
}
