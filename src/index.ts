/**
 * ifax as a library: the same parts the `ifax` command uses. Importing this module has no
 * side effects (no config is read, nothing is written, no process-wide setting is changed, the
 * process is never exited); every failure is an IfaxError whose `code` maps to the exit codes
 * of CLI.md (EXIT_CODES).
 *
 * The surface, from the top down:
 * - Documents: `readFax(files, { pages })` opens PDFs, fax TIFFs, pictures and PBM as one
 *   document whose fax pages are iterated one at a time (fitted with `fitPages({...})`, or
 *   kept as they are); `writeFax(pages, { format })` writes them as a fax TIFF (profile S, F or
 *   C), PDF or PBM, into a file (atomically) or into memory.
 * - Jobs as the CLI runs them: `convert` (`ifax convert`), `describeFile` (`ifax convert --info`).
 * - Building blocks as namespaces: `fax` (resolutions, papers, codings, T.4 widths), `codec` (T.4/T.6), `tiff` (TIFF-F/TIFF-FX), `image` (the
 *   page steps), `config` (the profile).
 */

export { IfaxError, EXIT_CODES, exitCodeOf, isIfaxError, type IfaxErrorCode, type IfaxErrorOptions } from './errors.js';
export * as limits from './limits.js';

// Documents: files in, fax pages out, fax files or bytes written.
export { readFax, type FaxDocument, type FaxInput, type ReadFaxOptions } from './image/document.js';
export { fitPages, type FaxPage, type PageOptions, type FitPageOptions, type KeepPageOptions, type FitChoices } from './image/fax-pages.js';
export { writeFax, type FaxOutput, type WriteFaxOptions, type WrittenFax, type PageReport } from './image/writers/index.js';
export { RESOLUTIONS, type Resolution, type ResolutionName } from './image/fax-format.js';
export type { PaperName, HalftoneMode, ColourMode } from './image/types.js';

// Jobs, as `ifax` runs them (I/O passed in).
export { convert, type ConvertOptions, type ConvertIo, type ConvertReport, type OutputFormat } from './jobs/convert.js';
export { describeFile, type InfoReport, type PageInfo } from './jobs/convert-info.js';

// Building blocks.
export * as fax from './fax/vocabulary.js';
export * as codec from './codec/index.js';
export * as tiff from './tiff/index.js';
export * as image from './image/index.js';
export * as config from './config/index.js';
