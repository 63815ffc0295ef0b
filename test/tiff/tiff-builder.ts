/**
 * A deliberately permissive TIFF builder for tests: any byte order, tags in any order, any
 * type, counts that lie, strips before the IFDs. Not the product writer (src/tiff/writer.ts).
 */

export const T = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, UNDEFINED: 7 } as const;
const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 16: 8 };

export interface RawEntry {
  tag: number;
  type: number;
  /** Numbers (RATIONAL: [num, den, num, den...]), a string (ASCII), or strip placeholders. */
  values: number[] | string | 'STRIP_OFFSETS' | 'STRIP_COUNTS';
  /** Overrides the written count (to lie about it). */
  count?: number;
  /** Overrides the value offset (to point outside the file). */
  offset?: number;
}

export interface RawIfd {
  entries: RawEntry[];
  strips?: Uint8Array[];
  /** Overrides the next-IFD offset (default: the next IFD, 0 for the last). */
  next?: number;
}

export interface BuildOptions {
  order?: 'II' | 'MM';
  /** Bytes 0-1 as written (junk byte order). */
  orderBytes?: [number, number];
  version?: number;
  ifds: RawIfd[];
}

/** Common fields of a bilevel page, as entries (strips filled in by the builder). */
export function pageEntries(f: {
  width: number;
  height: number;
  compression?: number;
  photometric?: number;
  fillOrder?: number;
  rowsPerStrip?: number;
  t4?: number;
  extra?: RawEntry[];
}): RawEntry[] {
  const e: RawEntry[] = [
    { tag: 254, type: T.LONG, values: [2] },
    { tag: 256, type: T.LONG, values: [f.width] },
    { tag: 257, type: T.LONG, values: [f.height] },
    { tag: 258, type: T.SHORT, values: [1] },
    { tag: 259, type: T.SHORT, values: [f.compression ?? 1] },
    { tag: 262, type: T.SHORT, values: [f.photometric ?? 0] },
    { tag: 273, type: T.LONG, values: 'STRIP_OFFSETS' },
    { tag: 277, type: T.SHORT, values: [1] },
    { tag: 278, type: T.LONG, values: [f.rowsPerStrip ?? f.height] },
    { tag: 279, type: T.LONG, values: 'STRIP_COUNTS' },
    { tag: 282, type: T.RATIONAL, values: [204, 1] },
    { tag: 283, type: T.RATIONAL, values: [196, 1] },
    { tag: 296, type: T.SHORT, values: [2] },
  ];
  if (f.fillOrder !== undefined) e.push({ tag: 266, type: T.SHORT, values: [f.fillOrder] });
  if (f.t4 !== undefined) e.push({ tag: 292, type: T.LONG, values: [f.t4] });
  return [...e, ...(f.extra ?? [])].sort((a, b) => a.tag - b.tag);
}

export function buildTiff(opts: BuildOptions): Uint8Array {
  const le = (opts.order ?? 'II') === 'II';
  // Pass 1: sizes. Layout: header, then per IFD: strips, values, IFD.
  const chunks: { at: number; bytes: Uint8Array }[] = [];
  let pos = 8;
  const ifdOffsets: number[] = [];
  const plans = opts.ifds.map((ifd) => {
    const stripOffsets: number[] = [];
    for (const s of ifd.strips ?? []) {
      stripOffsets.push(pos);
      chunks.push({ at: pos, bytes: s });
      pos += s.length + (s.length & 1);
    }
    const valueOffsets = new Map<RawEntry, number>();
    for (const e of ifd.entries) {
      const n = valueBytes(e, ifd).length;
      if (n > 4) {
        valueOffsets.set(e, pos);
        pos += n + (n & 1);
      }
    }
    ifdOffsets.push(pos);
    pos += 2 + 12 * ifd.entries.length + 4;
    return { stripOffsets, valueOffsets };
  });
  const out = new Uint8Array(pos);
  const view = new DataView(out.buffer);
  const b = opts.orderBytes ?? (le ? [0x49, 0x49] : [0x4d, 0x4d]);
  out[0] = b[0];
  out[1] = b[1];
  view.setUint16(2, opts.version ?? 42, le);
  view.setUint32(4, ifdOffsets[0] ?? 0, le);
  for (const c of chunks) out.set(c.bytes, c.at);
  opts.ifds.forEach((ifd, i) => {
    const plan = plans[i];
    const at = ifdOffsets[i];
    view.setUint16(at, ifd.entries.length, le);
    ifd.entries.forEach((e, j) => {
      const p = at + 2 + 12 * j;
      const bytes = valueBytes(e, ifd, plan.stripOffsets, le);
      view.setUint16(p, e.tag, le);
      view.setUint16(p + 2, e.type, le);
      view.setUint32(p + 4, e.count ?? countOf(e, ifd), le);
      if (e.offset !== undefined) view.setUint32(p + 8, e.offset, le);
      else if (bytes.length > 4) {
        const vo = plan.valueOffsets.get(e)!;
        out.set(bytes, vo);
        view.setUint32(p + 8, vo, le);
      } else out.set(bytes, p + 8);
    });
    const next = ifd.next ?? (i + 1 < opts.ifds.length ? ifdOffsets[i + 1] : 0);
    view.setUint32(at + 2 + 12 * ifd.entries.length, next, le);
  });
  return out;
}

function countOf(e: RawEntry, ifd: RawIfd): number {
  if (e.values === 'STRIP_OFFSETS' || e.values === 'STRIP_COUNTS') return ifd.strips?.length ?? 0;
  if (typeof e.values === 'string') return e.values.length + 1;
  return e.type === T.RATIONAL ? e.values.length / 2 : e.values.length;
}

function valueBytes(e: RawEntry, ifd: RawIfd, stripOffsets: number[] = [], le = true): Uint8Array {
  let values: number[];
  if (e.values === 'STRIP_OFFSETS') values = stripOffsets.length ? stripOffsets : (ifd.strips ?? []).map(() => 0);
  else if (e.values === 'STRIP_COUNTS') values = (ifd.strips ?? []).map((s) => s.length);
  else if (typeof e.values === 'string') {
    const s = e.values;
    const out = new Uint8Array(s.length + 1);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } else values = e.values;
  const size = e.type === T.RATIONAL ? 4 : (SIZE[e.type] ?? 1);
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    if (size === 1) out[i] = x;
    else if (size === 2) v.setUint16(2 * i, x, le);
    else v.setUint32(4 * i, x, le);
  });
  return out;
}
