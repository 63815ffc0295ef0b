/**
 * ITU-T T.81 baseline sequential DCT JPEG encoder (SOF0, Huffman, 8-bit), as RFC 3949 §6
 * (TIFF-FX profile C) and ITU-T T.4 Annex E use it: components are coded as given (no YCbCr
 * transform, no JFIF or Adobe marker that would make a reader convert them), with
 * per-component sampling factors (L* 2x2 + a* 1x1 + b* 1x1 is the T.4 Annex E default).
 * Quantisation: the T.81 Annex K.1 tables scaled by a quality 1..100 as IJG libjpeg does;
 * entropy coding: the Annex K.3 typical Huffman tables. Output is one complete interchange
 * format stream (SOI, DQT, SOF0, DHT, SOS, data, EOI).
 * Pure: no `node:` imports.
 */

import { IfaxError } from '../../errors.js';
import { AC_CHROMA, AC_LUMA, BASE_QUANT, DC_CHROMA, DC_LUMA, ZIGZAG, type HuffSpec } from './jpeg-tables.js';

/** One component: a full-resolution plane; the encoder subsamples it to its factors. */
export interface JpegComponent {
  /** `width` x `height` samples, row-major. */
  plane: Uint8Array;
  /** Horizontal / vertical sampling factor (1..4, T.81 B.2.2); the largest is full resolution. */
  h: number;
  v: number;
  /** Quantisation and Huffman tables: 0 = luminance (Annex K tables 1, K.3), 1 = chrominance. */
  table: 0 | 1;
  /** Component identifier in SOF/SOS (default 1, 2, 3...). */
  id?: number;
}

export interface JpegEncodeInput {
  width: number;
  height: number;
  /** 1 to 3 components, interleaved in one scan. */
  components: JpegComponent[];
  /** 1..100, IJG scaling of the Annex K tables; default 75. */
  quality?: number;
  /** Application segments written after SOI: marker (0xE0..0xEF) and payload. */
  appSegments?: { marker: number; data: Uint8Array }[];
}

/** Default quality: libjpeg's default; about 1 bit per pixel on a photo, sharp text at 200 dpi. */
export const DEFAULT_JPEG_QUALITY = 75;

/** Code and length per symbol (T.81 Annex C: canonical codes from BITS/HUFFVAL). */
interface HuffCodes {
  code: Uint16Array;
  size: Uint8Array;
}

function buildCodes(spec: HuffSpec): HuffCodes {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < spec.bits[len - 1]; i++) {
      const sym = spec.values[k++];
      code[sym] = c++;
      size[sym] = len;
    }
    c <<= 1;
  }
  return { code, size };
}

const HUFF = [
  { dc: buildCodes(DC_LUMA), ac: buildCodes(AC_LUMA) },
  { dc: buildCodes(DC_CHROMA), ac: buildCodes(AC_CHROMA) },
];

/** IJG jcparam.c: quality -> percentage scale of the Annex K tables, entries clamped to 1..255. */
export function quantTable(table: 0 | 1, quality: number): Uint8Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Uint8Array.from(BASE_QUANT[table], (v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/** AAN scale factors of the float DCT (IJG jfdctflt.c). */
const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** Divisors folding the AAN output scaling into quantisation, in natural order. */
function divisors(q: Uint8Array): Float64Array {
  const d = new Float64Array(64);
  for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) d[r * 8 + c] = 1 / (q[r * 8 + c] * AAN[r] * AAN[c] * 8);
  return d;
}

/** In-place forward DCT of 64 level-shifted samples (IJG jfdctflt.c, Arai-Agui-Nakajima). */
function fdct(d: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let i = 0; i < 8; i++) {
      const o = i * stride;
      const p0 = o, p1 = o + step, p2 = o + 2 * step, p3 = o + 3 * step;
      const p4 = o + 4 * step, p5 = o + 5 * step, p6 = o + 6 * step, p7 = o + 7 * step;
      const t0 = d[p0] + d[p7], t7 = d[p0] - d[p7];
      const t1 = d[p1] + d[p6], t6 = d[p1] - d[p6];
      const t2 = d[p2] + d[p5], t5 = d[p2] - d[p5];
      const t3 = d[p3] + d[p4], t4 = d[p3] - d[p4];
      const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
      d[p0] = t10 + t11;
      d[p4] = t10 - t11;
      const z1 = (t12 + t13) * 0.707106781;
      d[p2] = t13 + z1;
      d[p6] = t13 - z1;
      const s10 = t4 + t5, s11 = t5 + t6, s12 = t6 + t7;
      const z5 = (s10 - s12) * 0.382683433;
      const z2 = 0.5411961 * s10 + z5;
      const z4 = 1.306562965 * s12 + z5;
      const z3 = s11 * 0.707106781;
      const z11 = t7 + z3, z13 = t7 - z3;
      d[p5] = z13 + z2;
      d[p3] = z13 - z2;
      d[p1] = z11 + z4;
      d[p7] = z11 - z4;
    }
  }
}

/** Growable byte output with the entropy-coded-segment bit writer (T.81 F.1.2.3, B.1.1.5). */
class ByteOut {
  buf: Uint8Array;
  len = 0;
  private acc = 0;
  private nbits = 0;

  constructor(initial: number) {
    this.buf = new Uint8Array(Math.max(1024, initial));
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  bytes(data: ArrayLike<number>): void {
    this.ensure(data.length);
    for (let i = 0; i < data.length; i++) this.buf[this.len++] = data[i];
  }

  u16(v: number): void {
    this.bytes([v >> 8, v & 0xff]);
  }

  /** Appends the `size` low bits of `code`, stuffing a 0x00 after every 0xFF byte. */
  bits(code: number, size: number): void {
    this.acc = (this.acc << size) | (code & ((1 << size) - 1));
    this.nbits += size;
    while (this.nbits >= 8) {
      const byte = (this.acc >>> (this.nbits - 8)) & 0xff;
      this.nbits -= 8;
      this.ensure(2);
      this.buf[this.len++] = byte;
      if (byte === 0xff) this.buf[this.len++] = 0;
    }
    this.acc &= (1 << this.nbits) - 1;
  }

  /** Pads the last byte with 1-bits (T.81 F.1.2.3). */
  flushBits(): void {
    if (this.nbits > 0) this.bits(0x7f, 8 - this.nbits);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function fail(reason: string): IfaxError {
  return new IfaxError('USAGE', `Encoding JPEG failed: ${reason}`);
}

/** A component's samples, subsampled and edge-padded to whole MCUs. */
interface PreparedComponent {
  data: Uint8Array;
  /** Row length of `data` (blocks per MCU row x 8). */
  stride: number;
  h: number;
  v: number;
  table: 0 | 1;
  id: number;
}

/**
 * Box-averages a full-resolution plane by (fx, fy) (centred chroma, RFC 3949 §6.2.2
 * ChromaPositioning 1) and pads it by edge replication to `pw` x `ph`.
 */
function prepare(plane: Uint8Array, width: number, height: number, fx: number, fy: number, pw: number, ph: number): Uint8Array {
  const cw = Math.ceil(width / fx);
  const ch = Math.ceil(height / fy);
  const out = new Uint8Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(y, ch - 1) * fy;
    const rows = Math.min(fy, height - sy);
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(x, cw - 1) * fx;
      const cols = Math.min(fx, width - sx);
      if (rows === 1 && cols === 1) {
        out[y * pw + x] = plane[sy * width + sx];
        continue;
      }
      let sum = 0;
      for (let yy = 0; yy < rows; yy++) for (let xx = 0; xx < cols; xx++) sum += plane[(sy + yy) * width + sx + xx];
      const n = rows * cols;
      out[y * pw + x] = ((sum + (n >> 1)) / n) | 0;
    }
  }
  return out;
}

/**
 * Encodes 1..3 component planes as one baseline JPEG interchange stream. Throws USAGE for
 * sizes over 65535 (T.81 B.2.2), planes of the wrong length, or sampling factors that are not
 * 1..4 or do not divide the largest one.
 */
export function encodeJpeg(input: JpegEncodeInput): Uint8Array {
  const { width, height, components } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65535 || height > 65535) {
    throw fail(`size ${JSON.stringify(width)} x ${JSON.stringify(height)} is not 1..65535 (T.81 B.2.2)`);
  }
  if (components.length < 1 || components.length > 3) throw fail(`${components.length} components; 1 to 3 are supported`);
  const single = components.length === 1;
  // A single-component scan is not interleaved: its MCU is one block whatever the factors.
  const hmax = single ? 1 : Math.max(...components.map((c) => c.h));
  const vmax = single ? 1 : Math.max(...components.map((c) => c.v));
  for (const [i, c] of components.entries()) {
    if (c.plane.length !== width * height) throw fail(`component ${i} has ${c.plane.length} samples, not ${width} x ${height}`);
    if (![1, 2, 3, 4].includes(c.h) || ![1, 2, 3, 4].includes(c.v)) throw fail(`component ${i} sampling ${c.h}x${c.v} is not 1..4`);
    if (!single && (hmax % c.h !== 0 || vmax % c.v !== 0)) {
      throw fail(`component ${i} sampling ${c.h}x${c.v} does not divide the largest (${hmax}x${vmax})`);
    }
  }
  const blocksIn = components.reduce((n, c) => n + (single ? 1 : c.h * c.v), 0);
  if (blocksIn > 10) throw fail(`an MCU of ${blocksIn} blocks is more than the 10 T.81 B.2.3 allows`);
  const quality = input.quality ?? DEFAULT_JPEG_QUALITY;
  if (!(quality >= 1 && quality <= 100)) throw fail(`quality ${JSON.stringify(quality)} is not 1..100`);

  const mcuW = 8 * hmax;
  const mcuH = 8 * vmax;
  const mcusX = Math.ceil(width / mcuW);
  const mcusY = Math.ceil(height / mcuH);
  const prepared: PreparedComponent[] = components.map((c, i) => {
    const h = single ? 1 : c.h;
    const v = single ? 1 : c.v;
    const stride = mcusX * h * 8;
    const rows = mcusY * v * 8;
    return { data: prepare(c.plane, width, height, hmax / h, vmax / v, stride, rows), stride, h, v, table: c.table, id: c.id ?? i + 1 };
  });
  const tablesUsed = [...new Set(prepared.map((c) => c.table))].sort();
  const quant = [quantTable(0, quality), quantTable(1, quality)];
  const div = quant.map(divisors);

  const out = new ByteOut(width * height);
  out.bytes([0xff, 0xd8]); // SOI
  for (const seg of input.appSegments ?? []) {
    if (seg.marker < 0xe0 || seg.marker > 0xef || seg.data.length > 65533) throw fail(`APP segment marker ${seg.marker} or length ${seg.data.length} is invalid`);
    out.bytes([0xff, seg.marker]);
    out.u16(seg.data.length + 2);
    out.bytes(seg.data);
  }
  for (const t of tablesUsed) {
    out.bytes([0xff, 0xdb]); // DQT, 8-bit precision (Pq = 0)
    out.u16(67);
    out.bytes([t]);
    out.bytes(ZIGZAG.map((k) => quant[t][k]));
  }
  out.bytes([0xff, 0xc0]); // SOF0: baseline
  out.u16(8 + 3 * prepared.length);
  out.bytes([8]);
  out.u16(height);
  out.u16(width);
  out.bytes([prepared.length]);
  for (const c of prepared) out.bytes([c.id, (c.h << 4) | c.v, c.table]);
  for (const t of tablesUsed) {
    for (const [cls, spec] of [[0, t === 0 ? DC_LUMA : DC_CHROMA], [1, t === 0 ? AC_LUMA : AC_CHROMA]] as const) {
      out.bytes([0xff, 0xc4]); // DHT
      out.u16(2 + 1 + 16 + spec.values.length);
      out.bytes([(cls << 4) | t]);
      out.bytes(spec.bits);
      out.bytes(spec.values);
    }
  }
  out.bytes([0xff, 0xda]); // SOS: all components, Ss 0, Se 63, Ah/Al 0
  out.u16(6 + 2 * prepared.length);
  out.bytes([prepared.length]);
  for (const c of prepared) out.bytes([c.id, (c.table << 4) | c.table]);
  out.bytes([0, 63, 0]);

  const block = new Float64Array(64);
  const pred = new Int32Array(prepared.length);
  for (let my = 0; my < mcusY; my++) {
    for (let mx = 0; mx < mcusX; mx++) {
      for (let ci = 0; ci < prepared.length; ci++) {
        const c = prepared[ci];
        for (let by = 0; by < c.v; by++) {
          for (let bx = 0; bx < c.h; bx++) {
            const x0 = (mx * c.h + bx) * 8;
            const y0 = (my * c.v + by) * 8;
            for (let r = 0; r < 8; r++) {
              const row = (y0 + r) * c.stride + x0;
              for (let k = 0; k < 8; k++) block[r * 8 + k] = c.data[row + k] - 128;
            }
            pred[ci] = encodeBlock(out, block, div[c.table], HUFF[c.table], pred[ci]);
          }
        }
      }
    }
  }
  out.flushBits();
  out.bytes([0xff, 0xd9]); // EOI
  return out.result();
}

/** Magnitude category (T.81 F.1.2.1: SSSS) of a coefficient difference. */
function category(v: number): number {
  let a = v < 0 ? -v : v;
  let n = 0;
  while (a > 0) {
    n++;
    a >>= 1;
  }
  return n;
}

const zz = new Int32Array(64);

/** DCT, quantisation and Huffman coding of one block (T.81 F.1.2); returns its DC. */
function encodeBlock(out: ByteOut, block: Float64Array, div: Float64Array, huff: { dc: HuffCodes; ac: HuffCodes }, prevDc: number): number {
  fdct(block);
  for (let k = 0; k < 64; k++) {
    const n = ZIGZAG[k];
    zz[k] = Math.round(block[n] * div[n]);
  }
  const dc = zz[0];
  const diff = dc - prevDc;
  const s = category(diff);
  out.bits(huff.dc.code[s], huff.dc.size[s]);
  if (s > 0) out.bits(diff < 0 ? diff - 1 : diff, s);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = zz[k];
    if (v === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      out.bits(huff.ac.code[0xf0], huff.ac.size[0xf0]); // ZRL
      run -= 16;
    }
    const size = category(v);
    const sym = (run << 4) | size;
    out.bits(huff.ac.code[sym], huff.ac.size[sym]);
    out.bits(v < 0 ? v - 1 : v, size);
    run = 0;
  }
  if (run > 0) out.bits(huff.ac.code[0], huff.ac.size[0]); // EOB
  return dc;
}
