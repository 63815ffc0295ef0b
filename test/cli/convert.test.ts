/**
 * `ifax convert` end to end: the built binary, checked against libtiff (tiffinfo, tifftopnm),
 * Ghostscript, poppler (pdfimages) and HylaFAX's tiffcheck.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, binPath, cleanEnv, repoRoot } from '../helpers/run-cli.js';
import { fixture, parseP4, pixelDiff, tiffPages, tool, toolOk, type Pbm } from '../image/oracles.js';
import { checkProfile, readTiff } from '../../src/tiff/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-convert-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const out = (name: string): string => path.join(dir, name);
const pbm = (name: string): Pbm[] => parseP4(readFileSync(fixture(name)));
const same = (a: Pbm[], b: Pbm[]): void => {
  expect(a.map((p) => [p.width, p.height])).toEqual(b.map((p) => [p.width, p.height]));
  a.forEach((p, i) => expect([i, pixelDiff(p, b[i])]).toEqual([i, 0]));
};

interface Report {
  output: string | string[];
  pages: Array<{ width: number; height: number; xRes: number; yRes: number; compression: string; bytes: number; path: string; damagedRows: number }>;
  bytes: number;
}
const json = (stdout: string): Report => JSON.parse(stdout) as Report;

describe('bitmaps -> fax TIFF', () => {
  test.each([
    ['MH', 'CCITT Group 3', /Group 3 Options: EOL padding/],
    ['MR', 'CCITT Group 3', /Group 3 Options: 2-d encoding/],
    ['MMR', 'CCITT Group 4', /Compression Scheme: CCITT Group 4/],
  ])('a P4 page coded %s decodes in libtiff to the input pixels', (coding, scheme, option) => {
    const o = out(`itu1-${coding}.tif`);
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', o, '--compression', coding]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/wrote .*itu1-.*\.tif: 1 page, TIFF/);
    const info = toolOk('tiffinfo', [o]).toString();
    expect(info).toContain(`Compression Scheme: ${scheme}`);
    expect(info).toMatch(option);
    expect(info).toMatch(/Resolution: 204, 196 pixels\/inch/);
    same(tiffPages(o), pbm('itu1-top.pbm'));
  });

  test('MR uses K=2 at standard resolution and still decodes exactly', () => {
    const o = out('itu1-mr-std.tif');
    // --fit none: the fine bitmap is tagged standard as it is (no scaling), to test K=2 on real rows.
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', o, '--compression', 'MR', '--resolution', 'standard', '--fit', 'none']).code).toBe(0);
    expect(toolOk('tiffinfo', [o]).toString()).toMatch(/Resolution: 204, 98 pixels\/inch/);
    same(tiffPages(o), pbm('itu1-top.pbm'));
  });

  test('a multi-image P4 file, a P1 file and several inputs become one multi-page TIFF in order', () => {
    const o = out('multi.tif');
    const r = runCli(['--json', 'convert', fixture('itu-two.pbm'), fixture('plain-two.pbm'), fixture('bw-gopher.png'), '-o', o, '--fit', 'none']);
    expect(r.code).toBe(0);
    const rep = json(r.stdout);
    expect(rep.pages.map((p) => [p.width, p.height])).toEqual([[1728, 400], [1728, 300], [157, 151], [12, 3], [153, 55]]);
    expect(rep.output).toBe(o);
    expect(rep.bytes).toBe(statSync(o).size);
    expect(rep.pages.every((p) => p.path === 'encoded' && p.compression === 'MMR' && p.damagedRows === 0)).toBe(true);
    const plain = parseP4(toolOk('pamtopnm', [], readFileSync(fixture('plain-two.pbm'))));
    same(tiffPages(o), [...pbm('itu-two.pbm'), ...plain, ...pbm('bw-gopher.pbm')]);
    const info = toolOk('tiffinfo', [o]).toString();
    expect(info).toMatch(/Page Number: 0-5/);
    expect(info).toMatch(/Page Number: 4-5/);
  });

  test('a page that is not a fax width is fitted to the paper; --fit none keeps it exactly', () => {
    const o = out('narrow.tif');
    const r = runCli(['--json', 'convert', fixture('narrow-1000.pbm'), '-o', o]);
    expect(r.code).toBe(0);
    // No resolution in a PBM: scaled to the A4 scan width at fine resolution.
    expect(json(r.stdout).pages[0]).toMatchObject({ width: 1728, xRes: 204, yRes: 196, path: 'encoded' });
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(o)))).profile).toBe('F');
    // --fit none: the user asked for exact pixels, so they are kept, without a warning.
    const o2 = out('narrow2.tif');
    expect(runCli(['convert', fixture('narrow-1000.pbm'), '-o', o2, '--fit', 'none']).stderr).toBe('');
    same(tiffPages(o2), pbm('narrow-1000.pbm'));
  });

  test('PNG in: thresholded, and the same pixels as the reference bitmap', () => {
    const o = out('gopher.tif');
    expect(runCli(['convert', fixture('bw-gopher.png'), '-o', o, '--fit', 'none']).code).toBe(0);
    same(tiffPages(o), pbm('bw-gopher.pbm'));
  });

  test('stdin in, stdout out (-o - needs --format)', () => {
    const input = readFileSync(fixture('itu1-top.pbm'));
    const r = spawnSync(process.execPath, [binPath, 'convert', '-', '-o', '-', '--format', 'tiff'], { input, env: cleanEnv(), cwd: repoRoot });
    expect(r.status).toBe(0);
    const o = out('stdout.tif');
    writeFileSync(o, r.stdout);
    same(tiffPages(o), pbm('itu1-top.pbm'));
    const bad = runCli(['convert', fixture('itu1-top.pbm'), '-o', '-']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/needs --format/);
  });
});

describe('--mode simple (TIFF profile S)', () => {
  test('passes our profile checker, libtiff and HylaFAX tiffcheck', () => {
    const o = out('simple.tif');
    const r = runCli(['convert', fixture('itu-two.pbm'), '-o', o, '--mode', 'simple', '--resolution', 'fine']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const report = checkProfile(readTiff(new Uint8Array(readFileSync(o))));
    expect(report).toMatchObject({ profile: 'S', reasons: [] });
    const info = toolOk('tiffinfo', [o]).toString();
    expect(info).toMatch(/FillOrder: lsb-to-msb/);
    expect(info).toMatch(/Compression Scheme: CCITT Group 3/);
    const check = tool('tiffcheck', ['-1', '-r', '196', '-w', '1728', o]);
    expect(check.stdout.toString().trim()).toBe('OK');
    same(tiffPages(o), pbm('itu-two.pbm'));
  });

  test('standard resolution: tiffcheck accepts it at 98 lpi', () => {
    const o = out('simple-std.tif');
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', o, '--mode', 'simple', '--resolution', 'standard']).code).toBe(0);
    expect(tool('tiffcheck', ['-1', '-r', '98', '-w', '1728', o]).stdout.toString().trim()).toBe('OK');
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(o)))).profile).toBe('S');
  });

  test('a page that is not 1728 wide is refused with exit 65, naming the width', () => {
    const o = out('simple-narrow.tif');
    const r = runCli(['convert', fixture('narrow-1000.pbm'), '-o', o, '--mode', 'simple', '--fit', 'none']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/narrow-1000\.pbm.*1000 pixels wide.*1728/);
    expect(r.stderr).toMatch(/Drop --fit none/);
    expect(existsSync(o)).toBe(false);
  });

  test('MR/MMR or superfine with --mode simple is a usage error (64)', () => {
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', out('x.tif'), '--mode', 'simple', '--compression', 'MMR']).code).toBe(64);
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', out('x.tif'), '--mode', 'simple', '--resolution', 'superfine']).code).toBe(64);
  });

  test('a profile-F MH TIFF becomes profile S without re-encoding (bit order reversed only)', () => {
    const o = out('cisco-s.tif');
    const r = runCli(['--json', 'convert', fixture('cisco-fax.tif'), '-o', o, '--mode', 'simple']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).pages[0].path).toBe('pass-through');
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(o)))).profile).toBe('S');
    expect(tool('tiffcheck', ['-1', '-r', '196', '-w', '1728', o]).stdout.toString().trim()).toBe('OK');
    same(tiffPages(o), tiffPages(fixture('cisco-fax.tif')));
  });
});

describe('fax TIFF -> PBM, PNG, PDF, TIFF', () => {
  test('PBM: one P4 image per page, concatenated, equal to libtiff', () => {
    for (const f of ['g4-multi.tiff', 'g32ds.tif', 'g4-blackiszero.tif']) {
      const o = out(`${f}.pbm`);
      expect([f, runCli(['convert', fixture(f), '-o', o]).code]).toEqual([f, 0]);
      same(parseP4(readFileSync(o)), tiffPages(fixture(f)));
    }
  });

  test('PNG: one file per page (out-1.png ...), equal to libtiff', () => {
    const o = out('multi.png');
    const r = runCli(['--json', 'convert', fixture('g4-multi.tiff'), '-o', o]);
    expect(r.code).toBe(0);
    const files = [1, 2, 3].map((n) => out(`multi-${n}.png`));
    expect(json(r.stdout).output).toEqual(files);
    expect(existsSync(o)).toBe(false);
    const ref = tiffPages(fixture('g4-multi.tiff'));
    files.forEach((f, i) => same(parseP4(toolOk('pamtopnm', [], toolOk('pngtopam', [], readFileSync(f)))), [ref[i]]));
    // A single page is still numbered, as CLI.md says.
    expect(runCli(['convert', fixture('cisco-fax.tif'), '-o', out('single.png')]).code).toBe(0);
    expect(existsSync(out('single-1.png'))).toBe(true);
  });

  test('PDF: G4 pages are embedded as CCITT without re-encoding; Ghostscript renders the same pixels', () => {
    const o = out('multi.pdf');
    const r = runCli(['--json', 'convert', fixture('g4-multi.tiff'), '-o', o]);
    expect(r.code).toBe(0);
    const rep = json(r.stdout);
    expect(rep.pages.map((p) => p.path)).toEqual(['pass-through', 'pass-through', 'pass-through']);
    const list = toolOk('pdfimages', ['-list', o]).toString().split('\n').filter((l) => /^\s*\d+\s+\d+\s+image/.test(l));
    expect(list.length).toBe(6); // two strips per page
    for (const l of list) expect(l).toMatch(/\bccitt\b/);
    const pages = parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', '-r400', '-o', '-', o]));
    same(pages, tiffPages(fixture('g4-multi.tiff')));
  });

  test('PDF: an MH page is re-encoded to G4 (damaged row concealed) and renders like the source', () => {
    const o = out('g3aoe.pdf');
    const r = runCli(['--json', 'convert', fixture('g3aoe.tif'), '-o', o]);
    expect(r.code).toBe(0);
    const page = json(r.stdout).pages[0];
    expect(page).toMatchObject({ path: 'encoded', compression: 'MMR', width: 1728, height: 2328, xRes: 204, yRes: 196 });
    expect(page.damagedRows).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toMatch(/damaged row/);
    expect(toolOk('pdfimages', ['-list', o]).toString()).toMatch(/\bccitt\b/);
    const [rendered] = parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', '-r204x196', '-o', '-', o]));
    // Rows before the damaged row 35 must agree with libtiff; after it decoders may differ.
    expect(pixelDiff(rendered, tiffPages(fixture('g3aoe.tif'))[0], 35)).toBe(0);
  });

  test('PDF: a FillOrder 2 G4 page (as ifax writes them) is bit-reversed, not re-encoded', () => {
    const tif = out('fo2.tif');
    expect(runCli(['convert', fixture('itu-two.pbm'), '-o', tif]).code).toBe(0);
    expect(toolOk('tiffinfo', [tif]).toString()).toMatch(/FillOrder: lsb-to-msb/);
    const pdf = out('fo2.pdf');
    const r = runCli(['--json', 'convert', tif, '-o', pdf]);
    expect(json(r.stdout).pages.map((p) => p.path)).toEqual(['pass-through', 'pass-through']);
    const pages = parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', '-r204x196', '-o', '-', pdf]));
    same(pages, pbm('itu-two.pbm'));
  });

  test('PDF: BlackIsZero G4 renders the right way round', () => {
    const o = out('biz.pdf');
    expect(runCli(['convert', fixture('g4-blackiszero.tif'), '-o', o]).code).toBe(0);
    const [rendered] = parseP4(toolOk('gs', ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pbmraw', '-r300', '-o', '-', o]));
    same([rendered], tiffPages(fixture('g4-blackiszero.tif')));
  });

  test('TIFF -> TIFF: another coding re-encodes; the same coding passes strips through unchanged', () => {
    const mmr = out('cisco-mmr.tif');
    const r1 = runCli(['--json', 'convert', fixture('cisco-fax.tif'), '-o', mmr, '--compression', 'MMR']);
    expect(r1.code).toBe(0);
    expect(json(r1.stdout).pages[0].path).toBe('encoded');
    same(tiffPages(mmr), tiffPages(fixture('cisco-fax.tif')));

    const again = out('cisco-mmr-again.tif');
    const r2 = runCli(['--json', 'convert', mmr, '-o', again]);
    expect(r2.code).toBe(0);
    const p = json(r2.stdout).pages[0];
    expect(p.path).toBe('pass-through');
    // The coded strip is byte for byte the one in the source file.
    const src = readTiff(new Uint8Array(readFileSync(mmr)));
    const dst = readTiff(new Uint8Array(readFileSync(again)));
    const strip = (t: typeof src) => Buffer.from(t.bytes.subarray(t.pages[0].stripOffsets[0], t.pages[0].stripOffsets[0] + t.pages[0].stripByteCounts[0]));
    expect(strip(dst).equals(strip(src))).toBe(true);
    same(tiffPages(again), tiffPages(fixture('cisco-fax.tif')));
  });

  test('multi-strip MR with FillOrder 2 re-encodes to one-strip MMR', () => {
    const o = out('g32ds.tif');
    expect(runCli(['convert', fixture('g32ds.tif'), '-o', o, '--fit', 'none']).code).toBe(0);
    same(tiffPages(o), tiffPages(fixture('g32ds.tif')));
  });
});

describe('convert --info', () => {
  interface Info {
    file: string;
    format: string;
    profile: string;
    profileReasons: string[];
    pages: Array<{ width: number; height: number; xRes: number; yRes: number; compression: string; damagedRows: number; profile: string; notS: string[]; tiff: { fillOrder: number; photometric: number; options: string[]; strips: number }; diagnostics: Array<{ row: number }> }>;
  }

  test('g3aoe.tif: MH with EOL fill, 204 x 196, and its damaged row', () => {
    const r = runCli(['convert', '--info', fixture('g3aoe.tif'), '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Info;
    expect(info.format).toBe('tiff');
    const p = info.pages[0];
    expect(p).toMatchObject({ width: 1728, height: 2328, xRes: 204, yRes: 196, compression: 'MH' });
    expect(p.tiff).toMatchObject({ fillOrder: 1, photometric: 0, strips: 1 });
    expect(p.tiff.options).toContain('EOL fill');
    expect(p.damagedRows).toBeGreaterThanOrEqual(1);
    expect(p.diagnostics[0].row).toBe(35);
    expect(['S', 'F', 'other']).toContain(p.profile);
  });

  test('a multi-page G4 file: every page, profile with reasons; human text too', () => {
    const r = runCli(['convert', '--info', fixture('g4-multi.tiff'), '--json']);
    const info = JSON.parse(r.stdout) as Info;
    expect(info.pages).toHaveLength(3);
    expect(info.pages.every((p) => p.compression === 'MMR' && p.tiff.strips === 2 && p.damagedRows === 0)).toBe(true);
    expect(info.profile).not.toBe('S');
    expect(info.profileReasons.length).toBeGreaterThan(0);
    // Pages are counted from 1 wherever a person reads them (issue 8).
    expect(info.profileReasons.every((reason) => /^Page [123]: /.test(reason))).toBe(true);
    const human = runCli(['convert', '--info', fixture('g4-multi.tiff')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/page 3: 3307 x 4677 px, 400 x 400 dpi, MMR/);
  });

  test('a file we wrote in simple mode says profile S', () => {
    const o = out('info-s.tif');
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', o, '--mode', 'simple']).code).toBe(0);
    const info = JSON.parse(runCli(['convert', '--info', o, '--json']).stdout) as Info;
    expect(info.profile).toBe('S');
    expect(info.pages[0].tiff.fillOrder).toBe(2);
  });

  test('a page cut off at row 1370 of 3508: convert warns and --info reports the same damage, missing rows counted', () => {
    const want = '1 damaged row (repeated from the row above, or padded white), 2137 missing rows (not in the data, left white); first at row 1370';
    const c = runCli(['convert', fixture('g4-cut.tif'), '-o', out('cut.tif')]);
    expect(c.code).toBe(0);
    expect(c.stderr.match(/warning: .*/g)).toEqual([expect.stringContaining(`page 1 of ${JSON.stringify(fixture('g4-cut.tif'))}: ${want}`)]);
    expect(c.stdout).toMatch(/; 1 damaged row\(s\); 2137 missing row\(s\) left white$/m);
    const human = runCli(['convert', '--info', fixture('g4-cut.tif')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`  ${want}`);
    const info = JSON.parse(runCli(['convert', '--info', fixture('g4-cut.tif'), '--json']).stdout) as { pages: Array<{ damagedRows: number; missingRows: number; damage: string }> };
    expect(info.pages[0]).toMatchObject({ damagedRows: 1, missingRows: 2137 });
    expect(info.pages[0].damage).toContain(want);
  });

  test('a page that cannot be decoded: --info describes every page, then exits 65 naming the page', () => {
    const r = runCli(['convert', '--info', fixture('g4-page2-spoilt.tif')]);
    expect(r.code).toBe(65);
    expect(r.stdout).toMatch(/^page 1: 1728 x 400 px/m);
    expect(r.stdout).toMatch(/^page 2: 1728 x 3508 px.*\n {2}cannot decode: /m);
    expect(r.stderr).toMatch(/failed: page 2 cannot be decoded: /);
    const j = runCli(['convert', '--info', fixture('g4-page2-spoilt.tif'), '--json']);
    expect(j.code).toBe(65);
    // --json: stdout is one document (CLI.md), the error's.
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'FAX_DECODE_FAILED' } });
  });

  test('PBM input is described too', () => {
    const info = JSON.parse(runCli(['convert', '--info', fixture('itu-two.pbm'), '--json']).stdout) as Info;
    expect(info.pages.map((p) => [p.width, p.height])).toEqual([[1728, 400], [1728, 300]]);
  });
});

describe('errors and exit codes', () => {
  test('a missing input exits 66 naming the file', () => {
    const r = runCli(['convert', out('nope.pbm'), '-o', out('x.tif')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('nope.pbm');
  });

  test('garbage input exits 65 naming the file and why', () => {
    const r = runCli(['convert', fixture('garbage.bin'), '-o', out('x.tif')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/garbage\.bin.*not a file ifax reads/);
  });

  test('an output that cannot be written exits 73 naming the path', () => {
    const target = path.join(fixture('garbage.bin'), 'out.tif'); // parent is a file
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', target]);
    expect(r.code).toBe(73);
    expect(r.stderr).toContain(target);
  });

  test('a PBM header claiming 100000 x 100000 exits 65 at once, naming the limit', () => {
    const t0 = Date.now();
    const r = runCli(['--json', 'convert', fixture('huge-header.pbm'), '-o', out('x.tif')]);
    expect(r.code).toBe(65);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'LIMIT_EXCEEDED' } });
    expect(r.stderr).toMatch(/MAX_WIDTH/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test('a truncated PBM exits 65', () => {
    const r = runCli(['convert', fixture('truncated.pbm'), '-o', out('x.tif')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/truncated\.pbm.*50 of 100 rows/);
  });

  test('a failure on a later page leaves no output and no temp file behind', () => {
    const work = mkdtempSync(path.join(dir, 'atomic-'));
    copyFileSync(fixture('itu1-top.pbm'), path.join(work, 'good.pbm'));
    // A PNG whose header is fine but whose data is cut off: it fails when page 2 is decoded.
    writeFileSync(path.join(work, 'cut.png'), readFileSync(fixture('bw-gopher.png')).subarray(0, 120));
    for (const ext of ['tif', 'pdf', 'pbm', 'png']) {
      const r = runCli(['convert', path.join(work, 'good.pbm'), path.join(work, 'cut.png'), '-o', path.join(work, `out.${ext}`)]);
      expect([ext, r.code]).toEqual([ext, 65]);
      expect(r.stderr).toContain('cut.png');
      expect(readdirSync(work).sort()).toEqual(['cut.png', 'good.pbm']);
    }
  });

  test('an unknown flag exits 64', () => {
    const r = runCli(['convert', '--no-such-flag', fixture('itu1-top.pbm')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown option/);
  });

  test('a broken PDF: 65, naming the file', () => {
    const pdf = out('in.pdf');
    writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
    const r = runCli(['convert', pdf, '-o', out('x.tif')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/in\.pdf/);
    expect(existsSync(out('x.tif'))).toBe(false);
  });

  test('missing -o and unknown extension are usage errors', () => {
    expect(runCli(['convert', fixture('itu1-top.pbm')]).code).toBe(64);
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', out('x.bmp')]).code).toBe(64);
  });
});

describe('profile flags, --quiet and -v (issue 8)', () => {
  test('--config naming a missing file exits 66, before any output is written', () => {
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', out('cfg.tif'), '--config', out('no-such.yaml')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/--config ".*no-such\.yaml" does not exist/);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(existsSync(out('cfg.tif'))).toBe(false);
  });

  test('--profile naming no profile exits 78, for converting and for --info', () => {
    const cfg = out('profiles.yaml');
    writeFileSync(cfg, 'profiles:\n  office: {}\n');
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', out('prof.tif'), '--config', cfg, '--profile', 'hq']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/no profile "hq"/);
    expect(existsSync(out('prof.tif'))).toBe(false);
    expect(runCli(['convert', '--info', fixture('g4-multi.tiff'), '--config', cfg, '--profile', 'hq']).code).toBe(78);
    // A profile that is there is used, and said so under -v.
    const ok = runCli(['-v', 'convert', fixture('itu1-top.pbm'), '-o', out('prof.tif'), '--config', cfg, '--profile', 'office']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/profile: .*profiles\.yaml .*profiles\.office/);
  });

  test('--quiet prints nothing on success; --json still prints its document', () => {
    const r = runCli(['--quiet', 'convert', fixture('itu1-top.pbm'), '-o', out('quiet.tif')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(out('quiet.tif'))).toBe(true);
    const j = runCli(['--quiet', '--json', 'convert', fixture('itu1-top.pbm'), '-o', out('quiet.tif')]);
    expect(j.code).toBe(0);
    expect(json(j.stdout).pages).toHaveLength(1);
    // Errors still show.
    const e = runCli(['-q', 'convert', out('nope.pbm'), '-o', out('quiet.tif')]);
    expect(e.code).toBe(66);
    expect(e.stderr).toMatch(/nope\.pbm/);
  });

  test('-v says what was decided: output, fitting, and per page its source, fit and path', () => {
    const r = runCli(['-v', 'convert', fixture('itu1-top.pbm'), fixture('g4-multi.tiff'), '-o', out('verbose.tif')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote /);
    expect(r.stderr).toMatch(/output: TIFF \(from the extension of -o\), TIFF profile F, MMR \(default\); pages fitted to A4 at 204 x 196 dpi/);
    expect(r.stderr).toMatch(/page 1 of ".*itu1-top\.pbm": bilevel image 1728 x 400 px, no resolution stated, already A4 width, not scaled: 1728 x 400 px at 204 x 196 dpi, encoded MMR, \d+ bytes/);
    expect(r.stderr).toMatch(/page 3 of ".*g4-multi\.tiff" \(output page 4\): bilevel image 3307 x 4677 px, 400 x 400 dpi, fitted to A4: 1728 x \d+ px at 204 x 196 dpi, encoded MMR/);
    const kept = runCli(['-v', 'convert', fixture('g4-multi.tiff'), '-o', out('verbose.pdf')]);
    expect(kept.stderr).toMatch(/pages kept as they are \(no fitting option for PDF output\)/);
    expect(kept.stderr).toMatch(/page 1 of ".*g4-multi\.tiff": bilevel image .*, kept: .*, passed through \(its MMR data copied\)/);
    // Without -v none of it.
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', out('verbose.tif')]).stderr).toBe('');
  });
});

describe('option values (issue 8)', () => {
  test('values are taken in any case: --resolution Fine --paper a4 --mode SIMPLE --format TIFF', () => {
    const s = out('case-s.tif');
    const r = runCli(['--json', 'convert', fixture('itu1-top.pbm'), '-o', s, '--format', 'TIFF', '--resolution', 'Fine', '--paper', 'a4', '--mode', 'SIMPLE', '--halftone', 'Diffusion', '--rotate', 'NONE', '--long-page', 'Split']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).pages[0]).toMatchObject({ xRes: 204, yRes: 196, compression: 'MH' });
    expect(checkProfile(readTiff(new Uint8Array(readFileSync(s)))).profile).toBe('S');
    const o = out('case.tif');
    const ok = runCli(['--json', 'convert', fixture('itu1-top.pbm'), '-o', o, '--resolution', 'STANDARD', '--paper', 'Letter', '--compression', 'mr']);
    expect(ok.code).toBe(0);
    expect(json(ok.stdout).pages[0]).toMatchObject({ xRes: 204, yRes: 98, compression: 'MR' });
    const kept = runCli(['--json', 'convert', fixture('itu1-top.pbm'), '-o', o, '--fit', 'None']);
    expect(kept.code).toBe(0);
  });

  test.each([
    ['G3', 'MH', /Group 3 Options: EOL padding/],
    ['g3-1d', 'MH', /Group 3 Options: EOL padding/],
    ['G3-2D', 'MR', /Group 3 Options: 2-d encoding/],
    ['G4', 'MMR', /Compression Scheme: CCITT Group 4/],
  ])('--compression %s is %s', (name, coding, tiffinfo) => {
    const o = out(`alias-${name}.tif`);
    const r = runCli(['--json', 'convert', fixture('itu1-top.pbm'), '-o', o, '--compression', name]);
    expect(r.code).toBe(0);
    expect(json(r.stdout).pages[0].compression).toBe(coding);
    expect(toolOk('tiffinfo', [o]).toString()).toMatch(tiffinfo);
  });

  test('a bad value exits 64 listing the allowed choices, as commander words it', () => {
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', out('bad.tif'), '--paper', 'A5']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/option '--paper <size>' argument 'A5' is invalid\. Allowed choices are A4, B4, A3, letter, legal\./);
    const c = runCli(['--json', 'convert', fixture('itu1-top.pbm'), '-o', out('bad.tif'), '--compression', 'G5']);
    expect(c.code).toBe(64);
    expect(JSON.parse(c.stdout).error.message).toMatch(/Allowed choices are MH, MR, MMR \(also G3 = MH, G3-1D = MH, G3-2D = MR, G4 = MMR\)/);
    expect(runCli(['convert', fixture('itu1-top.pbm'), '-o', out('bad.tif'), '--resolution', 'high']).stderr).toMatch(/Allowed choices are standard, fine, superfine, ultrafine\./);
  });
});

describe('outputs that cannot be written (issue 8)', () => {
  test('-o naming an existing directory exits 73 saying it is a directory', () => {
    const d = out('outdir');
    mkdirSync(d, { recursive: true });
    for (const args of [['-o', d], ['-o', d, '--format', 'tiff'], ['-o', `${d}.tif`]]) {
      if (args[1].endsWith('.tif')) mkdirSync(args[1], { recursive: true });
      const r = runCli(['--json', 'convert', fixture('itu1-top.pbm'), ...args]);
      expect(r.code).toBe(73);
      expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'OUTPUT_FAILED', message: `Writing ${JSON.stringify(args[1])} failed: it is a directory`, hint: expect.stringMatching(/^Name a file, e\.g\. ".*fax\.tif"\.$/) } });
    }
  });

  // /proc takes no new files on Linux (ENOENT although the directory is there).
  (existsSync('/proc/self') ? test : test.skip)('a file the system refuses (/proc) is not reported as a missing directory', () => {
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', '/proc/x.tif']);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/Writing "\/proc\/x\.tif" failed: cannot create a file in "\/proc"/);
    expect(r.stderr).not.toMatch(/does not exist/);
    expect(r.stderr).toMatch(/hint: The system refused to create a file in "\/proc", which exists/);
  });

  test('a missing directory is still named as missing; a file in the way as a file', () => {
    const r = runCli(['convert', fixture('itu1-top.pbm'), '-o', out('no/such/dir/x.tif')]);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/hint: The directory ".*no\/such\/dir" does not exist\./);
    const f = runCli(['convert', fixture('itu1-top.pbm'), '-o', path.join(fixture('garbage.bin'), 'x.tif')]);
    expect(f.code).toBe(73);
    expect(f.stderr).toMatch(/hint: ".*garbage\.bin" is a file, not a directory\./);
  });
});

describe('memory', () => {
  // PERFORMANCE target: a 50-page 600-dpi document converts with peak RSS < 300 MB.
  const rss = (args: string[]): { code: number; maxRssMb: number; stderr: string } => {
    const hook = path.join(dir, 'rss-hook.cjs');
    writeFileSync(hook, "process.on('exit', () => require('fs').writeSync(2, '\\nmaxrss=' + process.resourceUsage().maxRSS + '\\n'));\n");
    const r = spawnSync(process.execPath, ['--require', hook, binPath, ...args], { env: cleanEnv(), cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
    const stderr = r.stderr.toString();
    const m = /maxrss=(\d+)/.exec(stderr);
    return { code: r.status ?? -1, maxRssMb: m ? Number(m[1]) / 1024 : Infinity, stderr };
  };

  test('50 pages at 600 dpi: PBM -> TIFF -> PDF and -> PBM stay under 300 MB', () => {
    // One A4 page at 600 dpi (4960 x 7016): the CCITT chart tiled, made with netpbm.
    const page = out('a4-600.pbm');
    writeFileSync(page, toolOk('pnmtile', ['4960', '7016', fixture('itu1-top.pbm')]));
    const tif = out('fifty.tif');
    const a = rss(['convert', ...Array(50).fill(page), '-o', tif, '--resolution', 'ultrafine', '--fit', 'none']);
    expect([a.code, a.stderr.replace(/\s*maxrss=\d+\s*/, '')]).toEqual([0, '']);
    expect(a.maxRssMb).toBeLessThan(300);
    const b = rss(['convert', tif, '-o', out('fifty.pdf')]);
    expect(b.code).toBe(0);
    expect(b.maxRssMb).toBeLessThan(300);
    const c = rss(['convert', tif, '-o', out('fifty.pbm')]);
    expect(c.code).toBe(0);
    expect(c.maxRssMb).toBeLessThan(300);
    expect(statSync(out('fifty.pbm')).size).toBeGreaterThan(50 * 620 * 7016);
    rmSync(out('fifty.pbm'));
  }, 600_000);
});
