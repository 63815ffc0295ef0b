/**
 * Changing elements (ITU-T T.4 §4.2.1.3.1, T.6 §2.2.2): the pixels whose colour differs
 * from the pixel to their left, the pixel left of column 0 being white. Both coders work on
 * lists of these positions, never on single pixels: the encoder extracts them from packed
 * rows a byte at a time, the decoder paints runs back a word at a time (paint-row.ts).
 *
 * A list holds ascending positions (the decoder's may repeat one, for zero-length runs);
 * even indexes start black runs, odd indexes start white runs. Sentinels equal to the width
 * follow the last entry so the 2-D coders can look at b1, b2 and a2 without bounds checks.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Sentinel entries the 2-D coders may read past the last change. */
export const SENTINELS = 6;

/**
 * The bitmap seen as 32-bit words where its buffer allows, for skipping runs of equal bytes
 * four at a time; `findChanges` falls back to bytes around the words.
 */
export interface RowSource {
  data: Uint8Array;
  words: Int32Array;
  /** Byte offset of words[0] relative to data[0] (0-3). */
  wordStart: number;
}

export function rowSource(data: Uint8Array): RowSource {
  const start = (4 - (data.byteOffset & 3)) & 3;
  const count = Math.max(0, (data.length - start) >> 2);
  return { data, words: new Int32Array(data.buffer, data.byteOffset + start, count), wordStart: start };
}

/**
 * In a stretch of the current colour `skip` (text: blank rows, margins, the white between
 * letters), skips four words at once while they all equal it (measured: a tenth off MH/MMR
 * encoding of a 600-dpi text page); returns the index of the last word known to equal it.
 */
function skipWords(words: Int32Array, w: number, wordsEnd: number, skip: number): number {
  while (w + 4 < wordsEnd && ((words[w + 1] ^ skip) | (words[w + 2] ^ skip) | (words[w + 3] ^ skip) | (words[w + 4] ^ skip)) === 0) w += 4;
  return w;
}

/**
 * Writes the changing elements of one packed row (MSB first, 1 = black, or inverted when
 * `invert` is 0xff) into `out` and returns their number; the sentinels are written too.
 * `out` must hold width + SENTINELS entries. Works on 32 pixels at a time: an aligned
 * word equal to the current colour is skipped with one compare (all-0 and all-1 words read
 * the same in any byte order); other words are assembled big-endian and their changes
 * taken out with Math.clz32. Bytes before the first aligned word and after the last are
 * done the same way, 8 pixels at a time.
 */
export function findChanges(
  src: RowSource,
  offset: number,
  width: number,
  invert: number,
  out: Int32Array,
): number {
  const data = src.data;
  const words = src.words;
  const wordStart = src.wordStart;
  const end = offset + (width >> 3);
  const invertWord = invert === 0 ? 0 : -1;
  let n = 0;
  let last = 0; // colour of the pixel left of the current position: 0 white, 1 black
  let i = offset;
  // Bytes up to the first word boundary, then whole words, then the remaining bytes.
  let stop = Math.min(end, offset + ((wordStart - offset) & 3));
  for (let pass = 0; pass < 3; pass++) {
    if (pass === 1) {
      let w = (i - wordStart) >> 2;
      const wordsEnd = (end - wordStart) >> 2;
      // The current colour as stored; Int32Array and -1 keep the compare on small integers.
      let skip = last === invert >>> 7 ? 0 : -1;
      for (; w < wordsEnd; w++) {
        if (words[w] === skip) {
          w = skipWords(words, w, wordsEnd, skip);
          continue;
        }
        const at = wordStart + (w << 2);
        // The word as 32 pixels, leftmost in the top bit: one load and a byte swap.
        const x = words[w];
        const v = (LITTLE_ENDIAN ? (x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24) : x) ^ invertWord;
        let d = v ^ ((v >>> 1) | (last << 31));
        const base = (at - offset) << 3;
        while (d !== 0) {
          const z = Math.clz32(d);
          out[n++] = base + z;
          d ^= 0x80000000 >>> z;
        }
        last = v & 1;
        skip = last === invert >>> 7 ? 0 : -1;
      }
      i = Math.max(i, wordStart + (w << 2));
      stop = end;
      continue;
    }
    for (; i < stop; i++) {
      const b = data[i] ^ invert;
      // Bit k of d is set where pixel k differs from its left neighbour.
      let d = b ^ ((b >>> 1) | (last << 7));
      const base = (i - offset) << 3;
      while (d !== 0) {
        const z = Math.clz32(d) - 24;
        out[n++] = base + z;
        d ^= 0x80 >>> z;
      }
      last = b & 1;
    }
  }
  const fullBytes = width >> 3;
  const rest = width & 7;
  if (rest !== 0) {
    // Pad bits are ignored: they are set to the colour of the last real pixel, so they
    // add no change.
    const keep = (0xff << (8 - rest)) & 0xff;
    let b = (data[end] ^ invert) & keep;
    if ((b >>> (8 - rest)) & 1) b |= ~keep & 0xff;
    let d = b ^ ((b >>> 1) | (last << 7));
    const base = fullBytes << 3;
    while (d !== 0) {
      const z = Math.clz32(d) - 24;
      out[n++] = base + z;
      d ^= 0x80 >>> z;
    }
  }
  for (let s = 0; s < SENTINELS; s++) out[n + s] = width;
  return n;
}
