/**
 * One writer per output format, each consuming the page stream (fax-pages.ts) into a ByteSink
 * (a file written atomically, stdout, or memory for a mail): TIFF (profile S, F, C), PDF,
 * PBM, PNG (a sink per page).
 */

export { writeTiffPages, type TiffOutOptions } from './tiff.js';
export { writePdfPages } from './pdf.js';
export { writePbmPages } from './pbm.js';
export { onePngPage, writePngPages, type PngOutOptions } from './png.js';
export { pageReport, type PageReport, type WriterIo } from './report.js';
export { writeFax, type FaxOutput, type WriteFaxOptions, type WrittenFax } from './write-fax.js';
