import {
  ITULAB_DEFAULT_DECODE,
  itulabToLab,
  itulabToRaster,
  labToItulab,
  labToSrgb,
  rasterToItulab,
  srgbToLab,
} from '../../../src/image/color/lab.js';

/** A deterministic spread of sRGB colours: a 9-level cube plus pseudo-random ones. */
function sampleColours(): [number, number, number][] {
  const out: [number, number, number][] = [];
  const levels = [0, 16, 40, 64, 100, 128, 170, 220, 255];
  for (const r of levels) for (const g of levels) for (const b of levels) out.push([r, g, b]);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let i = 0; i < 2000; i++) out.push([rnd(), rnd(), rnd()]);
  return out;
}

describe('sRGB <-> CIELAB D50 (Bradford)', () => {
  it('maps sRGB white to L* 100, a* 0, b* 0 and black to L* 0', () => {
    const [L, a, b] = srgbToLab(255, 255, 255);
    expect(L).toBeCloseTo(100, 3);
    expect(a).toBeCloseTo(0, 3);
    expect(b).toBeCloseTo(0, 3);
    expect(srgbToLab(0, 0, 0)[0]).toBeCloseTo(0, 6);
  });

  it('gives the published D50 (Bradford) values of the sRGB primaries', () => {
    const red = srgbToLab(255, 0, 0);
    expect(red[0]).toBeCloseTo(54.29, 1);
    expect(red[1]).toBeCloseTo(80.8, 1);
    expect(red[2]).toBeCloseTo(69.89, 1);
    const green = srgbToLab(0, 255, 0);
    expect(green[0]).toBeCloseTo(87.82, 1);
    expect(green[1]).toBeCloseTo(-79.29, 1);
    expect(green[2]).toBeCloseTo(80.99, 1);
    const blue = srgbToLab(0, 0, 255);
    expect(blue[0]).toBeCloseTo(29.57, 1);
    expect(blue[1]).toBeCloseTo(68.3, 1);
    expect(blue[2]).toBeCloseTo(-112.03, 1);
  });

  it('round-trips every sample colour through float L*a*b* exactly (after rounding)', () => {
    for (const [r, g, b] of sampleColours()) {
      expect(labToSrgb(...srgbToLab(r, g, b))).toEqual([r, g, b]);
    }
  });
});

describe('ITULAB 8-bit encoding (RFC 3949 §6.2.3 default Decode)', () => {
  it('has the T.42 base ranges: L 0..100, a offset 128 range 170, b offset 96 range 200', () => {
    expect(ITULAB_DEFAULT_DECODE.L).toEqual([0, 100]);
    expect(ITULAB_DEFAULT_DECODE.a[1] - ITULAB_DEFAULT_DECODE.a[0]).toBeCloseTo(170, 9);
    expect(ITULAB_DEFAULT_DECODE.b[1] - ITULAB_DEFAULT_DECODE.b[0]).toBeCloseTo(200, 9);
    expect(labToItulab(100, 0, 0)).toEqual([255, 128, 96]);
    expect(labToItulab(0, 0, 0)).toEqual([0, 128, 96]);
    expect(itulabToLab(255, 128, 96)).toEqual([100, 0, 0]);
    expect(itulabToLab(0, 0, 0)).toEqual([0, -21760 / 255, -19200 / 255]);
  });

  it('shrinks the chroma of colours outside the default gamut, keeping their hue', () => {
    // sRGB blue: b* -112 is below the default minimum -75.3.
    const blue = srgbToLab(0, 0, 255);
    const s = labToItulab(...blue);
    expect(s[2]).toBe(0);
    const [L, a, b] = itulabToLab(...s);
    expect(L).toBeCloseTo(blue[0], 0);
    expect(Math.atan2(b, a)).toBeCloseTo(Math.atan2(blue[2], blue[1]), 1);
    expect(labToItulab(120, 0, 0)).toEqual([255, 128, 96]);
  });

  it('round-trips sRGB through 8-bit ITULAB within 2 codes per channel (page conversion)', () => {
    const colours = sampleColours();
    const data = new Uint8Array(colours.flat());
    const raster = { width: colours.length, height: 1, channels: 3 as const, data };
    const lab = rasterToItulab(raster);
    // The table-driven page path agrees with the scalar path.
    colours.forEach(([r, g, b], i) => {
      const want = labToItulab(...srgbToLab(r, g, b));
      expect(Math.abs(lab.planes[0][i] - want[0])).toBeLessThanOrEqual(1);
      expect(Math.abs(lab.planes[1][i] - want[1])).toBeLessThanOrEqual(1);
      expect(Math.abs(lab.planes[2][i] - want[2])).toBeLessThanOrEqual(1);
    });
    const back = itulabToRaster(lab);
    let worst = 0;
    let sum = 0;
    // sRGB colours whose a*/b* lie outside the T.42 default ranges are clipped, as T.42 says.
    const inGamut = colours.map(([r, g, b]) => {
      const [, a, bb] = srgbToLab(r, g, b);
      const d = ITULAB_DEFAULT_DECODE;
      return a >= d.a[0] && a <= d.a[1] && bb >= d.b[0] && bb <= d.b[1];
    });
    let n = 0;
    for (let i = 0; i < colours.length; i++) {
      if (!inGamut[i]) continue;
      n++;
      for (let c = 0; c < 3; c++) {
        const e = Math.abs(back.data[3 * i + c] - colours[i][c]);
        worst = Math.max(worst, e);
        sum += e;
      }
    }
    expect(n).toBeGreaterThan(colours.length * 0.9);
    expect(sum / (3 * n)).toBeLessThan(1);
    // 8-bit ITULAB steps are 0.39 L*, 0.67 a*, 0.78 b*. Near the gamut edge (a channel near
    // 0, where the sRGB curve is steepest) one step moves that channel up to ~18 codes:
    // (0, 231, 213) comes back as (18, 231, 213).
    expect(worst).toBeLessThanOrEqual(20);
  });

  it('converts grey rasters to L* only and back within 1 code', () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    const lab = rasterToItulab({ width: 256, height: 1, channels: 1, data });
    expect(lab.planes).toHaveLength(1);
    const back = itulabToRaster(lab);
    expect(back.channels).toBe(1);
    for (let i = 0; i < 256; i++) expect(Math.abs(back.data[i] - i)).toBeLessThanOrEqual(1);
  });

  it('converts a whole 1728 x 2292 colour page each way, and back close to where it started', () => {
    const width = 1728;
    const height = 2292;
    // White paper with a 1500 x 700 block of changing colours (a photo-sized area).
    const data = new Uint8Array(width * height * 3).fill(255);
    for (let y = 200; y < 900; y++) {
      for (let x = 100; x < 1600; x++) {
        const j = (y * width + x) * 3;
        data[j] = x & 255;
        data[j + 1] = y & 255;
        data[j + 2] = (x ^ y) & 255;
      }
    }
    const raster = { width, height, channels: 3 as const, data };
    // Speed is the benchmark's business (never a timed test); here the whole page must come back.
    const back = itulabToRaster(rasterToItulab(raster));
    expect([back.width, back.height, back.channels]).toEqual([width, height, 3]);
    let err = 0;
    for (let i = 0; i < data.length; i++) err += Math.abs(back.data[i] - data[i]);
    expect(err / data.length).toBeLessThan(4);
  });
});
