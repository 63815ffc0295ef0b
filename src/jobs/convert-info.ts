/**
 * `ifax convert --info FILE`: what each page of a file is. For a TIFF: size, resolution,
 * compression and its T.4/T.6 options, fill order, photometric, strips, the TIFF-FX profile
 * (RFC 3949 S / F / other, with the checker's reasons) and the damage found by decoding the
 * page (one page at a time): the report `convert` warns with (image/page-damage.ts). For PBM
 * and PNG: the size of each image. A page that cannot be decoded at all is described, with
 * why (`decodeError`; the CLI then exits 65 after printing the description).
 */

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { FaxDiagnostic } from '../codec/types.js';
import { isIfaxError } from '../errors.js';
import { codingOf, codingOfK } from '../fax/vocabulary.js';
import { checkFile } from '../image/input-file.js';
import { openInput } from '../image/inputs.js';
import { inFile, type SourcePage } from '../image/source-page.js';
import { describeDamage, missingRowsOf, pageDamage } from '../image/page-damage.js';
import { isOrientation, orientationWords, swapsAxes } from '../image/rotate.js';
import { sniff, SNIFF_BYTES, type FileKind } from '../image/sniff.js';
import { checkProfile, compressionLabel, decodePage, readTiff, toDpi, type FaxProfile, type TiffFile } from '../tiff/index.js';

/** Diagnostics listed per page in the report; the count is always complete. */
const MAX_LISTED_DIAGNOSTICS = 10;

export interface PageInfo {
  /** 1-based. */
  page: number;
  width: number;
  height: number;
  /** Dots per inch; null when the file states none. */
  xRes: number | null;
  yRes: number | null;
  /** "MH", "MR", "MMR", "none", "RLE", or the TIFF name of another compression. */
  compression: string | null;
  /** TIFF fields as stored (TIFF only). */
  tiff?: {
    compression: number;
    fillOrder: 1 | 2;
    photometric: number | null;
    t4Options: number;
    t6Options: number;
    /** T4Options / T6Options bits in words: "2-D", "uncompressed", "EOL fill". */
    options: string[];
    strips: number;
    rowsPerStrip: number;
    resolutionUnit: number;
    pageNumber: [number, number] | null;
    badFaxLines: number | null;
    /** Orientation (274) as stored; 1 when absent. */
    orientation: number;
  };
  /**
   * For a page stored with Orientation 2-8: what reading it does (convert applies it, as
   * libtiff's tifftopnm does) and the size it is then, e.g. "turned 90° clockwise when read: 2376 x 1728 px".
   */
  orientation?: string;
  /** RFC 3949 profile of this page, and why not the stricter ones (TIFF only). */
  profile?: FaxProfile;
  notS?: string[];
  notF?: string[];
  /** Rows damaged (concealed, padded or clipped); null when the page could not be decoded. */
  damagedRows: number | null;
  /** Rows not in the data, left white; null when the page could not be decoded. */
  missingRows: number | null;
  /** The damage in words, as `convert` warns it; absent when the page is whole. */
  damage?: string;
  consecutiveDamagedRows?: number;
  rowsDecoded?: number;
  diagnostics?: FaxDiagnostic[];
  decodeError?: string;
  warnings: string[];
}

export interface InfoReport {
  file: string;
  format: FileKind;
  byteOrder?: 'II' | 'MM';
  /** File-level profile: the strictest every page and the layout meet. */
  profile?: FaxProfile;
  profileReasons?: string[];
  warnings: string[];
  pages: PageInfo[];
}

/** Describes `file` (already spooled if it was stdin; `name` for messages). */
export async function describeFile(file: string, name: string): Promise<InfoReport> {
  const size = checkFile(file, name);
  const head = size > 0 ? readHead(file) : new Uint8Array(0);
  if (sniff(head) === 'tiff') {
    try {
      const { decodeColorPage } = await import('../image/color/index.js');
      return describeTiff(readTiff(new Uint8Array(readFileSync(file))), name, decodeColorPage);
    } catch (err) {
      throw inFile(name, err);
    }
  }
  const doc = await openInput(file, name);
  try {
    return {
      file: name,
      format: doc.kind,
      warnings: doc.warnings,
      pages: doc.pages.map((p) => ({
        page: p.index + 1,
        // A PDF page that is rendered has no pixels of its own: its size is in points.
        width: p.source === 'pdf' ? Math.round(p.width * 100) / 100 : p.width,
        height: p.source === 'pdf' ? Math.round(p.height * 100) / 100 : p.height,
        xRes: p.source === 'pdf' ? 72 : (p.xRes ?? null),
        yRes: p.source === 'pdf' ? 72 : (p.yRes ?? null),
        compression: compressionOf(doc.kind, p),
        damagedRows: 0,
        missingRows: 0,
        warnings: [],
      })),
    };
  } finally {
    await doc.close();
  }
}

/** What a non-TIFF page is stored as, in words. */
function compressionOf(kind: FileKind, p: SourcePage): string {
  if (kind === 'pdf') {
    if (p.source === 'pdf') return 'PDF page (rendered)';
    if (p.ccitt) return codingOfK(p.ccitt.k);
    return 'PDF image';
  }
  return kind === 'png' || kind === 'webp' ? 'deflate' : kind === 'jpeg' ? 'JPEG' : kind === 'gif' ? 'LZW' : 'none';
}

function readHead(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(SNIFF_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, SNIFF_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

function codingName(compression: number, t4: number): string {
  switch (compression) {
    case 1:
      return 'none';
    case 2:
      return 'RLE';
    case 3:
    case 4:
      return codingOf({ compression, t4Options: t4 }) ?? compressionLabel(compression);
    default:
      return compressionLabel(compression);
  }
}

function optionWords(compression: number, t4: number, t6: number): string[] {
  const w: string[] = [];
  if (compression === 3) {
    if (t4 & 1) w.push('2-D');
    if (t4 & 2) w.push('uncompressed');
    if (t4 & 4) w.push('EOL fill');
  } else if (compression === 4 && t6 & 2) {
    w.push('uncompressed');
  }
  return w;
}

/** The --info note of a page stored in another orientation (what reading does, the size then). */
function orientationNote(o: number, width: number, height: number): { orientation?: string } {
  if (o === 1) return {};
  if (!isOrientation(o)) return { orientation: `Orientation ${o} is not a TIFF 6.0 value; read as 1 (as stored)` };
  if (!swapsAxes(o)) return { orientation: `Orientation ${o}: ${orientationWords(o)} when read` };
  return { orientation: `Orientation ${o}: ${orientationWords(o)} when read, so ${height} x ${width} px (resolutions swapped too)` };
}

function describeTiff(tiff: TiffFile, name: string, decodeColorPage: (f: TiffFile, i: number) => { height: number }): InfoReport {
  let profile: ReturnType<typeof checkProfile> | undefined;
  const warnings = [...tiff.warnings];
  try {
    profile = checkProfile(tiff);
  } catch (err) {
    warnings.push(`profile check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pages = tiff.pages.map((page): PageInfo => {
    const pr = profile?.pages[page.index];
    const info: PageInfo = {
      page: page.index + 1,
      width: page.width,
      height: page.height,
      xRes: toDpi(page.xResolution, page.resolutionUnit) ?? null,
      yRes: toDpi(page.yResolution, page.resolutionUnit) ?? null,
      compression: codingName(page.compression, page.t4Options),
      tiff: {
        compression: page.compression,
        fillOrder: page.fillOrder,
        photometric: page.photometric ?? null,
        t4Options: page.t4Options,
        t6Options: page.t6Options,
        options: optionWords(page.compression, page.t4Options, page.t6Options),
        strips: page.stripOffsets.length,
        rowsPerStrip: page.rowsPerStrip,
        resolutionUnit: page.resolutionUnit,
        pageNumber: page.pageNumber ?? null,
        badFaxLines: page.badFaxLines ?? null,
        orientation: page.orientation,
      },
      ...orientationNote(page.orientation, page.width, page.height),
      ...(pr ? { profile: pr.profile, notS: pr.notS, notF: pr.notF } : {}),
      damagedRows: null,
      missingRows: null,
      warnings: [...page.warnings],
    };
    try {
      if (page.compression === 7) {
        // A colour or grey page (profile C, or another writer's JPEG): decoded to prove it reads.
        const r = decodeColorPage(tiff, page.index);
        info.rowsDecoded = r.height;
        return info;
      }
      const d = decodePage(tiff, page.index);
      const damage = pageDamage({ ...d, missingRows: missingRowsOf(page.height, d.rowsDecoded) });
      info.damagedRows = damage.damagedRows;
      info.missingRows = damage.missingRows;
      const text = describeDamage(damage);
      if (text !== undefined) info.damage = text;
      info.consecutiveDamagedRows = d.consecutiveDamagedRows;
      info.rowsDecoded = d.rowsDecoded;
      info.diagnostics = d.diagnostics.slice(0, MAX_LISTED_DIAGNOSTICS);
      for (const w of d.warnings) if (!info.warnings.includes(w)) info.warnings.push(w);
    } catch (err) {
      // --info describes what it can: an undecodable page is reported, not fatal.
      info.decodeError = isIfaxError(err) || err instanceof Error ? err.message : String(err);
    }
    return info;
  });
  return {
    file: name,
    format: 'tiff',
    byteOrder: tiff.byteOrder,
    ...(profile ? { profile: profile.profile, profileReasons: profile.reasons } : {}),
    warnings,
    pages,
  };
}
