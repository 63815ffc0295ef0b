import { FaxTiffWriter, checkProfile, readTiff, type FaxTiffPageInput } from '../../src/tiff/index.js';
import { fixture } from './helpers.js';
import { T, buildTiff, pageEntries, type RawEntry } from './tiff-builder.js';

function sFile(pages = 2, over: Partial<FaxTiffPageInput> = {}): Uint8Array {
  const w = new FaxTiffWriter({ profile: 'F', pageCount: pages, allowNonStandardSize: true });
  const chunks = Array.from({ length: pages }, () =>
    w.addPage({ data: new Uint8Array(50).fill(7), width: 1728, height: 20, coding: 'MH', fillOrder: 2, xResolution: 204, yResolution: 98, ...over }),
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

describe('checkProfile', () => {
  it('says S for a file our writer made with profile S values', () => {
    expect(checkProfile(readTiff(sFile()))).toEqual({
      profile: 'S',
      reasons: [],
      pages: [expect.objectContaining({ profile: 'S' }), expect.objectContaining({ profile: 'S' })],
    });
  });

  const fCases: [string, Partial<FaxTiffPageInput>, RegExp][] = [
    ['MMR', { coding: 'MMR' }, /Compression \(259\) is 4; profile S requires 3/],
    ['MR', { coding: 'MR' }, /T4Options \(292\) is 1: bit 0/],
    ['FillOrder 1', { fillOrder: 1 }, /FillOrder \(266\) is 1/],
    ['B4 width', { width: 2048 }, /ImageWidth \(256\) is 2048; profile S requires 1728/],
    ['204 x 391', { yResolution: 391 }, /YResolution \(283\) is 391/],
    ['BlackIsZero', { photometric: 1 }, /PhotometricInterpretation \(262\) is 1/],
  ];
  it.each(fCases)('says F, with the reason, for a profile F page: %s', (_n, over, reason) => {
    const r = checkProfile(readTiff(sFile(1, over)));
    expect(r.profile).toBe('F');
    expect(r.reasons.join('\n')).toMatch(reason);
    expect(r.reasons.every((s) => s.startsWith('Page 1: '))).toBe(true);
  });

  const otherCases: [string, Partial<FaxTiffPageInput>, RegExp][] = [
    ['600 dpi', { width: 4960, xResolution: 600, yResolution: 600 }, /XResolution \(282\) is 600 dpi; profile F allows/],
    ['A4 width at 300 dpi', { width: 1728, xResolution: 300, yResolution: 300 }, /ImageWidth \(256\) is 1728; at 300 x 300 dpi profile F allows 2592, 3072, 3648/],
    ['odd width', { width: 1000 }, /ImageWidth \(256\) is 1000/],
  ];
  it.each(otherCases)('says other, with the reason, outside profile F: %s', (_n, over, reason) => {
    const r = checkProfile(readTiff(sFile(1, over)));
    expect(r.profile).toBe('other');
    expect(r.reasons.join('\n')).toMatch(reason);
  });

  it('reports file-structure breaches of §3.5: byte order MM and strips before the IFD', () => {
    const extra: RawEntry[] = [
      { tag: 292, type: T.LONG, values: [0] },
      { tag: 297, type: T.SHORT, values: [0, 1] },
    ];
    const entries = pageEntries({ width: 1728, height: 2, compression: 3, fillOrder: 2, extra });
    const bytes = buildTiff({ order: 'MM', ifds: [{ entries, strips: [new Uint8Array(10)] }] });
    const r = checkProfile(readTiff(bytes));
    expect(r.profile).toBe('F');
    const text = r.reasons.join('\n');
    expect(text).toMatch(/Byte order is "MM"; profile S requires "II"/);
    expect(text).toMatch(/The first IFD is at offset \d+; profile S requires 8/);
    expect(text).toMatch(/The strip \(offset 8\) comes before the end of its IFD/);
  });

  it('reports a PageNumber that does not match the page order', () => {
    const bytes = sFile(2);
    const file = readTiff(bytes);
    // page 1 claims to be page 5 of 2
    const entry = file.pages[1];
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < entry.ifd.entryCount; i++) {
      const at = entry.ifd.offset + 2 + 12 * i;
      if (view.getUint16(at, true) === 297) view.setUint16(at + 8, 5, true);
    }
    const r = checkProfile(readTiff(bytes));
    expect(r.profile).toBe('F');
    expect(r.reasons.join('\n')).toMatch(/Page 2: PageNumber \(297\) is 5,2; profile S numbers pages in file order from 0, so this page's is 1\./);
  });

  it('names missing required fields once, not also their default values', () => {
    const entries = pageEntries({ width: 1728, height: 2, compression: 3 }).filter((e) => e.tag !== 254 && e.tag !== 282);
    const r = checkProfile(readTiff(buildTiff({ ifds: [{ entries, strips: [new Uint8Array(4)] }] })));
    expect(r.profile).toBe('other');
    expect(r.reasons).toContain('Page 1: NewSubfileType (254) is missing; RFC 3949 requires it in every fax page.');
    expect(r.reasons).toContain('Page 1: XResolution (282) is missing; RFC 3949 requires it in every fax page.');
    expect(r.reasons).toContain('Page 1: T4Options (292) is missing; RFC 3949 requires it in every fax page.');
    expect(r.reasons.filter((s) => s.includes('NewSubfileType'))).toHaveLength(1);
  });

  describe('corpus files', () => {
    it('Cisco_fax.tif is profile F, not S only because of FillOrder 1 (as STANDARDS.md says Cisco sends)', () => {
      expect(checkProfile(readTiff(fixture('cisco/Cisco_fax.tif')))).toEqual(
        expect.objectContaining({ profile: 'F', reasons: ['Page 1: FillOrder (266) is 1; profile S requires 2 (LSB first).'] }),
      );
    });

    it('g3aoe.tif is profile F; its IFD at the end of the file breaks the §3.5 layout', () => {
      const r = checkProfile(readTiff(fixture('twelvemonkeys/g3aoe.tif')));
      expect(r.profile).toBe('F');
      expect(r.reasons.join('\n')).toMatch(/The first IFD is at offset 31129/);
      expect(r.reasons.join('\n')).toMatch(/XResolution \(282\) value is at offset 31113, not between the IFD/);
    });

    it('g4-multi.tiff is outside profile F: 3307 pixels is not a 400-dpi fax width', () => {
      const r = checkProfile(readTiff(fixture('pillow/g4-multi.tiff')));
      expect(r.profile).toBe('other');
      expect(r.reasons).toContain('Page 2: ImageWidth (256) is 3307; at 400 x 400 dpi profile F allows 3456, 4096, 4864.');
    });

    it('an uncompressed TIFF is outside profile F', () => {
      const r = checkProfile(readTiff(fixture('libtiff/miniswhite-1c-1b.tiff')));
      expect(r.profile).toBe('other');
      expect(r.reasons.join('\n')).toMatch(/Compression \(259\) is 1; profile F allows 3/);
    });
  });
});
