/**
 * `ifax convert` with page fitting (issue "Pages"), end to end through the binary, checked
 * with libtiff (tiffinfo, tifftopnm), Ghostscript and our own TIFF reader.
 * Fixtures: test/fixtures/pdf (make-fixtures.sh: ps2pdf, tiff2pdf), test/fixtures/pages,
 * test/fixtures/color.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../helpers/run-cli.js';
import { parseP4, tiffPages, toolOk, type Pbm } from '../image/oracles.js';
import { checkProfile, readTiff } from '../../src/tiff/index.js';
import { renderHeader } from '../../src/image/header.js';
import { decodeColorPage } from '../../src/image/color/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures');
const pdfFixture = (n: string): string => path.join(root, 'pdf', n);
const pageFixture = (n: string): string => path.join(root, 'pages', n);
const colorFixture = (n: string): string => path.join(root, 'color', n);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-pages-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = (name: string): string => path.join(dir, name);

interface Report {
  pages: Array<{ width: number; height: number; xRes: number; yRes: number; compression: string; path: string; sourcePage: number }>;
}
const json = (stdout: string): Report => JSON.parse(stdout) as Report;

/** Page sizes and resolutions as libtiff reports them. */
function tiffinfoPages(file: string): Array<{ width: number; height: number; res: string }> {
  const info = toolOk('tiffinfo', [file]).toString();
  const sizes = [...info.matchAll(/Image Width: (\d+) Image Length: (\d+)/g)];
  const res = [...info.matchAll(/Resolution: ([\d.]+, [\d.]+)/g)];
  return sizes.map((m, i) => ({ width: Number(m[1]), height: Number(m[2]), res: res[i][1] }));
}

function rows(p: Pbm, from: number, to: number): Buffer {
  const stride = Math.ceil(p.width / 8);
  return p.data.subarray(from * stride, to * stride);
}

describe('PDF made by Ghostscript (ps2pdf): pages, sizes, resolution tags', () => {
  test('fine: two pages (A4 and letter) 1728 wide, at most A4 long, 204 x 196, rendered', () => {
    const o = out('text-fine.tif');
    const r = runCli(['--json', 'convert', pdfFixture('text-2p.pdf'), '-o', o]);
    expect(r.code).toBe(0);
    expect(json(r.stdout).pages.map((p) => p.path)).toEqual(['rendered', 'rendered']);
    const pages = tiffinfoPages(o);
    expect(pages.length).toBe(2);
    for (const p of pages) {
      expect(p.width).toBe(1728);
      expect(p.height).toBeLessThanOrEqual(2292);
      expect(p.res).toBe('204, 196');
    }
    // An A4 page fills the A4 length; the letter page is shorter (279 mm at 7.7 l/mm).
    expect(pages[0].height).toBeGreaterThan(2250);
    expect(pages[1].height).toBeGreaterThan(2100);
    expect(pages[1].height).toBeLessThan(2200);
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(o)))).profile).toBe('F');
  });

  test('standard and superfine set the resolution and scale the rows', () => {
    const std = out('text-std.tif');
    expect(runCli(['convert', pdfFixture('text-2p.pdf'), '-o', std, '--resolution', 'standard']).code).toBe(0);
    const s = tiffinfoPages(std);
    expect(s.map((p) => [p.width, p.res])).toEqual([
      [1728, '204, 98'],
      [1728, '204, 98'],
    ]);
    expect(s[0].height).toBeLessThanOrEqual(1146);
    const sf = out('text-sf.tif');
    expect(runCli(['convert', pdfFixture('text-2p.pdf'), '-o', sf, '--resolution', 'superfine']).code).toBe(0);
    expect(tiffinfoPages(sf).map((p) => [p.width, p.res])[0]).toEqual([3456, '400, 400']);
  });

  test('the rendered text is where Ghostscript puts it', () => {
    const o = out('text-gs.tif');
    expect(runCli(['convert', pdfFixture('text-2p.pdf'), '-o', o, '--halftone', 'threshold']).code).toBe(0);
    const ours = tiffPages(o)[0];
    const gs = parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', '-r204x196', '-dFirstPage=1', '-dLastPage=1', '-o', '-', pdfFixture('text-2p.pdf')]))[0];
    // Ghostscript's A4 is 1686 wide at 204 dpi; ours is centred on the 1728 scan line.
    const left = (1728 - gs.width) >> 1;
    let blackGs = 0;
    let near = 0;
    const bit = (p: Pbm, x: number, y: number): number => (x < 0 || y < 0 || x >= p.width || y >= p.height ? 0 : (p.data[y * Math.ceil(p.width / 8) + (x >> 3)] >> (7 - (x & 7))) & 1);
    for (let y = 0; y < Math.min(gs.height, ours.height); y += 2) {
      for (let x = 0; x < gs.width; x += 2) {
        if (!bit(gs, x, y)) continue;
        blackGs++;
        let hit = 0;
        for (let dy = -1; dy <= 1 && !hit; dy++) for (let dx = -1; dx <= 1 && !hit; dx++) hit = bit(ours, x + left + dx, y + dy);
        near += hit;
      }
    }
    expect(blackGs).toBeGreaterThan(1000);
    expect(near / blackGs).toBeGreaterThan(0.95);
  });
});

describe('scanned PDF (tiff2pdf from a 204 x 196 G4 TIFF): the fast path', () => {
  test('into a fax TIFF: the G4 data passes through; libtiff decodes the source pixels exactly', () => {
    const o = out('scan.tif');
    const r = runCli(['--json', 'convert', pdfFixture('scan-g4.pdf'), '-o', o]);
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    // The ITU chart is 2376 rows: 4% over A4, still one fax page.
    expect(report.pages.map((p) => [p.path, p.width, p.height, p.compression])).toEqual([['pass-through', 1728, 2376, 'MMR']]);
    expect(tiffPages(o)[0].data.equals(tiffPages(pdfFixture('itu1-g4.tif'))[0].data)).toBe(true);
  });

  test('with a header line or another coding the page is decoded (fast path) and re-encoded, pixels kept', () => {
    const o = out('scan-mh.tif');
    const r = runCli(['--json', 'convert', pdfFixture('scan-g4.pdf'), '-o', o, '--compression', 'MH']);
    expect(json(r.stdout).pages[0].path).toBe('fast-path');
    expect(tiffPages(o)[0].data.equals(tiffPages(pdfFixture('itu1-g4.tif'))[0].data)).toBe(true);
  });
});

describe('profile S (--mode simple) from any input', () => {
  test('rendered, scanned (2376-row chart) and photo pages with a header line pass HylaFAX tiffcheck', () => {
    const o = out('simple.tif');
    const r = runCli(['convert', pdfFixture('text-2p.pdf'), pdfFixture('scan-g4.pdf'), pageFixture('colour.jpg'), '-o', o, '--mode', 'simple', '--header', '--sender', 'Test']);
    expect(r.code).toBe(0);
    expect(toolOk('tiffcheck', ['-1', '-r', '196', '-w', '1728', o]).toString().trim()).toBe('OK');
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(o)))).profile).toBe('S');
    // Never longer than A4: the 2376-row chart is shrunk onto the sheet, not split.
    expect(tiffinfoPages(o).map((p) => p.height <= 2291)).toEqual([true, true, true, true]);
  });
});

describe('halftoning', () => {
  test('a grey photo becomes a halftone, not a blob; text next to it stays as sharp as a threshold render', async () => {
    // A 200-dpi page: left half a smooth grey ramp 64..192, right half black bars on white.
    const w = 1600;
    const h = 1200;
    const grey = new Uint8Array(w * h).fill(255);
    for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) grey[y * w + x] = 64 + Math.round((128 * y) / h);
    for (let y = 100; y < h - 100; y += 40) for (let x = w / 2 + 100; x < w - 100; x++) for (let t = 0; t < 6; t++) grey[(y + t) * w + x] = 0;
    const png = out('photo-text.png');
    writeFileSync(png, await sharp(Buffer.from(grey), { raw: { width: w, height: h, channels: 1 } }).withMetadata({ density: 200 }).png().toBuffer());
    const o = out('photo-text.tif');
    expect(runCli(['convert', png, '-o', o]).code).toBe(0);
    const page = tiffPages(o)[0];
    expect(page.width).toBe(1728);
    const stride = page.width / 8;
    // Photo half: many transitions per row and about half black in the middle band.
    const mid = Math.round(page.height / 2);
    let changes = 0;
    let black = 0;
    let prev = 0;
    const photoEnd = 64 + w / 2 - 40;
    for (let x = 104; x < photoEnd; x++) {
      const b = (page.data[mid * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
      if (b !== prev) changes++;
      black += b;
      prev = b;
    }
    expect(changes).toBeGreaterThan(50);
    expect(black / (photoEnd - 104)).toBeGreaterThan(0.35);
    expect(black / (photoEnd - 104)).toBeLessThan(0.65);
    // Text half: identical to a plain threshold render of the same page.
    const t = out('photo-text-threshold.tif');
    expect(runCli(['convert', png, '-o', t, '--halftone', 'threshold', '--threshold', '128']).code).toBe(0);
    const thr = tiffPages(t)[0];
    const right = (p: Pbm): number[] => {
      const v: number[] = [];
      for (let y = 150; y < p.height - 150; y += 3) for (let xb = (64 + w / 2 + 80) >> 3; xb < stride - 10; xb++) v.push(p.data[y * stride + xb]);
      return v;
    };
    expect(right(page)).toEqual(right(thr));
  });
});

describe('the header line', () => {
  const fields = { sender: 'Sales Dept', station: '+49 30 1234567', date: new Date('2026-11-27T14:03:00Z'), timeZone: 'UTC' };

  test('with --header every page starts with it, P.n/m counting output pages', () => {
    const o = out('header.tif');
    const r = runCli(['convert', pdfFixture('text-2p.pdf'), '-o', o, '--header', '--sender', fields.sender, '--station', fields.station, '--date', '2026-11-27T14:03:00Z', '--time-zone', 'UTC']);
    expect(r.code).toBe(0);
    const pages = tiffPages(o);
    expect(pages.length).toBe(2);
    pages.forEach((p, i) => {
      const strip = renderHeader({ ...fields, page: i + 1, pages: 2 }, 1728, 204, 196);
      expect(rows(p, 0, strip.height).equals(Buffer.from(strip.data))).toBe(true);
      // Page plus header still fit the A4 sheet.
      expect(p.height).toBeLessThanOrEqual(2292);
    });
  });

  test('without --header there is none', () => {
    const o = out('no-header.tif');
    expect(runCli(['convert', pdfFixture('text-2p.pdf'), '-o', o, '--no-header']).code).toBe(0);
    const strip = renderHeader({ ...fields, page: 1, pages: 2 }, 1728, 204, 196);
    expect(rows(tiffPages(o)[0], 0, strip.height).equals(Buffer.from(strip.data))).toBe(false);
    expect(rows(tiffPages(o)[0], 0, strip.height).every((b) => b === 0)).toBe(true);
  });

  test('--fit none refuses fitting options (64)', () => {
    expect(runCli(['convert', pdfFixture('text-2p.pdf'), '-o', out('x.tif'), '--fit', 'none', '--header']).code).toBe(64);
  });
});

describe('colour: TIFF-FX profile C', () => {
  test('a colour picture round-trips through profile C within a small colour error', async () => {
    const o = out('colour.tif');
    const r = runCli(['--json', 'convert', colorFixture('chart.png'), '-o', o, '--color']);
    expect(r.code).toBe(0);
    const tiff = readTiff(new Uint8Array(readFileSync(o)));
    expect(checkProfile(tiff).profile).toBe('C');
    expect(toolOk('tiffinfo', [o]).toString()).toMatch(/ITU L\*a\*b\*/);
    const page = decodeColorPage(tiff, 0);
    expect(page.channels).toBe(3);
    // The landscape chart is turned (its top to the left edge) and fitted onto one sheet.
    expect([page.width, page.height]).toEqual([1728, 2338]);
    // The same fitting by sharp alone (turned, same size, white margins): mean error per channel.
    const turned = await sharp(colorFixture('chart.png')).rotate(270).toBuffer();
    const { data } = await sharp(turned).flatten({ background: '#ffffff' }).removeAlpha().resize(page.width, page.height, { fit: 'contain', background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
    let err = 0;
    for (let i = 0; i < data.length; i++) err += Math.abs(data[i] - page.data[i]);
    expect(err / data.length).toBeLessThan(8);
  });

  test('--gray makes grey profile C pages; PNG and PDF out keep the colour', () => {
    const g = out('grey.tif');
    expect(runCli(['convert', colorFixture('chart.png'), '-o', g, '--gray']).code).toBe(0);
    expect(decodeColorPage(readTiff(new Uint8Array(readFileSync(g))), 0).channels).toBe(1);
    const c = out('colour2.tif');
    expect(runCli(['convert', colorFixture('chart.png'), '-o', c, '--color']).code).toBe(0);
    expect(runCli(['convert', c, '-o', out('colour2.pdf')]).code).toBe(0);
    expect(toolOk('pdfimages', ['-list', out('colour2.pdf')]).toString()).toMatch(/rgb\s+3\s+8\s+jpeg/);
  });

  test('profile C written by others (libtiff tiffcp -c jpeg, ITULAB) is read', async () => {
    const r = runCli(['--json', 'convert', colorFixture('chart-itulab-jpeg.tif'), '-o', out('others.png')]);
    expect(r.code).toBe(0);
    const meta = await sharp(out('others-1.png')).metadata();
    expect([meta.format, meta.channels]).toEqual(['png', 3]);
  });
});

describe('inputs', () => {
  test('several inputs of every kind make one document, in order; stdin works', () => {
    const o = out('mixed.tif');
    const pdf = readFileSync(pdfFixture('scan-g4.pdf'));
    const r = runCli(['--json', 'convert', pageFixture('grey.jpg'), '-', pageFixture('picture.webp'), pageFixture('animated.gif'), pageFixture('multipage-lzw.tif'), '-o', o], { input: pdf });
    expect(r.code).toBe(0);
    const rep = json(r.stdout);
    expect(rep.pages.length).toBe(6);
    expect(rep.pages[1].path).toBe('pass-through');
    expect(tiffinfoPages(o).every((p) => p.width === 1728)).toBe(true);
  });

  test('broken or unknown input: 65, naming the file and why', () => {
    for (const f of [pdfFixture('truncated.pdf'), pageFixture('broken-truncated.jpg'), pdfFixture('encrypted.pdf')]) {
      const r = runCli(['convert', f, '-o', out('bad.tif')]);
      expect(r.code).toBe(65);
      expect(r.stderr).toContain(path.basename(f));
    }
  });
});

describe('what the PDF libraries print (issue 8)', () => {
  test('a scan with a damaged object converts with nothing of a library on stderr, also with -v (the damaged object is never read)', () => {
    const r = runCli(['convert', pdfFixture('scan-bad-info.pdf'), '-o', out('bad-info.tif')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('passed through unchanged');
    const v = runCli(['-v', 'convert', pdfFixture('scan-bad-info.pdf'), '-o', out('bad-info.tif')]);
    expect(v.code).toBe(0);
    expect(v.stderr).not.toMatch(/pdf-lib|Trying to parse/);
  });

  test('a scan encrypted with an owner password only is rendered, without pdf-lib\'s advice to use ignoreEncryption', () => {
    const r = runCli(['convert', pdfFixture('scan-owner-password.pdf'), '-o', out('owner.tif')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const v = runCli(['-v', 'convert', pdfFixture('scan-owner-password.pdf'), '-o', out('owner.tif')]);
    expect(v.stderr).toContain('it is encrypted (with an owner password only: it opens without one)');
    expect(v.stderr).not.toMatch(/ignoreEncryption|PDFDocument/);
  });
});
