/**
 * RFC 3949 §3 (profile S: fields §3.2, file structure §3.5) and §4 (profile F: fields §4.2,
 * guidelines §4.4.6) and §6 (profile C: JPEG of ITULAB, see profile-c.ts): which TIFF-FX
 * profile a parsed file conforms to, and why not the stricter one. Reasons are sentences
 * naming the tag and the value.
 * Pure: no `node:` imports.
 */

import { colorPageFields } from './color-fields.js';
import { readJpegMarkers } from './jpeg-markers.js';
import { ifdEntries } from './reader.js';
import { profileCReasons } from './profile-c.js';
import { profileFReasons, profileSReasons } from './profile-rules.js';
import { TAGS, tagLabel, type TagName } from './tags.js';
import type { TiffFile, TiffPage } from './types.js';

/**
 * 'S' and 'F' are bilevel (F includes S); 'C' is a file with at least one profile C colour or
 * grey page whose other pages are profile S or F (RFC 3949 §6.1: C builds on S).
 */
export type FaxProfile = 'S' | 'F' | 'C' | 'other';

export interface PageProfileReport {
  index: number;
  profile: FaxProfile;
  /** Why the page is not profile S (empty for S). */
  notS: string[];
  /** Why the page is not profile F (empty for S and F). */
  notF: string[];
  /**
   * Why a JPEG / ITULAB page (Compression 6 or 7, or PhotometricInterpretation 10) is not
   * profile C; empty for C pages and absent for bilevel pages.
   */
  notC?: string[];
}

export interface ProfileReport {
  /** The strictest profile every page (and the file structure) meets. */
  profile: FaxProfile;
  /**
   * Why the file is not the next stricter profile: for 'F', why not S; for 'other', why not F
   * (bilevel pages) or C (colour pages). Empty for 'S' and 'C'. Page reasons are prefixed
   * "Page n: ".
   */
  reasons: string[];
  pages: PageProfileReport[];
}

/** Fields RFC 3949 says must be written even where TIFF has a default (§2.2.1, §2.2.2, §3.2.2, §4.2.2). */
const MUST_BE_PRESENT: readonly TagName[] = [
  'NewSubfileType',
  'Compression',
  'PhotometricInterpretation',
  'XResolution',
  'YResolution',
  'StripOffsets',
  'StripByteCounts',
];

/**
 * Checks every page against profiles S and F (RFC 3949 §3, §4) and the file structure against
 * §3.5 (II, IFD 0 at offset 8, each page's IFD then its long values then its one strip, before
 * the next IFD; PageNumber n for the n-th page). `reasons` name tag and value.
 */
export function checkProfile(file: TiffFile): ProfileReport {
  const fileNotS: string[] = [];
  if (file.byteOrder !== 'II') fileNotS.push(`Byte order is "${file.byteOrder}"; profile S requires "II" (little-endian).`);
  if (file.warnings.some((w) => w.startsWith('Byte order bytes'))) {
    fileNotS.push('The byte-order bytes of the header are neither "II" nor "MM".');
  }
  if (file.firstIfdOffset !== 8) {
    fileNotS.push(`The first IFD is at offset ${file.firstIfdOffset}; profile S requires 8 (right after the header).`);
  }
  const total = file.pages.length;
  const pages = file.pages.map((page): PageProfileReport => {
    const present = new Set(ifdEntries(file, page.index).map((e) => e.tag));
    const missingTags = missingFields(page, present);
    const missing = missingTags.map((label) => `${label} is missing; RFC 3949 requires it in every fax page.`);
    // A missing field is reported once: drop the rules' sentence about its default value.
    const notMissing = (reason: string) => !missingTags.some((label) => reason.startsWith(`${label} is`));
    const notF = [...missing, ...profileFReasons(page).filter(notMissing)];
    const notS = [...missing, ...profileSReasons(page).filter(notMissing), ...layoutReasons(file, page)];
    if (page.pageNumber !== undefined) {
      const [n, m] = page.pageNumber;
      if (n !== page.index) notS.push(`PageNumber (297) is ${n},${m}; profile S numbers pages in file order from 0, so this page's is ${page.index}.`);
      if (m !== 0 && m !== total) notS.push(`PageNumber (297) total is ${m}, but the file has ${total} page(s).`);
    }
    if (isColorCandidate(page)) {
      const notC = [...missing, ...colorReasons(file, page.index).filter(notMissing)];
      return { index: page.index, profile: notC.length > 0 ? 'other' : 'C', notS, notF, notC };
    }
    const profile: FaxProfile = notF.length > 0 ? 'other' : notS.length > 0 ? 'F' : 'S';
    return { index: page.index, profile, notS, notF };
  });

  const prefixed = (pick: (p: PageProfileReport) => string[]): string[] =>
    pages.flatMap((p) => pick(p).map((reason) => `Page ${p.index + 1}: ${reason}`));
  if (pages.some((p) => p.notC !== undefined)) {
    // A colour document: colour pages against C, bilevel pages against F.
    const notC = prefixed((p) => p.notC ?? p.notF);
    if (notC.length > 0) return { profile: 'other', reasons: notC, pages };
    return { profile: 'C', reasons: [], pages };
  }
  const notF = prefixed((p) => p.notF);
  if (notF.length > 0) return { profile: 'other', reasons: notF, pages };
  const notS = [...fileNotS, ...prefixed((p) => p.notS)];
  if (notS.length > 0) return { profile: 'F', reasons: notS, pages };
  return { profile: 'S', reasons: [], pages };
}

/** A page judged against profile C rather than S/F: JPEG-compressed or ITULAB. */
function isColorCandidate(page: TiffPage): boolean {
  return page.compression === 7 || page.compression === 6 || page.photometric === 10;
}

/** RFC 3949 §6 reasons for one page, with the JPEG markers of its first strip. */
function colorReasons(file: TiffFile, index: number): string[] {
  const c = colorPageFields(file, index);
  const p = c.page;
  const offset = p.stripOffsets[0];
  let stream: ReturnType<typeof readJpegMarkers> | 'unreadable' | undefined;
  if (offset !== undefined && offset < file.bytes.length) {
    // An abbreviated strip (TTN2, tables in JPEGTables) still carries its frame header.
    const data = file.bytes.subarray(offset, offset + (p.stripByteCounts[0] ?? 0));
    stream = p.compression === 7 ? (readJpegMarkers(data) ?? 'unreadable') : undefined;
  }
  return profileCReasons({
    width: p.width,
    compression: p.compression,
    photometric: p.photometric,
    bitsPerSample: c.bitsPerSample,
    samplesPerPixel: p.samplesPerPixel,
    xResolution: p.xResolution,
    yResolution: p.yResolution,
    resolutionUnit: p.resolutionUnit,
    newSubfileType: p.newSubfileType,
    pageNumber: p.pageNumber,
    planarConfiguration: p.planarConfiguration,
    chromaSubsampling: c.chromaSubsampling,
    chromaPositioning: c.chromaPositioning,
    decode: c.decode,
    stream,
  });
}

/** Labels ("XResolution (282)") of the fields RFC 3949 requires that the page lacks. */
function missingFields(page: TiffPage, present: Set<number>): string[] {
  const names: TagName[] = [...MUST_BE_PRESENT];
  if (page.compression === 3) names.push('T4Options');
  if (page.compression === 4) names.push('T6Options');
  return names.filter((name) => !present.has(TAGS[name].tag)).map((name) => tagLabel(TAGS[name].tag));
}

/**
 * RFC 3949 §3.5: the IFD, then its long values ("immediately after the IFD"), then the
 * image data, all before the next IFD. Word-alignment pad bytes are allowed between them.
 */
function layoutReasons(file: TiffFile, page: TiffPage): string[] {
  const r: string[] = [];
  const ifdStart = page.ifd.offset;
  const ifdEnd = ifdStart + page.ifd.byteLength;
  const stripStart = page.stripOffsets[0];
  if (stripStart === undefined) return r;
  const stripEnd = stripStart + (page.stripByteCounts[0] ?? 0);
  const values = ifdEntries(file, page.index).filter((e) => !e.inline && e.byteLength > 0);
  let valueBytes = 0;
  for (const v of values) {
    valueBytes += v.byteLength;
    if (v.valueOffset < ifdEnd || v.valueOffset + v.byteLength > stripStart) {
      r.push(
        `${tagLabel(v.tag)} value is at offset ${v.valueOffset}, not between the IFD (ends at ${ifdEnd}) and the strip (at ${stripStart}) (RFC 3949 §3.5).`,
      );
    }
  }
  if (stripStart < ifdEnd) {
    r.push(`The strip (offset ${stripStart}) comes before the end of its IFD (${ifdEnd}); profile S puts the IFD first (RFC 3949 §3.5).`);
  } else if (stripStart - ifdEnd > valueBytes + values.length + 1) {
    r.push(
      `There are ${stripStart - ifdEnd - valueBytes} unexplained bytes between the IFD (ends at ${ifdEnd}) and the strip (at ${stripStart}); profile S puts the long values immediately after the IFD and then the strip (RFC 3949 §3.5).`,
    );
  }
  const next = page.ifd.nextOffset;
  if (next !== 0 && next < stripEnd) {
    r.push(`The next IFD (offset ${next}) does not come after this page's strip (ends at ${stripEnd}) (RFC 3949 §3.5).`);
  }
  return r;
}
