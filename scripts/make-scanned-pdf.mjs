#!/usr/bin/env node
// Makes a scanned PDF of N pages for memory measurements (issue 8: pages stream): the bench's
// fax pages (bench/pages/generate.js: 8 text pages, 2 halftone photos in every 10) coded G4 by
// netpbm's pnmtotiff at 204 x 196 dpi, joined by libtiff's tiffcp and wrapped one image per
// page by libtiff's tiff2pdf, the same way bench/pages.js makes its scans.
//   node scripts/make-scanned-pdf.mjs 300 /tmp/scan-300.pdf [--object-streams]
// --object-streams rewrites the result with qpdf (xref stream, object streams), when installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePages } from '../bench/pages/generate.js';

const [count, out, flag] = process.argv.slice(2);
const n = Number(count);
if (!Number.isInteger(n) || n < 1 || !out) {
  process.stderr.write('usage: make-scanned-pdf.mjs PAGES OUT.pdf [--object-streams]\n');
  process.exit(64);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
};
const dir = mkdtempSync(join(tmpdir(), 'ifax-scan-pdf-'));
try {
  const pages = Object.fromEntries(generatePages(dir).map((p) => [p.name, p.path]));
  const tifs = [];
  for (let i = 0; i < 10; i++) {
    const tif = join(dir, `page-${i}.tif`);
    run('sh', ['-c', `pnmtotiff -g4 -xresolution 204 -yresolution 196 "${i % 5 === 4 ? pages['photo-ht-fine'] : pages['text-fine']}" > "${tif}"`]);
    tifs.push(tif);
  }
  const multi = join(dir, 'multi.tif');
  run('tiffcp', ['-c', 'g4', ...Array.from({ length: n }, (_, i) => tifs[i % 10]), multi]);
  if (flag === '--object-streams') {
    const plain = join(dir, 'plain.pdf');
    run('tiff2pdf', ['-o', plain, multi]);
    run('qpdf', ['--object-streams=generate', plain, out]);
  } else run('tiff2pdf', ['-o', out, multi]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
