/**
 * The convert job in-process, its I/O injected: one page stream into one writer per format,
 * so every path (fitted or --fit none, TIFF, PDF, PBM, PNG, stdout) shares the pass-through
 * rule. Oracles: libtiff (tifftopnm, tiffinfo) and poppler (pdfimages).
 */

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { convert, type ConvertIo } from '../../src/jobs/convert.js';
import { parseP4, tiffPages, toolOk } from '../image/oracles.js';

const fixture = (name: string): string => path.resolve('test/fixtures/convert', name);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-job-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  warnings: string[];
  debug: string[];
  progress: string[];
  afterPage: number;
  stdout: Buffer[];
}

function io(stdin = ''): { io: ConvertIo; seen: Seen } {
  const seen: Seen = { warnings: [], debug: [], progress: [], afterPage: 0, stdout: [] };
  const stdout = new PassThrough();
  stdout.on('data', (b: Buffer) => seen.stdout.push(b));
  const input = new PassThrough();
  input.end(stdin);
  return {
    seen,
    io: {
      stdin: input,
      stdout,
      warn: (m) => seen.warnings.push(m),
      debug: (m) => seen.debug.push(m),
      progress: (d, t) => seen.progress.push(`${d}/${t}`),
      afterPage: () => seen.afterPage++,
    },
  };
}

/** The images pdfimages lists: their encoding (ccitt, jpeg, image...). */
function pdfImageKinds(file: string): string[] {
  const lines = toolOk('pdfimages', ['-list', file]).toString().trim().split('\n').slice(2);
  return lines.map((l) => l.trim().split(/\s+/)[8]);
}

describe('convert as a job', () => {
  it('--fit none: a multi-strip G4 page goes into a PDF strip by strip, not re-encoded; each page is reported', async () => {
    const out = path.join(dir, 'view.pdf');
    const { io: i, seen } = io();
    const r = await convert({ inputs: [fixture('g4-multi.tiff')], output: out, fit: 'none' }, i);
    expect(r.pages.map((p) => p.path)).toEqual(['pass-through', 'pass-through', 'pass-through']);
    expect(pdfImageKinds(out).every((k) => k === 'ccitt')).toBe(true);
    expect(seen.progress).toEqual(['1/3', '2/3', '3/3']);
    expect(seen.afterPage).toBe(3);
  });

  it('fitted: a TIFF page that already is a fine A4 fax page is copied into the PDF as well (one rule for both)', async () => {
    const out = path.join(dir, 'fitted.pdf');
    const r = await convert({ inputs: [fixture('cisco-fax.tif')], output: out, paper: 'A4', compression: undefined }, io().io);
    // MH data is not what a PDF embeds (T.6 only), so the rule refuses and the page is encoded ...
    expect(r.pages[0].path).toBe('encoded');
    // ... while the same page in MMR, fitted, is copied.
    const g4 = path.join(dir, 'cisco-g4.tif');
    await convert({ inputs: [fixture('cisco-fax.tif')], output: g4, compression: 'MMR' }, io().io);
    const r2 = await convert({ inputs: [g4], output: path.join(dir, 'g4.pdf'), paper: 'A4' }, io().io);
    expect(r2.pages[0].path).toBe('pass-through');
    expect(pdfImageKinds(path.join(dir, 'g4.pdf'))).toEqual(['ccitt']);
  });

  it('a damaged page is re-encoded from its concealed pixels, never copied, and the damage is reported once', async () => {
    const out = path.join(dir, 'g3.tif');
    const { io: i, seen } = io();
    const r = await convert({ inputs: [fixture('g3aoe.tif')], output: out, fit: 'none', compression: 'MH' }, i);
    expect(r.pages[0].path).toBe('encoded');
    expect(r.pages[0].damagedRows).toBeGreaterThan(0);
    expect(seen.warnings.filter((w) => /damaged row/.test(w))).toHaveLength(1);
    expect(tiffPages(out)[0].height).toBe(r.pages[0].height);
  });

  it('PBM to stdout through the injected stream equals libtiff\'s decode of the same fax', async () => {
    const { io: i, seen } = io();
    const r = await convert({ inputs: [fixture('g4-multi.tiff')], output: '-', format: 'pbm' }, i);
    const got = parseP4(Buffer.concat(seen.stdout));
    const want = tiffPages(fixture('g4-multi.tiff'));
    expect(got.map((p) => [p.width, p.height])).toEqual(want.map((p) => [p.width, p.height]));
    got.forEach((p, k) => expect(p.data.equals(want[k].data)).toBe(true));
    expect(r.bytes).toBe(Buffer.concat(seen.stdout).length);
  });

  it('stdin is read as a file: a PBM piped in becomes a fax TIFF', async () => {
    const pbm = readFileSync(fixture('itu1-top.pbm'));
    const out = path.join(dir, 'stdin.tif');
    const s = new PassThrough();
    s.end(pbm);
    const { io: i } = io();
    const r = await convert({ inputs: ['-'], output: out }, { ...i, stdin: s });
    expect(r.pages[0].source).toBe('stdin');
    expect(tiffPages(out)[0].data.equals(parseP4(pbm)[0].data)).toBe(true);
  });

  it('PNG: a file per page, all appearing together; on failure none is left', async () => {
    const out = path.join(dir, 'page.png');
    const r = await convert({ inputs: [fixture('itu-two.pbm')], output: out }, io().io);
    expect(r.output).toEqual([path.join(dir, 'page-1.png'), path.join(dir, 'page-2.png')]);
    writeFileSync(path.join(dir, 'bad.pbm'), 'P4\n10 10\n');
    await expect(convert({ inputs: [fixture('itu-two.pbm'), path.join(dir, 'bad.pbm')], output: path.join(dir, 'x.png') }, io().io)).rejects.toMatchObject({ code: expect.any(String) });
    expect(readdirSync(dir).filter((f) => f.startsWith('x'))).toEqual([]);
  });
});
