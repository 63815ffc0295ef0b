import type { Bitmap } from '../../src/codec/types.js';
import { IfaxError } from '../../src/errors.js';
import { loadFont } from '../../src/image/font/bitmap-font.js';
import { FIXED_6X13 } from '../../src/image/font/fixed-6x13.js';
import {
  addHeaderToBitmap,
  addHeaderToRaster,
  formatHeaderDate,
  formatHeaderText,
  headerColumns,
  headerMetrics,
  layoutHeaderLine,
  printableText,
  renderHeader,
  renderHeaderLine,
  type HeaderFields,
} from '../../src/image/header.js';
import type { Raster } from '../../src/image/types.js';

const font = loadFont(FIXED_6X13);
const bit = (b: Bitmap, x: number, y: number): number => (b.data[y * ((b.width + 7) >> 3) + (x >> 3)] >> (7 - (x & 7))) & 1;

/** 2026-11-27 13:03 UTC = 14:03 in Berlin (CET). */
const NOV = new Date('2026-11-27T13:03:00Z');
const FIELDS: HeaderFields = { sender: 'Müller & Söhne GmbH', station: 'fax@example.com', date: NOV, timeZone: 'Europe/Berlin', page: 2, pages: 5 };

/** Resolutions of fax pages and their A4 line widths (T.4 §2.2). */
const RESOLUTIONS: Array<[number, number, number]> = [
  [204, 98, 1728],
  [204, 196, 1728],
  [204, 391, 1728],
  [300, 300, 2592],
  [400, 400, 3456],
  [600, 600, 5184],
];

/** x positions where `needle` occurs in `hay` (same height), exactly, pixel for pixel. */
function findAcross(hay: Bitmap, needle: Bitmap): number[] {
  const found: number[] = [];
  for (let x0 = 0; x0 + needle.width <= hay.width; x0++) {
    let same = true;
    for (let y = 0; y < needle.height && same; y++) {
      for (let x = 0; x < needle.width; x++) {
        if (bit(hay, x0 + x, y) !== bit(needle, x, y)) {
          same = false;
          break;
        }
      }
    }
    if (same) found.push(x0);
  }
  return found;
}

/** An independent, slow rendering of `line`: every page pixel looked up in the font. */
function naiveRender(line: string, width: number, xRes: number, yRes: number): Bitmap {
  const m = headerMetrics(xRes, yRes);
  const stride = (width + 7) >> 3;
  const out: Bitmap = { width, height: m.height, data: new Uint8Array(stride * m.height) };
  const chars = [...line];
  const x0 = width - m.marginX - chars.length * m.cellWidth;
  for (let y = m.marginY; y < m.marginY + m.cellHeight; y++) {
    for (let x = Math.max(0, x0); x < x0 + chars.length * m.cellWidth; x++) {
      const g = font.glyphIndex(chars[Math.floor((x - x0) / m.cellWidth)].codePointAt(0) ?? 0);
      const fx = Math.floor(((x - x0) % m.cellWidth) / m.scaleX);
      const fy = Math.floor((y - m.marginY) / m.scaleY);
      if ((font.rows[g * font.cellHeight + fy] >> (7 - fx)) & 1) out.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return out;
}

function thrown(fn: () => unknown): IfaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('expected an IfaxError');
}

describe('header date and text', () => {
  test('formats the date as YYYY-MM-DD HH:MM in the given time zone', () => {
    expect(formatHeaderDate(NOV, 'Europe/Berlin')).toBe('2026-11-27 14:03');
    expect(formatHeaderDate(NOV, 'UTC')).toBe('2026-11-27 13:03');
    expect(formatHeaderDate(NOV, 'America/New_York')).toBe('2026-11-27 08:03');
    expect(formatHeaderDate(NOV, 'Asia/Tokyo')).toBe('2026-11-27 22:03');
    // Summer time in Berlin (CEST, UTC+2); just after midnight is 00, not 24.
    expect(formatHeaderDate(new Date('2026-07-01T22:30:00Z'), 'Europe/Berlin')).toBe('2026-07-02 00:30');
    expect(formatHeaderDate(new Date('2026-12-31T23:59:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01 13:59');
  });

  test('uses the local time zone when none is given', () => {
    const d = new Date(2026, 2, 5, 7, 9);
    expect(formatHeaderDate(d)).toBe('2026-03-05 07:09');
  });

  test('refuses an unknown time zone and an invalid date with USAGE', () => {
    const err = thrown(() => formatHeaderDate(NOV, 'Mars/Olympus'));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe('Formatting the header line failed: unknown time zone "Mars/Olympus"');
    expect(err.hint).toMatch(/IANA/);
    expect(thrown(() => formatHeaderDate(new Date(Number.NaN))).code).toBe('USAGE');
  });

  test('puts date and sender left, station in the centre, P.n/m right', () => {
    expect(formatHeaderText(FIELDS)).toEqual({ left: '2026-11-27 14:03  Müller & Söhne GmbH', centre: 'fax@example.com', right: 'P.2/5' });
    expect(formatHeaderText({ date: NOV, timeZone: 'UTC', page: 1, pages: 1 })).toEqual({ left: '2026-11-27 13:03', centre: '', right: 'P.1/1' });
  });

  test('refuses page numbers outside 1..pages', () => {
    for (const [page, pages] of [[0, 5], [6, 5], [1.5, 5], [1, Number.NaN]]) {
      expect(thrown(() => formatHeaderText({ ...FIELDS, page, pages })).code).toBe('USAGE');
    }
  });

  test('prints characters outside the font as ?, composes accents, turns controls into spaces', () => {
    expect(printableText('日本 Fax ☺')).toBe('?? Fax ?');
    expect(printableText('😀')).toBe('?'); // one code point, two UTF-16 units
    expect(printableText('Ｆａｘ Привет')).toBe('??? ??????');
    expect(printableText('Cafe\u0301')).toBe('Café');
    expect(printableText(' line1\nline2\t\u0085x ')).toBe('line1 line2  x');
    expect(printableText('Łódź – €5 “quoted”')).toBe('Łódź – €5 “quoted”');
  });
});

describe('header line layout', () => {
  const text = formatHeaderText(FIELDS);

  test('is exactly `columns` characters with P.n/m flush right and the station centred', () => {
    const line = layoutHeaderLine(text, 100);
    expect(line).toHaveLength(100);
    expect(line.startsWith('2026-11-27 14:03  Müller & Söhne GmbH ')).toBe(true);
    expect(line.endsWith(' P.2/5')).toBe(true);
    expect(line.indexOf('fax@example.com')).toBe(Math.floor((100 - 15) / 2));
  });

  test('cuts the station, then the sender, and always keeps P.n/m', () => {
    const long = formatHeaderText({ ...FIELDS, sender: 'S'.repeat(30), station: 'x'.repeat(320) + '@example.com' });
    expect(layoutHeaderLine(long, 6)).toBe(' P.2/5');
    for (const columns of [7, 8, 20, 30, 50, 60, 80, 136]) {
      const line = layoutHeaderLine(long, columns);
      expect(line).toHaveLength(columns);
      expect(line.endsWith('  P.2/5')).toBe(true);
    }
    expect(layoutHeaderLine(long, 62)).toBe(`2026-11-27 14:03  ${'S'.repeat(30)}  xxxxx  P.2/5`);
    // Room for 3 characters of the station: too few to say anything, so it is left out.
    expect(layoutHeaderLine(long, 60)).toBe(`2026-11-27 14:03  ${'S'.repeat(30)}       P.2/5`);
    expect(layoutHeaderLine(long, 30)).toBe('2026-11-27 14:03  SSSSS  P.2/5');
    expect(layoutHeaderLine(long, 5)).toBe('P.2/5');
    expect(layoutHeaderLine(long, 3)).toBe('2/5');
  });

  test('moves the station right of the left part when centring would overlap it', () => {
    const line = layoutHeaderLine({ left: 'L'.repeat(40), centre: 'station', right: 'P.1/1' }, 60);
    expect(line).toBe(`${'L'.repeat(40)}  station      P.1/1`);
  });
});

describe('header strip', () => {
  test.each(RESOLUTIONS)('at %i x %i dpi is about 4 mm tall, with square-looking letters', (xRes, yRes, width) => {
    const m = headerMetrics(xRes, yRes);
    const h = renderHeader(FIELDS, width, xRes, yRes);
    expect([h.width, h.height, h.data.length]).toEqual([width, m.height, ((width + 7) >> 3) * m.height]);
    expect(m.height).toBe(m.marginY * 2 + 13 * m.scaleY);
    const mm = (px: number, res: number): number => (px * 25.4) / res;
    expect(mm(m.cellHeight, yRes)).toBeGreaterThan(3.2);
    expect(mm(m.cellHeight, yRes)).toBeLessThan(3.5);
    // A cell is 6 x 13 font pixels: in millimetres it stays about that shape at every resolution.
    const aspect = mm(m.cellHeight, yRes) / mm(m.cellWidth, xRes);
    expect(aspect).toBeGreaterThan((13 / 6) * 0.9);
    expect(aspect).toBeLessThan((13 / 6) * 1.1);
  });

  test('strip heights: 15 rows at 204x98, 30 at 204x196, 60 at 400, 90 at 600', () => {
    expect(RESOLUTIONS.map(([x, y]) => [x, y, headerMetrics(x, y).height, headerMetrics(x, y).scaleX, headerMetrics(x, y).scaleY])).toEqual([
      [204, 98, 15, 2, 1],
      [204, 196, 30, 2, 2],
      [204, 391, 60, 2, 4],
      [300, 300, 45, 3, 3],
      [400, 400, 60, 4, 4],
      [600, 600, 90, 6, 6],
    ]);
  });

  test.each(RESOLUTIONS)('at %i x %i dpi has black pixels only inside the text cells, drawn as the font says', (xRes, yRes, width) => {
    const m = headerMetrics(xRes, yRes);
    const line = layoutHeaderLine(formatHeaderText(FIELDS), headerColumns(width, xRes, yRes));
    const h = renderHeader(FIELDS, width, xRes, yRes);
    const x0 = width - m.marginX - line.length * m.cellWidth;
    expect(x0).toBeGreaterThanOrEqual(m.marginX);
    expect(x0).toBeLessThan(m.marginX + m.cellWidth);
    let black = 0;
    const outside: string[] = [];
    for (let y = 0; y < h.height; y++) {
      for (let x = 0; x < ((width + 7) & ~7); x++) {
        // Pad bits past the width count too: they must stay 0.
        if (((h.data[y * ((width + 7) >> 3) + (x >> 3)] >> (7 - (x & 7))) & 1) === 0) continue;
        black++;
        const ch = line[Math.floor((x - x0) / m.cellWidth)];
        const inText = y >= m.marginY && y < m.marginY + m.cellHeight && x >= x0 && ch !== undefined && ch !== ' ';
        if (!inText && outside.length < 5) outside.push(`${x},${y}`);
      }
    }
    expect(outside).toEqual([]);
    expect(black).toBeGreaterThan(100);
    expect(Buffer.from(h.data).equals(Buffer.from(naiveRender(line, width, xRes, yRes).data))).toBe(true);
  });

  test.each(RESOLUTIONS)('at %i x %i dpi shows P.2/5 at the right margin, and only there', (xRes, yRes, width) => {
    const m = headerMetrics(xRes, yRes);
    const alone = renderHeaderLine('P.2/5', 5 * m.cellWidth, xRes, yRes);
    expect(alone.width).toBe(5 * m.cellWidth);
    const expected = [width - m.marginX - 5 * m.cellWidth];
    expect(findAcross(renderHeader(FIELDS, width, xRes, yRes), alone)).toEqual(expected);
    // Long fields are cut, P.2/5 stays.
    const long = { ...FIELDS, sender: 'Ä'.repeat(30), station: 'x'.repeat(300) };
    expect(findAcross(renderHeader(long, width, xRes, yRes), alone)).toEqual(expected);
  });

  test('keeps P.n/m on a narrow strip, dropping the margins when they leave too little room', () => {
    const m = headerMetrics(204, 196);
    const alone = renderHeaderLine('P.12/99', 7 * m.cellWidth, 204, 196);
    const narrow = renderHeader({ ...FIELDS, page: 12, pages: 99 }, 150, 204, 196);
    expect(findAcross(narrow, alone)).toEqual([150 - 7 * m.cellWidth]);
  });

  test('prints non-Latin-1 text as ?', () => {
    const a = renderHeader({ ...FIELDS, sender: '日本語 ☺ Привет' }, 1728, 204, 98);
    const b = renderHeader({ ...FIELDS, sender: '??? ? ??????' }, 1728, 204, 98);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  test('draws umlauts and accents with their marks above the letter, apart from it', () => {
    const m = headerMetrics(204, 196);
    const glyph = (ch: string): Bitmap => renderHeaderLine(ch, m.cellWidth, 204, 196);
    /** Strip rows with ink, as runs of consecutive rows: [first, last][]. */
    const inkRuns = (b: Bitmap): Array<[number, number]> => {
      const runs: Array<[number, number]> = [];
      for (let y = 0; y < b.height; y++) {
        let ink = false;
        for (let x = 0; x < b.width; x++) ink ||= bit(b, x, y) === 1;
        if (!ink) continue;
        const last = runs[runs.length - 1];
        if (last !== undefined && last[1] === y - 1) last[1] = y;
        else runs.push([y, y]);
      }
      return runs;
    };
    for (const [accented, base] of [['ä', 'a'], ['ö', 'o'], ['ü', 'u'], ['é', 'e'], ['Ä', 'A'], ['Ö', 'O'], ['Ü', 'U'], ['É', 'E']]) {
      const withMark = inkRuns(glyph(accented));
      const plain = inkRuns(glyph(base));
      expect([accented, plain.length]).toEqual([accented, 1]);
      // Two parts: the mark, a white gap of at least one font row, the letter; the mark
      // starts above where the plain letter does.
      expect([accented, withMark.length]).toEqual([accented, 2]);
      expect(withMark[1][0] - withMark[0][1] - 1).toBeGreaterThanOrEqual(m.scaleY);
      expect(withMark[0][0]).toBeLessThan(plain[0][0]);
    }
    const distinct = ['ä', 'ö', 'ü', 'ß', 'é', 'a', 'o', 'u', 's', 'e', 'B'].map((ch) => Buffer.from(glyph(ch).data).toString('hex'));
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  test('renders a line at 600 dpi as wide as the page, with ink in it', () => {
    const strip = renderHeader(FIELDS, 5184, 600, 600);
    expect(strip.width).toBe(5184);
    expect(strip.data.some((b) => b !== 0)).toBe(true);
  });

  test('refuses bad widths and resolutions with USAGE', () => {
    expect(thrown(() => renderHeader(FIELDS, 0, 204, 98)).code).toBe('USAGE');
    expect(thrown(() => renderHeader(FIELDS, 100.5, 204, 98)).code).toBe('USAGE');
    expect(thrown(() => renderHeader(FIELDS, 1728, 0, 98)).code).toBe('USAGE');
    expect(thrown(() => renderHeader(FIELDS, 1728, 204, Number.NaN)).code).toBe('USAGE');
  });
});

describe('adding the header to a page', () => {
  const width = 1731; // not a multiple of 8: pad bits must line up
  const header = renderHeader(FIELDS, width, 204, 196);

  test('addHeaderToBitmap puts the header above and keeps every page pixel', () => {
    const stride = (width + 7) >> 3;
    const page: Bitmap = { width, height: 40, data: Uint8Array.from({ length: stride * 40 }, (_, i) => ((i * 37) & 0xff) & (i % stride === stride - 1 ? 0xe0 : 0xff)) };
    const out = addHeaderToBitmap(page, header);
    expect([out.width, out.height]).toEqual([width, header.height + 40]);
    expect(Buffer.from(out.data.subarray(0, header.data.length)).equals(Buffer.from(header.data))).toBe(true);
    expect(Buffer.from(out.data.subarray(header.data.length)).equals(Buffer.from(page.data))).toBe(true);
  });

  test.each([1, 3] as const)('addHeaderToRaster (%i channels) draws the header black on white and keeps the page', (channels) => {
    const page: Raster = { width, height: 7, channels, data: Uint8Array.from({ length: width * 7 * channels }, (_, i) => (i * 13) & 0xff) };
    const out = addHeaderToRaster(page, header);
    expect([out.width, out.height, out.channels]).toEqual([width, header.height + 7, channels]);
    const headerBytes = width * header.height * channels;
    expect(Buffer.from(out.data.subarray(headerBytes)).equals(Buffer.from(page.data))).toBe(true);
    for (let y = 0; y < header.height; y++) {
      for (let x = 0; x < width; x++) {
        const want = bit(header, x, y) ? 0 : 255;
        for (let c = 0; c < channels; c++) if (out.data[(y * width + x) * channels + c] !== want) throw new Error(`pixel ${x},${y} channel ${c}`);
      }
    }
  });

  test('refuses a header of another width', () => {
    const page: Bitmap = { width: 100, height: 1, data: new Uint8Array(13) };
    expect(thrown(() => addHeaderToBitmap(page, header)).code).toBe('INTERNAL');
    expect(thrown(() => addHeaderToRaster({ width: 100, height: 1, channels: 1, data: new Uint8Array(100) }, header)).message).toBe(
      `Adding the header line failed: header width ${width} differs from page width 100`,
    );
  });
});
