// Whole-process comparison on a multi-page 600-dpi document: `tiffcp -c g4` against
// `ifax convert ... --compression MMR`, wall time and peak RSS of each child (wait4 in the
// harness: GNU time may be missing). ifax's output is then decoded page by page by libtiff
// and compared with the input: a fast wrong answer must fail the benchmark.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocument } from '../pages/generate.js';
import { median } from './stats.js';

/**
 * @param {object} o
 * @param {import('./harness.js').Harness} o.harness
 * @param {Array} o.pages   page descriptions of one resolution, in the order to cycle through
 */
export function runWholeProcess({ harness, pages, count, reps, outDir, repoDir, progress }) {
  const dir = join(outDir, 'doc');
  mkdirSync(dir, { recursive: true });
  const { xdpi, ydpi } = pages[0];
  const docPbm = join(dir, `doc-${count}p.pbm`);
  const docTif = join(dir, `doc-${count}p-uncompressed.tif`);
  progress(`document: ${count} pages (${pages.map((p) => p.name).join(', ')}, repeated) -> ${docPbm}`);
  writeDocument(docPbm, pages, count);
  harness.pbmToTiff(docPbm, docTif, xdpi, ydpi);
  const inputBytes = statSync(docPbm).size;

  const tools = {
    tiffcp: { out: join(dir, 'out-tiffcp.tif'), argv: (out) => ['tiffcp', '-c', 'g4', docTif, out] },
    ifax: {
      out: join(dir, 'out-ifax.tif'),
      argv: (out) => [process.execPath, join(repoDir, 'bin', 'ifax.js'), 'convert', docPbm, '-o', out, '--compression', 'MMR', '--fit', 'none', '--resolution', 'ultrafine'],
    },
  };
  const runs = { tiffcp: [], ifax: [] };
  // interleaved, so that drift of the machine hits both tools alike
  for (let i = 0; i < reps; i++) {
    for (const [name, tool] of Object.entries(tools)) {
      rmSync(tool.out, { force: true });
      const log = join(dir, `${name}.log`);
      const r = harness.exec(log, tool.argv(tool.out));
      if (r.status !== 0) {
        throw new Error(`${tool.argv(tool.out).join(' ')} exited with ${r.status}:\n${readFileSync(log, 'utf8').slice(-4000)}`);
      }
      runs[name].push(r);
      progress(`  ${name} run ${i + 1}/${reps}: ${(r.ms / 1000).toFixed(2)} s, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`);
    }
  }

  const check = (name) => {
    const c = harness.compareDocument(tools[name].out, docPbm);
    if (!c.ok) throw new Error(`${name}'s ${count}-page output does not decode (libtiff) to the input:\n${c.stderr}`);
  };
  check('ifax');
  check('tiffcp');

  // 2 x 217 MB of input, remade on every run: not worth keeping on disk
  rmSync(docPbm, { force: true });
  rmSync(docTif, { force: true });
  const summary = (name) => ({
    command: tools[name].argv(tools[name].out).map((a) => (a === process.execPath ? 'node' : a.replace(repoDir + '/', ''))).join(' '),
    ms: runs[name].map((r) => r.ms),
    medianMs: median(runs[name].map((r) => r.ms)),
    maxRssKb: Math.max(...runs[name].map((r) => r.maxRssKb)),
    outputBytes: statSync(tools[name].out).size,
  });
  return {
    pages: count,
    cycle: pages.map((p) => p.name),
    inputBytes,
    tiffcp: summary('tiffcp'),
    ifax: summary('ifax'),
  };
}
