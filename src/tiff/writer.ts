/**
 * RFC 3949 §3.5 (profile S file structure) and §4.4.6 (profile F guidelines), TIFF 6.0 §2:
 * a streaming TIFF-FX writer. "II", IFD 0 at offset 8; per page: IFD (tags ascending), its
 * long values (XResolution, YResolution...), then the page's one strip, then the next IFD.
 * Each page's bytes are returned as soon as the page is added, so a long document never sits
 * in memory. Profile C (§6) colour and grey pages go in through addColorPage (write-color.ts),
 * laid out the same way, and may be mixed with bilevel pages in one file.
 * Pure: no `node:` imports.
 */

import type { FaxCoding } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { isFaxCoding, tiffCodingFields } from '../fax/vocabulary.js';
import { MAX_HEIGHT, MAX_PAGES, MAX_WIDTH } from '../limits.js';
import { serializeIfd, textFields, type FieldPosition, type OutField } from './ifd-writer.js';
import { profileFReasons, profileSReasons, type FaxPageFields } from './profile-rules.js';
import { FieldType, SUBFILE_PAGE, TAGS } from './tags.js';
import { colorIfdFields, patchDecode, validateColorPage, type ColorPageInput } from './write-color.js';

/** One already-coded page for the writer. */
export interface FaxTiffPageInput {
  /** The page's whole T.4 / T.6 coded data: written as its single strip. */
  data: Uint8Array;
  width: number;
  height: number;
  coding: FaxCoding;
  /** FillOrder of `data`: 1 = MSB first, 2 = LSB first. */
  fillOrder: 1 | 2;
  /** T4Options bit 2: `data` has fill bits so that every EOL ends on a byte boundary. */
  eolFill?: boolean;
  xResolution: number;
  yResolution: number;
  /** 2 = inch (default), 3 = cm (profile F only). */
  resolutionUnit?: 2 | 3;
  /** 0 = WhiteIsZero (default), 1 = BlackIsZero (profile F only). */
  photometric?: 0 | 1;
  /**
   * RFC 3949 §4.3.3 page-quality fields. Only for data received from a fax line without ECM
   * (§4.4.5); profile F only.
   */
  badFaxLines?: number;
  cleanFaxData?: 0 | 1 | 2;
  consecutiveBadFaxLines?: number;
  /** RFC 3949 §2.2.3 recommended fields: profile F only (profile S writers SHOULD NOT). */
  software?: string;
  dateTime?: string;
  imageDescription?: string;
  documentName?: string;
}

export interface FaxTiffWriterOptions {
  /**
   * 'S' (RFC 3949 §3) or 'F' (§4). Pages that break the profile are refused (USAGE).
   * 'C' (§6): colour / grey pages by addColorPage; bilevel pages by addPage, checked against
   * the profile F rules (a colour fax document may hold black-and-white pages too).
   */
  profile: 'S' | 'F' | 'C';
  /**
   * Total pages, written in every PageNumber. When unknown, PageNumber totals are written as
   * 0 ("not available", RFC 3949 §2.2.1) and finish() returns patches that fill them in.
   */
  pageCount?: number;
  /**
   * Profile F only: allow widths / resolutions outside RFC 3949 §4.2.1 (e.g. 600 x 600 dpi),
   * for a destination that announced it can take them.
   */
  allowNonStandardSize?: boolean;
}

/** Bytes to overwrite in what was already written: `offset` from the start of the file. */
export interface TiffPatch {
  offset: number;
  bytes: Uint8Array;
}

/** TIFF offsets are 32-bit (TIFF 6.0 §2). */
const MAX_FILE_SIZE = 0xffffffff;

function usage(reason: string, context?: Record<string, unknown>): IfaxError {
  return new IfaxError('USAGE', `Writing TIFF failed: ${reason}`, context ? { context } : {});
}

/**
 * Streaming TIFF-FX writer. Call addPage once per page, in order: it returns the bytes to
 * append to the file (the header comes with the first page). Call finish() at the end and
 * apply the patches it returns (none when `pageCount` was given and reached).
 */
export class FaxTiffWriter {
  private readonly options: FaxTiffWriterOptions;
  private position = 0;
  private pages = 0;
  private lastNextIfdField = -1;
  private lastWasFinal = false;
  private readonly pageNumberTotals: number[] = [];
  private finished = false;

  constructor(options: FaxTiffWriterOptions) {
    if (options.profile !== 'S' && options.profile !== 'F' && options.profile !== 'C') {
      throw usage(`profile ${JSON.stringify(options.profile)} is not "S", "F" or "C"`);
    }
    const n = options.pageCount;
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > MAX_PAGES)) {
      throw usage(`pageCount ${JSON.stringify(n)} is not a whole number from 1 to MAX_PAGES (${MAX_PAGES})`);
    }
    if (options.allowNonStandardSize && options.profile === 'S') {
      throw usage('allowNonStandardSize is for profile F; profile S pages are 1728 pixels wide at 200/204 dpi');
    }
    this.options = { ...options };
  }

  /** Bytes written so far (the offset the next addPage's bytes start at). */
  get bytesWritten(): number {
    return this.position;
  }

  /** Pages added so far. */
  get pageCount(): number {
    return this.pages;
  }

  /**
   * Adds one page and returns the bytes to append. `last` marks the final page when the total
   * was not given up front, so its next-IFD offset is written as 0 and needs no patch.
   */
  addPage(page: FaxTiffPageInput, last = false): Uint8Array {
    const index = this.nextIndex('addPage');
    this.validate(page, index);
    return this.emit(this.fields(page, index), page.data, index, last);
  }

  /**
   * Adds one profile C page (RFC 3949 §6: JPEG of ITULAB samples, see write-color.ts) and
   * returns the bytes to append. Only for a writer made with profile 'C'; a page that is not
   * profile C is refused (USAGE) with the reasons.
   */
  addColorPage(page: ColorPageInput, last = false): Uint8Array {
    if (this.options.profile !== 'C') {
      throw usage(`addColorPage needs a writer made with profile "C"; this one is profile "${this.options.profile}"`);
    }
    const index = this.nextIndex('addColorPage');
    validateColorPage(page, index, this.options.pageCount, this.options.allowNonStandardSize);
    const spp = page.samplesPerPixel;
    return this.emit(colorIfdFields(page, index, this.options.pageCount), page.data, index, last, (bytes, at, positions) =>
      patchDecode(bytes, at, positions, spp),
    );
  }

  private nextIndex(method: string): number {
    if (this.finished) throw usage(`${method} called after finish()`);
    if (this.lastWasFinal) throw usage(`${method} called after the page marked last`);
    const total = this.options.pageCount;
    const index = this.pages;
    if (total !== undefined && index >= total) {
      throw usage(`page ${index + 1} added, but pageCount is ${total}`);
    }
    return index;
  }

  /** Lays out one page (§3.5): IFD, its long values, the strip; returns the bytes to append. */
  private emit(
    fields: OutField[],
    data: Uint8Array,
    index: number,
    last: boolean,
    patch?: (ifdBytes: Uint8Array, ifdAt: number, positions: FieldPosition[]) => void,
  ): Uint8Array {
    const total = this.options.pageCount;
    const isLast = last || (total !== undefined && index === total - 1);
    const header = index === 0 ? 8 : 0;
    const ifdAt = this.position + header;
    // Size the IFD first (values depend only on the fields), then fill in the strip offset.
    const probe = serializeIfd(fields, ifdAt, 0);
    const stripAt = ifdAt + probe.bytes.length;
    const stripPad = data.length & 1; // the next IFD starts on a word boundary.
    const end = stripAt + data.length + stripPad;
    if (end > MAX_FILE_SIZE) {
      throw new IfaxError('LIMIT_EXCEEDED', 'Writing TIFF failed: the file would pass 4 GiB, the limit of 32-bit TIFF offsets');
    }
    setField(fields, TAGS.StripOffsets.tag, [stripAt]);
    const ifd = serializeIfd(fields, ifdAt, isLast ? 0 : end);
    patch?.(ifd.bytes, ifdAt, ifd.positions);

    const out = new Uint8Array(end - this.position);
    if (header > 0) out.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]); // "II", 42, IFD 0 at offset 8.
    out.set(ifd.bytes, header);
    out.set(data, header + ifd.bytes.length);

    const pn = ifd.positions.find((p) => p.tag === TAGS.PageNumber.tag);
    if (pn !== undefined) this.pageNumberTotals.push(pn.valueOffset + 2);
    this.lastNextIfdField = ifd.nextIfdFieldOffset;
    this.lastWasFinal = isLast;
    this.position = end;
    this.pages++;
    return out;
  }

  /**
   * Ends the file. Returns the patches to apply to the bytes already written: the last
   * next-IFD offset (0) when no page was marked last, and the PageNumber totals when
   * `pageCount` was not given. Throws USAGE when no page was added or fewer than `pageCount`.
   */
  finish(): TiffPatch[] {
    if (this.finished) throw usage('finish() called twice');
    this.finished = true;
    if (this.pages === 0) throw usage('no pages were added; a TIFF needs at least one IFD');
    const total = this.options.pageCount;
    if (total !== undefined && this.pages !== total) {
      throw usage(`${this.pages} page(s) added, but pageCount is ${total}`);
    }
    const patches: TiffPatch[] = [];
    if (!this.lastWasFinal) patches.push({ offset: this.lastNextIfdField, bytes: new Uint8Array(4) });
    if (total === undefined) {
      const le16 = new Uint8Array([this.pages & 0xff, this.pages >> 8]);
      for (const offset of this.pageNumberTotals) patches.push({ offset, bytes: le16 });
    }
    return patches;
  }

  private validate(page: FaxTiffPageInput, index: number): void {
    const { width, height } = page;
    if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
      throw usage(`page ${index + 1} width ${JSON.stringify(width)} is not 1 to MAX_WIDTH (${MAX_WIDTH})`);
    }
    if (!Number.isInteger(height) || height < 1 || height > MAX_HEIGHT) {
      throw usage(`page ${index + 1} height ${JSON.stringify(height)} is not 1 to MAX_HEIGHT (${MAX_HEIGHT})`);
    }
    if (page.data.length === 0) throw usage(`page ${index + 1} has no coded data`);
    if (!isFaxCoding(page.coding)) {
      throw usage(`page ${index + 1} coding ${JSON.stringify(page.coding)} is not MH, MR or MMR`);
    }
    if (page.fillOrder !== 1 && page.fillOrder !== 2) {
      throw usage(`page ${index + 1} fillOrder ${JSON.stringify(page.fillOrder)} is not 1 or 2`);
    }
    if (page.eolFill && page.coding === 'MMR') throw usage(`page ${index + 1}: eolFill is for MH and MR, not MMR`);
    if (!(page.xResolution > 0) || !(page.yResolution > 0)) {
      throw usage(`page ${index + 1} resolution ${page.xResolution} x ${page.yResolution} is not positive`);
    }
    // Bilevel pages of a profile C document follow the profile F rules.
    const profile = this.options.profile === 'S' ? 'S' : 'F';
    const fields = faxPageFields(page, index, this.options.pageCount);
    const reasons =
      profile === 'S' ? profileSReasons(fields) : profileFReasons(fields, this.options.allowNonStandardSize);
    if (profile === 'S') {
      const extras = (['badFaxLines', 'cleanFaxData', 'consecutiveBadFaxLines', 'software', 'dateTime', 'imageDescription', 'documentName'] as const)
        .filter((k) => page[k] !== undefined);
      if (extras.length > 0) reasons.push(`${extras.join(', ')} are profile F fields; profile S writes none (RFC 3949 §2.2.3).`);
    }
    if (reasons.length > 0) {
      throw new IfaxError('USAGE', `Writing TIFF failed: page ${index + 1} is not profile ${profile}: ${reasons.join(' ')}`, {
        context: { page: index + 1, profile, reasons },
        hint: profile === 'S' ? 'Profile S is 1728 pixels wide, MH, FillOrder 2, 200/204 x 98/100/196/200 dpi; use profile F for anything else.' : undefined,
      });
    }
  }

  /** The IFD fields of a page (RFC 3949 §3.6 / §4.7 tables); StripOffsets filled in later. */
  private fields(page: FaxTiffPageInput, index: number): OutField[] {
    const coded = tiffCodingFields(page.coding, page.eolFill === true);
    const sizeType = (v: number) => (v <= 0xffff ? FieldType.SHORT : FieldType.LONG);
    const f: OutField[] = [
      { tag: TAGS.NewSubfileType.tag, type: FieldType.LONG, value: [SUBFILE_PAGE] },
      { tag: TAGS.ImageWidth.tag, type: sizeType(page.width), value: [page.width] },
      { tag: TAGS.ImageLength.tag, type: sizeType(page.height), value: [page.height] },
      { tag: TAGS.BitsPerSample.tag, type: FieldType.SHORT, value: [1] },
      { tag: TAGS.Compression.tag, type: FieldType.SHORT, value: [coded.compression] },
      { tag: TAGS.PhotometricInterpretation.tag, type: FieldType.SHORT, value: [page.photometric ?? 0] },
      { tag: TAGS.FillOrder.tag, type: FieldType.SHORT, value: [page.fillOrder] },
      { tag: TAGS.StripOffsets.tag, type: FieldType.LONG, value: [0] },
      { tag: TAGS.SamplesPerPixel.tag, type: FieldType.SHORT, value: [1] },
      { tag: TAGS.RowsPerStrip.tag, type: sizeType(page.height), value: [page.height] },
      { tag: TAGS.StripByteCounts.tag, type: FieldType.LONG, value: [page.data.length] },
      { tag: TAGS.XResolution.tag, type: FieldType.RATIONAL, value: [page.xResolution] },
      { tag: TAGS.YResolution.tag, type: FieldType.RATIONAL, value: [page.yResolution] },
      { tag: TAGS.ResolutionUnit.tag, type: FieldType.SHORT, value: [page.resolutionUnit ?? 2] },
      { tag: TAGS.PageNumber.tag, type: FieldType.SHORT, value: [index, this.options.pageCount ?? 0] },
    ];
    if (page.coding === 'MMR') {
      f.push({ tag: TAGS.T6Options.tag, type: FieldType.LONG, value: [0] });
    } else {
      f.push({ tag: TAGS.T4Options.tag, type: FieldType.LONG, value: [coded.t4Options] });
    }
    f.push(...textFields(page));
    if (page.badFaxLines !== undefined) f.push({ tag: TAGS.BadFaxLines.tag, type: FieldType.LONG, value: [page.badFaxLines] });
    if (page.cleanFaxData !== undefined) f.push({ tag: TAGS.CleanFaxData.tag, type: FieldType.SHORT, value: [page.cleanFaxData] });
    if (page.consecutiveBadFaxLines !== undefined) {
      f.push({ tag: TAGS.ConsecutiveBadFaxLines.tag, type: FieldType.LONG, value: [page.consecutiveBadFaxLines] });
    }
    return f;
  }
}

function setField(fields: OutField[], tag: number, value: number[]): void {
  const f = fields.find((x) => x.tag === tag);
  if (f !== undefined) f.value = value;
}

/** A page input as the profile rules see it (the fields the writer will write). */
export function faxPageFields(page: FaxTiffPageInput, index: number, total: number | undefined): FaxPageFields {
  const coded = tiffCodingFields(page.coding, page.eolFill === true);
  return {
    width: page.width,
    height: page.height,
    bitsPerSample: 1,
    samplesPerPixel: 1,
    compression: coded.compression,
    photometric: page.photometric ?? 0,
    fillOrder: page.fillOrder,
    t4Options: coded.t4Options,
    t6Options: 0,
    xResolution: page.xResolution,
    yResolution: page.yResolution,
    resolutionUnit: page.resolutionUnit ?? 2,
    newSubfileType: SUBFILE_PAGE,
    pageNumber: [index, total ?? 0],
    rowsPerStrip: page.height,
    stripOffsets: [0],
  };
}
