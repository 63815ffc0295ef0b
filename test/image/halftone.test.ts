import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { CLUSTERED_DOT_8, otsuThreshold, toBilevel } from '../../src/image/halftone.js';
import { findPhotoRegions } from '../../src/image/photo-regions.js';
import type { Raster } from '../../src/image/types.js';
import { bitAt, blackIn, blit, plasma, prng, transitions, whiteRaster } from './page-samples.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/pages');

const uniform = (w: number, h: number, v: number): Raster => ({ width: w, height: h, channels: 1, data: new Uint8Array(w * h).fill(v) });
const share = (r: Raster, mode: 'diffusion' | 'ordered'): number => {
  const b = toBilevel(r, mode);
  return blackIn(b, 0, 0, b.width, b.height) / (b.width * b.height);
};

/** The anti-aliased text fixture (Ghostscript, 204 dpi) as a grey raster. */
async function textRaster(): Promise<Raster> {
  const { data, info } = await sharp(readFileSync(path.join(fixtures, 'text-aa.png'))).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
}

describe('Otsu threshold', () => {
  test('falls between the two modes of a two-toned page', () => {
    const rnd = prng(7);
    const r = uniform(200, 200, 0);
    for (let i = 0; i < r.data.length; i++) r.data[i] = i % 3 === 0 ? 40 + Math.floor(rnd() * 20) : 200 + Math.floor(rnd() * 20);
    const t = otsuThreshold(r.data);
    expect(t).toBeGreaterThan(60);
    expect(t).toBeLessThanOrEqual(200);
    // Midway through the empty gap, not at its dark end.
    expect(Math.abs(t - 130)).toBeLessThan(15);
  });

  test('a page that is not two-toned (paper grain only) gets 128, not a cut through the grain', () => {
    const rnd = prng(3);
    const r = uniform(100, 100, 0);
    for (let i = 0; i < r.data.length; i++) r.data[i] = 235 + Math.floor(rnd() * 20);
    expect(otsuThreshold(r.data)).toBe(128);
    expect(blackIn(toBilevel(r, 'threshold'), 0, 0, 100, 100)).toBe(0);
  });
});

describe('toBilevel', () => {
  test('threshold N: grey below N is black, the rest white; rows padded with zero bits', () => {
    const r = uniform(13, 2, 0);
    for (let x = 0; x < 13; x++) r.data[x] = r.data[13 + x] = x * 20;
    const b = toBilevel(r, 'threshold', 100);
    for (let x = 0; x < 13; x++) expect([x, bitAt(b, x, 0)]).toEqual([x, x * 20 < 100 ? 1 : 0]);
    expect(b.data[1] & 0x07).toBe(0);
  });

  test.each([['diffusion'], ['ordered']] as const)('%s keeps the mean grey level: black share = 1 - grey/255', (mode) => {
    for (const v of [32, 64, 128, 192, 224]) expect(Math.abs(share(uniform(256, 256, v), mode) - (1 - v / 255))).toBeLessThan(0.03);
    expect(share(uniform(64, 64, 255), mode)).toBe(0);
    expect(share(uniform(64, 64, 0), mode)).toBe(1);
  });

  test('the clustered-dot screen makes fewer, longer runs than error diffusion (better for fax coding)', () => {
    const r = uniform(512, 64, 128);
    const count = (mode: 'diffusion' | 'ordered'): number => {
      const b = toBilevel(r, mode);
      let n = 0;
      for (let y = 0; y < 64; y++) n += transitions(b, y, 0, 512);
      return n;
    };
    expect(count('ordered')).toBeLessThan(count('diffusion') / 2);
    expect(new Set(CLUSTERED_DOT_8).size).toBeGreaterThan(30);
  });

  test('a threshold out of range or a colour raster is refused', () => {
    expect(() => toBilevel(uniform(4, 4, 0), 'threshold', 300)).toThrow(/threshold 300/);
    expect(() => toBilevel({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, 'auto')).toThrow(/3 channels/);
  });
});

describe('auto: photos halftoned, text thresholded', () => {
  // A fine A4 page: anti-aliased text at the top, a photo-like plasma below, white elsewhere.
  const W = 1728;
  const H = 2292;
  const photo = { x0: 200, y0: 800, x1: 1500, y1: 2000 };

  async function page(): Promise<{ grey: Raster; text: { x0: number; y0: number; x1: number; y1: number } }> {
    const grey = whiteRaster(W, H);
    const text = await textRaster();
    blit(grey, text, 100, 100);
    blit(grey, plasma(photo.x1 - photo.x0, photo.y1 - photo.y0, 42), photo.x0, photo.y0);
    return { grey, text: { x0: 100, y0: 100, x1: 100 + text.width, y1: 100 + text.height } };
  }

  test('finds the photo as one region and not the text', async () => {
    const { grey, text } = await page();
    const regions = findPhotoRegions(grey);
    expect(regions).toHaveLength(1);
    const [r] = regions;
    expect(Math.abs(r.x0 - photo.x0)).toBeLessThanOrEqual(16);
    expect(Math.abs(r.y0 - photo.y0)).toBeLessThanOrEqual(16);
    expect(Math.abs(r.x1 - photo.x1)).toBeLessThanOrEqual(16);
    expect(Math.abs(r.y1 - photo.y1)).toBeLessThanOrEqual(16);
    expect(r.y0).toBeGreaterThan(text.y1);
  });

  test('the photo becomes a halftone (many transitions, ~50% black in mid-grey, no blobs)', async () => {
    const { grey } = await page();
    const b = toBilevel(grey, 'auto');
    const plain = toBilevel(grey, 'threshold');
    let autoT = 0;
    let plainT = 0;
    for (let y = photo.y0 + 20; y < photo.y1 - 20; y += 10) {
      autoT += transitions(b, y, photo.x0 + 20, photo.x1 - 20);
      plainT += transitions(plain, y, photo.x0 + 20, photo.x1 - 20);
    }
    const rows = Math.floor((photo.y1 - photo.y0 - 40) / 10);
    expect(autoT / rows).toBeGreaterThan(150); // a 36-lpi screen: ~2 transitions per 8 px of mid-grey
    expect(autoT).toBeGreaterThan(plainT * 10);
    // Mid-grey pixels (118-138): about half black, in 8x8 tiles so the screen averages out.
    let mid = 0;
    let black = 0;
    let blobs = 0;
    let midTiles = 0;
    for (let ty = photo.y0 + 16; ty + 8 <= photo.y1 - 16; ty += 8) {
      for (let tx = photo.x0 + 16; tx + 8 <= photo.x1 - 16; tx += 8) {
        let sum = 0;
        for (let y = ty; y < ty + 8; y++) for (let x = tx; x < tx + 8; x++) sum += grey.data[y * W + x];
        if (Math.abs(sum / 64 - 128) > 10) continue;
        midTiles++;
        const k = blackIn(b, tx, ty, tx + 8, ty + 8);
        mid += 64;
        black += k;
        if (k === 0 || k === 64) blobs++;
      }
    }
    expect(midTiles).toBeGreaterThan(100);
    expect(Math.abs(black / mid - 0.5)).toBeLessThan(0.06);
    expect(blobs).toBe(0);
  });

  test('the text stays exactly as sharp as a plain threshold render', async () => {
    const { grey, text } = await page();
    const same = (a: ReturnType<typeof toBilevel>, c: ReturnType<typeof toBilevel>): number => {
      let diff = 0;
      for (let y = text.y0; y < text.y1; y++) for (let x = text.x0; x < text.x1; x++) diff += bitAt(a, x, y) ^ bitAt(c, x, y);
      return diff;
    };
    // Same threshold: bit for bit the same.
    expect(same(toBilevel(grey, 'auto', 128), toBilevel(grey, 'threshold', 128))).toBe(0);
    // Otsu's threshold from the non-photo part vs from a text-only page: the same render.
    const textOnly = whiteRaster(W, H);
    blit(textOnly, await textRaster(), 100, 100);
    const ref = toBilevel(textOnly, 'threshold');
    const inked = blackIn(ref, text.x0, text.y0, text.x1, text.y1);
    expect(inked).toBeGreaterThan(2000);
    expect(same(toBilevel(grey, 'auto'), ref)).toBeLessThanOrEqual(inked * 0.02);
  });

  test('a fine A4 page is fast in every mode (printed, not asserted)', async () => {
    const { grey } = await page();
    const times: string[] = [];
    for (const mode of ['threshold', 'ordered', 'diffusion', 'auto'] as const) {
      toBilevel(grey, mode);
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) toBilevel(grey, mode);
      times.push(`${mode} ${((performance.now() - t0) / 5).toFixed(1)} ms`);
    }
    console.log(`toBilevel 1728x2292: ${times.join(', ')}`);
  });
});
