import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ifax from '../src/index.js';
import { EXIT_CODES, IfaxError, codec, config, fitPages, image, readFax, tiff, writeFax } from '../src/index.js';
import { parseP4, tiffPages } from './image/oracles.js';

const fixture = (name: string): string => path.resolve('test/fixtures/convert', name);

describe('the library entry point', () => {
  it('is a small surface: documents, jobs, and the building blocks as namespaces', () => {
    const names = Object.keys(ifax).sort();
    expect(names).toEqual(
      ['EXIT_CODES', 'IfaxError', 'RESOLUTIONS', 'codec', 'config', 'convert', 'describeFile', 'exitCodeOf', 'fax', 'fitPages', 'image', 'isIfaxError', 'limits', 'readFax', 'tiff', 'writeFax'].sort(),
    );
  });

  it('encodes, wraps in TIFF, reads back and decodes through the namespaces', () => {
    const width = 1728;
    const height = 3;
    const stride = width / 8;
    const data = new Uint8Array(stride * height);
    data.fill(0xf0, stride, 2 * stride); // row 1: a comb
    const coded = codec.encodeFax({ width, height, data }, { coding: 'MMR', width });
    expect(codec.decodeFax(coded, { coding: 'MMR', width, height }).bitmap.data).toEqual(data);
    const file = tiff.writeFaxTiff([{ width, height, data }], { profile: 'F', compression: 'MMR', xRes: 204, yRes: 196 });
    expect(tiff.decodePage(tiff.readTiff(file), 0).bitmap.data).toEqual(data);
  });

  it('exposes the page steps', async () => {
    const header = image.renderHeader({ sender: 'ifax', date: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', page: 1, pages: 1 }, 1728, 204, 196);
    expect(header.width).toBe(1728);
    const grey = { width: 8, height: 1, channels: 1 as const, data: new Uint8Array([0, 0, 0, 0, 255, 255, 255, 255]) };
    expect(Array.from(image.toBilevel(grey, 'threshold', 128).data)).toEqual([0xf0]);
    const [page] = await image.fitPage({ kind: 'bitmap', bitmap: header }, { xRes: 204, yRes: 196 }, { xRes: 204, yRes: 196, paper: 'A4', rotate: 'none', longPage: 'split', colour: 'bw', halftone: 'threshold' });
    expect(page.scaled).toBe(false);
  });

  it('exposes the error model and the profile schema', () => {
    expect(EXIT_CODES.USAGE).toBe(64);
    expect(new IfaxError('USAGE', 'x').code).toBe('USAGE');
    expect(config.validateConfig(config.defaultConfig()).ok).toBe(true);
  });

  it('readFax + writeFax: a PBM fitted to a fine A4 fax in memory that libtiff decodes to the same pixels', async () => {
    const doc = await readFax(fixture('itu1-top.pbm'), { pages: fitPages({ resolution: 'fine' }) });
    let out;
    try {
      out = await writeFax(doc, { format: 'tiff' });
    } finally {
      await doc.close();
    }
    expect(out.bytes).toBeDefined();
    expect(out.pages).toHaveLength(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'ifax-lib-'));
    try {
      const file = path.join(dir, 'fax.tif');
      writeFileSync(file, out.bytes!);
      const [page] = tiffPages(file);
      const [src] = parseP4(readFileSync(fixture('itu1-top.pbm')));
      // A 1728-wide fine page is passed on unscaled: libtiff sees exactly the source's rows.
      expect(page.width).toBe(1728);
      expect(page.data.subarray(0, src.data.length).equals(src.data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('examples/library.mjs', () => {
  it('runs against the built package: PDF in, fax TIFF in memory, G4 copied into a PDF', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ifax-example-'));
    try {
      const tif = path.join(dir, 'fax.tif');
      const pdf = path.join(dir, 'fax.pdf');
      const r = spawnSync(process.execPath, ['examples/library.mjs', path.resolve('test/fixtures/pdf/scan-g4.pdf'), fixture('itu-two.pbm'), tif, pdf], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const pages = tiffPages(tif);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const p of pages) expect(p.width).toBe(1728);
      expect(r.stdout).toMatch(new RegExp(`${pages.length} page\\(s\\) in the PDF, ${pages.length} passed through`));
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
