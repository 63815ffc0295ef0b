import type { Bitmap } from '../../src/codec/types.js';
import { FaxTiffWriter, decodePage, encodeFaxTiffPage, readTiff } from '../../src/tiff/index.js';
import { bitmapDiff } from './helpers.js';

/** A 600-dpi A4 page (4960 x 7016) with a different rule pattern per page. */
function page600(n: number): Bitmap {
  const w = 4960;
  const h = 7016;
  const s = Math.ceil(w / 8);
  const data = new Uint8Array(s * h);
  for (let y = n; y < h; y += 40 + n) data.fill(0xff, y * s + 10 + n, y * s + 200 + 3 * n);
  return { width: w, height: h, data };
}

it('writes and reads a 50-page 600-dpi document one page at a time', () => {
  const opts = { profile: 'F', compression: 'MMR', xRes: 600, yRes: 600, allowNonStandardSize: true } as const;
  const writer = new FaxTiffWriter({ profile: 'F', pageCount: 50, allowNonStandardSize: true });
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < 50; i++) {
    const before = writer.bytesWritten;
    const coded = encodeFaxTiffPage(page600(i), opts);
    const chunk = writer.addPage(coded);
    // Each chunk is that page alone: (header +) IFD + values + strip (+ pad byte).
    expect(chunk.length).toBeLessThan(coded.data.length + 512);
    expect(writer.bytesWritten).toBe(before + chunk.length);
    chunks.push(chunk);
  }
  expect(writer.finish()).toEqual([]);
  const bytes = new Uint8Array(writer.bytesWritten);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }

  const t0 = performance.now();
  const file = readTiff(bytes);
  expect(performance.now() - t0).toBeLessThan(200); // IFDs only: no image data is touched
  expect(file.pages).toHaveLength(50);
  for (const i of [0, 17, 49]) expect(bitmapDiff(decodePage(file, i).bitmap, page600(i))).toBeUndefined();
});
