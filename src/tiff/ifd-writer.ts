/**
 * TIFF 6.0 §2 "TIFF Structure", writing side: one IFD with its entries in ascending tag order
 * and its long values right after it (RFC 3949 §3.5), little-endian ("II").
 * Pure: no `node:` imports.
 */

import { FIELD_TYPE_SIZE, FieldType, TAGS, type FieldTypeCode } from './tags.js';

/** One field to write: numbers for SHORT/LONG/RATIONAL, a string for ASCII. */
export interface OutField {
  tag: number;
  type: FieldTypeCode;
  value: readonly number[] | string;
}

/** Where, inside the serialized IFD block, a field's value landed (for later patches). */
export interface FieldPosition {
  tag: number;
  /** Offset in the file of the first value byte. */
  valueOffset: number;
}

export interface SerializedIfd {
  /** IFD followed by its long values; length is even. */
  bytes: Uint8Array;
  /** File offset of the IFD's next-IFD word. */
  nextIfdFieldOffset: number;
  positions: FieldPosition[];
}

/** RATIONAL as numerator/denominator: integers exactly, other values to 1/1000. */
function rational(v: number): [number, number] {
  if (Number.isInteger(v)) return [v, 1];
  let den = 1;
  while (den < 1000 && !Number.isInteger(v * den)) den *= 10;
  return [Math.round(v * den), den];
}

function encodeAscii(s: string): Uint8Array {
  const out = new Uint8Array(s.length + 1); // TIFF 6.0 §2: NUL-terminated.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c < 0x80 ? c : 0x3f; // ASCII fields are 7-bit; anything else becomes "?".
  }
  return out;
}

function fieldCount(f: OutField): number {
  if (typeof f.value === 'string') return f.value.length + 1;
  return f.value.length;
}

/**
 * Serializes one IFD at file offset `at` (even): entries sorted by tag, then every value
 * longer than 4 bytes, each word-aligned. `nextIfd` is written into the next-IFD word.
 */
export function serializeIfd(fields: readonly OutField[], at: number, nextIfd: number): SerializedIfd {
  const sorted = [...fields].sort((a, b) => a.tag - b.tag);
  const ifdLength = 2 + 12 * sorted.length + 4;
  let valuesLength = 0;
  for (const f of sorted) {
    const n = fieldCount(f) * FIELD_TYPE_SIZE[f.type];
    if (n > 4) valuesLength += n + (n & 1);
  }
  const bytes = new Uint8Array(ifdLength + valuesLength);
  const view = new DataView(bytes.buffer);
  const positions: FieldPosition[] = [];
  view.setUint16(0, sorted.length, true);
  let valueAt = ifdLength;
  sorted.forEach((f, i) => {
    const entry = 2 + 12 * i;
    const count = fieldCount(f);
    const size = count * FIELD_TYPE_SIZE[f.type];
    view.setUint16(entry, f.tag, true);
    view.setUint16(entry + 2, f.type, true);
    view.setUint32(entry + 4, count, true);
    let target = entry + 8;
    if (size > 4) {
      target = valueAt;
      view.setUint32(entry + 8, at + valueAt, true);
      valueAt += size + (size & 1);
    }
    positions.push({ tag: f.tag, valueOffset: at + target });
    writeValue(bytes, view, target, f);
  });
  view.setUint32(ifdLength - 4, nextIfd, true);
  return { bytes, nextIfdFieldOffset: at + ifdLength - 4, positions };
}

function writeValue(bytes: Uint8Array, view: DataView, at: number, f: OutField): void {
  if (typeof f.value === 'string') {
    bytes.set(encodeAscii(f.value), at);
    return;
  }
  f.value.forEach((v, i) => {
    switch (f.type) {
      case FieldType.SHORT:
        view.setUint16(at + 2 * i, v, true);
        break;
      case FieldType.LONG:
        view.setUint32(at + 4 * i, v, true);
        break;
      case FieldType.RATIONAL: {
        const [num, den] = rational(v);
        view.setUint32(at + 8 * i, num, true);
        view.setUint32(at + 8 * i + 4, den, true);
        break;
      }
      default:
        bytes[at + i] = v;
    }
  });
}

/** The optional ASCII fields a page may carry (TIFF 6.0 §8), in tag order; absent ones left out. */
export function textFields(page: { documentName?: string; imageDescription?: string; software?: string; dateTime?: string }): OutField[] {
  const text = [
    [TAGS.DocumentName.tag, page.documentName],
    [TAGS.ImageDescription.tag, page.imageDescription],
    [TAGS.Software.tag, page.software],
    [TAGS.DateTime.tag, page.dateTime],
  ] as const;
  const out: OutField[] = [];
  for (const [tag, value] of text) if (value !== undefined) out.push({ tag, type: FieldType.ASCII, value });
  return out;
}
