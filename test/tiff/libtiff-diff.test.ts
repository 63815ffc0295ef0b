/**
 * Differential tests against libtiff (Debian libtiff-tools: tiffcp, tiffinfo; netpbm:
 * tifftopnm), Ghostscript and HylaFAX's tiffcheck, both directions:
 *  - libtiff / Ghostscript write G3/G4/RLE TIFFs -> ifax decodes them to libtiff's bitmap;
 *  - ifax writes profile S / F TIFFs -> libtiff decodes them to the source bitmap, tiffinfo is
 *    silent, tiffcheck says OK for profile S.
 * Everything is generated into a temp dir; a missing tool fails the test naming its package.
 */

import type { Bitmap } from '../../src/codec/types.js';
import { checkProfile, decodePage, readTiff, writeFaxTiff, type WriteFaxTiffOptions } from '../../src/tiff/index.js';
import {
  bitmapDiff,
  fixture,
  ituChart,
  libtiffDecode,
  mustRun,
  randomBitmap,
  readBytes,
  requireTiffcheck,
  requireTool,
  run,
  tempDir,
  writeBytes,
} from './helpers.js';
import { buildTiff, pageEntries } from './tiff-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

beforeAll(() => {
  for (const tool of ['tiffcp', 'tifftopnm', 'tiffinfo', 'gs']) requireTool(tool);
});

/** An uncompressed single-strip TIFF of `b` (the input tiffcp re-codes). */
function uncompressedTiff(b: Bitmap, photometric: 0 | 1 = 0): Uint8Array {
  const data = photometric === 1 ? b.data.map((v) => v ^ 0xff) : b.data;
  if (photometric === 1 && b.width % 8 !== 0) {
    const s = Math.ceil(b.width / 8);
    const mask = 0xff >> (b.width % 8); // pad bits back to 0 after inversion
    for (let i = s - 1; i < data.length; i += s) data[i] &= ~mask & 0xff;
  }
  return buildTiff({ ifds: [{ entries: pageEntries({ width: b.width, height: b.height, photometric }), strips: [data] }] });
}

const sources: [string, () => Bitmap, 0 | 1][] = [
  ['itu1', () => ituChart(1), 0],
  ['itu4', () => ituChart(4), 0],
  ['itu7', () => ituChart(7), 0],
  ['random 1728x300', () => randomBitmap(1728, 300, 1), 0],
  ['random 157x151 BlackIsZero', () => randomBitmap(157, 151, 2), 1],
  ['random 1x40', () => randomBitmap(1, 40, 3), 0],
  ['random 2453x64', () => randomBitmap(2453, 64, 4), 0],
];

const variants: string[][] = [
  ['-c', 'g3'],
  ['-c', 'g3:2d'],
  ['-c', 'g3:fill'],
  ['-c', 'g3:2d:fill'],
  ['-c', 'g4'],
  ['-c', 'g3', '-f', 'lsb2msb'],
  ['-c', 'g3:2d:fill', '-f', 'lsb2msb'],
  ['-c', 'g4', '-f', 'lsb2msb'],
  ['-c', 'g3:2d', '-r', '16'],
  ['-c', 'g4', '-r', '16'],
  ['-c', 'g3', '-r', '1'],
];

describe('libtiff writes, ifax reads', () => {
  describe.each(sources)('%s', (name, make, photometric) => {
    const bitmap = make();
    const src = tmp.path(`${name.replace(/\W+/g, '_')}.tif`);
    beforeAll(() => writeBytes(src, uncompressedTiff(bitmap, photometric)));

    it.each(variants.map((v) => [v.join(' '), v]))('tiffcp %s', (_label, args) => {
      const out = tmp.path(`${name.replace(/\W+/g, '_')}-${(args as string[]).join('').replace(/\W+/g, '_')}.tif`);
      mustRun('tiffcp', [...(args as string[]), src, out]);
      const libtiff = libtiffDecode(out, 0, tmp.path);
      expect(bitmapDiff(libtiff, bitmap)).toBeUndefined(); // libtiff round-trips the source
      const ours = decodePage(readTiff(readBytes(out)), 0);
      expect(bitmapDiff(ours.bitmap, libtiff)).toBeUndefined();
      expect(ours.damagedRows).toBe(0);
    });
  });

  it('the libtiff miniswhite-1c-1b.tiff through every tiffcp coding', () => {
    const src = tmp.path('miniswhite.tif');
    writeBytes(src, fixture('libtiff/miniswhite-1c-1b.tiff'));
    for (const args of variants) {
      const out = tmp.path(`mw-${args.join('').replace(/\W+/g, '_')}.tif`);
      mustRun('tiffcp', [...args, src, out]);
      expect(bitmapDiff(decodePage(readTiff(readBytes(out)), 0).bitmap, libtiffDecode(out, 0, tmp.path))).toBeUndefined();
    }
  });

  it('multi-page files from tiffcp a.tif b.tif c.tif, with mixed codings', () => {
    const pages = [randomBitmap(1728, 100, 10), randomBitmap(2048, 80, 11), randomBitmap(300, 50, 12)];
    const coded = pages.map((b, i) => {
      const u = tmp.path(`mp-u${i}.tif`);
      const c = tmp.path(`mp-c${i}.tif`);
      writeBytes(u, uncompressedTiff(b));
      mustRun('tiffcp', ['-c', ['g3', 'g4', 'g3:2d:fill'][i], u, c]);
      return c;
    });
    const out = tmp.path('multi.tif');
    mustRun('tiffcp', [...coded, out]);
    const file = readTiff(readBytes(out));
    expect(file.pages.map((p) => p.compression)).toEqual([3, 4, 3]);
    pages.forEach((b, i) => expect(bitmapDiff(decodePage(file, i).bitmap, b)).toBeUndefined());
    // libtiff puts each IFD after its strip: not the profile S layout of RFC 3949 §3.5.
    expect(checkProfile(file).profile).not.toBe('S');
  });
});

describe('Ghostscript writes, ifax reads', () => {
  const ps = tmp.path('pages.ps');
  beforeAll(() =>
    writeBytes(
      ps,
      new TextEncoder().encode(`%!PS
/Helvetica findfont 36 scalefont setfont
72 700 moveto (ifax TIFF test page 1) show
newpath 72 72 moveto 500 600 lineto 10 setlinewidth stroke
newpath 300 300 100 0 360 arc fill
showpage
/Times-Roman findfont 20 scalefont setfont
72 500 moveto (Second page: the quick brown fox) show
0 1 40 { 10 mul 100 add 100 moveto 0 300 rlineto 2 setlinewidth stroke } for
showpage
`),
    ),
  );

  it.each([
    ['tiffg3', []],
    ['tiffg3', ['-dFillOrder=2']],
    ['tiffg32d', []],
    ['tiffg4', []],
    ['tiffg4', ['-r400x391']],
    ['tiffcrle', []],
  ])('gs -sDEVICE=%s %j: every page decodes to libtiff\'s bitmap', (device, extra) => {
    const out = tmp.path(`gs-${device}${(extra as string[]).join('').replace(/\W+/g, '_')}.tif`);
    mustRun('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', `-sDEVICE=${device}`, '-r204x196', ...(extra as string[]), '-sPAPERSIZE=a4', `-sOutputFile=${out}`, ps]);
    const file = readTiff(readBytes(out));
    expect(file.pages).toHaveLength(2);
    for (const p of file.pages) {
      const ours = decodePage(file, p.index);
      expect(bitmapDiff(ours.bitmap, libtiffDecode(out, p.index, tmp.path))).toBeUndefined();
      expect(ours.bitmap.data.some((v) => v !== 0)).toBe(true); // not a blank page
      expect(ours.damagedRows).toBe(0);
    }
  });
});

describe('ifax writes, libtiff reads', () => {
  const itu = [1, 2, 3, 5].map((n) => ituChart(n));
  const cases: [string, WriteFaxTiffOptions, () => Bitmap[]][] = [
    ['S, MH, EOL fill', { profile: 'S', compression: 'MH', xRes: 204, yRes: 196 }, () => itu],
    ['S, MH, no fill', { profile: 'S', compression: 'MH', xRes: 204, yRes: 196, eolFill: false }, () => itu.slice(0, 2)],
    ['S, MH, 200 x 100', { profile: 'S', compression: 'MH', xRes: 200, yRes: 100 }, () => [randomBitmap(1728, 1100, 20)]],
    ['F, MH, FillOrder 1', { profile: 'F', compression: 'MH', xRes: 204, yRes: 98, fillOrder: 1 }, () => [randomBitmap(1728, 500, 21), itu[1]]],
    ['F, MR, FillOrder 2', { profile: 'F', compression: 'MR', xRes: 204, yRes: 196 }, () => itu.slice(0, 3)],
    ['F, MR, FillOrder 1, no fill', { profile: 'F', compression: 'MR', xRes: 204, yRes: 98, fillOrder: 1, eolFill: false }, () => [randomBitmap(2048, 300, 22)]],
    ['F, MMR, FillOrder 2', { profile: 'F', compression: 'MMR', xRes: 204, yRes: 196 }, () => itu],
    ['F, MMR, FillOrder 1, 300 dpi', { profile: 'F', compression: 'MMR', xRes: 300, yRes: 300, fillOrder: 1 }, () => [randomBitmap(2592, 400, 23), randomBitmap(3072, 200, 24)]],
    ['F, MMR, 600 dpi allowed', { profile: 'F', compression: 'MMR', xRes: 600, yRes: 600, allowNonStandardSize: true }, () => [randomBitmap(4960, 300, 25)]],
    ['F, MR, odd width allowed', { profile: 'F', compression: 'MR', xRes: 200, yRes: 200, allowNonStandardSize: true }, () => [randomBitmap(157, 151, 26)]],
  ];

  it.each(cases)('%s: tiffcp -c none / tifftopnm give the source bitmaps, tiffinfo -D is silent', (name, opts, pages) => {
    const bitmaps = pages();
    const out = tmp.path(`ours-${name.replace(/\W+/g, '_')}.tif`);
    writeBytes(out, writeFaxTiff(bitmaps, opts));
    bitmaps.forEach((b, i) => expect(bitmapDiff(libtiffDecode(out, i, tmp.path), b)).toBeUndefined());
    const info = run('tiffinfo', ['-D', out]);
    expect(info.stderr).toBe('');
    expect(info.status).toBe(0);
    const report = checkProfile(readTiff(readBytes(out)));
    expect(report.profile).toBe(opts.profile === 'S' ? 'S' : opts.allowNonStandardSize ? 'other' : 'F');
  });

  it('the same bytes come back from ifax itself', () => {
    const opts: WriteFaxTiffOptions = { profile: 'F', compression: 'MR', xRes: 204, yRes: 196, fillOrder: 1 };
    const file = readTiff(writeFaxTiff(itu, opts));
    itu.forEach((b, i) => expect(bitmapDiff(decodePage(file, i).bitmap, b)).toBeUndefined());
  });

  it('writes pages from any iterable (page count unknown up front) into a valid file', () => {
    function* gen() {
      yield randomBitmap(1728, 200, 30);
      yield randomBitmap(1728, 100, 31);
    }
    const out = tmp.path('ours-iterable.tif');
    writeBytes(out, writeFaxTiff(gen(), { profile: 'S', compression: 'MH', xRes: 204, yRes: 98 }));
    expect(run('tiffinfo', ['-D', out]).stderr).toBe('');
    expect(readTiff(readBytes(out)).pages.map((p) => p.pageNumber)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });
});

describe('HylaFAX tiffcheck', () => {
  let tiffcheck = '';
  beforeAll(() => {
    tiffcheck = requireTiffcheck();
  });
  const lengthMm = (rows: number, yRes: number) => String(Math.ceil((rows / yRes) * 25.4) + 1);

  it.each([
    [196, 'EOL fill', true],
    [98, 'no fill', false],
  ] as const)('says OK for our profile S at %d lpi (%s)', (yRes, _n, eolFill) => {
    const pages = [ituChart(1), ituChart(6)];
    const out = tmp.path(`check-${yRes}.tif`);
    writeBytes(out, writeFaxTiff(pages, { profile: 'S', compression: 'MH', xRes: 204, yRes, eolFill }));
    const r = run(tiffcheck, ['-r', String(yRes), '-l', lengthMm(2376, yRes), out]);
    expect(r.stdout.split('\n')[0]).toBe('OK');
    expect(checkProfile(readTiff(readBytes(out))).profile).toBe('S');
  });

  it('says OK for our MMR (-3) and MR (-2) profile F files', () => {
    for (const [coding, flag] of [
      ['MMR', '-3'],
      ['MR', '-2'],
    ] as const) {
      const out = tmp.path(`check-${coding}.tif`);
      writeBytes(out, writeFaxTiff([ituChart(2)], { profile: 'F', compression: coding, xRes: 204, yRes: 196 }));
      expect(run(tiffcheck, [flag, '-r', '196', '-l', lengthMm(2376, 196), out]).stdout.split('\n')[0]).toBe('OK');
    }
  });

  it('is not fooled: it asks to reformat a G4 file for a G3 destination', () => {
    const out = tmp.path('check-neg.tif');
    writeBytes(out, writeFaxTiff([ituChart(2)], { profile: 'F', compression: 'MMR', xRes: 204, yRes: 196 }));
    expect(run(tiffcheck, ['-r', '196', '-l', lengthMm(2376, 196), out]).stdout).toMatch(/^REFORMAT/);
  });
});
