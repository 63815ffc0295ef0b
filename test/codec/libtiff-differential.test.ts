/**
 * Differential tests against libtiff (Debian libtiff-tools: fax2tiff, tiffcp). Both ways:
 * ifax-coded raw streams decoded by libtiff, and libtiff-coded TIFF strips decoded by ifax.
 * The tools are required: without them these tests fail, they do not skip.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFaxInto, encodeFax, type Bitmap, type FaxCodecOptions } from '../../src/codec/index.js';
import {
  CORPUS,
  blank,
  checker,
  firstDifference,
  noise,
  prng,
  readPbm,
  readTiffFaxPage,
  readUncompressedTiff,
  structured,
  uncompressedTiff,
} from './helpers.js';

let dir = '';

function run(tool: string, args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) {
    throw new Error(`${tool} could not be run (${r.error.message}): install libtiff-tools (apt-get install libtiff-tools); CI installs it`);
  }
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stderr;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ifax-codec-'));
  for (const tool of ['fax2tiff', 'tiffcp']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} not found: install libtiff-tools (apt-get install libtiff-tools); CI installs it`);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rnd = prng(20240611);
const IMAGES: [string, Bitmap][] = [
  ['structured 1728x300', structured(1728, 300, rnd)],
  ['noise 10% 1729x60', noise(1729, 60, 0.1, rnd)],
  ['noise 50% 2432x30', noise(2432, 30, 0.5, rnd)],
  ['checker 153x20', checker(153, 20)],
  ['gopher 153x55', readPbm(`${CORPUS}/expected/golang/bw-gopher.png.pbm`)],
  ['diagonal 1728x1728', readPbm(`${CORPUS}/expected/libtiff/miniswhite-1c-1b.g3.p000.pbm`)],
  ['long runs 5184x4', ((): Bitmap => {
    const bm = blank(5184, 4);
    bm.data.fill(0xff, 648, 1296);
    bm.data[648 * 2 + 647] = 1;
    return bm;
  })()],
];

/** ifax encodes, fax2tiff decodes: the first rows must equal the source; rows fax2tiff adds for EOLs must be white. */
function viaFax2tiff(bm: Bitmap, opts: FaxCodecOptions, flags: string[]): void {
  const raw = join(dir, 'in.fax');
  const coded = join(dir, 'coded.tif');
  const plain = join(dir, 'plain.tif');
  writeFileSync(raw, encodeFax(bm, { ...opts, width: bm.width }));
  const stderr = run('fax2tiff', [...flags, opts.fillOrder === 2 ? '-L' : '-M', '-m', '-X', String(bm.width), '-o', coded, raw]);
  expect(stderr).not.toMatch(/bad|premature|error/i);
  run('tiffcp', ['-c', 'none', coded, plain]);
  const out = readUncompressedTiff(plain);
  expect(out.height).toBeGreaterThanOrEqual(bm.height);
  const stride = (bm.width + 7) >> 3;
  const head: Bitmap = { width: out.width, height: bm.height, data: out.data.subarray(0, stride * bm.height) };
  expect(firstDifference(head, bm)).toBeUndefined();
  expect(out.data.subarray(stride * bm.height).every((b) => b === 0)).toBe(true);
}

describe('ifax encoder -> libtiff fax2tiff decoder', () => {
  const variants: [FaxCodecOptions, string[]][] = [];
  for (const fillOrder of [1, 2] as const) {
    for (const eolFill of [false, true]) {
      const a = eolFill ? ['-A'] : [];
      variants.push([{ coding: 'MH', width: 0, fillOrder, eolFill }, ['-3', '-1', ...a]]);
      variants.push([{ coding: 'MH', width: 0, fillOrder, eolFill, endMarker: true }, ['-3', '-1', ...a]]);
      for (const k of [2, 4, 'cost'] as const) {
        variants.push([{ coding: 'MR', width: 0, fillOrder, eolFill, k, endMarker: k === 4 }, ['-3', '-2', ...a]]);
      }
    }
    // fax2tiff drops the last row of an MMR stream without EOFB, so MMR goes with EOFB.
    variants.push([{ coding: 'MMR', width: 0, fillOrder, endMarker: true }, ['-4']]);
  }
  for (const [opts, flags] of variants) {
    test(`${JSON.stringify(opts)} (fax2tiff ${flags.join(' ')})`, () => {
      for (const [, bm] of IMAGES) viaFax2tiff(bm, opts, flags);
    });
  }
});

/** libtiff (tiffcp) encodes, ifax decodes the strips into one page. */
function viaTiffcp(bm: Bitmap, compression: string, extra: string[] = []): { bytes: number; coding: string } {
  const src = join(dir, 'src.tif');
  const coded = join(dir, 'tiffcp.tif');
  writeFileSync(src, uncompressedTiff(bm));
  run('tiffcp', ['-c', compression, ...extra, src, coded]);
  const t = readTiffFaxPage(coded);
  const page = blank(t.width, t.height);
  let bytes = 0;
  t.strips.forEach((strip, k) => {
    const rowOffset = k * t.rowsPerStrip;
    const rows = Math.min(t.rowsPerStrip, t.height - rowOffset);
    const r = decodeFaxInto(strip, { coding: t.coding, width: t.width, height: rows, fillOrder: t.fillOrder, eolFill: t.eolFill }, page, rowOffset);
    expect(r.diagnostics).toEqual([]);
    expect(r.rowsDecoded).toBe(rows);
    bytes += strip.length;
  });
  expect(firstDifference(page, bm)).toBeUndefined();
  return { bytes, coding: t.coding };
}

describe('libtiff tiffcp encoder -> ifax decoder', () => {
  const cases: [string, string[]][] = [
    ['g4', []],
    ['g4', ['-f', 'lsb2msb']],
    ['g4', ['-r', '37']],
    ['g3', []],
    ['g3:1d:fill', ['-f', 'lsb2msb']],
    ['g3:2d', []],
    ['g3:2d:fill', ['-r', '64']],
    ['g3:2d', ['-f', 'lsb2msb', '-r', '7']],
  ];
  for (const [compression, extra] of cases) {
    test(`tiffcp -c ${compression} ${extra.join(' ')}`, () => {
      for (const [, bm] of IMAGES) viaTiffcp(bm, compression, extra);
    });
  }
});

describe('coded size against libtiff', () => {
  test('MMR is the same size as libtiff G4 (within 0.5%); MR no larger than libtiff at the same K', () => {
    for (const [name, bm] of IMAGES) {
      const height = String(bm.height);
      const g4 = viaTiffcp(bm, 'g4', ['-r', height]).bytes;
      // libtiff ends G4 strips with EOFB.
      const mmr = encodeFax(bm, { coding: 'MMR', width: bm.width, endMarker: true }).length;
      expect([name, Math.abs(mmr - g4) <= Math.max(1, g4 * 0.005)]).toEqual([name, true]);
      // 196 dpi vertical: libtiff codes MR with K = 4 (it picks 2 at 150 dpi and below).
      const g3 = viaTiffcp(bm, 'g3:2d', ['-r', height]).bytes;
      const mr = encodeFax(bm, { coding: 'MR', width: bm.width, k: 4 }).length;
      const cost = encodeFax(bm, { coding: 'MR', width: bm.width, k: 'cost' }).length;
      expect([name, mr <= g3, cost <= g3]).toEqual([name, true, true]);
    }
  });
});

test('round trip through libtiff both ways keeps the gopher exact', () => {
  const bm = readPbm(`${CORPUS}/expected/golang/bw-gopher.png.pbm`);
  viaFax2tiff(bm, { coding: 'MMR', width: 153, endMarker: true }, ['-4']);
  viaTiffcp(bm, 'g4');
  expect(readFileSync(`${CORPUS}/tiff/golang/bw-gopher.ccitt_group4`).length).toBeGreaterThan(0);
});
