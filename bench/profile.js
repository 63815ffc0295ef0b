#!/usr/bin/env node
// Where the codec spends its time: runs encodeFax or decodeFax in a loop under
// `node --cpu-prof` and prints the functions with the most self time.
//   npm run build && node bench/profile.js PAGE CODING encode|decode [SECONDS] [--no-inline]
//   e.g. node bench/profile.js photo-fs-600 MMR encode 5
// Pages come from bench/out/pages (made by `npm run bench`, or made here when missing);
// decode profiles decode libtiff's stream of the page. The .cpuprofile stays in
// bench/out/prof/ for Chrome DevTools or speedscope.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePages } from './pages/generate.js';
import { readPbmPages } from './pages/pbm.js';
import { Harness } from './lib/harness.js';
import { ifaxOptions, loadCodec } from './lib/ifax-codec.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const outDir = join(benchDir, 'out');
const profDir = join(outDir, 'prof');
// --no-inline: profile with TurboFan inlining off, so that self time lands on the function
// that owns it instead of its caller (slower overall; use it to attribute, not to measure)
const noInline = process.argv.includes('--no-inline');
const [pageName, coding, op, secondsArg] = process.argv.slice(2).filter((a) => a !== '--no-inline');
const seconds = Number(secondsArg ?? 4);

if (!pageName || !['MH', 'MR', 'MMR'].includes(coding) || !['encode', 'decode'].includes(op)) {
  process.stderr.write('usage: node bench/profile.js PAGE MH|MR|MMR encode|decode [SECONDS]\n');
  process.exit(2);
}

const sourceMaps = new Map();

/** "src/codec/decoder.ts:74" for line 74 (1-based) of a built dist/ file, via its .js.map. */
function sourceLine(url, line) {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return `L${line}`;
  const generated = `js:${line}`;
  const path = fileURLToPath(url);
  if (!sourceMaps.has(path)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(path + '.map', 'utf8')));
    } catch {
      map = null;
    }
    sourceMaps.set(path, map);
  }
  const map = sourceMaps.get(path);
  // first mapping on the line: the column of a tick is not recorded
  for (let col = 0; map && col < 200; col += 2) {
    const e = map.findEntry(line - 1, col);
    if (e && e.generatedLine === line - 1 && e.originalSource) {
      return `${e.originalSource.replace(/^.*\/src\//, 'src/')}:${e.originalLine + 1} (${generated})`;
    }
  }
  return generated;
}

/** Self time per function of a .cpuprofile, largest first. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const f = byId.get(profile.samples[i]).callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*\/(dist|src|bench)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  // line-level ticks (positionTicks) of each function, for the hottest lines
  const lines = new Map();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*\/(dist|src|bench)\//, '$1/')}:${f.lineNumber + 1}`;
    for (const t of n.positionTicks ?? []) {
      const m = lines.get(key) ?? new Map();
      const where = sourceLine(f.url, t.line);
      m.set(where, (m.get(where) ?? 0) + t.ticks);
      lines.set(key, m);
    }
  }
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]), lines };
}

async function child() {
  const pagesDir = join(outDir, 'pages');
  if (!existsSync(join(pagesDir, `${pageName}.pbm`))) generatePages(pagesDir);
  const path = join(pagesDir, `${pageName}.pbm`);
  if (!existsSync(path)) throw new Error(`no page ${JSON.stringify(pageName)} in ${pagesDir}`);
  const bitmap = readPbmPages(path)[0];
  const page = { width: bitmap.width, height: bitmap.height, ydpi: bitmap.width > 2000 ? 600 : 196, path };
  const codec = await loadCodec(join(dirname(benchDir), 'dist'));
  const opts = ifaxOptions(coding, page);
  let run;
  if (op === 'encode') {
    run = () => codec.encodeFax(bitmap, opts);
  } else {
    const harness = new Harness(benchDir, outDir);
    harness.build();
    mkdirSync(join(outDir, 'streams'), { recursive: true });
    const raw = join(outDir, 'streams', `${pageName}-${coding}.libtiff`);
    // the stream of the last bench run, unless the page is newer
    if (!existsSync(raw) || statSync(raw).mtimeMs < statSync(path).mtimeMs) harness.bench(page, coding, 0, 1, raw);
    const data = new Uint8Array(readFileSync(raw));
    run = () => codec.decodeFax(data, opts);
  }
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    run();
    n++;
  }
  process.stderr.write(`${pageName} ${coding} ${op}: ${n} calls, ${((performance.now() - t0) / n).toFixed(2)} ms per call\n`);
}

if (process.env.IFAX_PROFILE_CHILD) {
  await child();
} else {
  mkdirSync(profDir, { recursive: true });
  const started = Date.now();
  const res = spawnSync(process.execPath, [...(noInline ? ['--no-turbo-inlining'] : []), '--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, IFAX_PROFILE_CHILD: '1' },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
  const file = readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(profDir, f))
    .filter((f) => statSync(f).mtimeMs >= started - 1000)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const { total, rows, lines } = selfTimes(JSON.parse(readFileSync(file, 'utf8')));
  console.log(`self time, top functions (${file.replace(benchDir + '/', 'bench/')}):`);
  for (const [key, us] of rows.slice(0, 15)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  }
  console.log('hottest lines of the top 3 functions (share of their ticks; src/ lines via dist/ source maps):');
  for (const [key] of rows.slice(0, 3)) {
    const m = lines.get(key);
    if (!m) continue;
    const all = [...m.values()].reduce((a, b) => a + b, 0);
    const top = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`  ${key}: ${top.map(([l, t]) => `${l} ${((100 * t) / all).toFixed(0)}%`).join(', ')}`);
  }
}
