/**
 * A page's displayed size in points from PDFium's page box. PDFium keeps coordinates as
 * float32; pdf.js (which read the sizes before) and the rest of ifax use the numbers as written
 * in the file, as doubles. Each coordinate is taken back to the shortest decimal that PDFium
 * would have stored as the same float32: the number written in the file whenever it has at most
 * six significant digits (FLT_DIG), e.g. 595.276, 841.89, and in practice with seven. Then
 * the size is computed as pdf.js computes it (right - left, top - bottom, swapped for a quarter
 * turn), so render sizes, and hence the output, do not change. Pure.
 */

import type { PdfiumPageInfo } from './pdfium.js';

/** The shortest decimal that reads back as the float32 `f`. */
export function decimalOfFloat32(f: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return d;
  }
  // Nine significant digits always round-trip a float32: not reached for finite f.
  return f;
}

/**
 * Width and height in points after /Rotate, or undefined when PDFium's box is empty (pdf.js
 * then falls back to the MediaBox, which PDFium does not report: the caller asks pdf.js).
 */
export function pdfiumPageSize(info: PdfiumPageInfo): { widthPt: number; heightPt: number } | undefined {
  const [left, bottom, right, top] = info.box.map(decimalOfFloat32);
  const w = right - left;
  const h = top - bottom;
  if (!(w > 0 && h > 0)) return undefined;
  return info.quarterTurns % 2 === 0 ? { widthPt: w, heightPt: h } : { widthPt: h, heightPt: w };
}
