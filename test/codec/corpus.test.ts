import { readFileSync } from 'node:fs';
import { IfaxError } from '../../src/errors.js';
import { decodeFax, decodeFaxInto, decodeFaxStream, type Bitmap, type FaxCodecOptions } from '../../src/codec/index.js';
import { CORPUS, blank, firstDifference, readPbm, readTiffFaxPage } from './helpers.js';

const GOLANG = `${CORPUS}/tiff/golang`;
const gopher = readPbm(`${CORPUS}/expected/golang/bw-gopher.png.pbm`);

describe('golang raw streams (153x55)', () => {
  const variants = ['', '-aligned', '-inverted', '-inverted-aligned', '-truncated0', '-truncated1'];
  for (const v of variants) {
    for (const group of ['3', '4'] as const) {
      const name = `bw-gopher${v}.ccitt_group${group}`;
      const opts: FaxCodecOptions = {
        coding: group === '3' ? 'MH' : 'MMR',
        width: 153,
        height: 55,
        byteAlign: v.includes('aligned'),
        blackIs1: !v.includes('inverted'),
      };
      test(`${name} decodes to bw-gopher.png`, () => {
        const r = decodeFax(readFileSync(`${GOLANG}/${name}`), opts);
        expect(firstDifference(r.bitmap, gopher)).toBeUndefined();
        expect(r.rowsDecoded).toBe(55);
        expect(r.damagedRows).toBe(0);
        expect(r.diagnostics).toEqual([]);
        expect(r.endMarkerSeen).toBe(!v.includes('truncated'));
      });
      test(`${name} decodes as a stream of unknown height`, () => {
        const r = decodeFaxStream(readFileSync(`${GOLANG}/${name}`), opts);
        expect(r.bitmap.height).toBe(55);
        expect(firstDifference(r.bitmap, gopher)).toBeUndefined();
      });
    }
  }
});

test('libtiff miniswhite-1c-1b.g3 (raw MH, 1728x1728, every white run length) decodes exactly', () => {
  const expected = readPbm(`${CORPUS}/expected/libtiff/miniswhite-1c-1b.g3.p000.pbm`);
  const data = readFileSync(`${CORPUS}/tiff/libtiff/miniswhite-1c-1b.g3`);
  const r = decodeFax(data, { coding: 'MH', width: 1728, height: 1728 });
  expect(firstDifference(r.bitmap, expected)).toBeUndefined();
  expect(r.diagnostics).toEqual([]);
  expect(r.endMarkerSeen).toBe(true);
  const s = decodeFaxStream(data, { coding: 'MH', width: 1728 });
  expect(s.bitmap.height).toBe(1728);
  expect(firstDifference(s.bitmap, expected)).toBeUndefined();
});

test('twelvemonkeys 645.ccitt (corrupt T.6, 7 columns) gives diagnostics or FAX_DECODE_FAILED, never a crash', () => {
  const data = readFileSync(`${CORPUS}/tiff/twelvemonkeys/645.ccitt`);
  for (const height of [1, 10, 100, 1000]) {
    try {
      const r = decodeFax(data, { coding: 'MMR', width: 7, height });
      expect(r.bitmap.height).toBe(height);
      if (height === 1000) expect(r.diagnostics.length).toBeGreaterThan(0);
    } catch (e) {
      expect(e).toBeInstanceOf(IfaxError);
      expect((e as IfaxError).code).toBe('FAX_DECODE_FAILED');
    }
  }
  const started = Date.now();
  try {
    const r = decodeFaxStream(data, { coding: 'MMR', width: 7 });
    expect(r.diagnostics.length + (r.endMarkerSeen ? 1 : 0)).toBeGreaterThan(0);
  } catch (e) {
    expect(e).toBeInstanceOf(IfaxError);
  }
  expect(Date.now() - started).toBeLessThan(5000);
});

/** Decodes every strip of a corpus TIFF into one page bitmap, as the TIFF reader will. */
function decodeTiff(path: string): { page: Bitmap; diagnostics: number; damaged: number } {
  const t = readTiffFaxPage(path);
  const page = blank(t.width, t.height);
  let diagnostics = 0;
  let damaged = 0;
  t.strips.forEach((strip, k) => {
    const rowOffset = k * t.rowsPerStrip;
    const r = decodeFaxInto(
      strip,
      { coding: t.coding, width: t.width, height: Math.min(t.rowsPerStrip, t.height - rowOffset), fillOrder: t.fillOrder, blackIs1: t.blackIs1 },
      page,
      rowOffset,
    );
    diagnostics += r.diagnostics.length;
    damaged += r.damagedRows;
  });
  return { page, diagnostics, damaged };
}

describe('corpus TIFF strips decode to the reference images', () => {
  const cases: [string, string][] = [
    ['golang/bw-gopher_ccittGroup3.tiff', 'golang/bw-gopher_ccittGroup3.tiff.p000.pbm'],
    ['golang/bw-gopher_ccittGroup4.tiff', 'golang/bw-gopher_ccittGroup4.tiff.p000.pbm'],
    ['libtiff/testfax4.tiff', 'libtiff/testfax4.tiff.p000.pbm'],
    ['libtiff/testfax3_bug54_1dnoEOL.tif', 'libtiff/testfax3_bug54_1dnoEOL.tif.p000.pbm'],
    ['libtiff/testfax3_bug_513.tiff', 'libtiff/testfax3_bug_513.tiff.p000.pbm'],
    ['cisco/Cisco_fax.tif', 'cisco/Cisco_fax.tif.p000.pbm'],
    ['twelvemonkeys/G32DS.tif', 'twelvemonkeys/G32DS.tif.p000.pbm'],
    ['twelvemonkeys/17-tiff-binary-ccitt-group3.tif', 'twelvemonkeys/17-tiff-binary-ccitt-group3.tif.p000.pbm'],
    ['twelvemonkeys/58-plexustiff-binary-ccitt-group4.tif', 'twelvemonkeys/58-plexustiff-binary-ccitt-group4.tif.p000.pbm'],
    ['twelvemonkeys/CCITTgetNextChangingElement.tif', 'twelvemonkeys/CCITTgetNextChangingElement.tif.p000.pbm'],
    ['twelvemonkeys/ccitt-too-many-changes.tif', 'twelvemonkeys/ccitt-too-many-changes.tif.p000.pbm'],
    ['twelvemonkeys/group3_1d.tif', 'twelvemonkeys/group3_1d.tif.p000.pbm'],
    ['twelvemonkeys/group3_1d_fill.tif', 'twelvemonkeys/group3_1d_fill.tif.p000.pbm'],
    ['twelvemonkeys/group3_2d.tif', 'twelvemonkeys/group3_2d.tif.p000.pbm'],
    ['twelvemonkeys/group3_2d_fill.tif', 'twelvemonkeys/group3_2d_fill.tif.p000.pbm'],
    ['twelvemonkeys/group3_2d_lsb2msb.tif', 'twelvemonkeys/group3_2d_lsb2msb.tif.p000.pbm'],
    ['twelvemonkeys/group4.tif', 'twelvemonkeys/group4.tif.p000.pbm'],
    ['twelvemonkeys/min-is-white-with-profile.tif', 'twelvemonkeys/min-is-white-with-profile.tif.p000.pbm'],
    ['pillow/hopper_g4.tif', 'pillow/hopper_g4.tif.p000.pbm'],
    ['pillow/hopper_g4_500.tif', 'pillow/hopper_g4_500.tif.p000.pbm'],
    ['pillow/pport_g4.tif', 'pillow/pport_g4.tif.p000.pbm'],
    ['pillow/g4-fillorder-test.tif', 'pillow/g4-fillorder-test.tif.p000.pbm'],
  ];
  for (const [tiff, pbm] of cases) {
    test(tiff, () => {
      const { page, diagnostics, damaged } = decodeTiff(`${CORPUS}/tiff/${tiff}`);
      expect(firstDifference(page, readPbm(`${CORPUS}/expected/${pbm}`))).toBeUndefined();
      expect(damaged).toBe(0);
      expect(diagnostics).toBe(0);
    });
  }
});

test('twelvemonkeys ccitt_tolessrows.tif (6 rows claimed, 4 coded): 4 rows, the rest white, MISSING_ROWS', () => {
  const t = readTiffFaxPage(`${CORPUS}/tiff/twelvemonkeys/ccitt_tolessrows.tif`);
  const page = blank(t.width, t.height);
  page.data.fill(0xaa); // the decoder must clear what it does not decode
  const r = decodeFaxInto(t.strips[0], { coding: t.coding, width: t.width, height: t.height }, page, 0);
  expect(r.rowsDecoded).toBe(4);
  expect(r.diagnostics.map((d) => [d.code, d.row])).toEqual([['MISSING_ROWS', 4]]);
  expect(firstDifference(page, readPbm(`${CORPUS}/expected/twelvemonkeys/ccitt_tolessrows.tif.p000.pbm`))).toBeUndefined();
});

test('twelvemonkeys CCITT-G4-300dpi-StripByteCounts0.tif decodes when read to the end of the file', () => {
  const { page, damaged } = decodeTiff(`${CORPUS}/tiff/twelvemonkeys/CCITT-G4-300dpi-StripByteCounts0.tif`);
  expect(damaged).toBe(0);
  expect(firstDifference(page, readPbm(`${CORPUS}/expected/twelvemonkeys/CCITT-G4-300dpi-StripByteCounts0.tif.p000.pbm`))).toBeUndefined();
});

/*
 * g3aoe.tif codes its first row without an EOL in front and ends every row with one. The
 * page starts at its first EOL (as in libtiff and the JDK), so the decode is libtiff's row
 * for row: the damaged row 35 (EOL after 1326 px) padded white, the last row not in the data.
 */
test('twelvemonkeys g3aoe.tif (real fax, no leading EOL, damaged row): libtiff\'s page, the damage reported', () => {
  const t = readTiffFaxPage(`${CORPUS}/tiff/twelvemonkeys/g3aoe.tif`);
  const r = decodeFax(t.strips[0], { coding: t.coding, width: t.width, height: t.height });
  const expected = readPbm(`${CORPUS}/expected/twelvemonkeys/g3aoe.tif.p000.pbm`);
  expect(Buffer.from(r.bitmap.data).equals(Buffer.from(expected.data))).toBe(true);
  expect(r.rowsDecoded).toBe(t.height - 1);
  expect(r.diagnostics.map((d) => [d.code, d.row])).toEqual([['ROW_TOO_SHORT', 35], ['MISSING_ROWS', t.height - 1]]);
  expect(r.damagedRows).toBe(1); // padded, not concealed, but a bad line all the same
});
