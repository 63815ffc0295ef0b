/**
 * The one damage report of a page (issue 8): damaged and missing rows both counted, in the
 * same words for `convert` and `convert --info`.
 */

import { describeDamage, missingRowsOf, pageDamage } from '../../src/image/page-damage.js';

describe('page damage', () => {
  test('a page whose data ends at row 1370 of 3508: one damaged row and 2137 missing, both reported', () => {
    const d = pageDamage({
      damagedRows: 1,
      missingRows: missingRowsOf(3508, 1371),
      diagnostics: [
        { row: 1370, code: 'PREMATURE_END', message: 'row 1370: data ends after 0 of 1728 columns, padded white' },
        { row: 1371, code: 'MISSING_ROWS', message: 'rows 1371-3507: 2137 of 3508 rows not in the data, left white' },
      ],
    });
    expect(d).toMatchObject({ damagedRows: 1, missingRows: 2137 });
    expect(describeDamage(d)).toBe(
      '1 damaged row (repeated from the row above, or padded white), 2137 missing rows (not in the data, left white); first at row 1370: data ends after 0 of 1728 columns, padded white',
    );
  });

  test('rows missing without a damaged row are damage too', () => {
    const d = pageDamage({ damagedRows: 0, missingRows: missingRowsOf(100, 40), diagnostics: [{ row: 40, code: 'MISSING_ROWS', message: 'rows 40-99: 60 of 100 rows not in the data, left white' }] });
    expect(describeDamage(d)).toBe('60 missing rows (not in the data, left white); first at row 40: 60 of 100 rows not in the data, left white');
  });

  test('a whole page, or one with only trailing bytes, has no damage', () => {
    expect(describeDamage(pageDamage({ damagedRows: 0, missingRows: 0, diagnostics: [] }))).toBeUndefined();
    const trailing = pageDamage({ damagedRows: 0, missingRows: 0, diagnostics: [{ row: 100, code: 'TRAILING_DATA', message: '3 bytes after the last row, ignored' }] });
    expect(describeDamage(trailing)).toBeUndefined();
  });

  test('without a count of missing rows (pictures, PBM), nothing is missing', () => {
    expect(pageDamage({ damagedRows: 0, diagnostics: [] }).missingRows).toBe(0);
    expect(missingRowsOf(100, 120)).toBe(0);
  });
});
