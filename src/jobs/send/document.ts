/**
 * A job's document in the format chosen for a group of destinations: the files through the one
 * page pipeline that `ifax convert` uses (image/document.ts, image/fax-pages.ts), into one
 * multi-page TIFF in memory (RFC 3965 §2.2.4: one TIFF per document). Profile S pages are MH,
 * 1728 wide and never longer than the sheet (RFC 3949 §3); profile F takes the chosen coding;
 * profile C writes grey or colour pages as JPEG (RFC 3949 §6) and bilevel pages as in F.
 */

import type { FaxCoding } from '../../codec/types.js';
import type { PaperName, ResolutionName } from '../../fax/vocabulary.js';
import type { FaxDocument } from '../../image/document.js';
import { fitPages, type FitChoices } from '../../image/fax-pages.js';
import { writeFax, type PageReport } from '../../image/writers/index.js';
import { MAX_DOCUMENT_BYTES } from '../../limits.js';

/** What the document is written as: the fields of the chosen format that the pages depend on. */
export interface DocumentFormat {
  profile: 'S' | 'F' | 'C';
  /** Bilevel coding; 'JPEG' (profile C) codes bilevel pages as MMR. */
  coding: FaxCoding | 'JPEG';
  resolution: ResolutionName;
  paper: PaperName;
  colour: 'bw' | 'gray' | 'color';
}

/** The page options of the job that do not depend on the destination. */
export type PageChoices = Pick<FitChoices, 'rotate' | 'longPage' | 'halftone' | 'threshold' | 'header'>;

export interface DocumentIo {
  warn(message: string): void;
  debug(message: string): void;
  /** After each page is written. */
  pageDone?(done: number, total: number): void;
}

export interface MadeDocument {
  bytes: Uint8Array;
  pages: PageReport[];
}

/**
 * Makes the TIFF of the opened document `doc` in `format`. Throws the page pipeline's
 * IfaxErrors (65 naming the file), LIMIT_EXCEEDED past MAX_DOCUMENT_BYTES.
 */
export async function makeDocument(doc: FaxDocument, format: DocumentFormat, choices: PageChoices, io: DocumentIo): Promise<MadeDocument> {
  const bilevel: FaxCoding = format.coding === 'JPEG' ? 'MMR' : format.coding;
  const pages = fitPages({
    ...choices,
    resolution: format.resolution,
    paper: format.paper,
    colour: format.profile === 'C' ? format.colour : 'bw',
    coding: bilevel,
    ...(format.profile === 'S' ? { strictLength: true } : {}),
  });
  const colour = format.colour === 'bw' ? undefined : format.colour;
  const written = await writeFax(
    doc.pages(pages),
    { format: 'tiff', profile: format.profile, coding: bilevel, ...(format.profile === 'C' && colour ? { colour } : {}) },
    { maxBytes: MAX_DOCUMENT_BYTES, io: { debug: (m) => io.debug(m), pageDone: (done, total) => io.pageDone?.(done, total) } },
  );
  return { bytes: written.bytes as Uint8Array, pages: written.pages };
}
