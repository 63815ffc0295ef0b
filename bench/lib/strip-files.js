// In-process decode of libtiff-written TIFF pages of many small strips: what a fax TIFF from
// libtiff looks like (tiffcp keeps the input's RowsPerStrip, and libtiff's default for a
// bilevel page is 8 KB per strip: 13 rows at 600 dpi, 540 strips per A4 page). libtiff reads
// the strips with TIFFReadEncodedStrip (harness readstrips), ifax with decodePage from
// dist/tiff, both from the file in memory, in interleaved rounds; the page must come out
// exact and without diagnostics.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './stats.js';

const TIFFCP_CODING = { MH: 'g3', MR: 'g3:2d', MMR: 'g4' };
const ROUNDS = 3;

export async function loadTiff(distDir) {
  const path = join(process.env.IFAX_BENCH_DIST || distDir, 'tiff', 'index.js');
  if (!existsSync(path)) throw new Error(`the TIFF layer is not built: ${JSON.stringify(path)} is missing\nhint: npm run build`);
  return import(pathToFileURL(path).href);
}

/** page.pbm -> uncompressed TIFF (libtiff's default strips) -> tiffcp -c CODING. */
function libtiffFile(harness, page, coding, dir) {
  const none = join(dir, `${page.name}-none.tif`);
  const out = join(dir, `${page.name}-${coding}-strips.tif`);
  if (!existsSync(none)) harness.pbmToTiff(page.path, none, page.xdpi, page.ydpi);
  const r = spawnSync('tiffcp', ['-c', TIFFCP_CODING[coding], none, out], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`tiffcp -c ${TIFFCP_CODING[coding]} ${none} failed: ${r.error?.message ?? r.stderr}\nhint: apt-get install libtiff-tools`);
  return out;
}

function timeIfax(tiff, bytes, warmup, reps) {
  const ms = [];
  let page;
  for (let i = 0; i < warmup + reps; i++) {
    // A fresh TiffFile per call: decodePage counts decoded bytes per file (MAX_TOTAL_DECODED_BYTES).
    const file = tiff.readTiff(bytes);
    const t0 = performance.now();
    page = tiff.decodePage(file, 0);
    const t1 = performance.now();
    if (i >= warmup) ms.push(t1 - t0);
  }
  return { ms, page };
}

/** One row per page and coding: { page, codec, strips, libtiffMs, ifaxMs, problems }. */
export function measureStripFiles({ harness, tiff, pages, bitmaps, codings, warmup, reps, dir }) {
  const rows = [];
  for (const page of pages) {
    for (const coding of codings) {
      const file = libtiffFile(harness, page, coding, dir);
      const bytes = new Uint8Array(readFileSync(file));
      const lt = [];
      const ifx = [];
      const problems = [];
      let strips = 0;
      let decoded = null;
      for (let round = 0; round < ROUNDS; round++) {
        const n = Math.ceil(reps / ROUNDS);
        const r = harness.readStrips(file, 0, round === 0 ? 1 : 0, n);
        strips = r.strips;
        lt.push(...r.decodeMs);
        try {
          const d = timeIfax(tiff, bytes, round === 0 ? warmup : 0, n);
          ifx.push(...d.ms);
          decoded = d.page;
        } catch (err) {
          problems.push(`ifax decodePage threw: ${err.stack ?? err}`);
          break;
        }
      }
      if (decoded) {
        const want = bitmaps.get(page.name);
        if (decoded.diagnostics.length) problems.push(`ifax diagnostics: ${decoded.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
        if (Buffer.compare(Buffer.from(decoded.bitmap.data), Buffer.from(want.data)) !== 0) problems.push('ifax decodePage differs from the page');
      }
      rmSync(file, { force: true });
      rows.push({ page: page.name, codec: coding, strips, problems, libtiffMs: median(lt), ifaxMs: median(ifx), libtiffRuns: lt, ifaxRuns: ifx });
    }
  }
  return rows;
}
