/**
 * TIFF Orientation (274) (issue 8): a page stored mirrored or turned is read as it is shown,
 * in every output; it is never copied as stored. Fixtures orient-1..8.tif: one G4 page
 * 243 x 97 at 204 x 98 dpi, the tag set by tiffset (test/fixtures/convert/make-fixtures.sh).
 *
 * Oracle: libtiff's decode as stored (`tifftopnm -orientraw`) turned by netpbm's pamflip as
 * TIFF 6.0 §8 defines each value. For 1-4 also tifftopnm's own orientation. Not for 5-8:
 * netpbm 11.1's tifftopnm garbles 1-bit pages it must transpose (it gives a 97 x 243 image
 * of the stored rows re-cut, 15552 black pixels for 3256), and libtiff's RGBA reader
 * (tiff2rgba) only flips, it never transposes.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { convert, type ConvertIo } from '../../src/jobs/convert.js';
import { describeFile } from '../../src/jobs/convert-info.js';
import { readTiff } from '../../src/tiff/index.js';
import { fixture, parseP4, tiffPages, toolOk, type Pbm } from './oracles.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-orient-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (): ConvertIo => ({ stdin: new PassThrough(), stdout: new PassThrough(), warn: () => {}, debug: () => {}, progress: () => {} });
const ORIENTATIONS = [1, 2, 3, 4, 5, 6, 7, 8];

/** pamflip steps that show stored pixels as each Orientation says (TIFF 6.0 §8). */
const FLIPS: Record<number, string[][]> = { 1: [], 2: [['-lr']], 3: [['-r180']], 4: [['-tb']], 5: [['-xy']], 6: [['-cw']], 7: [['-xy'], ['-r180']], 8: [['-ccw']] };

/** The page as shown: libtiff's decode as stored, turned by pamflip. */
function shown(o: number): Pbm {
  let img = toolOk('tifftopnm', ['-quiet', '-orientraw', fixture(`orient-${o}.tif`)]);
  for (const step of FLIPS[o]) img = toolOk('pamtopnm', [], toolOk('pamflip', step, img));
  return parseP4(img)[0];
}

describe('TIFF Orientation is applied when a page is read', () => {
  test('the fixtures are one page stored in eight orientations; for 1-4 tifftopnm agrees with the oracle', () => {
    const raw = parseP4(toolOk('tifftopnm', ['-quiet', '-orientraw', fixture('orient-1.tif')]))[0];
    for (const o of ORIENTATIONS) expect(parseP4(toolOk('tifftopnm', ['-quiet', '-orientraw', fixture(`orient-${o}.tif`)]))[0].data.equals(raw.data)).toBe(true);
    for (const o of [1, 2, 3, 4]) expect(tiffPages(fixture(`orient-${o}.tif`))[0].data.equals(shown(o).data)).toBe(true);
    for (const o of ORIENTATIONS.slice(1)) {
      const s = shown(o);
      expect(s.width === raw.width && s.data.equals(raw.data)).toBe(false);
    }
  });

  test.each(ORIENTATIONS)('Orientation %i: PBM out (--fit none) is the page as libtiff and pamflip show it', async (o) => {
    const out = path.join(dir, `o${o}.pbm`);
    await convert({ inputs: [fixture(`orient-${o}.tif`)], output: out, fit: 'none' }, io());
    const got = parseP4(readFileSync(out))[0];
    const want = shown(o);
    expect([got.width, got.height]).toEqual(o >= 5 ? [97, 243] : [243, 97]);
    expect([got.width, got.height]).toEqual([want.width, want.height]);
    expect(got.data.equals(want.data)).toBe(true);
  });

  test.each(ORIENTATIONS)('Orientation %i: a re-faxed TIFF is the page as shown, Orientation 1, resolutions swapped with the axes', async (o) => {
    const out = path.join(dir, `o${o}.tif`);
    const r = await convert({ inputs: [fixture(`orient-${o}.tif`)], output: out, fit: 'none', compression: 'MMR' }, io());
    // Turned pixels are not the stored coded data: only an Orientation 1 page is copied.
    expect(r.pages[0].path).toBe(o === 1 ? 'pass-through' : 'encoded');
    const page = readTiff(new Uint8Array(readFileSync(out))).pages[0];
    expect(page.orientation).toBe(1);
    expect([page.xResolution, page.yResolution]).toEqual(o >= 5 ? [98, 204] : [204, 98]);
    expect(tiffPages(out)[0].data.equals(shown(o).data)).toBe(true);
  });

  test.each([2, 6, 7])('Orientation %i: the PDF holds the page as shown (its image, as poppler extracts it)', async (o) => {
    const out = path.join(dir, `o${o}.pdf`);
    await convert({ inputs: [fixture(`orient-${o}.tif`)], output: out, fit: 'none' }, io());
    const prefix = path.join(dir, `img${o}`);
    toolOk('pdfimages', [out, prefix]);
    const file = readdirSync(dir).find((f) => f.startsWith(`img${o}-`))!;
    const got = parseP4(readFileSync(path.join(dir, file)))[0];
    const want = shown(o);
    expect([got.width, got.height]).toEqual([want.width, want.height]);
    expect(got.data.equals(want.data)).toBe(true);
  });

  test('--info says what reading does to the page', async () => {
    const r = await describeFile(fixture('orient-6.tif'), 'orient-6.tif');
    expect(r.pages[0].tiff?.orientation).toBe(6);
    expect(r.pages[0].orientation).toBe('Orientation 6: turned 90° clockwise when read, so 97 x 243 px (resolutions swapped too)');
    const plain = await describeFile(fixture('orient-1.tif'), 'orient-1.tif');
    expect(plain.pages[0].orientation).toBeUndefined();
  });
});
