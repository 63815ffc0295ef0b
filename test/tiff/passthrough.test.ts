import { readFileSync } from 'node:fs';
import { FaxTiffWriter, decodePage, passThrough, passThroughRefusal, passThroughTiffPage, rawFaxPage, readTiff, reversedBitsCopy, tiffCodedPage, type CodedPage } from '../../src/tiff/index.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`test/fixtures/convert/${name}`));

const base: CodedPage = {
  width: 1728,
  height: 10,
  coding: 'MMR',
  strips: [{ data: new Uint8Array([1, 2, 3]), firstRow: 0, rows: 10 }],
  fillOrder: 1,
  eolFill: false,
  uncompressed: false,
  byteAligned: false,
  photometric: 0,
};
const tiffF = { coding: 'MMR' as const, maxStrips: 1, allowBlackIsZero: true };

describe('the pass-through rule', () => {
  it('copies a page whose coding matches and that nothing else rules out', () => {
    expect(passThroughRefusal(base, tiffF)).toBeUndefined();
    expect(passThrough(base, tiffF)).toBe(base.strips);
  });

  it.each([
    ['another coding', { coding: 'MH' as const }, /the data is MH, MMR is wanted/],
    ['uncompressed mode allowed', { uncompressed: true }, /uncompressed/],
    ['byte-aligned rows', { byteAligned: true }, /byte-aligned/],
    ['damage found when decoding', { clean: false }, /damaged/],
    ['no data', { strips: [{ data: new Uint8Array(0), firstRow: 0, rows: 10 }] }, /no coded data/],
    ['several strips for a one-strip output', { strips: [base.strips[0], { ...base.strips[0], firstRow: 10 }] }, /2 strips/],
    ['data of unknown form', { coding: undefined }, /not T.4 or T.6/],
  ])('refuses %s', (_what, change, why) => {
    const page = { ...base, ...change } as CodedPage;
    expect(passThroughRefusal(page, tiffF)).toMatch(why);
    expect(passThrough(page, tiffF)).toBeUndefined();
  });

  it('keeps BlackIsZero only where the output can say so (profile F, PDF), not in profile S', () => {
    const black = { ...base, photometric: 1 as const };
    expect(passThrough(black, tiffF)).toBeDefined();
    expect(passThroughRefusal(black, { ...tiffF, allowBlackIsZero: false })).toMatch(/BlackIsZero/);
  });

  it('takes a page of any number of strips where the output holds them (PDF: an image per strip)', () => {
    const two = { ...base, strips: [base.strips[0], { ...base.strips[0], firstRow: 10 }] };
    expect(passThrough(two, { ...tiffF, maxStrips: Number.MAX_SAFE_INTEGER })).toHaveLength(2);
  });

  it('only reverses bits for another fill order: the coded data is otherwise the same', () => {
    const strips = passThrough(base, { ...tiffF, fillOrder: 2 })!;
    expect(strips[0].data).toEqual(reversedBitsCopy(base.strips[0].data));
    expect(base.strips[0].data).toEqual(new Uint8Array([1, 2, 3])); // the source is not touched
  });

  it('retags the resolution and keeps the page-quality fields in profile F only', () => {
    const page = { ...base, badFaxLines: 3, cleanFaxData: 1 as const };
    const f = passThroughTiffPage(page, { ...tiffF, profile: 'F' }, { x: 204, y: 98 })!;
    expect([f.xResolution, f.yResolution, f.badFaxLines, f.cleanFaxData]).toEqual([204, 98, 3, 1]);
    const s = passThroughTiffPage({ ...page, coding: 'MH' }, { coding: 'MH', fillOrder: 2, allowBlackIsZero: false, profile: 'S' }, { x: 204, y: 196 })!;
    expect(s.badFaxLines).toBeUndefined();
    expect(s.fillOrder).toBe(2);
  });

  it('a real Cisco MH page copied into profile S decodes to the same pixels', () => {
    const src = readTiff(fixture('cisco-fax.tif'));
    const coded = tiffCodedPage(src, 0, true);
    expect(coded.coding).toBe('MH');
    const input = passThroughTiffPage(coded, { coding: 'MH', fillOrder: 2, allowBlackIsZero: false, profile: 'S' }, { x: 204, y: 196 })!;
    const w = new FaxTiffWriter({ profile: 'S', pageCount: 1 });
    const bytes = w.addPage(input);
    const out = readTiff(bytes);
    expect(decodePage(out, 0).bitmap.data).toEqual(decodePage(src, 0).bitmap.data);
  });

  it('reads what a TIFF page is: coding from Compression and T4Options, strips, BlackIsZero', () => {
    const mr = tiffCodedPage(readTiff(fixture('g32ds.tif')), 0);
    expect([mr.coding, mr.fillOrder, mr.strips.length]).toEqual(['MR', 2, 17]);
    const black = tiffCodedPage(readTiff(fixture('g4-blackiszero.tif')), 0);
    expect([black.coding, black.photometric]).toEqual(['MMR', 1]);
  });
});

describe('the pass-through rule and TIFF Orientation', () => {
  it('refuses rows stored in another orientation: the writers write none, the copy would print turned', () => {
    const page: CodedPage = { ...base, orientation: 6 };
    expect(passThroughRefusal(page, tiffF)).toMatch(/Orientation 6/);
    expect(passThroughRefusal({ ...base, orientation: 1 }, tiffF)).toBeUndefined();
  });

  it('reads Orientation from the page, so rawFaxPage refuses such a page too', () => {
    const file = readTiff(fixture('orient-6.tif'));
    expect(tiffCodedPage(file, 0).orientation).toBe(6);
    expect(() => rawFaxPage(file, 0)).toThrow(/orientation/);
  });
});
