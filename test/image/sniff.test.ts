import { sniff } from '../../src/image/sniff.js';

const b = (...xs: Array<number | string>): Uint8Array =>
  new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? Array.from(Buffer.from(x, 'latin1')) : [x])));

describe('sniff: the file type comes from the bytes', () => {
  test.each([
    ['little-endian TIFF', b('II', 42, 0, 8, 0, 0, 0), 'tiff'],
    ['big-endian TIFF', b('MM', 0, 42, 0, 0, 0, 8), 'tiff'],
    ['BigTIFF', b('II', 43, 0, 8, 0, 0, 0), 'bigtiff'],
    ['raw PBM', b('P4\n1 1\n', 0), 'pbm'],
    ['plain PBM', b('P1 1 1 0'), 'pbm'],
    ['PBM with a comment right after the magic', b('P4#c\n1 1\n', 0), 'pbm'],
    ['PGM', b('P5\n1 1\n255\n', 0), 'pgm'],
    ['PPM', b('P6\n1 1\n255\n', 0, 0, 0), 'ppm'],
    ['PNG', b(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 'png'],
    ['PDF', b('%PDF-1.7\n'), 'pdf'],
    ['PDF after junk', b('junk junk\n%PDF-1.4\n'), 'pdf'],
    ['JPEG', b(0xff, 0xd8, 0xff, 0xe0), 'jpeg'],
    ['text', b('hello world'), 'unknown'],
    ['empty', b(), 'unknown'],
    ['"P4" without whitespace is not PBM', b('P4x'), 'unknown'],
  ])('%s', (_name, bytes, kind) => {
    expect(sniff(bytes)).toBe(kind);
  });
});
