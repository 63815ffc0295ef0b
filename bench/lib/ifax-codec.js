// The ifax side of the in-process codec benchmark: imports the built codec (dist/codec) and
// times encodeFax / decodeFax exactly as the harness times libtiff's strip calls.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// No forced gc() between timed calls: tried, and a call right after a forced full GC ran up
// to 10x slower (V8 then re-does work the steady state does not), which no real caller sees.
// Garbage collection is part of what the JS codec costs; medians absorb the odd major GC.

/** The built codec; IFAX_BENCH_DIST points elsewhere (a stand-in, to test the bench itself). */
export async function loadCodec(distDir) {
  const path = join(process.env.IFAX_BENCH_DIST || distDir, 'codec', 'index.js');
  if (!existsSync(path)) {
    throw new Error(`the codec is not built: ${JSON.stringify(path)} is missing\nhint: npm run build (src/codec/index.ts must exist)`);
  }
  const codec = await import(pathToFileURL(path).href);
  for (const fn of ['encodeFax', 'decodeFax']) {
    if (typeof codec[fn] !== 'function') throw new Error(`${path} does not export ${fn}()`);
  }
  return codec;
}

/**
 * Encoder options that make ifax write what libtiff 4.5 writes into a TIFF strip by default
 * (checked on its output): MH/MR with an EOL before every row including the first, no fill
 * bits, no RTC, MSB first; MR with K=4 (libtiff takes K=4 above 150 lpi); MMR with EOFB.
 * So the byte counts compare like with like.
 */
export function ifaxOptions(coding, page) {
  const opts = { coding, width: page.width, height: page.height, fillOrder: 1, eolFill: false, byteAlign: false };
  if (coding === 'MMR') {
    opts.endMarker = true;
  } else {
    opts.endMarker = false;
  }
  if (coding === 'MR') opts.k = 4;
  return opts;
}

/** T4Options (TIFF tag 292) of a strip written with ifaxOptions, for the libtiff check. */
export function t4OptionsOf(coding) {
  return coding === 'MR' ? 1 : 0;
}

function bytesOf(result, what) {
  if (result instanceof Uint8Array) return result;
  if (result && result.data instanceof Uint8Array) return result.data;
  throw new Error(`${what} returned ${Object.prototype.toString.call(result)}, expected a Uint8Array`);
}

export function timeEncode(codec, bitmap, opts, warmup, reps) {
  const ms = [];
  let out;
  for (let i = 0; i < warmup + reps; i++) {
    const t0 = performance.now();
    out = codec.encodeFax(bitmap, opts);
    const t1 = performance.now();
    if (i >= warmup) ms.push(t1 - t0);
  }
  return { ms, data: bytesOf(out, 'encodeFax') };
}

export function timeDecode(codec, data, opts, warmup, reps) {
  const ms = [];
  let res;
  for (let i = 0; i < warmup + reps; i++) {
    const t0 = performance.now();
    res = codec.decodeFax(data, opts);
    const t1 = performance.now();
    if (i >= warmup) ms.push(t1 - t0);
  }
  return { ms, result: res };
}

/** First row where two bitmaps of the same geometry differ (pad bits ignored), or -1. */
export function firstDiffRow(expected, got) {
  const stride = Math.ceil(expected.width / 8);
  const lastMask = (0xff << ((8 - (expected.width % 8)) % 8)) & 0xff;
  for (let y = 0; y < expected.height; y++) {
    const o = y * stride;
    for (let i = 0; i < stride - 1; i++) if (expected.data[o + i] !== got.data[o + i]) return y;
    if ((expected.data[o + stride - 1] ^ got.data[o + stride - 1]) & lastMask) return y;
  }
  return -1;
}

/** Problems with a decode result against the page it must reproduce; [] when exact. */
export function decodeProblems(page, res) {
  if (!res || !res.bitmap) return ['decodeFax returned no bitmap'];
  const bm = res.bitmap;
  const problems = [];
  if (bm.width !== page.width || bm.height !== page.height) {
    problems.push(`decoded ${bm.width}x${bm.height}, expected ${page.width}x${page.height}`);
    return problems;
  }
  if (res.damagedRows) problems.push(`${res.damagedRows} damaged rows`);
  if (res.diagnostics?.length) problems.push(`diagnostics: ${res.diagnostics.slice(0, 3).map((d) => `row ${d.row} ${d.code}: ${d.message}`).join('; ')}`);
  const row = firstDiffRow(page, bm);
  if (row >= 0) problems.push(`bitmap differs from the page at row ${row}`);
  return problems;
}

/**
 * Brings the codec to steady state before anything is timed: V8 needs a few calls of a hot
 * function before TurboFan code runs (a cold 600-dpi decode measured ~10x its warm time).
 * Each coding is encoded and decoded a few times on a text page (long runs, make-up codes)
 * and a Floyd-Steinberg page (short runs, every mode), so that later pages find optimised
 * code and only need the per-measurement warm-up calls.
 */
export function warmUpJit(codec, pages, codings, calls = 6) {
  for (const page of pages) {
    for (const coding of codings) {
      const opts = ifaxOptions(coding, page);
      let data;
      for (let i = 0; i < calls; i++) data = bytesOf(codec.encodeFax(page.bitmap, opts), 'encodeFax');
      for (let i = 0; i < calls; i++) codec.decodeFax(data, opts);
    }
  }
}
