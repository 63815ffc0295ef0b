#!/usr/bin/env node
// `npm run bench:pages`: page conversion against Ghostscript, measured in the same run
// (issue "Pages" targets; PERFORMANCE.md). Not part of `npm test`. About 2 minutes.
//   1. a 10-page scanned PDF (one G4 image per page, made by tiff2pdf) -> fine MMR TIFF:
//      `ifax convert` against `gs -sDEVICE=tiffg4 -r204x196`, whole process and marginal cost
//      per page ((10 pages - 1 page) / 9, as PERFORMANCE.md gives Ghostscript's), target <= 1.5x;
//   2. a 10-page text PDF (ps2pdf of the bench letter) -> fine MMR TIFF, rendered by PDFium:
//      whole process against Ghostscript, target <= 3x (issue 7, item 7);
//   3. a 300-dpi A4 JPEG -> a fine bilevel page, in-process (open, decode, fit, halftone,
//      encode), target <= 300 ms;
//   4. memory: peak RSS of `ifax convert` on the 10-page and on 300-page scanned and text PDFs,
//      and on a 1000-page scanned PDF (100 MB; issue 8: pages stream), target < 300 MB whatever
//      the page count.
// Every process timing is the minimum of 9 runs after one warm-up, ifax and Ghostscript
// interleaved; the JPEG page the median of 9.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generatePages } from './pages/generate.js';
import { median } from './lib/stats.js';
import { compare, run } from './lib/interleave.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const outDir = join(benchDir, 'out', 'pages');
const bin = join(repoDir, 'bin', 'ifax.js');
const REPS = 9;
const progress = (m) => process.stderr.write(m + '\n');
const compareN = (a, b) => compare(a, b, REPS);



async function makeInputs() {
  mkdirSync(outDir, { recursive: true });
  const pages = Object.fromEntries(generatePages(join(benchDir, 'out', 'pages-src')).map((p) => [p.name, p.path]));
  // Scanned PDF: 10 G4 pages (8 text, 2 halftone) at 204 x 196, one image per page.
  const tifs = [];
  for (let i = 0; i < 10; i++) {
    const src = i % 5 === 4 ? pages['photo-ht-fine'] : pages['text-fine'];
    const tif = join(outDir, `scan-${i}.tif`);
    const tiff = spawnSync('sh', ['-c', `pnmtotiff -g4 -xresolution 204 -yresolution 196 "${src}" > "${tif}"`]);
    if (tiff.status !== 0) throw new Error(`pnmtotiff: ${tiff.stderr}`);
    tifs.push(tif);
  }
  const multi = join(outDir, 'scan-10.tif');
  run('tiffcp', ['-c', 'g4', ...tifs, multi]);
  const multi300 = join(outDir, 'scan-300.tif');
  run('tiffcp', ['-c', 'g4', ...Array(30).fill(tifs).flat(), multi300]);
  const scan300 = join(outDir, 'scan-300.pdf');
  run('tiff2pdf', ['-o', scan300, multi300]);
  const multi1000 = join(outDir, 'scan-1000.tif');
  run('tiffcp', ['-c', 'g4', ...Array(100).fill(tifs).flat(), multi1000]);
  const scan1000 = join(outDir, 'scan-1000.pdf');
  run('tiff2pdf', ['-o', scan1000, multi1000]);
  const scanPdf = join(outDir, 'scan-10.pdf');
  run('tiff2pdf', ['-o', scanPdf, multi]);
  const scan1 = join(outDir, 'scan-1.pdf');
  run('tiff2pdf', ['-o', scan1, tifs[0]]);
  // Text PDF: the bench letter ten times.
  const textPdf = join(outDir, 'text-10.pdf');
  const letter = join(benchDir, 'pages', 'letter.ps');
  run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pdfwrite', `-o${textPdf}`, ...Array(10).fill(letter)]);
  const text300 = join(outDir, 'text-300.pdf');
  run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pdfwrite', `-o${text300}`, ...Array(300).fill(letter)]);
  const text1 = join(outDir, 'text-1.pdf');
  run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pdfwrite', `-o${text1}`, letter]);
  // A 300-dpi A4 JPEG: the letter scanned in grey (Ghostscript's jpeggray device, JFIF 300 dpi).
  const jpeg = join(outDir, 'a4-300.jpg');
  run('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=jpeggray', '-r300', '-sPAPERSIZE=a4', '-dFIXEDMEDIA', `-o${jpeg}`, letter]);
  return { scanPdf, scan1, scan300, scan1000, textPdf, text1, text300, jpeg };
}

async function jpegToPage(file) {
  const { openImage } = await import(join(repoDir, 'dist/image/raster-input.js'));
  const { fitPage } = await import(join(repoDir, 'dist/image/fit.js'));
  const { encodeFaxTiffPage } = await import(join(repoDir, 'dist/tiff/index.js'));
  const opts = { xRes: 204, yRes: 196, paper: 'A4', rotate: 'auto', longPage: 'split', colour: 'bw', halftone: 'auto' };
  const once = async () => {
    const t = performance.now();
    const doc = await openImage(file, 'a4-300.jpg');
    const raster = await doc.pages[0].read();
    const [page] = await fitPage({ kind: 'raster', raster }, { xRes: doc.pages[0].xRes, yRes: doc.pages[0].yRes }, opts);
    encodeFaxTiffPage(page.pixels.bitmap, { profile: 'F', compression: 'MMR', xRes: 204, yRes: 196 });
    return performance.now() - t;
  };
  await once();
  const t = [];
  for (let i = 0; i < REPS; i++) t.push(await once());
  return median(t);
}

const inputs = await makeInputs();
const ifax = (pdf, out) => [process.execPath, [bin, 'convert', pdf, '-o', out, '--resolution', 'fine', '--compression', 'MMR']];
const gs = (pdf, out) => ['gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=tiffg4', '-r204x196', `-o${out}`, pdf]];
progress('scanned PDF ...');
const [scanIfax, scanGs] = compareN(ifax(inputs.scanPdf, join(outDir, 'scan-ifax.tif')), gs(inputs.scanPdf, join(outDir, 'scan-gs.tif')));
const [scanIfax1, scanGs1] = compareN(ifax(inputs.scan1, join(outDir, 'scan1-ifax.tif')), gs(inputs.scan1, join(outDir, 'scan1-gs.tif')));
progress('text PDF ...');
const [textIfax, textGs] = compareN(ifax(inputs.textPdf, join(outDir, 'text-ifax.tif')), gs(inputs.textPdf, join(outDir, 'text-gs.tif')));
const [textIfax1, textGs1] = compareN(ifax(inputs.text1, join(outDir, 'text1-ifax.tif')), gs(inputs.text1, join(outDir, 'text1-gs.tif')));
// Marginal cost per page, as PERFORMANCE.md gives Ghostscript's: (10 pages - 1 page) / 9.
const per = (t10, t1) => (t10 - t1) / 9;
progress('JPEG page ...');
const jpegMs = await jpegToPage(inputs.jpeg);

/** Peak RSS (MB) of one `ifax convert` of `pdf`: the child reports its own (no GNU time needed). */
function peakRss(pdf) {
  const hook = join(outDir, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.IFAX_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n");
  const file = join(outDir, 'rss.txt');
  const r = spawnSync(process.execPath, ['--require', hook, bin, 'convert', pdf, '-o', join(outDir, 'rss-out.tif')], { env: { ...process.env, IFAX_BENCH_RSS: file }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ifax convert ${pdf} failed (${r.status}): ${r.stderr}`);
  return Number(readFileSync(file, 'utf8')) / 1024;
}
progress('memory (300 and 1000 pages) ...');
const rss = {
  scan10: peakRss(inputs.scanPdf),
  scan300: peakRss(inputs.scan300),
  scan1000: peakRss(inputs.scan1000),
  text10: peakRss(inputs.textPdf),
  text300: peakRss(inputs.text300),
};
/** `huge` (1000 pages) is measured for scans only: 1000 rendered text pages would take minutes. */
const rssRow = (what, small, big, huge) => {
  const top = Math.max(big, huge ?? 0);
  return `| ${what} | ${small.toFixed(0)} | ${big.toFixed(0)} | ${huge === undefined ? '' : huge.toFixed(0)} | ${(top - small).toFixed(0)} | < 300 MB: ${top < 300 ? 'met' : '**MISSED**'} |`;
};

const size = (f) => statSync(f).size.toLocaleString('en');
/** `target` is per page, or `{ whole }` for the whole-process ratio. */
function row(what, i10, g10, ip, gp, key, target) {
  const [r, of, limit] = typeof target === 'object' ? [i10 / g10, ' whole', target.whole] : [ip / gp, ' per page', target];
  const verdict = limit ? `<= ${limit}x${of}: ${r <= limit ? 'met' : '**MISSED**'}` : 'reported';
  return `| ${what} | ${i10.toFixed(0)} | ${g10.toFixed(0)} | ${(i10 / g10).toFixed(2)}x | ${ip.toFixed(1)} | ${gp.toFixed(1)} | ${(ip / gp).toFixed(2)}x | ${size(join(outDir, `${key}-ifax.tif`))} | ${size(join(outDir, `${key}-gs.tif`))} | ${verdict} |`;
}
const lines = [
  '# ifax page conversion benchmark',
  '',
  `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; ${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; node ${process.version}`,
  `- method: whole process, minimum of ${REPS} runs after a warm-up, ifax and Ghostscript interleaved; per page = (10-page run - 1-page run) / 9, the marginal cost PERFORMANCE.md gives for Ghostscript; JPEG in-process`,
  '',
  '| job | ifax ms (10 p.) | gs ms (10 p.) | whole ratio | ifax ms/page | gs ms/page | per-page ratio | ifax bytes | gs bytes | target |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  row('10-page scanned PDF (G4) -> fine MMR TIFF', scanIfax, scanGs, per(scanIfax, scanIfax1), per(scanGs, scanGs1), 'scan', 1.5),
  row('10-page text PDF (rendered) -> fine MMR TIFF', textIfax, textGs, per(textIfax, textIfax1), per(textGs, textGs1), 'text', { whole: 3 }),
  `| 300-dpi A4 JPEG -> fine bilevel page (in-process) | ${jpegMs.toFixed(0)} | | | | | | | | <= 300 ms: ${jpegMs <= 300 ? 'met' : '**MISSED**'} |`,
  '',
  '| memory: ifax convert -> fine MMR TIFF | peak RSS MB, 10 pages | peak RSS MB, 300 pages | peak RSS MB, 1000 pages | growth MB | target |',
  '|---|--:|--:|--:|--:|---|',
  rssRow('scanned PDF (G4, fast path)', rss.scan10, rss.scan300, rss.scan1000),
  rssRow('text PDF (rendered by PDFium)', rss.text10, rss.text300),
  '',
];
const report = lines.join('\n');
writeFileSync(join(benchDir, 'out', 'pages-results.md'), report);
process.stdout.write(report);
