/**
 * The fax header line (TTI, transmit terminal identification; T.30 names the identity it
 * carries): one line of small text above each page, as fax machines print it:
 *
 *   2026-11-27 14:03  Sender Name          station@example.com                         P.2/5
 *
 * Left: date and time (ISO 8601 order, 24 h, in the given IANA zone or the process's local
 * zone) and the sender name (header.senderNames); centred: the station (device.name or its
 * address); flush right: `P.n/m`. Long fields are cut (station first, then the sender) so that
 * `P.n/m` always shows.
 *
 * Drawn with the built-in misc-fixed 6x13 font (font/fixed-6x13.ts, public domain), scaled by
 * whole pixels so that one font pixel is 1/98 inch tall and about 1/102 inch wide at every
 * resolution: the cell is 3.4 x 1.5 mm (capitals 2.3 mm) and keeps its shape on the
 * non-square 204x98 and 204x391 grids. Pure: no `node:` imports.
 */

import type { Bitmap } from '../codec/types.js';
import { IfaxError } from '../errors.js';
import { formatHeaderDate } from '../fax/header-date.js';

export { formatHeaderDate };
import { MAX_HEIGHT, MAX_WIDTH } from '../limits.js';
import { loadFont } from './font/bitmap-font.js';
import { FIXED_6X13 } from './font/fixed-6x13.js';
import type { Raster } from './types.js';

/** The font, decoded from its base64 on first use: a convert without a header line never pays for it. */
let loaded: { font: ReturnType<typeof loadFont>; questionMark: number } | undefined;
function font(): ReturnType<typeof loadFont> {
  if (!loaded) {
    const f = loadFont(FIXED_6X13);
    loaded = { font: f, questionMark: f.glyphIndex(0x3f) };
  }
  return loaded.font;
}

/** What the header line says. */
export interface HeaderFields {
  /** Sender name (header.senderNames entry or `send --sender`); left out when absent. */
  sender?: string;
  /** This station: device.name, its fax number or e-mail address; left out when absent. */
  station?: string;
  /** When the fax is sent. */
  date: Date;
  /** IANA time zone of the printed time ('Europe/Berlin', 'UTC'); default the local zone. */
  timeZone?: string;
  /** This page, from 1. */
  page: number;
  /** Pages in the fax. */
  pages: number;
}

/** The three parts of the line, already reduced to characters the font prints. */
export interface HeaderText {
  left: string;
  centre: string;
  right: string;
}

/** Sizes of the header strip at one resolution, in pixels of the target page. */
export interface HeaderMetrics {
  /** Target pixels per font pixel, across and down. */
  scaleX: number;
  scaleY: number;
  /** One character cell: font cell times scale. */
  cellWidth: number;
  cellHeight: number;
  /** White rows above and below the text. */
  marginY: number;
  /** White columns at the left and right, where the line is wide enough for them. */
  marginX: number;
  /** Rows of the whole strip: marginY + cellHeight + marginY. */
  height: number;
}

/**
 * Font pixels per inch down. 98 makes the 13-row cell 3.4 mm tall and maps one font pixel to
 * one row at standard resolution (98 lpi), the smallest size that prints legibly there.
 */
const FONT_PIXELS_PER_INCH = 98;
/**
 * Left and right margin: A4 fax lines are 215 mm wide, 5 mm more than the paper, and printers
 * leave 3-5 mm unprinted, so text nearer the edge than this can be lost.
 */
const MARGIN_X_MM = 6;
/** Blank cells between the parts of the line. */
const GAP = 2;
/** A centre part cut to fewer characters than this is left out instead: it says nothing. */
const MIN_CENTRE = 4;

function usage(message: string, options: { hint?: string; cause?: unknown; context?: Record<string, unknown> } = {}): IfaxError {
  return new IfaxError('USAGE', message, options);
}

/**
 * `text` as the header prints it: NFC-composed (so e + U+0301 prints as é), line breaks, tabs
 * and other control characters as spaces, trimmed, and every character the font lacks as '?'.
 */
export function printableText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) out += ' ';
    else out += font().glyphIndex(cp) >= 0 ? ch : '?';
  }
  return out.trim();
}

/** The parts of the header line for one page; throws USAGE for a bad page number or zone. */
export function formatHeaderText(fields: HeaderFields): HeaderText {
  const { page, pages } = fields;
  if (!Number.isInteger(page) || !Number.isInteger(pages) || page < 1 || page > pages) {
    throw usage(`Formatting the header line failed: page ${JSON.stringify(page)} of ${JSON.stringify(pages)} is not a page number`, {
      context: { page, pages },
    });
  }
  const sender = printableText(fields.sender ?? '');
  const date = formatHeaderDate(fields.date, fields.timeZone);
  return {
    left: sender === '' ? date : `${date}${' '.repeat(GAP)}${sender}`,
    centre: printableText(fields.station ?? ''),
    right: `P.${page}/${pages}`,
  };
}

/**
 * The line as `columns` characters: left part flush left, centre part centred (or moved aside
 * for the others), right part flush right, GAP blanks between parts. What does not fit is cut
 * from the end of the centre part, then of the left part; the right part is never cut unless
 * it alone is wider than the line.
 */
export function layoutHeaderLine(text: HeaderText, columns: number): string {
  const right = [...text.right];
  if (right.length >= columns) return right.slice(right.length - columns).join('');
  const room = columns - right.length - GAP;
  let left = [...text.left];
  let centre = [...text.centre];
  if (left.length >= room) {
    left = left.slice(0, Math.max(0, room));
    centre = [];
  } else if (centre.length > 0) {
    const free = room - left.length - (left.length > 0 ? GAP : 0);
    centre = free < Math.min(MIN_CENTRE, centre.length) ? [] : centre.slice(0, free);
  }
  const line: string[] = new Array<string>(columns).fill(' ');
  left.forEach((ch, i) => (line[i] = ch));
  right.forEach((ch, i) => (line[columns - right.length + i] = ch));
  if (centre.length > 0) {
    const lo = left.length > 0 ? left.length + GAP : 0;
    const hi = columns - right.length - GAP - centre.length;
    const start = Math.min(hi, Math.max(lo, Math.floor((columns - centre.length) / 2)));
    centre.forEach((ch, i) => (line[start + i] = ch));
  }
  return line.join('');
}

/** The strip's geometry at xRes x yRes dots per inch (e.g. 204 x 98, 204 x 196, 400, 600). */
export function headerMetrics(xRes: number, yRes: number): HeaderMetrics {
  if (!(xRes >= 50 && xRes <= 2400 && yRes >= 50 && yRes <= 2400)) {
    throw usage(`Rendering the header line failed: resolution ${JSON.stringify(xRes)} x ${JSON.stringify(yRes)} dpi is out of range 50..2400`);
  }
  const scaleY = Math.max(1, Math.round(yRes / FONT_PIXELS_PER_INCH));
  // The font's pixels are square: keep them so in inches, whatever the page's pixel shape.
  const scaleX = Math.max(1, Math.round((scaleY * xRes) / yRes));
  const marginY = scaleY;
  const cellHeight = font().cellHeight * scaleY;
  return {
    scaleX,
    scaleY,
    cellWidth: font().cellWidth * scaleX,
    cellHeight,
    marginY,
    marginX: Math.round((MARGIN_X_MM * xRes) / 25.4),
    height: marginY + cellHeight + marginY,
  };
}

/**
 * Characters that fit on a strip `width` pixels wide: within the margins when at least 8 do
 * (room for `P.nn/nn`), else edge to edge.
 */
export function headerColumns(width: number, xRes: number, yRes: number): number {
  const m = headerMetrics(xRes, yRes);
  const inside = Math.floor((width - 2 * m.marginX) / m.cellWidth);
  return inside >= 8 ? inside : Math.floor(width / m.cellWidth);
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_WIDTH) {
    throw usage(`Rendering the header line failed: width ${JSON.stringify(width)} is not 1..${MAX_WIDTH} pixels`);
  }
}

/**
 * Draws one line of text (as printableText leaves it) flush right, at the right margin when the
 * line fits within the margins, else at the edge; characters that fall off the left are not
 * drawn. Black text on white, `headerMetrics(xRes, yRes).height` rows.
 */
export function renderHeaderLine(line: string, width: number, xRes: number, yRes: number): Bitmap {
  checkWidth(width);
  const m = headerMetrics(xRes, yRes);
  const glyphs: number[] = [];
  for (const ch of line) {
    const g = font().glyphIndex(ch.codePointAt(0) ?? 0);
    glyphs.push(g >= 0 ? g : loaded!.questionMark);
  }
  const textWidth = glyphs.length * m.cellWidth;
  const x0 = width - textWidth - (textWidth + 2 * m.marginX <= width ? m.marginX : 0);
  const stride = (width + 7) >> 3;
  const data = new Uint8Array(stride * m.height);
  const { cellWidth, cellHeight, bytesPerRow, rows } = font();
  const glyphBytes = cellHeight * bytesPerRow;
  for (let r = 0; r < cellHeight; r++) {
    const rowStart = (m.marginY + r * m.scaleY) * stride;
    for (let i = 0; i < glyphs.length; i++) {
      const cellX = x0 + i * m.cellWidth;
      if (cellX < 0) continue;
      const src = glyphs[i] * glyphBytes + r * bytesPerRow;
      for (let c = 0; c < cellWidth; c++) {
        if ((rows[src + (c >> 3)] & (0x80 >> (c & 7))) === 0) continue;
        const x = cellX + c * m.scaleX;
        for (let k = x; k < x + m.scaleX; k++) data[rowStart + (k >> 3)] |= 0x80 >> (k & 7);
      }
    }
    for (let k = 1; k < m.scaleY; k++) data.copyWithin(rowStart + k * stride, rowStart, rowStart + stride);
  }
  return { width, height: m.height, data };
}

/** The header strip of one page: `width` pixels wide, headerMetrics(xRes, yRes).height rows. */
export function renderHeader(fields: HeaderFields, width: number, xRes: number, yRes: number): Bitmap {
  checkWidth(width);
  const line = layoutHeaderLine(formatHeaderText(fields), headerColumns(width, xRes, yRes));
  return renderHeaderLine(line, width, xRes, yRes);
}

function checkStack(pageWidth: number, pageHeight: number, header: Bitmap): void {
  if (header.width !== pageWidth) {
    throw new IfaxError('INTERNAL', `Adding the header line failed: header width ${header.width} differs from page width ${pageWidth}`);
  }
  if (pageHeight + header.height > MAX_HEIGHT) {
    throw new IfaxError('LIMIT_EXCEEDED', `Adding the header line failed: ${pageHeight + header.height} rows exceed MAX_HEIGHT (${MAX_HEIGHT})`, {
      context: { limit: 'MAX_HEIGHT', max: MAX_HEIGHT, value: pageHeight + header.height },
    });
  }
}

/** A new bitmap: the header's rows, then every row of `page` unchanged. */
export function addHeaderToBitmap(page: Bitmap, header: Bitmap): Bitmap {
  checkStack(page.width, page.height, header);
  const data = new Uint8Array(header.data.length + page.data.length);
  data.set(header.data, 0);
  data.set(page.data, header.data.length);
  return { width: page.width, height: header.height + page.height, data };
}

/** A new raster with `page`'s channels: the header's rows (black 0, white 255), then `page`. */
export function addHeaderToRaster(page: Raster, header: Bitmap): Raster {
  checkStack(page.width, page.height, header);
  const { width, channels } = page;
  const headerBytes = width * header.height * channels;
  const data = new Uint8Array(headerBytes + page.data.length);
  data.fill(255, 0, headerBytes);
  const stride = (width + 7) >> 3;
  for (let y = 0; y < header.height; y++) {
    for (let b = 0; b < stride; b++) {
      const byte = header.data[y * stride + b];
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        const x = b * 8 + bit;
        if (x >= width || (byte & (0x80 >> bit)) === 0) continue;
        const at = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) data[at + c] = 0;
      }
    }
  }
  data.set(page.data, headerBytes);
  return { width, height: header.height + page.height, channels, data };
}
