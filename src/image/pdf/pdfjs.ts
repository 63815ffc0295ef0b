/**
 * Loading pdf.js for Node: the legacy build (the modern one needs DOMMatrix), no worker
 * thread (pdf.js runs its "fake worker" in this thread when no workerPort is set), fonts,
 * CMaps, WASM decoders and ICC profiles read from node_modules, never fetched, and no
 * console output below errors (pdf.js prints warnings with console.log, i.e. to stdout,
 * which would corrupt `ifax convert -o -`).
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import { MAX_PIXELS_PER_PAGE } from '../../limits.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loaded: Promise<PdfJs> | undefined;

/** The pdf.js module, imported once on first use (~300 ms): inputs without PDF never pay. */
export function loadPdfJs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loaded;
}

/** pdfjs-dist's folder, with a trailing slash as pdf.js wants for its *Url options. */
function assetDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('pdfjs-dist/package.json')) + path.sep;
}

/** getDocument options: everything local, nothing evaluated, errors only. */
export function documentOptions(pdfjs: PdfJs, data: Uint8Array): Parameters<PdfJs['getDocument']>[0] {
  const dir = assetDir();
  return {
    data,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    standardFontDataUrl: `${dir}standard_fonts${path.sep}`,
    cMapUrl: `${dir}cmaps${path.sep}`,
    cMapPacked: true,
    wasmUrl: `${dir}wasm${path.sep}`,
    iccUrl: `${dir}iccs${path.sep}`,
    // Fonts are drawn as paths: there is no FontFace in Node, and no system fonts are used, so
    // the output does not depend on the machine.
    disableFontFace: true,
    useSystemFonts: false,
    // pdf.js compiles glyph programs with `new Function` when allowed; a PDF is untrusted.
    isEvalSupported: false,
    enableXfa: false,
    // pdf.js has no image size limit by default: one crafted image could claim gigabytes.
    maxImageSize: MAX_PIXELS_PER_PAGE,
    // Images come back as plain pixel arrays (not ImageBitmaps): the fast path reads them.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
  };
}
