// paintRow's two stores (32-bit words through an Int32Array view on 4-byte aligned rows,
// bytes elsewhere) against a pixel-by-pixel reference, with the row's neighbours guarded.
import { paintRow, wordView } from '../../src/codec/paint-row.js';
import { prng } from './helpers.js';

/** Changes as the decoder makes them: ascending, repeats allowed, clipped to the width. */
function randomChanges(width: number, rnd: () => number, meanRun: number): Int32Array {
  const list: number[] = [];
  let at = 0;
  for (;;) {
    at += Math.floor(rnd() * 2 * meanRun); // 0 gives a zero-length run
    if (at >= width) break;
    list.push(at);
  }
  if (list.length % 2 === 1 && rnd() < 0.5) list.push(width); // a black run up to the edge
  return Int32Array.from(list);
}

function reference(width: number, changes: Int32Array, invert: boolean): Uint8Array {
  const row = new Uint8Array((width + 7) >> 3);
  let k = 0;
  let black = 0;
  for (let x = 0; x < width; x++) {
    while (k < changes.length && changes[k] <= x) {
      black ^= 1;
      k++;
    }
    if (black ^ (invert ? 1 : 0)) row[x >> 3] |= 0x80 >> (x & 7);
  }
  return row;
}

describe('paintRow', () => {
  const rnd = prng(7);
  for (const width of [1, 7, 31, 32, 33, 64, 100, 1728, 1729, 4960]) {
    for (const shift of [0, 1, 2, 3]) {
      for (const view of ['aligned', 'unaligned']) {
        it(`width ${width}, row at byte ${shift} of a word, ${view} bitmap`, () => {
          const stride = (width + 7) >> 3;
          for (let trial = 0; trial < 40; trial++) {
            const invert = trial % 2 === 1;
            // Mean runs of 3 pixels take the dense path, 40 the run by run one.
            const changes = randomChanges(width, rnd, [2, 3, 40][trial % 3]);
            const buffer = new Uint8Array(stride + 24);
            const at = 8 + shift;
            buffer.fill(0x5a, 0, at);
            buffer.fill(0xa5, at + stride);
            // An aligned bitmap takes the word path for rows on a word boundary (shift 0);
            // an unaligned one (byteOffset 1) has no word view and always stores bytes.
            const out = view === 'aligned' ? buffer : buffer.subarray(1);
            const offset = view === 'aligned' ? at : at - 1;
            const list = new Int32Array(changes.length + 6);
            list.set(changes);
            paintRow(out, wordView(out), offset, width, list, changes.length, invert);
            expect(Array.from(buffer.subarray(at, at + stride))).toEqual(Array.from(reference(width, changes, invert)));
            expect(buffer.subarray(0, at).every((b) => b === 0x5a)).toBe(true);
            expect(buffer.subarray(at + stride).every((b) => b === 0xa5)).toBe(true);
          }
        });
      }
    }
  }
});
