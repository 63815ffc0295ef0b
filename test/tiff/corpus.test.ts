/**
 * Every corpus TIFF page against its reference decode (test/fixtures/corpus/expected, made by
 * libtiff and cross-checked with JDK ImageIO; see CORPUS-README.md), plus the raw corpus
 * streams wrapped in a TIFF by our writer.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES, IfaxError } from '../../src/errors.js';
import type { Bitmap } from '../../src/codec/types.js';
import { FaxTiffWriter, checkProfile, decodePage, rawFaxPage, readTiff, type DecodedPage, type FaxTiffPageInput } from '../../src/tiff/index.js';
import { CORPUS, bitmapDiff, expectedFile, expectedPage, fixture } from './helpers.js';

const GROUPS = ['cisco', 'golang', 'libtiff', 'pillow', 'twelvemonkeys'];
const tiffs = GROUPS.flatMap((g) =>
  readdirSync(join(CORPUS, g))
    .filter((f) => /\.tiff?$/.test(f))
    .map((f) => `${g}/${f}`),
).sort();

/** Files the corpus README says have no trustworthy reference: they must fail cleanly or warn. */
const NO_REFERENCE = new Set(['twelvemonkeys/incorrect-compression-rle-as-g3.tif']);
/** Uncompressed source image: its reference is the PBM twin (decode.test.ts). */
const NOT_FAX = new Set(['libtiff/miniswhite-1c-1b.tiff']);
/** Checked on its own below: the corpus README asks for rows 0-34 and a warning. */
const OWN_TESTS = new Set(['twelvemonkeys/g3aoe.tif']);

/** Exit-code-65 class: what a bad input may end in. */
const DATA_ERRORS = new Set(['TIFF_INVALID', 'FAX_DECODE_FAILED', 'UNSUPPORTED_INPUT']);

it('finds the corpus TIFFs', () => {
  expect(tiffs.length).toBe(28);
});

describe.each(tiffs.filter((f) => !NO_REFERENCE.has(f) && !NOT_FAX.has(f) && !OWN_TESTS.has(f)))('%s', (name) => {
  const file = readTiff(fixture(name));

  it('has a reference for every page, and no more', () => {
    expect(file.pages.map((p) => expectedPage(name, p.index) !== undefined)).toEqual(file.pages.map(() => true));
    expect(expectedPage(name, file.pages.length)).toBeUndefined();
  });

  it.each(file.pages.map((p) => p.index))('page %d decodes to the reference', (index) => {
    const expected = expectedPage(name, index)!;
    expect(bitmapDiff(decodePage(file, index).bitmap, expected)).toBeUndefined();
  });
});

/** Rows of a bitmap as a new bitmap (for comparing shifted row ranges). */
function rowSlice(b: Bitmap, from: number, to: number): Bitmap {
  const s = Math.ceil(b.width / 8);
  return { width: b.width, height: to - from, data: b.data.subarray(from * s, to * s) };
}

describe('g3aoe.tif (CombiFAX: an EOL after every row, none before the first)', () => {
  // The strip is "row EOL row EOL ... row EOL". Like libtiff and the JDK, the page starts at
  // its first EOL, so the decode is libtiff's row for row; its last row is not in the data.
  // The corpus README asks for rows 0-34 exactly and a warning for the damaged row 35.
  const file = readTiff(fixture('twelvemonkeys/g3aoe.tif'));
  const expected = expectedPage('twelvemonkeys/g3aoe.tif', 0)!;
  const decoded = decodePage(file, 0);

  it('rows 0-34 are the reference rows exactly', () => {
    expect(bitmapDiff(rowSlice(decoded.bitmap, 0, 35), rowSlice(expected, 0, 35))).toBeUndefined();
  });

  it('reports the damaged row 35 (EOL after 1326 pixels) and the row missing at the end', () => {
    expect(decoded.diagnostics[0]).toEqual(expect.objectContaining({ row: 35, code: 'ROW_TOO_SHORT', message: expect.stringMatching(/1326/) }));
    expect(decoded.diagnostics.map((d) => d.code)).toEqual(['ROW_TOO_SHORT', 'MISSING_ROWS']);
    expect(decoded.rowsDecoded).toBe(2327);
  });

  it('recovers as libtiff does: the damaged row padded white, the rest in place', () => {
    expect(bitmapDiff(decoded.bitmap, expected)).toBeUndefined();
  });
});

describe('files without a trustworthy reference', () => {
  it.each([...NO_REFERENCE])('%s ends in a page of the right size or a data error (exit 65), never a crash', (name) => {
    const file = readTiff(fixture(name));
    let result: DecodedPage;
    try {
      result = decodePage(file, 0);
    } catch (err) {
      expect(err).toBeInstanceOf(IfaxError);
      const e = err as IfaxError;
      expect(DATA_ERRORS.has(e.code)).toBe(true);
      expect(EXIT_CODES[e.code]).toBe(65);
      return;
    }
    expect([result.bitmap.width, result.bitmap.height]).toEqual([file.pages[0].width, file.pages[0].height]);
    // Either the decoder complained, or every row decoded (this file then is EOL-free MH
    // labelled T4Options 4: all 32 rows of 1700 pixels come out of its 558 bytes exactly).
    expect(result.diagnostics.length > 0 || result.rowsDecoded === file.pages[0].height).toBe(true);
  });
});

describe('specific corpus behaviour', () => {
  it('ccitt_tolessrows.tif: the two missing rows are white and reported', () => {
    const d = decodePage(readTiff(fixture('twelvemonkeys/ccitt_tolessrows.tif')), 0);
    expect(d.rowsDecoded).toBe(4);
    expect(d.diagnostics.length).toBeGreaterThan(0);
  });

  it('17 (G3) and 58 (G4) decode to the same picture', () => {
    const a = decodePage(readTiff(fixture('twelvemonkeys/17-tiff-binary-ccitt-group3.tif')), 0);
    const b = decodePage(readTiff(fixture('twelvemonkeys/58-plexustiff-binary-ccitt-group4.tif')), 0);
    expect(bitmapDiff(a.bitmap, b.bitmap)).toBeUndefined();
  });
});

/** Wraps a raw corpus stream in a TIFF with our writer (raw strip pass-through). */
function wrap(name: string, page: Omit<FaxTiffPageInput, 'data'>) {
  const w = new FaxTiffWriter({ profile: 'F', pageCount: 1, allowNonStandardSize: true });
  return readTiff(w.addPage({ ...page, data: fixture(name) }));
}

describe('raw corpus streams wrapped in a TIFF (README "Notes on the raw streams")', () => {
  const gopher = expectedFile('golang/bw-gopher.png.pbm');
  const streams = ['', '-inverted', '-truncated0', '-truncated1'].flatMap((v) =>
    ['3', '4'].map((g) => [`golang/bw-gopher${v}.ccitt_group${g}`, v, g] as const),
  );
  it.each(streams)('%s decodes to bw-gopher.png', (name, variant, group) => {
    const file = wrap(name, {
      width: 153,
      height: 55,
      coding: group === '3' ? 'MH' : 'MMR',
      fillOrder: 1,
      xResolution: 72,
      yResolution: 72,
      photometric: variant === '-inverted' ? 1 : 0,
    });
    expect(bitmapDiff(decodePage(file, 0).bitmap, gopher)).toBeUndefined();
  });

  it('libtiff miniswhite-1c-1b.g3 (MH with RTC, 1728 x 1728) decodes to its reference', () => {
    const file = wrap('libtiff/miniswhite-1c-1b.g3', { width: 1728, height: 1728, coding: 'MH', fillOrder: 1, xResolution: 204, yResolution: 196 });
    expect(bitmapDiff(decodePage(file, 0).bitmap, expectedPage('libtiff/miniswhite-1c-1b.g3', 0)!)).toBeUndefined();
  });

  it('TwelveMonkeys 645.ccitt (corrupt T.6) ends in diagnostics or FAX_DECODE_FAILED', () => {
    const file = wrap('twelvemonkeys/645.ccitt', { width: 7, height: 64, coding: 'MMR', fillOrder: 1, xResolution: 200, yResolution: 200 });
    try {
      const d = decodePage(file, 0);
      expect(d.diagnostics.length + d.damagedRows).toBeGreaterThan(0);
    } catch (err) {
      expect(err).toBeInstanceOf(IfaxError);
      expect(DATA_ERRORS.has((err as IfaxError).code)).toBe(true);
    }
  });
});

describe('pass-through without re-encoding', () => {
  it('Cisco_fax.tif (FillOrder 1, TIFF-F) becomes a profile S file with the same picture', () => {
    const cisco = readTiff(fixture('cisco/Cisco_fax.tif'));
    const page = rawFaxPage(cisco, 0, 2);
    expect(page.data).not.toBe(cisco.bytes);
    // Page-quality fields describe the original reception; profile S writes none.
    delete page.badFaxLines;
    delete page.cleanFaxData;
    delete page.consecutiveBadFaxLines;
    const out = readTiff(new FaxTiffWriter({ profile: 'S', pageCount: 1 }).addPage(page));
    expect(checkProfile(out).profile).toBe('S');
    expect(bitmapDiff(decodePage(out, 0).bitmap, expectedPage('cisco/Cisco_fax.tif', 0)!)).toBeUndefined();
  });

  it('refuses multi-strip pages and Compression 1, asking to re-encode', () => {
    expect(() => rawFaxPage(readTiff(fixture('twelvemonkeys/G32DS.tif')), 0)).toThrow(/17 strips/);
    expect(() => rawFaxPage(readTiff(fixture('libtiff/miniswhite-1c-1b.tiff')), 0)).toThrow(/no TIFF-FX form/);
  });
});
