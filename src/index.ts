/**
 * ifax as a library: the same parts the `ifax` command uses. Importing this module has no
 * side effects (no config is read, nothing is written, the process is never exited); every
 * failure is an IfaxError whose `code` maps to the exit codes of CLI.md (EXIT_CODES).
 */

export { IfaxError, EXIT_CODES, exitCodeOf, isIfaxError, type IfaxErrorCode, type IfaxErrorOptions } from './errors.js';
export * as limits from './limits.js';
export { LIMITS, type LimitName } from './limits.js';

// T.4 / T.6 codec (pure: bytes in, bitmaps out).
export * from './codec/index.js';

// TIFF-F / TIFF-FX reader, writer and profile checker (pure).
export * from './tiff/index.js';

// The profile: schema, loading (cosmiconfig), validation, editing.
export * as config from './config/index.js';

// Pages: inputs (PDF, pictures), fitting to paper and resolution, halftoning, header line, colour.
export { openPdf, type PdfDoc, type PdfPage, type FastImage, type PdfCcittImage } from './image/pdf/open.js';
export { openImage, type ImageDoc, type ImagePage } from './image/raster-input.js';
export { fitPage, planFit, fitsAlready, type FitOptions, type FittedPage, type FitPlan } from './image/fit.js';
export { paperWidthPx, paperHeightPx } from './image/paper.js';
export { toBilevel, otsuThreshold } from './image/halftone.js';
export { renderHeader, addHeaderToBitmap, addHeaderToRaster, type HeaderFields } from './image/header.js';
export { encodeColorPage, decodeColorPage } from './image/color/index.js';
export type { Raster, PagePixels, PaperName, HalftoneMode, ColourMode, PagePath } from './image/types.js';

// Conversion jobs, as `ifax convert` runs them.
export { convert, type ConvertOptions, type ConvertIo, type ConvertReport, type PageReport, type OutputFormat } from './jobs/convert.js';
export { describeFile, type InfoReport, type PageInfo } from './jobs/convert-info.js';
