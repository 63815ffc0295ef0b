#!/usr/bin/env node
// Writes src/image/font/fixed-6x13.ts, the built-in font of the fax header line (TTI), from the
// X11 "misc-fixed" 6x13 font (public domain; X.Org font-misc-misc, Debian package xfonts-base).
//
//   apt-get install -y xfonts-base
//   node scripts/gen-font.mjs [--font /usr/share/fonts/X11/misc/6x13.pcf.gz] [--out FILE | --stdout]
//
// Reads the PCF file itself (the X.Org "Portable Compiled Format", as FreeType's pcfread.c
// reads it), so no tool beyond Node is needed. Deterministic: the output depends only on the
// font file (test/image/font.test.ts regenerates and compares when the font is installed).
// Every glyph is stored in its full character cell (misc-fixed is a character-cell font), one
// byte per row for cells up to 8 pixels wide, so the renderer needs no metrics.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

const DEFAULT_FONT = '/usr/share/fonts/X11/misc/6x13.pcf.gz';
const DEFAULT_OUT = new URL('../src/image/font/fixed-6x13.ts', import.meta.url);

/**
 * Code points taken from the font: Latin-1 (printable ASCII and U+00A0-U+00FF, what the header
 * must cover), Latin Extended-A (names in Polish, Czech, Turkish...), and the punctuation
 * people type into names: dashes, curly quotes, bullet, ellipsis, euro, trade mark.
 */
const RANGES = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x100, 0x17f],
  [0x2010, 0x2015],
  [0x2018, 0x201e],
  [0x2020, 0x2022],
  [0x2026, 0x2026],
  [0x20ac, 0x20ac],
  [0x2122, 0x2122],
];

// PCF table types and format bits (X.Org libXfont pcf.h).
const PCF_PROPERTIES = 1 << 0;
const PCF_ACCELERATORS = 1 << 1;
const PCF_METRICS = 1 << 2;
const PCF_BITMAPS = 1 << 3;
const PCF_BDF_ENCODINGS = 1 << 5;
const PCF_BDF_ACCELERATORS = 1 << 8;
const PCF_COMPRESSED_METRICS = 0x100;
const PCF_BYTE_MASK = 1 << 2; // set: multi-byte integers are big-endian
const PCF_BIT_MASK = 1 << 3; // set: the most significant bit is the leftmost pixel

function fail(message) {
  throw new Error(`gen-font failed: ${message}`);
}

/** Parses the tables of a PCF font that the header line needs. */
function parsePcf(buf) {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0, true) !== 0x70636601) fail('not a PCF file (magic "\\1fcp" missing)');
  const tableCount = view.getInt32(4, true);
  const tables = new Map();
  for (let i = 0; i < tableCount; i++) {
    const at = 8 + i * 16;
    tables.set(view.getInt32(at, true), { format: view.getInt32(at + 4, true), offset: view.getInt32(at + 12, true) });
  }
  const table = (type, name) => {
    const t = tables.get(type);
    if (t === undefined) fail(`PCF table ${name} missing`);
    // Each table repeats its format, always little-endian; the rest follows the format's byte order.
    const format = view.getInt32(t.offset, true);
    const le = (format & PCF_BYTE_MASK) === 0;
    return { format, at: t.offset + 4, i16: (o) => view.getInt16(o, le), u16: (o) => view.getUint16(o, le), i32: (o) => view.getInt32(o, le) };
  };

  // Properties: name -> string or number.
  const props = new Map();
  {
    const t = table(PCF_PROPERTIES, 'PROPERTIES');
    const n = t.i32(t.at);
    const strings = t.at + 4 + n * 9 + ((n & 3) === 0 ? 0 : 4 - (n & 3)) + 4;
    const str = (o) => {
      let end = strings + o;
      while (buf[end] !== 0) end++;
      return buf.subarray(strings + o, end).toString('latin1');
    };
    for (let i = 0; i < n; i++) {
      const p = t.at + 4 + i * 9;
      const value = t.i32(p + 5);
      props.set(str(t.i32(p)), buf[p + 4] !== 0 ? str(value) : value);
    }
  }

  // Accelerators: the font's ascent and descent (BDF's FONT_ASCENT / FONT_DESCENT), after
  // eight one-byte flags. The BDF variant is preferred, as FreeType does.
  const accel = tables.has(PCF_BDF_ACCELERATORS) ? table(PCF_BDF_ACCELERATORS, 'BDF_ACCELERATORS') : table(PCF_ACCELERATORS, 'ACCELERATORS');
  const ascent = accel.i32(accel.at + 8);
  const descent = accel.i32(accel.at + 12);

  // Metrics: per glyph left/right bearing, width, ascent, descent.
  const metrics = [];
  {
    const t = table(PCF_METRICS, 'METRICS');
    if (t.format & PCF_COMPRESSED_METRICS) {
      const n = t.u16(t.at);
      for (let i = 0; i < n; i++) {
        const m = t.at + 2 + i * 5;
        const b = (k) => buf[m + k] - 0x80;
        metrics.push({ lsb: b(0), rsb: b(1), width: b(2), ascent: b(3), descent: b(4) });
      }
    } else {
      const n = t.i32(t.at);
      for (let i = 0; i < n; i++) {
        const m = t.at + 4 + i * 12;
        metrics.push({ lsb: t.i16(m), rsb: t.i16(m + 2), width: t.i16(m + 4), ascent: t.i16(m + 6), descent: t.i16(m + 8) });
      }
    }
  }

  // Bitmaps: rows padded to 1 << (format & 3) bytes, in the format's bit and byte order.
  const bitmaps = table(PCF_BITMAPS, 'BITMAPS');
  const glyphCount = bitmaps.i32(bitmaps.at);
  if (glyphCount !== metrics.length) fail(`${glyphCount} bitmaps but ${metrics.length} metrics`);
  const offsets = Array.from({ length: glyphCount }, (_, i) => bitmaps.i32(bitmaps.at + 4 + i * 4));
  const dataStart = bitmaps.at + 4 + glyphCount * 4 + 16;
  const pad = 1 << (bitmaps.format & 3);
  const scanUnit = 1 << ((bitmaps.format >> 4) & 3);
  const msbBit = (bitmaps.format & PCF_BIT_MASK) !== 0;
  const msbByte = (bitmaps.format & PCF_BYTE_MASK) !== 0;
  const reverseBits = (b) => {
    let r = 0;
    for (let k = 0; k < 8; k++) if (b & (1 << k)) r |= 0x80 >> k;
    return r;
  };
  /** Pixel (x, y) of glyph g's ink box, as FreeType normalises it: MSB first, bytes in order. */
  const pixel = (g, x, y) => {
    const m = metrics[g];
    const stride = Math.ceil(Math.ceil((m.rsb - m.lsb) / 8) / pad) * pad;
    let byteIndex = y * stride + (x >> 3);
    if (msbByte !== msbBit && scanUnit > 1) byteIndex = byteIndex - (byteIndex % scanUnit) + (scanUnit - 1 - (byteIndex % scanUnit));
    let byte = buf[dataStart + offsets[g] + byteIndex];
    if (!msbBit) byte = reverseBits(byte);
    return (byte >> (7 - (x & 7))) & 1;
  };

  // Encodings: code point -> glyph index (0xFFFF = none).
  const enc = table(PCF_BDF_ENCODINGS, 'BDF_ENCODINGS');
  const [firstCol, lastCol, firstRow, lastRow] = [0, 2, 4, 6].map((k) => enc.i16(enc.at + k));
  const glyphOf = (cp) => {
    const row = cp >> 8;
    const col = cp & 0xff;
    if (row < firstRow || row > lastRow || col < firstCol || col > lastCol) return -1;
    const g = enc.u16(enc.at + 10 + ((row - firstRow) * (lastCol - firstCol + 1) + (col - firstCol)) * 2);
    return g === 0xffff ? -1 : g;
  };
  return { props, ascent, descent, metrics, pixel, glyphOf };
}

/** The generated module's text for the font in `buf` (a decompressed PCF file). */
function generate(buf, sourceName) {
  const font = parsePcf(buf);
  const { ascent, descent } = font;
  const cellWidth = font.props.get('QUAD_WIDTH');
  if (typeof cellWidth !== 'number') fail('QUAD_WIDTH missing');
  if (font.props.get('SPACING') !== 'C') fail(`not a character-cell font (SPACING ${JSON.stringify(font.props.get('SPACING'))})`);
  const cellHeight = ascent + descent;
  const bytesPerRow = Math.ceil(cellWidth / 8);
  const out = [];
  for (const [first, last] of RANGES) {
    for (let cp = first; cp <= last; cp++) {
      const g = font.glyphOf(cp);
      if (g < 0) fail(`no glyph for U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
      const m = font.metrics[g];
      if (m.width !== cellWidth || m.lsb < 0 || m.rsb > cellWidth || m.ascent > ascent || m.descent > descent) fail(`glyph U+${cp.toString(16)} leaves the ${cellWidth}x${cellHeight} cell`);
      const cell = new Uint8Array(cellHeight * bytesPerRow);
      for (let y = 0; y < m.ascent + m.descent; y++) {
        for (let x = 0; x < m.rsb - m.lsb; x++) {
          if (!font.pixel(g, x, y)) continue;
          const cx = m.lsb + x;
          cell[(ascent - m.ascent + y) * bytesPerRow + (cx >> 3)] |= 0x80 >> (cx & 7);
        }
      }
      out.push(cell);
    }
  }
  const glyphs = Buffer.concat(out).toString('base64');
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const str = (name) => JSON.stringify(String(font.props.get(name) ?? ''));
  const lines = [
    '/**',
    ` * GENERATED by scripts/gen-font.mjs from ${sourceName}: do not edit, regenerate.`,
    ' *',
    ` * Font: X11 misc-fixed ${cellWidth}x${cellHeight}, ${str('FONT')}.`,
    ' * Origin: X.Org font-misc-misc (https://gitlab.freedesktop.org/xorg/font/misc-misc), as shipped in',
    " * Debian's xfonts-base package. SHA-256 of the decompressed PCF file:",
    ` * ${sha256}.`,
    ` * Licence: public domain. The font's COPYRIGHT property reads ${str('COPYRIGHT')}`,
    ' * (Debian copyright file: font-misc-misc/COPYING "Public domain font.  Share and enjoy.").',
    ' *',
    ' * Layout: glyphs in the order of `ranges` (inclusive [first, last] code point pairs), each',
    ' * cellHeight rows of bytesPerRow bytes, MSB = leftmost pixel, 1 = ink, base64-encoded.',
    ' */',
    '',
    "import type { BitmapFontData } from './bitmap-font.js';",
    '',
    `/** misc-fixed ${cellWidth}x${cellHeight} (public domain): Latin-1, Latin Extended-A and common punctuation. */`,
    'export const FIXED_6X13: BitmapFontData = {',
    `  name: 'misc-fixed ${cellWidth}x${cellHeight}',`,
    `  cellWidth: ${cellWidth},`,
    `  cellHeight: ${cellHeight},`,
    `  ascent: ${ascent},`,
    `  bytesPerRow: ${bytesPerRow},`,
    `  ranges: [${RANGES.map(([a, b]) => `[0x${a.toString(16)}, 0x${b.toString(16)}]`).join(', ')}],`,
    '  glyphs:',
    ...chunk(glyphs, 96).map((part, i, all) => `    '${part}'${i === all.length - 1 ? ',' : ' +'}`),
    '};',
    '',
  ];
  return lines.join('\n');
}

function chunk(s, n) {
  const parts = [];
  for (let i = 0; i < s.length; i += n) parts.push(s.slice(i, i + n));
  return parts;
}

function main(argv) {
  let fontPath = DEFAULT_FONT;
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--font') fontPath = argv[++i];
    else if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--stdout') out = null;
    else fail(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  let raw;
  try {
    raw = readFileSync(fontPath);
  } catch (err) {
    fail(`cannot read ${JSON.stringify(fontPath)} (${err.code ?? err.message})\nhint: apt-get install -y xfonts-base, or pass --font FILE`);
  }
  const buf = fontPath.endsWith('.gz') ? gunzipSync(raw) : raw;
  const text = generate(buf, basename(fontPath));
  if (out === null) process.stdout.write(text);
  else {
    writeFileSync(out, text);
    console.log(`wrote ${out instanceof URL ? out.pathname : out}`);
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
}
