import { readFileSync } from 'node:fs';
import { encodePbm, memorySource, readPbmImage, scanPbm } from '../../src/image/pbm.js';
import { IfaxError } from '../../src/errors.js';
import { fixture, parseP4, toolOk } from './oracles.js';

const src = (s: string | Uint8Array) => memorySource(typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : s);

function readAll(bytes: Uint8Array, name = 'test.pbm') {
  const source = memorySource(bytes);
  const scan = scanPbm(source, name);
  return { scan, bitmaps: scan.images.map((i) => readPbmImage(source, i, name)) };
}

function errorOf(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

describe('PBM reader', () => {
  test('a raw (P4) image reads as its raster, unchanged', () => {
    const bytes = readFileSync(fixture('itu1-top.pbm'));
    const { bitmaps } = readAll(bytes);
    const [ref] = parseP4(bytes);
    expect(bitmaps).toHaveLength(1);
    expect(bitmaps[0].width).toBe(1728);
    expect(bitmaps[0].height).toBe(400);
    expect(Buffer.from(bitmaps[0].data).equals(ref.data)).toBe(true);
  });

  test('concatenated P4 images are separate pages, in order', () => {
    const { scan, bitmaps } = readAll(readFileSync(fixture('itu-two.pbm')));
    expect(scan.images.map((i) => [i.width, i.height])).toEqual([
      [1728, 400],
      [1728, 300],
    ]);
    const second = parseP4(readFileSync(fixture('itu4-part.pbm')))[0];
    expect(Buffer.from(bitmaps[1].data).equals(second.data)).toBe(true);
  });

  test('plain (P1) images with comments anywhere equal what netpbm makes of them', () => {
    const bytes = readFileSync(fixture('plain-two.pbm'));
    const { bitmaps } = readAll(bytes);
    // netpbm's own reading of the same file, converted to P4 (independent parser).
    const ref = parseP4(toolOk('pamtopnm', [], bytes));
    expect(bitmaps.map((b) => [b.width, b.height])).toEqual(ref.map((r) => [r.width, r.height]));
    bitmaps.forEach((b, i) => expect(Buffer.from(b.data).equals(ref[i].data)).toBe(true));
    expect(Array.from(bitmaps[1].data)).toEqual([0xaa, 0xa0, 0x00, 0x00, 0xff, 0xf0]);
  });

  test('pad bits of a P4 row are cleared (netpbm ignores them, the Bitmap contract wants 0)', () => {
    const { bitmaps } = readAll(new Uint8Array([...Buffer.from('P4\n3 2\n'), 0xff, 0x1f]));
    expect(Array.from(bitmaps[0].data)).toEqual([0xe0, 0x00]);
  });

  test('a comment may end the header (it stands for the single whitespace)', () => {
    const { bitmaps } = readAll(new Uint8Array([...Buffer.from('P4 8 1#note\n'), 0x81]));
    expect(Array.from(bitmaps[0].data)).toEqual([0x81]);
  });

  test('trailing whitespace is fine; trailing junk is a warning, not a page', () => {
    expect(readAll(new Uint8Array([...Buffer.from('P4\n8 1\n'), 0x81, 0x0a, 0x0a])).scan.warnings).toEqual([]);
    const junk = readAll(new Uint8Array([...Buffer.from('P4\n8 1\n'), 0x81, ...Buffer.from('\nxyz')]));
    expect(junk.bitmaps).toHaveLength(1);
    expect(junk.scan.warnings[0]).toMatch(/3 byte\(s\) after image 1/);
  });

  test('a header claiming 100000 x 100000 is refused from the header, naming the limit', () => {
    const err = errorOf(() => scanPbm(src('P4\n100000 100000\n\0\0'), 'big.pbm'));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toMatch(/big\.pbm/);
    expect(err.message).toMatch(/MAX_WIDTH/);
  });

  test('absurdly long numbers are a limit, not a parse into a float', () => {
    expect(errorOf(() => scanPbm(src('P4\n99999999999999999999 1\n'), 'x')).code).toBe('LIMIT_EXCEEDED');
  });

  test('a truncated raster names the image and how many rows are there', () => {
    const err = errorOf(() => scanPbm(memorySource(readFileSync(fixture('truncated.pbm'))), 'truncated.pbm'));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toMatch(/image 1: the file ends after 50 of 100 rows/);
  });

  test.each([
    ['no magic', 'hello', /no PBM magic/],
    ['missing height', 'P4 10', /height is missing/],
    ['zero width', 'P4 0 5\n', /0 x 5/],
    ['bad P1 pixel', 'P1 2 1\n0 2', /byte "2"/],
    ['short P1 raster', 'P1 2 2\n0 1 1', /ends after 3 of 4 pixels/],
  ])('malformed: %s -> DATA_INVALID', (_n, text, re) => {
    const err = errorOf(() => {
      const s = src(text);
      const scan = scanPbm(s, 'bad.pbm');
      scan.images.forEach((i) => readPbmImage(s, i, 'bad.pbm'));
    });
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toMatch(re);
  });

  test('a greyscale netpbm image is unsupported, with a hint', () => {
    const err = errorOf(() => scanPbm(src('P5\n1 1\n255\n\0'), 'grey.pgm'));
    expect(err.code).toBe('UNSUPPORTED_INPUT');
    expect(err.hint).toBeDefined();
  });
});

describe('PBM writer', () => {
  test('encodePbm writes P4 that netpbm reads back identically', () => {
    const bytes = readFileSync(fixture('odd-157.pbm'));
    const { bitmaps } = readAll(bytes);
    const out = encodePbm(bitmaps[0]);
    const back = parseP4(toolOk('pamtopnm', [], out));
    expect(back[0].width).toBe(157);
    expect(back[0].data.equals(parseP4(bytes)[0].data)).toBe(true);
  });
});
