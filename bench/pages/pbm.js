// netpbm P4 (raw PBM): rows packed MSB first, 1 = black, each row padded to a byte. The same
// layout as the codec's Bitmap and TIFF MinIsWhite, so no conversion is ever needed.
import { readFileSync } from 'node:fs';

/** P4 header + data of one page. */
export function pbmBytes(bitmap) {
  const header = Buffer.from(`P4\n${bitmap.width} ${bitmap.height}\n`, 'latin1');
  return Buffer.concat([header, bitmap.data]);
}

/** Reads every page of a (possibly multi-page) P4 file. */
export function readPbmPages(path) {
  const buf = readFileSync(path);
  const pages = [];
  let pos = 0;
  const isSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const token = () => {
    for (;;) {
      while (pos < buf.length && isSpace(buf[pos])) pos++;
      if (buf[pos] !== 0x23) break; // '#' comment
      while (pos < buf.length && buf[pos] !== 0x0a) pos++;
    }
    const start = pos;
    while (pos < buf.length && !isSpace(buf[pos])) pos++;
    return buf.toString('latin1', start, pos);
  };
  for (;;) {
    while (pos < buf.length && isSpace(buf[pos])) pos++;
    if (pos >= buf.length) break;
    if (token() !== 'P4') throw new Error(`${path}: not a raw PBM (P4) file at byte ${pos}`);
    const width = Number(token());
    const height = Number(token());
    pos++; // the single whitespace before the data
    const size = Math.ceil(width / 8) * height;
    if (!(width > 0 && height > 0) || pos + size > buf.length) throw new Error(`${path}: bad or truncated PBM`);
    pages.push({ width, height, data: new Uint8Array(buf.buffer, buf.byteOffset + pos, size) });
    pos += size;
  }
  return pages;
}
