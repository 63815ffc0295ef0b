import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { IfaxError } from '../../../src/errors.js';
import { encodeJpeg, quantTable } from '../../../src/image/color/jpeg-encode.js';

/** A smooth test image plane with an edge: gradients, a disc and a sharp bar. */
function plane(width: number, height: number, seed: number): Uint8Array {
  const p = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - width / 2, y - height / 2);
      let v = ((x * (3 + seed)) / width) * 60 + (y / height) * 80 + (d < width / 4 ? 80 : 0);
      if (x > width * 0.7 && x < width * 0.75) v = seed * 30;
      p[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return p;
}

function meanAbs(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    sum += e;
    if (e > max) max = e;
  }
  return { mean: sum / a.length, max };
}

/** jpeg-js without colour transform: the raw component values, upsampled. */
function decodeRaw(data: Uint8Array): { width: number; height: number; data: Uint8Array } {
  return jpeg.decode(data, { useTArray: true, colorTransform: false, formatAsRGBA: false });
}

function markers(data: Uint8Array): number[] {
  const out: number[] = [];
  let i = 2;
  while (i < data.length - 1 && data[i] === 0xff) {
    const m = data[i + 1];
    out.push(m);
    if (m === 0xda) break;
    i += 2 + ((data[i + 2] << 8) | data[i + 3]);
  }
  return out;
}

describe('encodeJpeg: baseline JPEG (T.81) checked by independent decoders', () => {
  it('writes SOI, DQT, SOF0, DHT, SOS and EOI with no JFIF or Adobe marker', () => {
    const out = encodeJpeg({ width: 16, height: 16, components: [{ plane: new Uint8Array(256).fill(200), h: 1, v: 1, table: 0 }] });
    expect([...out.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...out.subarray(out.length - 2)]).toEqual([0xff, 0xd9]);
    const m = markers(out);
    expect(m).toEqual([0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    expect(m).not.toContain(0xe0); // JFIF
    expect(m).not.toContain(0xee); // Adobe
  });

  it('scales the Annex K tables like IJG libjpeg (quality 50 = the tables, 100 = all ones)', () => {
    expect(quantTable(0, 50)[0]).toBe(16);
    expect(quantTable(1, 50)[63]).toBe(99);
    expect([...quantTable(0, 100)].every((v) => v === 1)).toBe(true);
    expect(quantTable(0, 75)[0]).toBe(8);
  });

  it.each([
    [64, 48],
    [37, 29], // not a multiple of 8: edge blocks padded
    [1, 1],
  ])('grey %dx%d decodes in jpeg-js within a small error', (width, height) => {
    const p = plane(width, height, 1);
    const out = encodeJpeg({ width, height, components: [{ plane: p, h: 1, v: 1, table: 0 }], quality: 90 });
    const img = decodeRaw(out);
    expect([img.width, img.height]).toEqual([width, height]);
    const grey = img.data.filter((_, i) => i % 3 === 0);
    const { mean, max } = meanAbs(grey, p);
    expect(mean).toBeLessThan(2);
    expect(max).toBeLessThan(40);
  });

  it('grey decodes in libjpeg (sharp) to the same pixels as jpeg-js within 1-2 codes', async () => {
    const width = 120;
    const height = 90;
    const p = plane(width, height, 2);
    const out = encodeJpeg({ width, height, components: [{ plane: p, h: 1, v: 1, table: 0 }] });
    const meta = await sharp(Buffer.from(out)).metadata();
    expect([meta.width, meta.height, meta.channels, meta.space]).toEqual([width, height, 1, 'b-w']);
    const { data, info } = await sharp(Buffer.from(out)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([width, height, 1]);
    expect(meanAbs(new Uint8Array(data), p).mean).toBeLessThan(3);
    const js = decodeRaw(out).data.filter((_, i) => i % 3 === 0);
    expect(meanAbs(new Uint8Array(data), js).max).toBeLessThanOrEqual(2);
  });

  it.each([
    ['2x2 + 1x1 + 1x1 (4:2:0)', 2, 2],
    ['1x1 x 3 (no subsampling)', 1, 1],
    ['2x1 + 1x1 + 1x1 (4:2:2)', 2, 1],
  ])('3 components %s decode in jpeg-js as given, without colour transform', (_name, h, v) => {
    const width = 77;
    const height = 53;
    const planes = [plane(width, height, 1), plane(width, height, 3), plane(width, height, 5)];
    // Smooth chroma, as subsampling expects.
    const out = encodeJpeg({
      width,
      height,
      quality: 90,
      components: [
        { plane: planes[0], h, v, table: 0 },
        { plane: planes[1], h: 1, v: 1, table: 1 },
        { plane: planes[2], h: 1, v: 1, table: 1 },
      ],
    });
    const img = decodeRaw(out);
    expect([img.width, img.height]).toEqual([width, height]);
    for (let c = 0; c < 3; c++) {
      const got = img.data.filter((_, i) => i % 3 === c);
      const { mean } = meanAbs(got, planes[c]);
      // Chroma planes lose detail when subsampled (and jpeg-js upsamples by replication).
      expect(mean).toBeLessThan(c === 0 || h === 1 ? 2.5 : 6);
    }
  });

  it('3 components decode in libjpeg (sharp) too: with neutral chroma its YCbCr transform gives back L', async () => {
    const width = 64;
    const height = 64;
    const planes = [plane(width, height, 1), new Uint8Array(width * height).fill(128), new Uint8Array(width * height).fill(128)];
    const out = encodeJpeg({ width, height, components: planes.map((p, i) => ({ plane: p, h: i === 0 ? 2 : 1, v: i === 0 ? 2 : 1, table: i === 0 ? 0 : 1 })) });
    // Neutral chroma: YCbCr -> RGB gives R = G = B = Y, so libjpeg's output equals the L plane.
    const { data, info } = await sharp(Buffer.from(out)).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    const r = new Uint8Array(data).filter((_, i) => i % 3 === 0);
    expect(meanAbs(r, planes[0]).mean).toBeLessThan(2.5);
  });

  it('the stream gets smaller as quality drops', () => {
    const p = plane(200, 200, 4);
    const sizes = [95, 75, 30].map((quality) => encodeJpeg({ width: 200, height: 200, quality, components: [{ plane: p, h: 1, v: 1, table: 0 }] }).length);
    expect(sizes[0]).toBeGreaterThan(sizes[1]);
    expect(sizes[1]).toBeGreaterThan(sizes[2]);
  });

  it('refuses bad input with USAGE', () => {
    const p = new Uint8Array(64);
    const bad = [
      () => encodeJpeg({ width: 0, height: 8, components: [{ plane: p, h: 1, v: 1, table: 0 }] }),
      () => encodeJpeg({ width: 8, height: 8, components: [{ plane: new Uint8Array(10), h: 1, v: 1, table: 0 }] }),
      () => encodeJpeg({ width: 8, height: 8, quality: 0, components: [{ plane: p, h: 1, v: 1, table: 0 }] }),
      () => encodeJpeg({ width: 8, height: 8, components: [{ plane: p, h: 3, v: 1, table: 0 }, { plane: p, h: 2, v: 1, table: 1 }] }),
    ];
    for (const fn of bad) {
      expect(fn).toThrow(IfaxError);
      try {
        fn();
      } catch (err) {
        expect((err as IfaxError).code).toBe('USAGE');
        expect((err as IfaxError).message).toMatch(/^Encoding JPEG failed: /);
      }
    }
  });
});
