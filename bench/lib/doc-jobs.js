// Whole-process jobs on the 12-page 600-dpi document of issue 7 (8 text pages, 4 halftone
// pages: text, text, photo-ht, repeated), each against the libtiff tool doing the same job:
//   decode G4 -> raw   `ifax convert doc.tif -o out.pbm`   vs `tiffcp -c none doc.tif out.tif`
//     on a G4 file written by libtiff with one strip per page (`tiffcp -c g4 -r HEIGHT`) and
//     on one with libtiff's default small strips (13 rows at 600 dpi: 540 per page)
//   encode raw -> MH   `ifax convert doc.pbm -o out.tif --compression MH --fit none` vs `tiffcp -c g3`
//   encode raw -> MMR  `... --compression MMR --fit none`                             vs `tiffcp -c g4`
// tiffcp reads the same pixels as an uncompressed TIFF. Each job runs ifax and tiffcp in
// turn (A B A B ...) after one uncounted run of each (file cache); wall time, user + system
// time and peak RSS of each child come from wait4() in the harness. The ratio is taken pair
// by pair, then the median: a burst of load on a shared machine hits a pair alike.
// Every ifax output is checked: decoded pages equal the document, encoded files decode
// (libtiff) to it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocument } from '../pages/generate.js';
import { readPbmPages } from '../pages/pbm.js';
import { median } from './stats.js';

/** Pages of the document, by kind, in order: 8 text and 4 halftone pages for 12. */
export const DOC_CYCLE = ['text', 'text', 'photo-ht'];

function tiffcp(args) {
  const r = spawnSync('tiffcp', args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`tiffcp ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}\nhint: apt-get install libtiff-tools`);
}

function samePages(outPbm, docPbm) {
  const got = readPbmPages(outPbm);
  const want = readPbmPages(docPbm);
  if (got.length !== want.length) return `${got.length} pages, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (got[i].width !== want[i].width || got[i].height !== want[i].height) return `page ${i + 1} is ${got[i].width}x${got[i].height}`;
    if (Buffer.compare(Buffer.from(got[i].data), Buffer.from(want[i].data)) !== 0) return `page ${i + 1} differs`;
  }
  return null;
}

export function runDocJobs({ harness, pages, count, reps, outDir, repoDir, progress }) {
  const dir = join(outDir, 'doc12');
  mkdirSync(dir, { recursive: true });
  const { xdpi, ydpi, height } = pages[0];
  const doc = join(dir, 'doc.pbm');
  const none = join(dir, 'doc-none.tif');
  const g4Strips = join(dir, 'doc-g4-strips.tif');
  const g4One = join(dir, 'doc-g4-1strip.tif');
  progress(`whole-process jobs: ${count}-page document (${pages.map((p) => p.name).join(', ')}, repeated)`);
  writeDocument(doc, pages, count);
  harness.pbmToTiff(doc, none, xdpi, ydpi); // libtiff's default RowsPerStrip: 13 at 600 dpi
  tiffcp(['-c', 'g4', none, g4Strips]); // keeps the input's strips
  tiffcp(['-c', 'g4', '-r', String(height), none, g4One]);

  const ifax = (...args) => [process.execPath, join(repoDir, 'bin', 'ifax.js'), 'convert', ...args];
  const outPbm = join(dir, 'out-ifax.pbm');
  const outTif = join(dir, 'out-ifax.tif');
  const outPeer = join(dir, 'out-tiffcp.tif');
  const decodeCheck = () => samePages(outPbm, doc);
  const encodeCheck = () => {
    const c = harness.compareDocument(outTif, doc);
    return c.ok ? null : c.stderr.trim();
  };
  const jobs = [
    { job: 'decode G4 -> raw, 1 strip per page', ifax: ifax(g4One, '-o', outPbm), peer: ['tiffcp', '-c', 'none', g4One, outPeer], check: decodeCheck },
    { job: 'decode G4 -> raw, 13 rows per strip', ifax: ifax(g4Strips, '-o', outPbm), peer: ['tiffcp', '-c', 'none', g4Strips, outPeer], check: decodeCheck },
    { job: 'encode raw -> MH', ifax: ifax(doc, '-o', outTif, '--compression', 'MH', '--fit', 'none'), peer: ['tiffcp', '-c', 'g3', none, outPeer], check: encodeCheck },
    { job: 'encode raw -> MMR', ifax: ifax(doc, '-o', outTif, '--compression', 'MMR', '--fit', 'none'), peer: ['tiffcp', '-c', 'g4', none, outPeer], check: encodeCheck },
  ];

  const rows = [];
  for (const j of jobs) {
    const runs = { ifax: [], peer: [] };
    for (let i = -1; i < reps; i++) {
      for (const side of ['ifax', 'peer']) {
        const argv = j[side];
        const log = join(dir, `${side}.log`);
        const r = harness.exec(log, argv);
        if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}:\n${readFileSync(log, 'utf8').slice(-4000)}`);
        if (i >= 0) runs[side].push(r);
      }
    }
    const problem = j.check();
    const ratios = runs.ifax.map((r, i) => r.ms / runs.peer[i].ms);
    const cpu = (r) => r.userMs + r.sysMs;
    const show = (argv) => argv.map((a) => (a === process.execPath ? 'node' : a.replace(repoDir + '/', '').replace(dir + '/', ''))).join(' ');
    const row = {
      job: j.job,
      ifaxCommand: show(j.ifax),
      peerCommand: show(j.peer),
      runs: reps,
      ifaxMs: median(runs.ifax.map((r) => r.ms)),
      peerMs: median(runs.peer.map((r) => r.ms)),
      ratio: median(ratios),
      ifaxCpuMs: median(runs.ifax.map(cpu)),
      peerCpuMs: median(runs.peer.map(cpu)),
      ifaxRssKb: Math.max(...runs.ifax.map((r) => r.maxRssKb)),
      ifaxRuns: runs.ifax.map((r) => r.ms),
      peerRuns: runs.peer.map((r) => r.ms),
      problems: problem ? [problem] : [],
    };
    rows.push(row);
    progress(`  ${j.job.padEnd(38)} tiffcp ${(row.peerMs / 1000).toFixed(2)} s, ifax ${(row.ifaxMs / 1000).toFixed(2)} s: ${row.ratio.toFixed(2)}x${problem ? '  WRONG OUTPUT' : ''}`);
  }
  for (const f of [doc, none, g4Strips, g4One, outPbm, outTif, outPeer]) rmSync(f, { force: true });
  return { pages: count, cycle: pages.map((p) => p.name), rows };
}
