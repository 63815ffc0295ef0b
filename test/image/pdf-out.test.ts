import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PdfFaxWriter } from '../../src/image/pdf-out.js';
import { fixture, parseP4, pixelDiff, toolOk } from './oracles.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-pdf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gopherG4 = (): Uint8Array => new Uint8Array(readFileSync(fixture('bw-gopher.ccitt_group4')));
const gopher = () => parseP4(readFileSync(fixture('bw-gopher.pbm')))[0];

/** Ghostscript's rendering of every page at `dpi`, as P4 images. */
function render(pdf: string, dpi: string): ReturnType<typeof parseP4> {
  return parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', `-r${dpi}`, '-o', '-', pdf]));
}

describe('PDF out', () => {
  test('T.6 data is embedded as CCITTFaxDecode, not re-encoded, and Ghostscript renders the original pixels', async () => {
    const w = await PdfFaxWriter.create();
    const data = gopherG4();
    w.addPage({ width: 153, height: 55, xRes: 72, yRes: 72, strips: [{ data, firstRow: 0, rows: 55 }] });
    const file = path.join(dir, 'gopher.pdf');
    writeFileSync(file, await w.save());

    const list = toolOk('pdfimages', ['-list', file]).toString('utf8');
    const row = list.split('\n').find((l) => /^\s*1\s/.test(l)) ?? '';
    expect(row).toMatch(/\bccitt\b/);
    expect(row).toMatch(/\b153\s+55\b/);
    // The stream holds the input bytes as they were.
    expect(readFileSync(file).includes(Buffer.from(data))).toBe(true);

    const [page] = render(file, '72');
    expect(pixelDiff(page, gopher())).toBe(0);
  });

  test('page size is pixels / resolution; strips stack top to bottom; BlackIsZero is inverted by /Decode', async () => {
    const w = await PdfFaxWriter.create();
    const data = gopherG4();
    // The same strip twice: rows 0-54 and 55-109 of a 110-row page, at 144 x 36 dpi.
    w.addPage({ width: 153, height: 110, xRes: 144, yRes: 36, strips: [
      { data, firstRow: 0, rows: 55 },
      { data, firstRow: 55, rows: 55 },
    ] });
    w.addPage({ width: 153, height: 55, xRes: 72, yRes: 72, strips: [{ data, firstRow: 0, rows: 55 }], inverted: true });
    const file = path.join(dir, 'two.pdf');
    writeFileSync(file, await w.save());
    const info = toolOk('pdfinfo', ['-f', '1', '-l', '2', file]).toString('utf8');
    expect(info).toMatch(/Page\s+1 size:\s+76\.5 x 220 pts/);
    expect(info).toMatch(/Page\s+2 size:\s+153 x 55 pts/);

    // Render page 1 at 144 x 36 dpi: 1 pixel per pixel.
    const pages = render(file, '144x36');
    const ref = gopher();
    const p1 = pages[0];
    expect([p1.width, p1.height]).toEqual([153, 110]);
    const stride = Math.ceil(153 / 8);
    expect(pixelDiff({ ...p1, height: 55 }, ref)).toBe(0);
    expect(pixelDiff({ ...p1, height: 55, data: p1.data.subarray(55 * stride) }, ref)).toBe(0);

    // Page 2 inverted: every pixel differs from the reference.
    const [, inv] = render(file, '72');
    expect(pixelDiff(inv, ref)).toBe(153 * 55);
  });
});
