#!/usr/bin/env node
// Builds the benchmark pages of /work/shared/spec/PERFORMANCE.md from committed sources,
// never from downloads:
//   text-{fine,600}      bench/pages/letter.ps rendered by Ghostscript (gs -sDEVICE=pbmraw)
//   photo-ht-{fine,600}  seeded plasma fractal, 8x8 clustered-dot halftone   (photo.js)
//   photo-fs-{fine,600}  the same grey page, Floyd-Steinberg error diffusion  (photo.js)
// and the 50-page 600-dpi document of the memory target (writeDocument).
// Usage: node bench/pages/generate.js [OUT_DIR]   (default bench/out/pages)
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pbmBytes, readPbmPages } from './pbm.js';
import { photoPages, plasma } from './photo.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The two page geometries of PERFORMANCE.md. */
export const RESOLUTIONS = [
  { res: 'fine', width: 1728, height: 2292, xdpi: 204, ydpi: 196 },
  { res: '600', width: 4960, height: 7016, xdpi: 600, ydpi: 600 },
];

export const PAGE_KINDS = ['text', 'photo-ht', 'photo-fs'];

function renderText(outPath, r) {
  const args = ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', `-r${r.xdpi}x${r.ydpi}`,
    `-g${r.width}x${r.height}`, `-sOutputFile=${outPath}`, join(here, 'letter.ps')];
  const res = spawnSync('gs', args, { encoding: 'utf8' });
  if (res.error) throw new Error(`gs failed: ${res.error.message} (install ghostscript)`);
  if (res.status !== 0) throw new Error(`gs ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}${res.stdout}`);
  const [page] = readPbmPages(outPath);
  if (page.width !== r.width || page.height !== r.height) {
    throw new Error(`gs rendered ${page.width}x${page.height}, expected ${r.width}x${r.height}`);
  }
}

function writeFileSyncAll(path, buf) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every test page as a P4 file into outDir and returns their descriptions:
 * [{ name: 'photo-ht-600', kind, res, width, height, xdpi, ydpi, path }].
 */
export function generatePages(outDir) {
  mkdirSync(outDir, { recursive: true });
  const pages = [];
  const grid = plasma();
  for (const r of RESOLUTIONS) {
    const desc = (kind) => ({ name: `${kind}-${r.res}`, kind, ...r, path: join(outDir, `${kind}-${r.res}.pbm`) });
    const text = desc('text');
    renderText(text.path, r);
    const { ht, fs } = photoPages(grid, r.width, r.height, r.xdpi, r.ydpi);
    const pht = desc('photo-ht');
    const pfs = desc('photo-fs');
    writeFileSyncAll(pht.path, pbmBytes(ht));
    writeFileSyncAll(pfs.path, pbmBytes(fs));
    pages.push(text, pht, pfs);
  }
  // fine pages first, then 600, each in PAGE_KINDS order
  return pages;
}

/**
 * The multi-page document of the memory target: `count` pages cycling through `kinds`
 * (page descriptions from generatePages, one resolution), as one multi-page P4 file
 * (netpbm's convention: the images one after another).
 */
export function writeDocument(path, pageDescs, count) {
  const bodies = pageDescs.map((p) => pbmBytes(readPbmPages(p.path)[0]));
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < count; i++) writeSync(fd, bodies[i % bodies.length]);
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(here, '..', 'out', 'pages'));
  const t0 = performance.now();
  for (const p of generatePages(out)) console.log(`${p.path}  ${p.width}x${p.height}`);
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
