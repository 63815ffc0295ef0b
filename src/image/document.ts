/**
 * A fax document for library callers: files in (PDF, TIFF, pictures, PBM; several make one
 * document), pages out as the one page stream (fax-pages.ts), fitted to a fax page or kept as
 * they are. Headers only at open (every limit checked before a page is decoded); pages are
 * decoded one at a time while iterating.
 */

import { openInput } from './inputs.js';
import { faxPages, type FaxPage, type PageIo, type PageOptions } from './fax-pages.js';
import type { InputDoc, SourcePage } from './source-page.js';

/** An input: a path, or a path with the name messages should use (e.g. "stdin"). */
export type FaxInput = string | { file: string; name: string };

export interface ReadFaxOptions {
  /** How pages are made; default: kept exactly as they are (`{ fit: 'none' }`, colour kept). */
  pages?: PageOptions;
  /** Notes about the inputs and pages (damaged rows, retagged resolutions...); default: dropped. */
  warn?(message: string): void;
  debug?(message: string): void;
}

/** An opened document: iterate it for its fax pages, then close it. */
export interface FaxDocument extends AsyncIterable<FaxPage> {
  /** The input pages, headers only (sizes, stated resolutions, kinds). */
  readonly sources: readonly SourcePage[];
  /** What did not stop reading (per input, named). */
  readonly warnings: readonly string[];
  /**
   * The pages made another way than `ReadFaxOptions.pages` says (a job that sends one document
   * in several formats opens and checks its inputs once).
   */
  pages(options: PageOptions): AsyncIterable<FaxPage>;
  /** Frees what the inputs hold (open files, PDF documents). */
  close(): Promise<void>;
}

const KEEP: PageOptions = { fit: 'none', simple: false, keepColour: true };

/**
 * Opens `inputs` as one document. Throws IfaxError: INPUT_NOT_FOUND (66), DATA_INVALID,
 * TIFF_INVALID, UNSUPPORTED_INPUT, LIMIT_EXCEEDED (65), naming the file.
 */
export async function readFax(inputs: FaxInput | FaxInput[], opts: ReadFaxOptions = {}): Promise<FaxDocument> {
  const docs: InputDoc[] = [];
  const warnings: string[] = [];
  // Every input is closed even when one fails to; the first failure is thrown after.
  const close = async (): Promise<void> => {
    let first: unknown;
    for (const d of docs.splice(0)) {
      try {
        await d.close();
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  };
  try {
    for (const input of Array.isArray(inputs) ? inputs : [inputs]) {
      const { file, name } = typeof input === 'string' ? { file: input, name: input } : input;
      const doc = await openInput(file, name);
      docs.push(doc);
      for (const w of doc.warnings) warnings.push(`${name}: ${w}`);
      for (const n of doc.notes ?? []) opts.debug?.(`${name}: ${n}`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const sources = docs.flatMap((d) => d.pages);
  const io: PageIo = { warn: (m) => opts.warn?.(m), debug: (m) => opts.debug?.(m) };
  return {
    sources,
    warnings,
    close,
    pages: (options) => ({ [Symbol.asyncIterator]: () => faxPages(sources, options, io) }),
    [Symbol.asyncIterator]: () => faxPages(sources, opts.pages ?? KEEP, io),
  };
}
