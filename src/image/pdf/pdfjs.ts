/**
 * Loading pdf.js for Node, and opening documents with it: the legacy build (the modern one
 * needs DOMMatrix), no worker thread (pdf.js runs its "fake worker" in this thread when no
 * workerPort is set), fonts, CMaps, WASM decoders and ICC profiles read from node_modules,
 * never fetched, and no console output below errors (pdf.js prints warnings with console.log,
 * i.e. to stdout, which would corrupt `ifax convert -o -`).
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { IfaxError, isIfaxError } from '../../errors.js';
import { MAX_PIXELS_PER_PAGE } from '../../limits.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const q = (s: string): string => JSON.stringify(s);

let loaded: Promise<PdfJs> | undefined;

/**
 * The pdf.js module, imported once on first use (~300 ms with the canvas it loads): only for a
 * file PDFium refuses, a page it fails on, or a scan's image in a format we do not decode.
 */
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

/**
 * Opens `bytes` with pdf.js (`name` for messages). The bytes are copied: pdf.js may transfer
 * the buffer it is given. It prints nothing (verbosity ERRORS, documentOptions); failures are thrown.
 * Throws UNSUPPORTED_INPUT for a password, DATA_INVALID otherwise.
 */
export async function openPdfJsDoc(bytes: Uint8Array, name: string): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  try {
    return await pdfjs.getDocument(documentOptions(pdfjs, bytes.slice())).promise;
  } catch (err) {
    throw openError(err, name);
  }
}

/** Page `index` (0-based) of a pdf.js document; DATA_INVALID when pdf.js cannot read it. */
export async function pdfJsPage(doc: PDFDocumentProxy, index: number, name: string): Promise<PDFPageProxy> {
  try {
    return await doc.getPage(index + 1);
  } catch (err) {
    throw new IfaxError('DATA_INVALID', `Reading page ${index + 1} of PDF ${q(name)} failed: ${(err as Error).message}`, {
      cause: err,
      context: { file: name, page: index + 1 },
    });
  }
}

/** The error for a PDF that needs a password (PDFium and pdf.js alike). */
export function encryptedError(name: string, cause: unknown): IfaxError {
  return new IfaxError('UNSUPPORTED_INPUT', `Reading PDF ${q(name)} failed: it is encrypted with a password`, {
    cause,
    context: { file: name },
    hint: 'Remove the password first (e.g. "qpdf --password=... --decrypt in.pdf out.pdf").',
  });
}

/** pdf.js's exceptions (by name: they are not exported as classes of a stable identity) to IfaxError. */
function openError(err: unknown, name: string): IfaxError {
  if (isIfaxError(err)) return err;
  const e = err as { name?: string; message?: string };
  if (e.name === 'PasswordException') return encryptedError(name, err);
  const why = e.name === 'InvalidPDFException' ? 'it is not a valid PDF' : 'it cannot be parsed';
  return new IfaxError('DATA_INVALID', `Reading PDF ${q(name)} failed: ${why} (${e.message ?? String(err)})`, {
    cause: err,
    context: { file: name },
  });
}
