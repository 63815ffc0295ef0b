/**
 * libtiff-written pages of many small strips (tiffcp keeps the input's RowsPerStrip:
 * pnmtotiff writes 13 rows per strip, 540 strips for an A4 page at 600 dpi), decoded with
 * one decoder state reused across strips and pages: every page equals libtiff's own decode
 * (tifftopnm), whatever came before it, pages of other widths and codings included.
 */

import type { Bitmap } from '../../src/codec/types.js';
import { decodePage, readTiff } from '../../src/tiff/index.js';
import { bitmapDiff, libtiffDecode, mustRun, randomBitmap, readBytes, requireTool, tempDir, writeBytes } from './helpers.js';
import { buildTiff, pageEntries } from './tiff-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

beforeAll(() => {
  for (const tool of ['tiffcp', 'tifftopnm']) requireTool(tool);
});

/** A clustered-dot halftone of a diagonal grey ramp: dense rows, the 2-D decoder's worst. */
function halftone(width: number, height: number): Bitmap {
  const s = (width + 7) >> 3;
  const data = new Uint8Array(s * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grey = ((x + y) % 512) / 512;
      const dx = (x & 7) - 3.5;
      const dy = (y & 7) - 3.5;
      if ((dx * dx + dy * dy) / 24.5 < grey) data[y * s + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data };
}

/** Uncompressed single-strip TIFF of `b`, for tiffcp to re-code. */
function uncompressed(b: Bitmap): Uint8Array {
  return buildTiff({ ifds: [{ entries: pageEntries({ width: b.width, height: b.height, photometric: 0 }), strips: [b.data] }] });
}

const pages: [string, Bitmap][] = [
  ['halftone 1728', halftone(1728, 200)],
  ['random 1728', randomBitmap(1728, 180, 41)],
  ['random 2453', randomBitmap(2453, 90, 42)],
  ['halftone 1728 again', halftone(1728, 150)],
  ['random 157', randomBitmap(157, 60, 43)],
  ['random 1728 last', randomBitmap(1728, 130, 44)],
];

describe.each([
  ['G4, 13 rows per strip', ['-c', 'g4', '-r', '13']],
  ['G3 2-D, 13 rows per strip', ['-c', 'g3:2d', '-r', '13']],
  ['G3, 1 row per strip', ['-c', 'g3', '-r', '1']],
  ['G4, 7 rows per strip, FillOrder 2', ['-c', 'g4', '-r', '7', '-f', 'lsb2msb']],
])('libtiff writes %s, pages of several widths', (label, args) => {
  const out = tmp.path(`${label.replace(/\W+/g, '_')}.tif`);
  beforeAll(() => {
    const inputs = pages.map(([name, b]) => {
      const path = tmp.path(`in-${name.replace(/\W+/g, '_')}.tif`);
      writeBytes(path, uncompressed(b));
      return path;
    });
    mustRun('tiffcp', [...args, ...inputs, out]);
  });

  it('every page decodes to libtiff\'s decode, with no diagnostics', () => {
    const file = readTiff(readBytes(out));
    expect(file.pages).toHaveLength(pages.length);
    for (let i = 0; i < pages.length; i++) {
      const d = decodePage(file, i);
      const expected = libtiffDecode(out, i, tmp.path);
      expect(bitmapDiff(expected, pages[i][1])).toBeUndefined();
      expect([pages[i][0], bitmapDiff(d.bitmap, expected)]).toEqual([pages[i][0], undefined]);
      expect(d.diagnostics).toEqual([]);
      expect(d.rowsDecoded).toBe(pages[i][1].height);
    }
  });

  it('pages decoded in reverse order come out the same', () => {
    const file = readTiff(readBytes(out));
    for (let i = pages.length - 1; i >= 0; i--) {
      expect([pages[i][0], bitmapDiff(decodePage(file, i).bitmap, pages[i][1])]).toEqual([pages[i][0], undefined]);
    }
  });
});
