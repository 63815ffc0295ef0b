/**
 * Independent implementations the convert tests compare against: libtiff-tools, netpbm,
 * Ghostscript, poppler-utils, HylaFAX's tiffcheck. A missing tool fails the test and names the
 * Debian package; it never lets a test pass silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/convert');
export const fixture = (name: string): string => path.join(fixtures, name);

const PACKAGES: Record<string, string> = {
  tiffinfo: 'libtiff-tools',
  tiffcp: 'libtiff-tools',
  tifftopnm: 'netpbm',
  pngtopam: 'netpbm',
  pamtopnm: 'netpbm',
  pnmfile: 'netpbm',
  pnmtile: 'netpbm',
  gs: 'ghostscript',
  pdfimages: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  tiffcheck: 'hylafax-server',
};

/** HylaFAX installs the real tiffcheck here; /usr/sbin/tiffcheck is a wrapper that bind-mounts. */
const TIFFCHECK = '/usr/lib/hylafax/bin/tiffcheck';

function resolveTool(tool: string): string {
  if (tool === 'tiffcheck') {
    if (existsSync(TIFFCHECK)) return TIFFCHECK;
    throw new Error(`${TIFFCHECK} is missing: install the Debian package "hylafax-server"`);
  }
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (r.status !== 0 || r.stdout.trim() === '') {
    throw new Error(`the tool "${tool}" is missing: install the Debian package "${PACKAGES[tool] ?? tool}"`);
  }
  return r.stdout.trim();
}

export interface ToolResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool (failing with the package name when it is not installed). */
export function tool(name: string, args: string[], input?: Uint8Array): ToolResult {
  const bin = resolveTool(name);
  const r = spawnSync(bin, args, { input, maxBuffer: 512 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Runs a tool and returns stdout; throws with stderr when it exits non-zero. */
export function toolOk(name: string, args: string[], input?: Uint8Array): Buffer {
  const r = tool(name, args, input);
  if (r.code !== 0) throw new Error(`${name} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export interface Pbm {
  width: number;
  height: number;
  /** Packed P4 raster, pad bits cleared. */
  data: Buffer;
}

/** Splits a (multi-image) P4 file into images; an independent minimal parser for tests. */
export function parseP4(buf: Buffer): Pbm[] {
  const out: Pbm[] = [];
  let i = 0;
  const skipWs = (): void => {
    for (;;) {
      while (i < buf.length && /\s/.test(String.fromCharCode(buf[i]))) i++;
      if (buf[i] === 0x23) while (i < buf.length && buf[i] !== 0x0a) i++;
      else return;
    }
  };
  const num = (): number => {
    skipWs();
    let s = '';
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) s += String.fromCharCode(buf[i++]);
    return Number(s);
  };
  while (i < buf.length) {
    skipWs();
    if (i >= buf.length) break;
    if (buf[i] !== 0x50 || buf[i + 1] !== 0x34) throw new Error(`not P4 at byte ${i}`);
    i += 2;
    const width = num();
    const height = num();
    i++; // single whitespace
    const stride = Math.ceil(width / 8);
    const data = Buffer.from(buf.subarray(i, i + stride * height));
    const pad = stride * 8 - width;
    if (pad > 0) for (let r = 0; r < height; r++) data[r * stride + stride - 1] &= (0xff << pad) & 0xff;
    out.push({ width, height, data });
    i += stride * height;
  }
  return out;
}

/** libtiff's decode of every page of a TIFF, as P4 images (netpbm's tifftopnm writes one per page). */
export function tiffPages(file: string): Pbm[] {
  return parseP4(toolOk('tifftopnm', ['-quiet', file]));
}

/** Number of differing pixels between two P4 images of the same size (or Infinity). */
export function pixelDiff(a: Pbm, b: Pbm, rows = Math.min(a.height, b.height)): number {
  if (a.width !== b.width) return Infinity;
  const stride = Math.ceil(a.width / 8);
  let n = 0;
  for (let i = 0; i < stride * rows; i++) {
    let x = a.data[i] ^ b.data[i];
    while (x) {
      n += x & 1;
      x >>= 1;
    }
  }
  return n;
}
