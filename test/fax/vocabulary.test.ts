import { readdirSync, readFileSync } from 'node:fs';
import {
  FAX_CODINGS,
  FAX_DPI_VALUES,
  PAPERS,
  PAPER_NAMES,
  RESOLUTIONS,
  RESOLUTION_EQUIVALENTS,
  RESOLUTION_NAMES,
  SCAN_WIDTHS,
  codingOf,
  codingOfK,
  isFaxCoding,
  isPaperName,
  isResolutionName,
  nearDpi,
  resolutionForWidth,
  resolutionSummary,
  scanWidth,
  scanWidthsAt,
  snapDpi,
  tiffCodingFields,
} from '../../src/fax/vocabulary.js';
import * as config from '../../src/config/index.js';
import { configSchema } from '../../src/config/schema.js';
import { keyInfo } from '../../src/config/keys.js';
import * as faxFormat from '../../src/image/fax-format.js';
import * as paper from '../../src/image/paper.js';
import { C_SIZE_TABLE, F_SIZE_TABLE } from '../../src/tiff/index.js';

/**
 * RFC 3949 §4.2.1, the table of legal XResolution x YResolution and ImageWidth combinations
 * (the same in §2.2.2 of its TIFF-FX predecessor), transcribed by hand:
 *   200x100, 204x98, 200x200, 204x196, 204x391 | 1728 | 2048 | 2432
 *   300 x 300                                  | 2592 | 3072 | 3648
 *   408 x 391, 400 x 400                       | 3456 | 4096 | 4864
 *                                              | Letter, A4, Legal | B4 | A3
 */
const RFC3949_WIDTHS: ReadonlyArray<[number[], [number, number, number]]> = [
  [[200, 204], [1728, 2048, 2432]],
  [[300], [2592, 3072, 3648]],
  [[400, 408], [3456, 4096, 4864]],
];

/** T.4 §2.2: the standard scan line lengths in millimetres (A4/letter/legal, B4, A3), within 1%. */
const T4_SCAN_LINE_MM = [215, 255, 303] as const;

describe('resolutions', () => {
  test('the names in order, with the TIFF dpi ifax writes for each', () => {
    expect(RESOLUTION_NAMES).toEqual(['standard', 'fine', 'superfine', 'ultrafine']);
    expect(RESOLUTIONS).toEqual({
      standard: { x: 204, y: 98 },
      fine: { x: 204, y: 196 },
      superfine: { x: 400, y: 400 },
      ultrafine: { x: 600, y: 600 },
    });
    expect(Object.keys(RESOLUTIONS)).toEqual([...RESOLUTION_NAMES]);
    expect(resolutionSummary()).toBe('standard 204x98, fine 204x196, superfine 400x400, ultrafine 600x600');
  });

  test("fine is T.4's 8 x 7.7 lines/mm (204 x 196 in TIFF) and 200 x 200 inch-based", () => {
    expect(RESOLUTION_EQUIVALENTS.fine).toEqual({ metric: { pelsPerMm: 8, linesPerMm: 7.7 }, inch: { x: 200, y: 200 } });
  });

  test.each(RESOLUTION_NAMES)('%s: the metric form in dpi and the inch-based form are T.4 equivalents (RFC 3949 §4.5.2)', (name) => {
    const { metric, inch } = RESOLUTION_EQUIVALENTS[name];
    const equivalent = (a: number, b: number): boolean => [[204, 200], [408, 400], [98, 100], [196, 200], [391, 400]].some(([p, q]) => (a === p && b === q) || (a === q && b === p)) || a === b;
    if (metric !== null) {
      const x = snapDpi(metric.pelsPerMm * 25.4);
      const y = snapDpi(metric.linesPerMm * 25.4);
      expect(equivalent(x, inch.x) && equivalent(y, inch.y)).toBe(true);
      // What ifax writes is one of the two forms (or, for superfine, the inch-based one).
      expect(equivalent(RESOLUTIONS[name].x, x) && equivalent(RESOLUTIONS[name].y, y)).toBe(true);
    } else {
      expect(RESOLUTIONS[name]).toEqual(inch);
    }
  });

  test('measured values snap to the fax dpi they stand for: 80 pels/cm, 77 and 38.5 lines/cm', () => {
    expect(snapDpi(80 * 2.54)).toBe(204);
    expect(snapDpi(77 * 2.54)).toBe(196);
    expect(snapDpi(38.5 * 2.54)).toBe(98);
    expect(snapDpi(154 * 2.54)).toBe(391);
    expect(snapDpi(150)).toBe(150);
    expect(snapDpi(72.0001)).toBe(72);
    for (const v of FAX_DPI_VALUES) expect(snapDpi(v)).toBe(v);
    expect(nearDpi(203.2, 204)).toBe(true);
    expect(nearDpi(201.9, 204)).toBe(false);
  });

  test('name guards', () => {
    expect(RESOLUTION_NAMES.every(isResolutionName)).toBe(true);
    expect(isResolutionName('photo')).toBe(false);
    expect(PAPER_NAMES.every(isPaperName)).toBe(true);
    expect(isPaperName('A5')).toBe(false);
    expect(isPaperName('constructor')).toBe(false);
    expect(FAX_CODINGS.every(isFaxCoding)).toBe(true);
    expect(isFaxCoding('JPEG')).toBe(false);
  });
});

describe('papers and scan widths', () => {
  test('the papers in SETTINGS.md order, each with a T.4 width class', () => {
    expect(PAPER_NAMES).toEqual(['A4', 'B4', 'A3', 'letter', 'legal']);
    expect(Object.keys(PAPERS)).toEqual([...PAPER_NAMES]);
    expect(PAPER_NAMES.map((p) => PAPERS[p].widthClass)).toEqual([0, 1, 2, 0, 0]);
  });

  test.each(RFC3949_WIDTHS)('at %j dpi the widths are the RFC 3949 §4.2.1 row %j', (dpis, widths) => {
    for (const dpi of dpis) {
      expect(scanWidthsAt(dpi)).toEqual(widths);
      expect(['A4', 'letter', 'legal', 'B4', 'A3'].map((p) => scanWidth(p as never, dpi))).toEqual([widths[0], widths[0], widths[0], widths[1], widths[2]]);
    }
  });

  test('the TIFF profile F and C checkers use the same widths', () => {
    for (const row of F_SIZE_TABLE) for (const x of row.x) expect(scanWidthsAt(x)).toEqual(row.widths);
    for (const row of C_SIZE_TABLE.filter((r) => r.dpi >= 200)) expect(scanWidthsAt(row.dpi)).toEqual(row.widths);
  });

  test('T.4 §2.2: at 204 and 408 dpi (8, 16 pels/mm) the widths are the scan lines 215, 255, 303 mm within 1%', () => {
    for (const [dpi, pelsPerMm] of [[204, 8], [408, 16]]) {
      scanWidthsAt(dpi).forEach((w, cls) => {
        expect(Math.abs(w / pelsPerMm - T4_SCAN_LINE_MM[cls]) / T4_SCAN_LINE_MM[cls]).toBeLessThanOrEqual(0.01);
      });
    }
  });

  test('T.4 §2.2: at 200, 300 and 400 dpi (inch-based) the widths are one length, 8.64, 10.24 and 12.16 in', () => {
    for (const dpi of [200, 300, 400]) expect(scanWidthsAt(dpi).map((w) => w / dpi)).toEqual([8.64, 10.24, 12.16]);
  });

  test('600 dpi: the full sheets (A4 4960, JIS B4 6071, A3 7016), each within a pixel of the sheet width', () => {
    expect(scanWidthsAt(600)).toEqual([4960, 6071, 7016]);
    for (const p of ['A4', 'B4', 'A3'] as const) {
      expect(Math.abs(scanWidth(p, 600)! - (PAPERS[p].widthMm / 25.4) * 600)).toBeLessThan(1);
    }
  });

  test('other resolutions have no widths', () => {
    expect(scanWidthsAt(150)).toEqual([]);
    expect(scanWidth('A4', 72)).toBeUndefined();
    expect(scanWidth('A5' as never, 204)).toBeUndefined();
  });

  test('every width is recognised as its own resolution, and only fax widths are', () => {
    for (const row of SCAN_WIDTHS) for (const w of row.widths) expect(resolutionForWidth(w)).toEqual(row.assume);
    expect(resolutionForWidth(1728)).toEqual(RESOLUTIONS.fine);
    expect(resolutionForWidth(4960)).toEqual(RESOLUTIONS.ultrafine);
    expect(resolutionForWidth(1700)).toBeUndefined();
    // A page ifax fits at a named resolution is read back at that resolution.
    for (const name of RESOLUTION_NAMES) {
      for (const p of PAPER_NAMES) expect(resolutionForWidth(scanWidth(p, RESOLUTIONS[name].x)!)!.x).toBe(RESOLUTIONS[name].x);
    }
  });
});

describe('codings', () => {
  test('TIFF Compression 3 is MH or MR by T4Options bit 0; 4 is MMR whatever T4Options says', () => {
    for (let t4 = 0; t4 < 8; t4++) {
      expect(codingOf({ compression: 3, t4Options: t4 })).toBe(t4 & 1 ? 'MR' : 'MH');
      expect(codingOf({ compression: 4, t4Options: t4 })).toBe('MMR');
    }
    expect(codingOf({ compression: 3 })).toBe('MH');
    expect(codingOf({ compression: 4 })).toBe('MMR');
  });

  test.each([0, 1, 2, 5, 6, 7, 8, 32773, 34712])('TIFF Compression %i is no T.4/T.6 coding', (compression) => {
    expect(codingOf({ compression, t4Options: 1 })).toBeUndefined();
  });

  test('PDF CCITTFaxDecode K: negative is MMR, 0 MH, positive MR', () => {
    expect([-1, -5, 0, 1, 2, 4, 1000].map(codingOfK)).toEqual(['MMR', 'MMR', 'MH', 'MR', 'MR', 'MR', 'MR']);
  });

  test('tiffCodingFields states each coding so that codingOf reads it back; EOL fill is bit 2 of T.4 only', () => {
    for (const coding of FAX_CODINGS) {
      for (const eolFill of [false, true]) {
        const f = tiffCodingFields(coding, eolFill);
        expect(codingOf(f)).toBe(coding);
        expect((f.t4Options & 4) !== 0).toBe(eolFill && coding !== 'MMR');
      }
    }
    expect(tiffCodingFields('MH')).toEqual({ compression: 3, t4Options: 0 });
    expect(tiffCodingFields('MR', true)).toEqual({ compression: 3, t4Options: 5 });
    expect(tiffCodingFields('MMR')).toEqual({ compression: 4, t4Options: 0 });
  });
});

describe('config and image derive from the vocabulary', () => {
  test("config's enums are the vocabulary's names", () => {
    expect(config.RESOLUTIONS).toEqual(RESOLUTION_NAMES);
    expect(config.PAPER_SIZES).toEqual(PAPER_NAMES);
    expect(config.BW_COMPRESSIONS).toEqual(FAX_CODINGS);
    expect(config.FAX_COMPRESSIONS).toEqual([...FAX_CODINGS, 'JPEG']);
    const c = configSchema.parse({});
    expect(c.receiveCaps.resolutions).toEqual([...RESOLUTION_NAMES]);
    expect(c.receiveCaps.paperSizes).toEqual([...PAPER_NAMES]);
  });

  test('the maxResolution description gives the dpi of every name', () => {
    expect(keyInfo('ifaxAdvanced.maxResolution')?.meta.description).toContain('fine 204x196');
  });

  test('image/fax-format and image/paper re-export the same tables', () => {
    expect(faxFormat.RESOLUTIONS).toBe(RESOLUTIONS);
    expect(paper.PAPERS).toBe(PAPERS);
    expect(paper.PAPER_NAMES).toBe(PAPER_NAMES);
    for (const row of SCAN_WIDTHS) for (const x of row.dpi) expect(faxFormat.faxWidthsFor(x)).toEqual(row.widths);
    for (const p of PAPER_NAMES) expect(paper.paperWidthPx(p, 204)).toBe(scanWidth(p, 204));
    expect(faxFormat.guessResolution(1234)).toEqual(RESOLUTIONS.fine);
    expect(faxFormat.nominal(203.2)).toBe(204);
  });

  test('src/fax imports nothing but the error type (which imports nothing): config, image, tiff and codec may all use it', () => {
    const dir = new URL('../../src/fax/', import.meta.url);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const imports = [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^\s*(?:import|export)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      expect([f, imports.filter((i) => !i.startsWith('./') && i !== '../errors.js')]).toEqual([f, []]);
    }
  });
});
