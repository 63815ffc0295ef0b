#!/usr/bin/env node
// `npm run bench`: ifax's fax codec against libtiff, measured in the same run on the pages
// of /work/shared/spec/PERFORMANCE.md, plus a whole-process and peak-RSS run on a 50-page
// 600-dpi document, whole-process jobs on a 12-page document against tiffcp, and in-process
// decoding of libtiff-written pages of many strips. See bench/README.md. Not part of `npm test`.
//
// Options (for working on the codec; `npm run bench -- --quick --pages text-fine`):
//   --pages a,b      only these pages (text-fine, photo-ht-600, ...)
//   --codecs MH,MMR  only these codings
//   --reps N         timed repetitions per measurement (default 9 fine, 5 at 600 dpi; min 5)
//   --quick          5 repetitions, 1 warm-up everywhere, 20-page document, 3 whole-process runs
//   --no-doc         skip the whole-process parts (12-page jobs, 50-page document / peak RSS)
//   --doc-pages N    pages of the peak-RSS document (default 50)
//   --no-strips      skip the in-process decode of libtiff-written multi-strip pages
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generatePages } from './pages/generate.js';
import { readPbmPages } from './pages/pbm.js';
import { Harness } from './lib/harness.js';
import { DOC_CYCLE, runDocJobs } from './lib/doc-jobs.js';
import { loadCodec, warmUpJit } from './lib/ifax-codec.js';
import { measure } from './lib/measure.js';
import { renderReport } from './lib/report.js';
import { loadTiff, measureStripFiles } from './lib/strip-files.js';
import { runWholeProcess } from './lib/whole-process.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const outDir = join(benchDir, 'out');
const CODINGS = ['MH', 'MR', 'MMR'];

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string' },
    codecs: { type: 'string' },
    reps: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    'doc-pages': { type: 'string' },
    'no-strips': { type: 'boolean', default: false },
  },
});

const progress = (msg) => process.stderr.write(msg + '\n');

function environment(libtiff) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const gs = spawnSync('gs', ['--version'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGb: (totalmem() / 2 ** 30).toFixed(0),
    os: `Linux ${release()}`,
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
    node: process.version,
    libtiff,
    gs: gs.stdout?.trim() || 'unknown',
  };
}

function repetitions(page) {
  const fine = page.res === 'fine';
  if (args.quick) return { warmup: 1, reps: 5 };
  const reps = args.reps ? Math.max(5, Number(args.reps)) : fine ? 9 : 5;
  // the JIT is warm already (warmUpJit): these calls only settle caches and page-specific paths
  return { warmup: fine ? 2 : 1, reps };
}

async function main() {
  mkdirSync(join(outDir, 'streams'), { recursive: true });
  const harness = new Harness(benchDir, outDir);
  harness.build();
  const codec = await loadCodec(join(repoDir, 'dist'));
  const env = environment(harness.version());

  const t0 = performance.now();
  const allPages = generatePages(join(outDir, 'pages'));
  progress(`pages generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const wanted = args.pages ? new Set(args.pages.split(',')) : null;
  const pages = allPages.filter((p) => !wanted || wanted.has(p.name));
  if (wanted && pages.length !== wanted.size) throw new Error(`unknown page in --pages ${JSON.stringify(args.pages)}; known: ${allPages.map((p) => p.name).join(', ')}`);
  const codings = args.codecs ? args.codecs.split(',') : CODINGS;
  for (const c of codings) if (!CODINGS.includes(c)) throw new Error(`unknown codec ${JSON.stringify(c)} in --codecs (MH, MR, MMR)`);

  const tw = performance.now();
  const warmPages = allPages.filter((p) => p.res === 'fine' && p.kind !== 'photo-ht').map((p) => ({ ...p, bitmap: readPbmPages(p.path)[0] }));
  warmUpJit(codec, warmPages, codings);
  progress(`JIT warm-up ${((performance.now() - tw) / 1000).toFixed(1)} s`);

  const rows = [];
  const failures = [];
  for (const page of pages) {
    const bitmap = readPbmPages(page.path)[0];
    const { warmup, reps } = repetitions(page);
    for (const coding of codings) {
      const row = measure({ harness, codec, page, bitmap, coding, warmup, reps, streamsDir: join(outDir, 'streams') });
      rows.push(row);
      const tag = `${page.name} ${coding}`;
      for (const p of row.problems) failures.push(`${tag}: ${p}`);
      const r = (a, b) => (a / b).toFixed(2);
      progress(`${tag.padEnd(18)} bytes ${row.ifax.bytes}/${row.libtiff.bytes}  encode ${row.ifax.encodeMs.toFixed(1)}/${row.libtiff.encodeMs.toFixed(1)} ms (${r(row.ifax.encodeMs, row.libtiff.encodeMs)}x)` +
        `  decode ${row.ifax.decodeMs.toFixed(1)}/${row.libtiff.decodeMs.toFixed(1)} ms (${r(row.ifax.decodeMs, row.libtiff.decodeMs)}x)${row.problems.length ? '  WRONG OUTPUT' : ''}`);
    }
  }

  let stripRows = [];
  const stripPages = pages.filter((p) => p.res === '600' && p.kind !== 'photo-fs');
  const stripCodings = codings.filter((c) => c !== 'MR');
  if (!args['no-strips'] && stripPages.length && stripCodings.length) {
    const tiff = await loadTiff(join(repoDir, 'dist'));
    const bitmaps = new Map(stripPages.map((p) => [p.name, readPbmPages(p.path)[0]]));
    mkdirSync(join(outDir, 'strips'), { recursive: true });
    stripRows = measureStripFiles({ harness, tiff, pages: stripPages, bitmaps, codings: stripCodings, warmup: 2, reps: args.quick ? 3 : 6, dir: join(outDir, 'strips') });
    for (const r of stripRows) {
      for (const p of r.problems) failures.push(`${r.page} ${r.codec} multi-strip: ${p}`);
      progress(`${`${r.page} ${r.codec}`.padEnd(18)} ${r.strips} strips, decode ${r.ifaxMs.toFixed(1)}/${r.libtiffMs.toFixed(1)} ms (${(r.ifaxMs / r.libtiffMs).toFixed(2)}x)${r.problems.length ? '  WRONG OUTPUT' : ''}`);
    }
  }

  let whole = null;
  let jobs = null;
  if (!args['no-doc']) {
    const p600 = (kind) => allPages.find((p) => p.name === `${kind}-600`);
    jobs = runDocJobs({ harness, pages: DOC_CYCLE.map(p600), count: 12, reps: args.quick ? 3 : 5, outDir, repoDir, progress });
    for (const r of jobs.rows) for (const p of r.problems) failures.push(`whole process, ${r.job}: ${p}`);
    // Mostly text, as fax traffic is, with a halftone page in every five: keeps the whole
    // bench near three minutes on a 2-core machine while still exercising the photo paths.
    const cycle = ['text', 'text', 'text', 'text', 'photo-ht'].map(p600);
    const count = Number(args['doc-pages'] ?? (args.quick ? 20 : 50));
    whole = runWholeProcess({ harness, pages: cycle, count, reps: args.quick ? 3 : 5, outDir, repoDir, progress });
  }

  const settings = (args.quick ? '5 runs after 1 warm-up' : '9 runs after 2 warm-up calls (fine) / 5 runs after 1 (600 dpi)') +
    ', in 3 rounds alternating libtiff and ifax, after a JIT warm-up of the codec on text-fine and photo-fs-fine';
  const report = renderReport({ env, rows, stripRows, jobs, whole, failures, settings });
  writeFileSync(join(outDir, 'results.md'), report);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ env, rows, stripRows, jobs, whole, failures }, null, 2) + '\n');
  process.stdout.write('\n' + report);
  progress(`total ${((performance.now() - t0) / 1000).toFixed(0)} s; written to bench/out/results.md and results.json`);
  if (failures.length) {
    progress(`\nbench FAILED: ${failures.length} wrong output(s); the measurements above are void:`);
    for (const f of failures) progress(`  ${f}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exitCode = 1;
});
