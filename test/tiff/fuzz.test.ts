/**
 * Seeded, bounded fuzzing of readTiff + decodePage with mutated and truncated corpus files:
 * only IfaxError may be thrown, no input takes more than 5 s, no bitmap passes the limits.
 * A failure prints the seed and mutation so it can be replayed.
 */

import { IfaxError } from '../../src/errors.js';
import { MAX_HEIGHT, MAX_PIXELS_PER_PAGE, MAX_WIDTH } from '../../src/limits.js';
import { decodePage, readTiff } from '../../src/tiff/index.js';
import { fixture, rng } from './helpers.js';

const SOURCES = [
  'cisco/Cisco_fax.tif',
  'golang/bw-gopher_ccittGroup3.tiff',
  'golang/bw-gopher_ccittGroup4.tiff',
  'libtiff/testfax3_bug_513.tiff',
  'libtiff/miniswhite-1c-1b.tiff',
  'pillow/g4-multi.tiff',
  'pillow/hopper_g4.tif',
  'twelvemonkeys/G32DS.tif',
  'twelvemonkeys/g3aoe.tif',
  'twelvemonkeys/group3_2d_fill.tif',
  'twelvemonkeys/group3_2d_lsb2msb.tif',
  'twelvemonkeys/group4.tif',
  'twelvemonkeys/ccitt_tolessrows.tif',
  'twelvemonkeys/CCITTgetNextChangingElement.tif',
  'twelvemonkeys/incorrect-compression-rle-as-g3.tif',
];
const ITERATIONS = 200;
const MAX_MS = 5000;

interface Mutation {
  describe: string;
  bytes: Uint8Array;
}

/** One mutation: truncate, flip bytes in the IFD area, overwrite a field value with an extreme, or trash strip bytes. */
function mutate(src: Uint8Array, r: () => number): Mutation {
  const bytes = src.slice();
  const pick = (n: number) => Math.floor(r() * n);
  const view = new DataView(bytes.buffer);
  const le = bytes[0] === 0x49;
  const ifd0 = bytes.length >= 8 ? view.getUint32(4, le) : 0;
  const kind = pick(5);
  if (kind === 0) {
    const n = pick(bytes.length);
    return { describe: `truncate to ${n}`, bytes: bytes.subarray(0, n) };
  }
  if (kind === 1 || kind === 2) {
    // Structure: the header and IFD 0 (entries), where most parsing decisions are made.
    const start = kind === 1 ? 0 : Math.min(ifd0, bytes.length - 1);
    const span = kind === 1 ? 8 : Math.max(1, Math.min(bytes.length - start, 2 + 12 * 24));
    const flips: string[] = [];
    for (let i = 0, n = 1 + pick(6); i < n; i++) {
      const at = start + pick(span);
      bytes[at] = pick(256);
      flips.push(`${at}=${bytes[at]}`);
    }
    return { describe: `bytes ${flips.join(',')}`, bytes };
  }
  if (kind === 3 && ifd0 + 2 <= bytes.length) {
    // A field's value set to an extreme: sizes, counts, offsets, compression, options.
    const count = view.getUint16(ifd0, le);
    const e = ifd0 + 2 + 12 * pick(Math.max(1, count));
    if (e + 12 <= bytes.length) {
      const extremes = [0, 1, 2, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, bytes.length, bytes.length - 1];
      const v = extremes[pick(extremes.length)];
      const field = pick(2) === 0 ? 8 : 4; // value or count
      view.setUint32(e + field, v >>> 0, le);
      return { describe: `entry at ${e}: ${field === 8 ? 'value' : 'count'} = ${v}`, bytes };
    }
  }
  // Coded data: random bytes anywhere.
  const flips: string[] = [];
  for (let i = 0, n = 1 + pick(40); i < n; i++) {
    const at = pick(bytes.length);
    bytes[at] = pick(256);
    flips.push(String(at));
  }
  return { describe: `data bytes ${flips.length} flipped`, bytes };
}

it(`survives ${ITERATIONS} mutated corpus files: only IfaxError, under ${MAX_MS} ms each, within limits`, () => {
  const sources = SOURCES.map((name) => ({ name, bytes: fixture(name) }));
  const failures: string[] = [];
  const codes = new Map<string, number>();
  for (let i = 0; i < ITERATIONS; i++) {
    const seed = 0x1fa + i;
    const r = rng(seed);
    const source = sources[Math.floor(r() * sources.length)];
    const m = mutate(source.bytes, r);
    const where = `seed ${seed}, ${source.name}, ${m.describe}`;
    const t0 = Date.now();
    try {
      const file = readTiff(m.bytes);
      for (const page of file.pages.slice(0, 4)) {
        try {
          const d = decodePage(file, page.index);
          const { width, height, data } = d.bitmap;
          if (width > MAX_WIDTH || height > MAX_HEIGHT || width * height > MAX_PIXELS_PER_PAGE || data.length !== Math.ceil(width / 8) * height) {
            failures.push(`${where}: bitmap ${width}x${height} (${data.length} bytes) passes the limits`);
          }
        } catch (err) {
          if (!(err instanceof IfaxError)) throw err;
          codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
        }
      }
    } catch (err) {
      if (err instanceof IfaxError) codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      else failures.push(`${where}: threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    }
    const ms = Date.now() - t0;
    if (ms > MAX_MS) failures.push(`${where}: took ${ms} ms`);
  }
  expect(failures).toEqual([]);
  // The mutations do reach the error paths (otherwise the fuzzer tests nothing).
  expect(codes.get('TIFF_INVALID') ?? 0).toBeGreaterThan(0);
});
