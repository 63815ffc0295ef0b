/**
 * Seeded, bounded fuzzing of the decoder: mutated and truncated corpus streams and random
 * bytes. The decoder may return diagnostics or throw IfaxError, nothing else, and must stay
 * fast and within the size limits. FUZZ_ITERATIONS raises the count for a longer local run.
 */

import { readFileSync } from 'node:fs';
import { IfaxError } from '../../src/errors.js';
import { MAX_DIAGNOSTICS_PER_PAGE } from '../../src/limits.js';
import {
  decodeFax,
  decodeFaxStream,
  encodeFax,
  type FaxCodecOptions,
  type FaxCoding,
} from '../../src/codec/index.js';
import { CORPUS, prng, structured } from './helpers.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);

interface Seed {
  name: string;
  data: Uint8Array;
  opts: FaxCodecOptions;
}

function seeds(): Seed[] {
  const g = `${CORPUS}/tiff/golang`;
  const out: Seed[] = [];
  for (const v of ['', '-aligned', '-inverted', '-truncated1']) {
    out.push({ name: `gopher${v} g3`, data: readFileSync(`${g}/bw-gopher${v}.ccitt_group3`), opts: { coding: 'MH', width: 153, height: 55, byteAlign: v === '-aligned' } });
    out.push({ name: `gopher${v} g4`, data: readFileSync(`${g}/bw-gopher${v}.ccitt_group4`), opts: { coding: 'MMR', width: 153, height: 55, byteAlign: v === '-aligned' } });
  }
  out.push({ name: 'miniswhite g3', data: readFileSync(`${CORPUS}/tiff/libtiff/miniswhite-1c-1b.g3`).subarray(0, 2000), opts: { coding: 'MH', width: 1728, height: 300 } });
  out.push({ name: '645', data: readFileSync(`${CORPUS}/tiff/twelvemonkeys/645.ccitt`), opts: { coding: 'MMR', width: 7, height: 200 } });
  const page = structured(1728, 120, prng(3));
  for (const [coding, extra] of [['MR', { k: 4 }], ['MR', { k: 'cost', eolFill: true }], ['MH', { eolFill: true, fillOrder: 2 }], ['MMR', {}]] as const) {
    const opts = { coding: coding as FaxCoding, width: 1728, height: 120, ...extra } as FaxCodecOptions;
    out.push({ name: `page ${coding} ${JSON.stringify(extra)}`, data: encodeFax(page, opts), opts });
  }
  return out;
}

function mutate(data: Uint8Array, rnd: () => number): Uint8Array {
  const out = Uint8Array.from(data);
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) {
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) out[Math.floor(rnd() * out.length)] ^= 1 << Math.floor(rnd() * 8);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(rnd() * out.length));
  if (kind === 2) {
    const at = Math.floor(rnd() * out.length);
    for (let i = at; i < Math.min(out.length, at + 1 + rnd() * 40); i++) out[i] = Math.floor(rnd() * 256);
    return out;
  }
  if (kind === 3) {
    const at = Math.floor(rnd() * out.length);
    out.fill(rnd() < 0.5 ? 0 : 0xff, at, at + Math.floor(rnd() * 64));
    return out;
  }
  const random = new Uint8Array(1 + Math.floor(rnd() * 4096));
  for (let i = 0; i < random.length; i++) random[i] = Math.floor(rnd() * 256);
  return random;
}

function check(data: Uint8Array, opts: FaxCodecOptions, label: string): void {
  const started = Date.now();
  try {
    const r = decodeFax(data, opts);
    expect(r.bitmap.height).toBe(opts.height);
    expect(r.bitmap.data.length).toBe(((opts.width + 7) >> 3) * (opts.height ?? 0));
    expect(r.diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS_PER_PAGE);
    expect(r.rowsDecoded).toBeLessThanOrEqual(opts.height ?? 0);
    const s = decodeFaxStream(data, opts);
    expect(s.bitmap.data.length).toBe(((opts.width + 7) >> 3) * s.bitmap.height);
  } catch (e) {
    if (!(e instanceof IfaxError)) throw new Error(`${label}: threw a non-IfaxError: ${String(e)}`);
    expect(['FAX_DECODE_FAILED', 'LIMIT_EXCEEDED']).toContain(e.code);
  }
  expect([label, Date.now() - started < 5000]).toEqual([label, true]);
}

test(`decoder survives ${ITERATIONS} mutated and random inputs`, () => {
  const rnd = prng(424242);
  const all = seeds();
  const codings: FaxCoding[] = ['MH', 'MR', 'MMR'];
  for (let i = 0; i < ITERATIONS; i++) {
    const seed = all[i % all.length];
    const data = mutate(seed.data, rnd);
    check(data, seed.opts, `${i} ${seed.name}`);
    // The same bytes under other options: wrong coding, fill order, alignment, width.
    const opts: FaxCodecOptions = {
      coding: codings[Math.floor(rnd() * 3)],
      width: [1, 7, 153, 1728, 2432][Math.floor(rnd() * 5)],
      height: 1 + Math.floor(rnd() * 300),
      fillOrder: rnd() < 0.5 ? 1 : 2,
      byteAlign: rnd() < 0.3,
      eol: rnd() < 0.2 ? false : undefined,
    };
    if (opts.coding === 'MR') delete opts.eol;
    check(data, opts, `${i} ${seed.name} as ${JSON.stringify(opts)}`);
  }
});

describe('limits are checked before allocating', () => {
  test('width, height and pixels over the limits throw LIMIT_EXCEEDED naming the limit', () => {
    const data = new Uint8Array(16);
    expect(() => decodeFax(data, { coding: 'MMR', width: 16385, height: 1 })).toThrow(/MAX_WIDTH/);
    expect(() => decodeFax(data, { coding: 'MMR', width: 8, height: 65537 })).toThrow(/MAX_HEIGHT/);
    expect(() => decodeFax(data, { coding: 'MMR', width: 16384, height: 65536 })).toThrow(/MAX_PIXELS_PER_PAGE/);
    try {
      decodeFax(data, { coding: 'MMR', width: 16384, height: 65536 });
    } catch (e) {
      expect((e as IfaxError).code).toBe('LIMIT_EXCEEDED');
    }
  });

  test('a stream of one-bit MMR rows stops at MAX_HEIGHT instead of growing without bound', () => {
    const ones = new Uint8Array(64 * 1024).fill(0xff); // 524288 V0 codes: one row each at width 1
    const started = Date.now();
    expect(() => decodeFaxStream(ones, { coding: 'MMR', width: 1 })).toThrow(/MAX_HEIGHT/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('decodeFax without a height throws, and so do invalid options', () => {
    expect(() => decodeFax(new Uint8Array(4), { coding: 'MH', width: 8 })).toThrow(IfaxError);
    expect(() => decodeFax(new Uint8Array(4), { coding: 'XX' as FaxCoding, width: 8, height: 1 })).toThrow(/coding/);
    expect(() => decodeFax(new Uint8Array(4), { coding: 'MH', width: 0, height: 1 })).toThrow(/width/);
    expect(() => decodeFax(new Uint8Array(4), { coding: 'MH', width: 8, height: 1, fillOrder: 3 as 1 })).toThrow(/fillOrder/);
  });
});

test('data that is not fax data at all throws FAX_DECODE_FAILED', () => {
  const text = new TextEncoder().encode('%PDF-1.4 this is not a fax stream at all, just text......');
  for (const coding of ['MH', 'MMR'] as const) {
    let error: unknown;
    try {
      decodeFax(text, { coding, width: 1728, height: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IfaxError);
    expect((error as IfaxError).code).toBe('FAX_DECODE_FAILED');
  }
  expect(() => decodeFax(new Uint8Array(0), { coding: 'MMR', width: 1728, height: 10 })).toThrow(/could be decoded/);
});
