/**
 * The page steps one by one, for callers who build their own pipeline (the `image` namespace
 * of the library): inputs, fitting to paper and resolution, halftoning, the header line,
 * colour pages, PDF out. `readFax` / `writeFax` (document.ts, writers/) put them together.
 */

export { openInput } from './inputs.js';
export { openPdf, type PdfDoc, type PdfPage, type FastImage, type PdfCcittImage } from './pdf/open.js';
export { openImage, type ImageDoc, type ImagePage } from './raster-input.js';
export { fitPage, planFit, fitsAlready, type FitOptions, type FittedPage, type FitPlan } from './fit.js';
export { paperWidthPx, paperHeightPx, PAPERS, PAPER_NAMES } from './paper.js';
export { toBilevel, otsuThreshold } from './halftone.js';
export { greyOf, bilevelOf } from './bilevel.js';
export { renderHeader, addHeaderToBitmap, addHeaderToRaster, type HeaderFields } from './header.js';
export { encodeColorPage, decodeColorPage } from './color/index.js';
export { faxPages, fitPages, pageBitmap, type FaxPage, type PageOptions, type FitPageOptions, type KeepPageOptions, type FitChoices, type PageIo } from './fax-pages.js';
export { writeTiffPages, writePdfPages, writePbmPages, writePngPages, type TiffOutOptions, type PngOutOptions, type WriterIo } from './writers/index.js';
export type { SourcePage, InputDoc, DecodedSource, DecodedPixels } from './source-page.js';
export type { Raster, PagePixels, PaperName, HalftoneMode, ColourMode, PagePath } from './types.js';
