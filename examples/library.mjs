// @ts-check
/**
 * ifax as a library: a document (PDF, pictures, fax TIFF, PBM) to a fax TIFF in memory, as a
 * mail would carry it, then the same pages kept as they are into a PDF for people.
 *
 *   npm run build && node examples/library.mjs letter.pdf fax.tif fax.pdf
 *
 * Type-checked with the project (tsconfig.json) and run by its tests (test/examples.test.ts).
 */

import { writeFileSync } from 'node:fs';
import { fitPages, readFax, writeFax } from 'ifax';

/**
 * @param {string[]} inputs documents to fax, in order
 * @param {string} tiffPath where the fax TIFF goes
 * @param {string} pdfPath where a PDF of the fax pages goes
 */
export async function faxAndView(inputs, tiffPath, pdfPath) {
  // Fitted to A4 at fine resolution (204 x 196), halftoned, MMR: a profile F fax.
  const doc = await readFax(inputs, { pages: fitPages({ resolution: 'fine', paper: 'A4' }), warn: (m) => console.error(m) });
  try {
    const fax = await writeFax(doc, { format: 'tiff', profile: 'F', coding: 'MMR' });
    if (!fax.bytes) throw new Error('no bytes');
    writeFileSync(tiffPath, fax.bytes); // a mail would attach these bytes
    for (const p of fax.pages) console.log(`page from ${p.source} p.${p.sourcePage}: ${p.width}x${p.height} at ${p.xRes}x${p.yRes} dpi, ${p.compression}, ${p.bytes} bytes (${p.path})`);
  } finally {
    await doc.close();
  }
  // The fax read back, pages kept as they are (the G4 data is copied into the PDF, not re-encoded).
  const fax = await readFax(tiffPath);
  try {
    const pdf = await writeFax(fax, { format: 'pdf' }, { to: pdfPath });
    return { pages: pdf.pages.length, passedThrough: pdf.pages.filter((p) => p.path === 'pass-through').length };
  } finally {
    await fax.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const args = process.argv.slice(2);
  if (args.length < 3) {
    console.error('usage: node examples/library.mjs INPUT... FAX.tif VIEW.pdf');
    process.exit(64);
  }
  const r = await faxAndView(args.slice(0, -2), args[args.length - 2], args[args.length - 1]);
  console.log(`${r.pages} page(s) in the PDF, ${r.passedThrough} passed through`);
}
