/**
 * Test helpers for the TIFF layer: fixtures, PBM (netpbm P4) reading/writing, bitmaps,
 * external tools (libtiff-tools, ghostscript, hylafax-server) that must exist in CI.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { Bitmap } from '../../src/codec/types.js';
import { prng as rng } from '../helpers/prng.js';

export { rng };

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures');
export const CORPUS = join(FIXTURES, 'corpus');

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, path)));
}

/** The corpus reference decode of page `page` of `<group>/<file>`, or undefined. */
export function expectedPage(groupFile: string, page: number): Bitmap | undefined {
  const p = join(CORPUS, 'expected', `${groupFile}.p${String(page).padStart(3, '0')}.pbm.br`);
  if (!existsSync(p)) return undefined;
  return parsePbm(new Uint8Array(brotliDecompressSync(readFileSync(p))));
}

/** A reference decode by its path under expected/ (without .br), e.g. golang/bw-gopher.png.pbm. */
export function expectedFile(path: string): Bitmap {
  return parsePbm(new Uint8Array(brotliDecompressSync(readFileSync(join(CORPUS, 'expected', `${path}.br`)))));
}

/** One of the 8 ITU charts (1728 x 2376). */
export function ituChart(n: number): Bitmap {
  return parsePbm(new Uint8Array(brotliDecompressSync(readFileSync(join(CORPUS, 'pbm', 'spandsp-itu', `itu${n}.pbm.br`)))));
}

/** Parses a raw PBM (P4). */
export function parsePbm(bytes: Uint8Array): Bitmap {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]))) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    let s = '';
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos]))) s += String.fromCharCode(bytes[pos++]);
    return s;
  };
  const magic = token();
  if (magic !== 'P4') throw new Error(`not a raw PBM: ${magic}`);
  const width = Number(token());
  const height = Number(token());
  pos++; // the single whitespace after the height
  const stride = Math.ceil(width / 8);
  const data = bytes.slice(pos, pos + stride * height);
  if (data.length !== stride * height) throw new Error('PBM truncated');
  return { width, height, data };
}

export function toPbm(b: Bitmap): Uint8Array {
  const header = new TextEncoder().encode(`P4\n${b.width} ${b.height}\n`);
  const out = new Uint8Array(header.length + b.data.length);
  out.set(header);
  out.set(b.data, header.length);
  return out;
}

export function stride(width: number): number {
  return Math.ceil(width / 8);
}

/** Describes the first difference between two bitmaps, or returns undefined when equal. */
export function bitmapDiff(actual: Bitmap, expected: Bitmap, rows?: [number, number]): string | undefined {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return `size ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height}`;
  }
  const s = stride(actual.width);
  const [from, to] = rows ?? [0, actual.height];
  let badRows = 0;
  let first = -1;
  for (let y = from; y < to; y++) {
    for (let i = y * s; i < (y + 1) * s; i++) {
      if (actual.data[i] !== expected.data[i]) {
        badRows++;
        if (first < 0) first = y;
        break;
      }
    }
  }
  if (badRows === 0) return undefined;
  const hex = (b: Bitmap) => Buffer.from(b.data.subarray(first * s, first * s + Math.min(s, 16))).toString('hex');
  return `${badRows} row(s) differ, first ${first}: got ${hex(actual)}..., expected ${hex(expected)}...`;
}


/** A random page: rectangles, runs and noise, pad bits zero. */
export function randomBitmap(width: number, height: number, seed: number): Bitmap {
  const r = rng(seed);
  const s = stride(width);
  const data = new Uint8Array(s * height);
  const set = (x: number, y: number) => {
    data[y * s + (x >> 3)] |= 0x80 >> (x & 7);
  };
  for (let n = 0; n < 30; n++) {
    const x0 = Math.floor(r() * width);
    const y0 = Math.floor(r() * height);
    const w = Math.floor(r() * width * 0.3) + 1;
    const h = Math.floor(r() * height * 0.1) + 1;
    for (let y = y0; y < Math.min(height, y0 + h); y++) for (let x = x0; x < Math.min(width, x0 + w); x++) set(x, y);
  }
  for (let y = 0; y < height; y++) {
    if (r() < 0.3) {
      // a row of short random runs: many changes per row
      let x = 0;
      let black = r() < 0.5;
      while (x < width) {
        const run = 1 + Math.floor(r() * 12);
        if (black) for (let i = x; i < Math.min(width, x + run); i++) set(i, y);
        x += run;
        black = !black;
      }
    }
  }
  return { width, height, data };
}

// ---- external tools ----------------------------------------------------------------------

const TOOL_PACKAGES: Record<string, string> = {
  tiffcp: 'libtiff-tools',
  tifftopnm: 'netpbm',
  tiffinfo: 'libtiff-tools',
  tiffdump: 'libtiff-tools',
  gs: 'ghostscript',
};

/** Fails (never skips) when a tool is missing, naming the Debian package to install. */
export function requireTool(name: string): string {
  const r = spawnSync(name, name === 'gs' ? ['--version'] : [], { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${name} is not installed: install the Debian package ${TOOL_PACKAGES[name] ?? name}`);
  }
  return name;
}

/** HylaFAX's tiffcheck binary (the /usr/sbin wrapper bind-mounts /etc, so call it directly). */
export function requireTiffcheck(): string {
  for (const p of ['/usr/lib/hylafax/bin/tiffcheck', '/usr/sbin/tiffcheck']) if (existsSync(p)) return p;
  throw new Error('tiffcheck is not installed: install the Debian package hylafax-server');
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed, returning stdout; throws with stderr otherwise. */
export function mustRun(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export function tempDir(): { dir: string; path: (n: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ifax-tiff-'));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeBytes(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** libtiff's decode of one page: tiffcp -c none 'in,N' then tifftopnm (1 = black PBM). */
export function libtiffDecode(tiffPath: string, page: number, work: (n: string) => string): Bitmap {
  const one = work(`page-${page}-${Math.random().toString(36).slice(2)}.tif`);
  mustRun('tiffcp', ['-c', 'none', `${tiffPath},${page}`, one]);
  const pnm = spawnSync('tifftopnm', ['-quiet', one], { maxBuffer: 256 * 1024 * 1024 });
  if (pnm.status !== 0) throw new Error(`tifftopnm failed: ${pnm.stderr}`);
  return parsePbm(new Uint8Array(pnm.stdout));
}
