import { IfaxError } from '../../src/errors.js';
import { PAPER_NAMES, paperHeightPx, paperWidthPx } from '../../src/image/paper.js';

describe('paper widths (T.4 scan widths)', () => {
  test.each([
    [204, [1728, 1728, 1728, 2048, 2432]],
    [200, [1728, 1728, 1728, 2048, 2432]],
    [300, [2592, 2592, 2592, 3072, 3648]],
    [400, [3456, 3456, 3456, 4096, 4864]],
    [408, [3456, 3456, 3456, 4096, 4864]],
    [600, [4960, 4960, 4960, 6071, 7016]],
  ])('at %i dpi A4, letter, legal, B4, A3 are %j pixels wide', (dpi, widths) => {
    expect((['A4', 'letter', 'legal', 'B4', 'A3'] as const).map((p) => paperWidthPx(p, dpi))).toEqual(widths);
  });

  test('a measured 203.2 dpi (80 pels/cm) counts as 204', () => {
    expect(paperWidthPx('A4', 203.2)).toBe(1728);
  });

  test('a resolution that has no fax width is a usage error naming it', () => {
    const err = (() => {
      try {
        paperWidthPx('A4', 150);
      } catch (e) {
        return e as IfaxError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(IfaxError);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('150');
  });
});

describe('paper heights', () => {
  test('A4 at 196 lpi is 2291 rows, at 98 lpi 1145: whole rows within the sheet (tiffcheck takes 2292 as too long)', () => {
    expect(paperHeightPx('A4', 196)).toBe(2291);
    expect(paperHeightPx('A4', 98)).toBe(1145);
  });

  test('the other papers are their sheet heights at the resolution', () => {
    expect(paperHeightPx('letter', 196)).toBe(2156); // 11 in
    expect(paperHeightPx('legal', 196)).toBe(2744); // 14 in
    expect(paperHeightPx('B4', 196)).toBe(2808); // 364 mm
    expect(paperHeightPx('A3', 196)).toBe(3240); // 420 mm
    expect(paperHeightPx('A4', 600)).toBe(7015);
    expect(paperHeightPx('A3', 600)).toBe(9921);
  });

  test('every paper is portrait at every fax resolution', () => {
    for (const p of PAPER_NAMES) {
      for (const [x, y] of [[204, 98], [204, 196], [300, 300], [400, 400], [600, 600]]) {
        expect(paperHeightPx(p, y) / y).toBeGreaterThan(paperWidthPx(p, x) / x);
      }
    }
  });
});
