/**
 * Painting decoded rows (lists of changing elements, changes.ts) into a packed bitmap, MSB
 * first. Rows are painted onto zeros: the sink clears a strip's rows once before decoding
 * (one memset is cheaper than clearing or writing white row by row), so only the black
 * runs are written (with `invert`, the white ones). Pad bits stay 0.
 *
 * 32 pixels are built in a local word and stored when a run leaves them, so the many short
 * runs of a halftone sharing a word cost one store, not a read-modify-write of memory each.
 * When the row starts on a 4-byte boundary of a 4-byte aligned buffer (every stride that is
 * a multiple of 32 pixels, e.g. 1728 and 4960 columns), the words are built in the
 * platform's byte order from mask tables and stored through an Int32Array view of the
 * bitmap: one store per word instead of four byte stores (measured: paintRow took a third
 * of the decode time with byte stores). Otherwise they are built big-endian and stored byte
 * by byte. The last word of a row is stored byte by byte up to the row's end only: the next
 * row may belong to a strip decoded earlier. Rows dense with changes are painted word by
 * word instead of run by run (paintDense).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function bswap(x: number): number {
  return ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) | 0;
}

/** A word in memory order: the bytes of big-endian `x` in the platform's Int32Array order. */
function native(x: number): number {
  return LITTLE_ENDIAN ? bswap(x) : x | 0;
}

/** Pixels s..31 of a word (memory order). */
const HEAD = Int32Array.from({ length: 32 }, (_, s) => native(-1 >>> s));
/** Pixels 0..e-1 of a word (memory order); e = 0 stands for 32, all pixels. */
const TAIL = Int32Array.from({ length: 32 }, (_, e) => native(e === 0 ? -1 : ~(-1 >>> e)));

/** An Int32Array view of `out` for paintRow, or null when `out` is not 4-byte aligned. */
export function wordView(out: Uint8Array): Int32Array | null {
  if ((out.byteOffset & 3) !== 0) return null;
  return new Int32Array(out.buffer, out.byteOffset, out.length >> 2);
}

/**
 * Paints one decoded row into a row of `out` at `offset` that is all 0. `words` is
 * wordView(out). Positions come from the decoder, ascending and clipped to the width; runs
 * between even and odd entries are black (with `invert`, the others are). `changes` must
 * have room for the sentinel after entry n - 1 (changes.ts), which may be written.
 */
export function paintRow(
  out: Uint8Array,
  words: Int32Array | null,
  offset: number,
  width: number,
  changes: Int32Array,
  n: number,
  invert: boolean,
): void {
  if (n >= width >> 3) {
    paintDense(out, words, offset, width, changes, n, invert);
    return;
  }
  if (words === null || (offset & 3) !== 0) {
    paintRowBytes(out, offset, width, changes, n, invert);
    return;
  }
  const fullWords = width >> 5;
  const base = offset >> 2;
  let at = -1; // index of the pending word in the row
  let word = 0;
  for (let k = invert ? -1 : 0; k < n; k += 2) {
    const start = k < 0 ? 0 : changes[k];
    const stop = k + 1 < n ? changes[k + 1] : width;
    if (stop <= start) continue;
    let first = start >> 5;
    const last = (stop - 1) >> 5;
    if (first !== at) {
      // Only the row's last word can be partial, and no run starts after it: at < fullWords.
      if (word !== 0) words[base + at] = word;
      at = first;
      word = 0;
    }
    const head = HEAD[start & 31];
    const tail = TAIL[stop & 31];
    if (first === last) {
      word |= head & tail;
      continue;
    }
    words[base + first] = word | head;
    for (first++; first < last; first++) words[base + first] = -1;
    at = last;
    word = tail;
  }
  if (word === 0) return;
  if (at < fullWords) words[base + at] = word;
  else storeBytes(out, offset + (at << 2), LITTLE_ENDIAN ? bswap(word) : word, ((width + 7) >> 3) - (at << 2));
}

/**
 * paintRow for rows with 4 or more changes per 32 pixels (halftones, dithering): word by
 * word, the changes inside a word toggle their bits and a prefix XOR turns toggles into
 * pixels, the colour carried from word to word. No branch per run, whose outcome is random
 * in such rows (measured: a quarter less painting time on the halftone and dithered pages,
 * but four times the time on text, hence the threshold).
 */
function paintDense(
  out: Uint8Array,
  words: Int32Array | null,
  offset: number,
  width: number,
  changes: Int32Array,
  n: number,
  invert: boolean,
): void {
  const fullWords = width >> 5;
  const aligned = words !== null && (offset & 3) === 0;
  const base = offset >> 2;
  changes[n] = width; // the sentinel ends the scan of the last full word
  let k = 0;
  let carry = invert ? -1 : 0; // all ones while the colour so far is painted
  for (let w = 0; w < fullWords; w++) {
    const limit = (w + 1) << 5;
    let t = 0;
    for (let p = changes[k]; p < limit; p = changes[++k]) t ^= 1 << (~p & 31);
    t = prefixXor(t) ^ carry;
    carry = -(t & 1);
    if (aligned) {
      (words as Int32Array)[base + w] = LITTLE_ENDIAN ? bswap(t) : t;
    } else {
      const o = offset + (w << 2);
      out[o] = t >>> 24;
      out[o + 1] = t >>> 16;
      out[o + 2] = t >>> 8;
      out[o + 3] = t;
    }
  }
  const rest = width & 31;
  if (rest === 0) return;
  let t = 0;
  for (; k < n; k++) t ^= 1 << (~changes[k] & 31); // a change at the width toggles a pad bit
  t = (prefixXor(t) ^ carry) & ~(-1 >>> rest);
  storeBytes(out, offset + (fullWords << 2), t, ((width + 7) >> 3) - (fullWords << 2));
}

/** Bit i (from the most significant) becomes the XOR of bits 0..i. */
function prefixXor(t: number): number {
  t ^= t >>> 1;
  t ^= t >>> 2;
  t ^= t >>> 4;
  t ^= t >>> 8;
  return (t ^ (t >>> 16)) | 0;
}

/** paintRow for rows off a 4-byte boundary: big-endian words, stored byte by byte. */
function paintRowBytes(out: Uint8Array, offset: number, width: number, changes: Int32Array, n: number, invert: boolean): void {
  const fullWords = width >> 5;
  let at = -1;
  let word = 0;
  for (let k = invert ? -1 : 0; k < n; k += 2) {
    const start = k < 0 ? 0 : changes[k];
    const stop = k + 1 < n ? changes[k + 1] : width;
    if (stop <= start) continue;
    let first = start >> 5;
    const last = (stop - 1) >> 5;
    if (first !== at) {
      if (word !== 0) storeWord(out, offset, at, word, fullWords, width);
      at = first;
      word = 0;
    }
    const head = -1 >>> (start & 31);
    const tail = stop & 31 ? ~(-1 >>> (stop & 31)) : -1; // pixels of the last word up to stop
    if (first === last) {
      word |= head & tail;
      continue;
    }
    storeWord(out, offset, first, word | head, fullWords, width);
    for (first++; first < last; first++) storeWord(out, offset, first, -1, fullWords, width);
    at = last;
    word = tail;
  }
  if (word !== 0) storeWord(out, offset, at, word, fullWords, width);
}

/** Stores pixel word `index` of a row big-endian (MSB = leftmost pixel), clipped to the row. */
function storeWord(out: Uint8Array, offset: number, index: number, word: number, fullWords: number, width: number): void {
  const o = offset + (index << 2);
  if (index < fullWords) {
    out[o] = word >>> 24;
    out[o + 1] = word >>> 16;
    out[o + 2] = word >>> 8;
    out[o + 3] = word;
    return;
  }
  storeBytes(out, o, word, ((width + 7) >> 3) - (index << 2));
}

/** The first `bytes` bytes of big-endian `word` at out[o]. */
function storeBytes(out: Uint8Array, o: number, word: number, bytes: number): void {
  for (let b = 0; b < bytes; b++) out[o + b] = word >>> (24 - 8 * b);
}
