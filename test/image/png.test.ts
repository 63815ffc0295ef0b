import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { encodePng, readPng } from '../../src/image/png.js';
import { IfaxError } from '../../src/errors.js';
import { fixture, parseP4, toolOk } from './oracles.js';

const bit = (data: Uint8Array, stride: number, x: number, y: number): number => (data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
  return Buffer.concat([head, body, crc]);
}

async function errorOf(p: Promise<unknown>): Promise<IfaxError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

describe('PNG in', () => {
  test('thresholds at 50% luminance, and transparent pixels are white (composited on white)', async () => {
    const { bitmap } = await readPng(readFileSync(fixture('grey-alpha.png')), 'grey-alpha.png');
    expect([bitmap.width, bitmap.height]).toEqual([256, 32]);
    const stride = Math.ceil(bitmap.width / 8);
    for (const x of [0, 50, 100, 125]) expect([x, bit(bitmap.data, stride, x, 5)]).toEqual([x, 1]);
    for (const x of [131, 200, 255]) expect([x, bit(bitmap.data, stride, x, 5)]).toEqual([x, 0]);
    // Bottom half: fully transparent -> white, whatever the grey value.
    for (const x of [0, 50, 200]) expect([x, bit(bitmap.data, stride, x, 20)]).toEqual([x, 0]);
  });

  test('a black-and-white PNG reads back exactly as its reference bitmap', async () => {
    const { bitmap } = await readPng(readFileSync(fixture('bw-gopher.png')), 'bw-gopher.png');
    const [ref] = parseP4(readFileSync(fixture('bw-gopher.pbm')));
    expect([bitmap.width, bitmap.height]).toEqual([ref.width, ref.height]);
    expect(Buffer.from(bitmap.data).equals(ref.data)).toBe(true);
  });

  test('a header claiming 100000 x 100000 is refused before decoding, naming the limit', async () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(100000, 0);
    ihdr.writeUInt32BE(100000, 4);
    ihdr[8] = 1;
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(10))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const err = await errorOf(readPng(png, 'huge.png'));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/huge\.png.*MAX_WIDTH/);
  });

  test('a damaged PNG is DATA_INVALID naming the file', async () => {
    const good = readFileSync(fixture('bw-gopher.png'));
    const err = await errorOf(readPng(good.subarray(0, 60), 'cut.png'));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toMatch(/cut\.png/);
  });
});

describe('PNG out', () => {
  test('a 1-bit greyscale PNG that netpbm reads back pixel for pixel, with the resolution in pHYs', async () => {
    const [ref] = parseP4(readFileSync(fixture('odd-157.pbm')));
    const png = encodePng({ width: ref.width, height: ref.height, data: new Uint8Array(ref.data) }, 204, 196);
    expect(png[24]).toBe(1); // IHDR bit depth
    expect(png[25]).toBe(0); // colour type grey
    const back = parseP4(toolOk('pamtopnm', [], toolOk('pngtopam', [], png)));
    expect(back[0].data.equals(ref.data)).toBe(true);
    const { default: sharp } = await import('sharp');
    const meta = await sharp(Buffer.from(png)).metadata();
    expect(Math.round(meta.density ?? 0)).toBe(204);
  });
});
