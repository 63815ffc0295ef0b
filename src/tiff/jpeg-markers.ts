/**
 * ITU-T T.81 Annex B (JPEG interchange and abbreviated formats: marker segments) as TIFF
 * Technical Note 2 stores them (Compression 7: each strip a JPEG stream; JPEGTables (347) an
 * abbreviated "tables-only" stream the strips may rely on). Only the markers are read, never
 * the entropy-coded data: enough to check a profile C page (RFC 3949 §6) and to splice shared
 * tables into a strip before decoding. Pure: no `node:` imports.
 */

/** One frame component of SOFn (T.81 B.2.2). */
export interface JpegFrameComponent {
  id: number;
  /** Horizontal and vertical sampling factors. */
  h: number;
  v: number;
  /** Quantisation table selector. */
  tq: number;
}

/** What the markers before the first scan say. */
export interface JpegStreamInfo {
  /** The SOFn marker's low byte: 0xc0 baseline, 0xc1 extended, 0xc2 progressive...; undefined when absent. */
  sof: number | undefined;
  precision: number;
  width: number;
  height: number;
  components: JpegFrameComponent[];
  /** The stream defines quantisation (DQT) / Huffman (DHT) tables itself. */
  hasDqt: boolean;
  hasDht: boolean;
  /** APPn segments (marker byte 0xe0..0xef and payload, a view into the stream). */
  app: { marker: number; data: Uint8Array }[];
}

/**
 * Reads the marker segments of a JPEG stream from SOI up to the first SOS (or EOI).
 * Returns undefined when the stream does not start with SOI or a segment runs past the end.
 */
export function readJpegMarkers(data: Uint8Array): JpegStreamInfo | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  const info: JpegStreamInfo = { sof: undefined, precision: 0, width: 0, height: 0, components: [], hasDqt: false, hasDht: false, app: [] };
  let i = 2;
  while (i + 1 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const m = data[i + 1];
    if (m === 0xff) {
      i++; // fill byte (T.81 B.1.1.2)
      continue;
    }
    if (m === 0xd9 || m === 0xda) return info; // EOI (tables-only stream) or SOS
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2; // standalone markers
      continue;
    }
    if (i + 3 >= data.length) return undefined;
    const len = (data[i + 2] << 8) | data[i + 3];
    const body = i + 4;
    const end = i + 2 + len;
    if (len < 2 || end > data.length) return undefined;
    if (m === 0xdb) info.hasDqt = true;
    else if (m === 0xc4) info.hasDht = true;
    else if (m >= 0xe0 && m <= 0xef) info.app.push({ marker: m, data: data.subarray(body, end) });
    else if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc && info.sof === undefined) {
      if (len < 8) return undefined;
      info.sof = m;
      info.precision = data[body];
      info.height = (data[body + 1] << 8) | data[body + 2];
      info.width = (data[body + 3] << 8) | data[body + 4];
      const n = data[body + 5];
      if (len < 8 + 3 * n) return undefined;
      for (let c = 0; c < n; c++) {
        const at = body + 6 + 3 * c;
        info.components.push({ id: data[at], h: data[at + 1] >> 4, v: data[at + 1] & 15, tq: data[at + 2] });
      }
    }
    i = end;
  }
  return info;
}

/**
 * TIFF Technical Note 2: a strip that relies on JPEGTables is an abbreviated stream. The
 * tables stream (SOI, DQT/DHT..., EOI) minus its EOI, followed by the strip minus its SOI, is a
 * complete interchange stream any decoder reads. A strip without SOI is returned unchanged.
 */
export function spliceJpegTables(tables: Uint8Array, strip: Uint8Array): Uint8Array {
  if (strip.length < 2 || strip[0] !== 0xff || strip[1] !== 0xd8) return strip;
  if (tables.length < 4 || tables[0] !== 0xff || tables[1] !== 0xd8) return strip;
  let head = tables.length;
  if (tables[head - 2] === 0xff && tables[head - 1] === 0xd9) head -= 2;
  const out = new Uint8Array(head + strip.length - 2);
  out.set(tables.subarray(0, head));
  out.set(strip.subarray(2), head);
  return out;
}

/** Marker names for messages: "SOF0 (baseline)". */
export function sofLabel(sof: number | undefined): string {
  if (sof === undefined) return 'no SOF marker';
  const kinds: Record<number, string> = {
    0xc0: 'baseline',
    0xc1: 'extended sequential',
    0xc2: 'progressive',
    0xc3: 'lossless',
    0xc9: 'arithmetic extended sequential',
    0xca: 'arithmetic progressive',
  };
  return `SOF${sof - 0xc0} (${kinds[sof] ?? 'other'})`;
}
