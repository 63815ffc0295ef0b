import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { IfaxError } from '../../src/errors.js';
import { openImage } from '../../src/image/raster-input.js';
import type { Raster } from '../../src/image/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/pages');
const fx = (name: string): string => path.join(fixtures, name);
const px = (r: Raster, x: number, y: number): number[] => Array.from(r.data.subarray((y * r.width + x) * r.channels, (y * r.width + x + 1) * r.channels));

async function errorOf(p: Promise<unknown>): Promise<IfaxError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ifax-raster-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('openImage: every picture type', () => {
  test('a grey JPEG is one grey page with its 300 dpi', async () => {
    const doc = await openImage(fx('grey.jpg'), 'grey.jpg');
    expect(doc.kind).toBe('jpeg');
    expect(doc.pages).toHaveLength(1);
    const [p] = doc.pages;
    expect([p.width, p.height, p.xRes, p.yRes]).toEqual([240, 320, 300, 300]);
    const r = await p.read();
    expect([r.width, r.height, r.channels, r.data.length]).toEqual([240, 320, 1, 240 * 320]);
    expect(px(r, 10, 10)[0]).toBeLessThan(40); // the black square
    expect(px(r, 200, 310)[0]).toBeGreaterThan(220); // the bottom of the ramp
  });

  test('a colour JPEG is RGB; its 72 dpi (a screen default) is no resolution', async () => {
    const doc = await openImage(fx('colour.jpg'), 'colour.jpg');
    const [p] = doc.pages;
    expect([p.width, p.height, p.xRes, p.yRes]).toEqual([320, 240, undefined, undefined]);
    const r = await p.read();
    expect(r.channels).toBe(3);
    const right = px(r, 310, 120);
    expect(right[0]).toBeGreaterThan(200); // red ramp at the right
  });

  test('an EXIF-rotated JPEG (Orientation 6) is read as displayed: turned 90° clockwise', async () => {
    const doc = await openImage(fx('exif-rotate6.jpg'), 'exif-rotate6.jpg');
    const [p] = doc.pages;
    expect([p.width, p.height]).toEqual([200, 300]);
    const r = await p.read();
    expect([r.width, r.height]).toEqual([200, 300]);
    // The black square stored at the top-left is at the top-right once turned clockwise.
    expect(Math.max(...px(r, 190, 10))).toBeLessThan(40);
    expect(Math.max(...px(r, 10, 10))).toBeGreaterThan(60);
  });

  test('a palette PNG with transparency: alpha flattened on white', async () => {
    const doc = await openImage(fx('palette-alpha.png'), 'palette-alpha.png');
    expect(doc.kind).toBe('png');
    const r = await doc.pages[0].read();
    expect([r.width, r.height, r.channels]).toEqual([64, 48, 3]);
    const left = px(r, 5, 5);
    expect(left[2]).toBeGreaterThan(left[0] + 50); // dark blue
    expect(px(r, 60, 40)).toEqual([255, 255, 255]); // transparent -> white
  });

  test('a CMYK JPEG is converted to RGB', async () => {
    const r = await (await openImage(fx('cmyk.jpg'), 'cmyk.jpg')).pages[0].read();
    expect([r.width, r.height, r.channels]).toEqual([40, 30, 3]);
    const [red, green, blue] = px(r, 20, 15);
    expect(red).toBeGreaterThan(150);
    expect(Math.max(green, blue)).toBeLessThan(80);
  });

  test('a 16-bit grey PNG is one grey channel scaled to 8 bits', async () => {
    const r = await (await openImage(fx('grey16.png'), 'grey16.png')).pages[0].read();
    expect([r.width, r.height, r.channels, r.data.length]).toEqual([64, 32, 1, 64 * 32]);
    for (const x of [0, 1, 10, 60]) expect(Math.abs(px(r, x, 5)[0] - (x * 1000) / 257)).toBeLessThanOrEqual(1);
  });

  test('a WebP is one RGB page', async () => {
    const doc = await openImage(fx('picture.webp'), 'picture.webp');
    expect(doc.kind).toBe('webp');
    const r = await doc.pages[0].read();
    expect([r.width, r.height, r.channels]).toEqual([160, 120, 3]);
  });

  test('an animated GIF is one page, its first frame, with a warning', async () => {
    const doc = await openImage(fx('animated.gif'), 'animated.gif');
    expect(doc.kind).toBe('gif');
    expect(doc.pages).toHaveLength(1);
    expect(doc.warnings.join('\n')).toMatch(/2 frames; only the first frame/);
    const r = await doc.pages[0].read();
    expect([r.width, r.height]).toEqual([100, 80]);
    expect(Math.max(...px(r, 5, 5))).toBeLessThan(40); // frame 1 has the black square; frame 2 is white
  });

  test('a multi-page LZW TIFF: one page per IFD, each with its own size and resolution (204 x 98 kept per axis)', async () => {
    const doc = await openImage(fx('multipage-lzw.tif'), 'multipage-lzw.tif');
    expect(doc.kind).toBe('tiff');
    expect(doc.pages.map((p) => [p.index, p.width, p.height, p.xRes, p.yRes])).toEqual([
      [0, 240, 160, 204, 98],
      [1, 160, 100, 150, 150],
    ]);
    const r0 = await doc.pages[0].read();
    const r1 = await doc.pages[1].read();
    expect([r0.width, r0.height, r0.channels]).toEqual([240, 160, 3]);
    expect([r1.width, r1.height, r1.channels]).toEqual([160, 100, 1]);
  });
});

describe('openImage: errors name the file', () => {
  test('a damaged header is DATA_INVALID (exit 65)', async () => {
    const err = await errorOf(openImage(fx('broken-header.png'), 'broken-header.png'));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.exitCode).toBe(65);
    expect(err.message).toMatch(/^Reading "broken-header.png" failed: /);
  });

  test('a truncated JPEG opens (the header is fine) and fails on read with DATA_INVALID', async () => {
    const doc = await openImage(fx('broken-truncated.jpg'), 'broken-truncated.jpg');
    const err = await errorOf(doc.pages[0].read());
    expect(err.code).toBe('DATA_INVALID');
    expect(err.exitCode).toBe(65);
    expect(err.message).toMatch(/^Reading "broken-truncated.jpg" failed: .*cannot be decoded/);
  });

  test('text is DATA_INVALID; SVG is UNSUPPORTED_INPUT (exit 65); a missing file is INPUT_NOT_FOUND (66)', async () => {
    writeFileSync(path.join(tmp, 'notes.txt'), 'hello, this is not a picture\n');
    const text = await errorOf(openImage(path.join(tmp, 'notes.txt'), 'notes.txt'));
    expect([text.code, text.exitCode]).toEqual(['DATA_INVALID', 65]);
    expect(text.message).toContain('"notes.txt"');
    writeFileSync(path.join(tmp, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    const svg = await errorOf(openImage(path.join(tmp, 'logo.svg'), 'logo.svg'));
    expect([svg.code, svg.exitCode]).toEqual(['UNSUPPORTED_INPUT', 65]);
    expect(svg.message).toContain('"logo.svg"');
    const missing = await errorOf(openImage(path.join(tmp, 'nope.jpg'), 'nope.jpg'));
    expect([missing.code, missing.exitCode]).toEqual(['INPUT_NOT_FOUND', 66]);
  });

  test('a header claiming 20000 x 20000 pixels is refused before decoding (LIMIT_EXCEEDED, named limit)', async () => {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc = (b: Buffer): number => {
      let c = 0xffffffff;
      for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type: string, body: Buffer): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
      const c = Buffer.alloc(4);
      c.writeUInt32BE(crc(tb));
      return Buffer.concat([len, tb, c]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(12000, 0);
    ihdr.writeUInt32BE(12000, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // grey
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(100))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    writeFileSync(path.join(tmp, 'huge.png'), png);
    const err = await errorOf(openImage(path.join(tmp, 'huge.png'), 'huge.png'));
    expect([err.code, err.exitCode]).toEqual(['LIMIT_EXCEEDED', 65]);
    expect(err.message).toContain('MAX_IMAGE_PIXELS');
    expect(err.message).toContain('"huge.png"');
    expect(readFileSync(path.join(tmp, 'huge.png')).length).toBeLessThan(1000);
  });
});
