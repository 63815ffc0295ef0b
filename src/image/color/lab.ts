/**
 * ITU-T T.42 colour encoding for TIFF-FX profile C (RFC 3949 §6.2.1 PhotometricInterpretation
 * 10 "ITULAB", §6.2.3 Decode): sRGB (IEC 61966-2-1, 8-bit, with its transfer curve) <-> CIE
 * 1976 L*a*b* relative to illuminant D50 (the T.42 default) <-> 8-bit ITULAB samples.
 *
 * sRGB is defined for D65; the white point is moved to D50 with the Bradford chromatic
 * adaptation (the ICC's choice), so sRGB white is L* 100, a* 0, b* 0 exactly.
 * Page-sized conversions go through lookup tables: the transfer curves and the cube root are
 * tabulated, so a 1728 x 2292 colour page converts in a few tens of milliseconds.
 * Pure: no `node:` imports.
 */

/** 3 x 3 matrix, row-major. */
type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

function mul(a: Mat3, b: Mat3): Mat3 {
  const r: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) r.push(a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j]);
  }
  return r as unknown as Mat3;
}

function inverse(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

function apply(m: Mat3, x: number, y: number, z: number): [number, number, number] {
  return [m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z];
}

/** IEC 61966-2-1 linear sRGB -> XYZ (D65), 7-digit values derived from the primaries. */
const SRGB_TO_XYZ_D65: Mat3 = [
  0.4124564, 0.3575761, 0.1804375,
  0.2126729, 0.7151522, 0.072175,
  0.0193339, 0.119192, 0.9503041,
];
/** White points (Y = 1): D65 of sRGB, D50 of T.42 and the ICC PCS. */
const D65 = [0.95047, 1, 1.08883] as const;
export const D50 = [0.96422, 1, 0.82521] as const;
/** Bradford cone response matrix (Lam 1985, as in ICC.1 Annex E). */
const BRADFORD: Mat3 = [0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296];

/** XYZ (D65) -> XYZ (D50) by Bradford: M^-1 . diag(dst cone / src cone) . M. */
function bradford(src: readonly number[], dst: readonly number[]): Mat3 {
  const s = apply(BRADFORD, src[0], src[1], src[2]);
  const d = apply(BRADFORD, dst[0], dst[1], dst[2]);
  const scale: Mat3 = [d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]];
  return mul(inverse(BRADFORD), mul(scale, BRADFORD));
}

/** Linear sRGB -> XYZ relative to D50 (sRGB red -> L* 54.29, a* 80.80, b* 69.89). */
export const SRGB_TO_XYZ_D50: Mat3 = mul(bradford(D65, D50), SRGB_TO_XYZ_D65);
/** XYZ (D50) -> linear sRGB. */
export const XYZ_D50_TO_SRGB: Mat3 = inverse(SRGB_TO_XYZ_D50);

/** sRGB transfer curve, decoding: 8-bit code -> linear 0..1. */
export function srgbToLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** sRGB transfer curve, encoding: linear -> 0..255 (not rounded, not clipped). */
export function linearToSrgb(l: number): number {
  const c = l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
  return c * 255;
}

/** CIE 1976 constants: (6/29)^3 and the slope of the linear segment. */
const EPSILON = 216 / 24389;
const KAPPA_SLOPE = 24389 / 27 / 116;

function f(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : KAPPA_SLOPE * t + 16 / 116;
}

function fInverse(t: number): number {
  return t > 6 / 29 ? t * t * t : (t - 16 / 116) / KAPPA_SLOPE;
}

/** CIE L*a*b* (D50) of an 8-bit sRGB colour. */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const [x, y, z] = apply(SRGB_TO_XYZ_D50, srgbToLinear(r), srgbToLinear(g), srgbToLinear(b));
  const fx = f(x / D50[0]);
  const fy = f(y / D50[1]);
  const fz = f(z / D50[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** 8-bit sRGB (rounded, clipped to 0..255) of a CIE L*a*b* (D50) colour. */
export function labToSrgb(L: number, a: number, b: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const x = fInverse(fy + a / 500) * D50[0];
  const y = fInverse(fy) * D50[1];
  const z = fInverse(fy - b / 200) * D50[2];
  const rgb = apply(XYZ_D50_TO_SRGB, x, y, z);
  return rgb.map((l) => Math.min(255, Math.max(0, Math.round(linearToSrgb(l))))) as [number, number, number];
}

/**
 * The range of each L*a*b* component an 8-bit sample covers: sample 0 -> min, 255 -> max.
 * This is the Decode field of RFC 3949 §6.2.3 as (min, max) pairs.
 */
export interface LabDecode {
  L: [number, number];
  a: [number, number];
  b: [number, number];
}

/**
 * T.42 default ("base") ranges for 8 bits, RFC 3949 §6.2.3 table: L* 0..100 (range 100,
 * offset 0), a* -21760/255..21590/255 (range 170, offset 128), b* -19200/255..31800/255
 * (range 200, offset 96). a* = 0 is sample 128, b* = 0 is sample 96.
 */
export const ITULAB_DEFAULT_DECODE: LabDecode = {
  L: [0, 100],
  a: [-21760 / 255, 21590 / 255],
  b: [-19200 / 255, 31800 / 255],
};

function toSample(v: number, [min, max]: [number, number]): number {
  const s = Math.round(((v - min) * 255) / (max - min));
  return s < 0 ? 0 : s > 255 ? 255 : s;
}

/**
 * How much to shrink (a*, b*) towards neutral so the colour fits the Decode ranges, keeping
 * its hue and lightness. The T.42 default ranges do not hold all of sRGB: blue (b* -112) and
 * magenta (a* +98) lie outside. Clipping a* and b* separately would turn hues; shrinking the
 * chroma keeps a saturated blue blue, only less saturated. Needs 0 inside both ranges.
 */
function chromaScale(a: number, b: number, d: LabDecode): number {
  let t = 1;
  if (a > d.a[1]) t = Math.min(t, d.a[1] / a);
  if (a < d.a[0]) t = Math.min(t, d.a[0] / a);
  if (b > d.b[1]) t = Math.min(t, d.b[1] / b);
  if (b < d.b[0]) t = Math.min(t, d.b[0] / b);
  return t > 0 ? t : 0;
}

/**
 * 8-bit ITULAB samples of an L*a*b* colour: L* clipped, a* and b* outside the Decode ranges
 * shrunk towards neutral at the same hue (see chromaScale), then rounded.
 */
export function labToItulab(L: number, a: number, b: number, decode: LabDecode = ITULAB_DEFAULT_DECODE): [number, number, number] {
  const neutralInside = decode.a[0] <= 0 && decode.a[1] >= 0 && decode.b[0] <= 0 && decode.b[1] >= 0;
  const t = neutralInside ? chromaScale(a, b, decode) : 1;
  return [toSample(L, decode.L), toSample(a * t, decode.a), toSample(b * t, decode.b)];
}

/** L*a*b* of 8-bit ITULAB samples (RFC 3949 §6.2.3: min + sample x (max - min) / 255). */
export function itulabToLab(Ls: number, as: number, bs: number, decode: LabDecode = ITULAB_DEFAULT_DECODE): [number, number, number] {
  const v = (s: number, [min, max]: [number, number]) => min + (s * (max - min)) / 255;
  return [v(Ls, decode.L), v(as, decode.a), v(bs, decode.b)];
}

// ---- Page-sized conversions (lookup tables) ----

/** 8-bit sRGB code -> linear, for all 256 codes. */
const LINEAR = Float64Array.from({ length: 256 }, (_, i) => srgbToLinear(i));

/**
 * f(t) tabulated over 0..F_TABLE_MAX (X/Xn of an in-gamut sRGB colour is below 1.0001) in
 * 2^16 steps, read without interpolation: the steepest step (just above t = 0.008856) moves
 * f by under 1.3e-4, L* by under 0.015, far below the 0.39 of one 8-bit L* code. 256 KB
 * keeps the table in cache.
 */
const F_STEPS = 1 << 16;
const F_TABLE_MAX = 1.05;
const F_SCALE = F_STEPS / F_TABLE_MAX;
const F_TABLE = Float32Array.from({ length: F_STEPS + 1 }, (_, i) => f((i + 0.5) / F_SCALE));

/** Linear -> 8-bit sRGB code, tabulated in 1/LIN_STEPS steps (error < 0.5 code even near black). */
const LIN_STEPS = 65536;
const SRGB_CODE = Uint8Array.from({ length: LIN_STEPS + 1 }, (_, i) =>
  Math.min(255, Math.max(0, Math.round(linearToSrgb(i / LIN_STEPS)))),
);

function linearToCode(l: number): number {
  if (l <= 0) return 0;
  if (l >= 1) return 255;
  return SRGB_CODE[(l * LIN_STEPS + 0.5) | 0];
}

/** Component planes of a page: one byte per sample, `width` x `height`, rows top to bottom. */
export interface LabPlanes {
  width: number;
  height: number;
  /** [L] for grey pages, [L, a, b] for colour pages: 8-bit ITULAB samples. */
  planes: Uint8Array[];
}

/**
 * ITULAB planes (default Decode ranges) of an sRGB or grey raster. `components` 1 keeps
 * L* only (a grey fax page of a colour raster); the default follows the raster's channels.
 * A grey raster's value v is the sRGB colour (v, v, v).
 */
export function rasterToItulab(
  raster: { width: number; height: number; channels: 1 | 3; data: Uint8Array },
  components: 1 | 3 = raster.channels,
): LabPlanes {
  const { width, height, channels, data } = raster;
  const n = width * height;
  const dL = ITULAB_DEFAULT_DECODE;
  const Ls = new Uint8Array(n);
  if (channels === 1 || components === 1) {
    // L* depends on Y only: a grey raster needs one table, a colour one the Y row of the matrix.
    const lOfY = (y: number) => toSample(116 * f(y) - 16, dL.L);
    if (channels === 1) {
      const table = Uint8Array.from({ length: 256 }, (_, v) => lOfY(LINEAR[v] * (SRGB_TO_XYZ_D50[3] + SRGB_TO_XYZ_D50[4] + SRGB_TO_XYZ_D50[5])));
      for (let i = 0; i < n; i++) Ls[i] = table[data[i]];
      if (components === 1) return { width, height, planes: [Ls] };
      // Grey in, colour out: a* and b* are neutral.
      return { width, height, planes: [Ls, new Uint8Array(n).fill(toSample(0, dL.a)), new Uint8Array(n).fill(toSample(0, dL.b))] };
    }
    const [, , , m3, m4, m5] = SRGB_TO_XYZ_D50;
    const lScale = 255 / 100;
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const y = m3 * LINEAR[data[j]] + m4 * LINEAR[data[j + 1]] + m5 * LINEAR[data[j + 2]];
      const k = (y * F_SCALE) | 0;
      const s = (116 * F_TABLE[k > F_STEPS ? F_STEPS : k] - 16) * lScale + 0.5;
      Ls[i] = s <= 0 ? 0 : s >= 255 ? 255 : s | 0;
    }
    return { width, height, planes: [Ls] };
  }
  const As = new Uint8Array(n);
  const Bs = new Uint8Array(n);
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = SRGB_TO_XYZ_D50;
  const xn = 1 / D50[0];
  const zn = 1 / D50[2];
  const lScale = 255 / (dL.L[1] - dL.L[0]);
  const aScale = 255 / (dL.a[1] - dL.a[0]);
  const bScale = 255 / (dL.b[1] - dL.b[0]);
  const [aMin, aMax] = dL.a;
  const [bMin, bMax] = dL.b;
  const clip = (s: number) => (s <= 0 ? 0 : s >= 255 ? 255 : s | 0);
  const fmax = F_STEPS;
  let lastR = -1, lastG = -1, lastB = -1, lastL = 0, lastA = 0, lastBs = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const R = data[j], G = data[j + 1], B = data[j + 2];
    // Fax pages are mostly runs of one colour (white paper): reuse the previous result.
    if (R !== lastR || G !== lastG || B !== lastB) {
      lastR = R;
      lastG = G;
      lastB = B;
      const r = LINEAR[R];
      const g = LINEAR[G];
      const b = LINEAR[B];
      // In-gamut X/Xn, Y, Z/Zn lie in 0..1.0001: the index stays inside the table.
      let k = ((m0 * r + m1 * g + m2 * b) * xn * F_SCALE) | 0;
      const fx = F_TABLE[k > fmax ? fmax : k];
      k = ((m3 * r + m4 * g + m5 * b) * F_SCALE) | 0;
      const fy = F_TABLE[k > fmax ? fmax : k];
      k = ((m6 * r + m7 * g + m8 * b) * zn * F_SCALE) | 0;
      const fz = F_TABLE[k > fmax ? fmax : k];
      let a = 500 * (fx - fy);
      let bb = 200 * (fy - fz);
      if (a < aMin || a > aMax || bb < bMin || bb > bMax) {
        const t = chromaScale(a, bb, dL);
        a *= t;
        bb *= t;
      }
      lastL = clip((116 * fy - 16) * lScale + 0.5);
      lastA = clip((a - aMin) * aScale + 0.5);
      lastBs = clip((bb - bMin) * bScale + 0.5);
    }
    Ls[i] = lastL;
    As[i] = lastA;
    Bs[i] = lastBs;
  }
  return { width, height, planes: [Ls, As, Bs] };
}

/**
 * An sRGB raster (channels 3) of ITULAB planes [L, a, b], or a grey raster (channels 1) of
 * [L] (grey v is the sRGB neutral of that L*). `decode` is the page's Decode field.
 */
export function itulabToRaster(
  lab: LabPlanes,
  decode: LabDecode = ITULAB_DEFAULT_DECODE,
): { width: number; height: number; channels: 1 | 3; data: Uint8Array } {
  const { width, height, planes } = lab;
  const n = width * height;
  // Per-sample tables: fy of L, a/500 of a, b/200 of b.
  const fyOf = Float64Array.from({ length: 256 }, (_, s) => (itulabToLab(s, 0, 0, decode)[0] + 16) / 116);
  if (planes.length === 1) {
    const [Lp] = planes;
    const grey = Uint8Array.from({ length: 256 }, (_, s) => linearToCode(fInverse(fyOf[s])));
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = grey[Lp[i]];
    return { width, height, channels: 1, data: out };
  }
  const [Lp, Ap, Bp] = planes;
  const aOf = Float64Array.from({ length: 256 }, (_, s) => itulabToLab(0, s, 0, decode)[1] / 500);
  const bOf = Float64Array.from({ length: 256 }, (_, s) => itulabToLab(0, 0, s, decode)[2] / 200);
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = XYZ_D50_TO_SRGB;
  const [xn, , zn] = D50;
  const finv = (t: number) => (t > 6 / 29 ? t * t * t : (t - 16 / 116) / KAPPA_SLOPE);
  const out = new Uint8Array(n * 3);
  let lastL = -1, lastA = -1, lastB = -1, r = 0, g = 0, b = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const Ls = Lp[i], As = Ap[i], Bs = Bp[i];
    if (Ls !== lastL || As !== lastA || Bs !== lastB) {
      lastL = Ls;
      lastA = As;
      lastB = Bs;
      const fy = fyOf[Ls];
      const x = finv(fy + aOf[As]) * xn;
      const y = finv(fy);
      const z = finv(fy - bOf[Bs]) * zn;
      r = linearToCode(m0 * x + m1 * y + m2 * z);
      g = linearToCode(m3 * x + m4 * y + m5 * z);
      b = linearToCode(m6 * x + m7 * y + m8 * z);
    }
    out[j] = r;
    out[j + 1] = g;
    out[j + 2] = b;
  }
  return { width, height, channels: 3, data: out };
}
