/**
 * FillOrder 2 output (bit-writer.ts toFillOrder2): word-at-a-time bit reversal must equal
 * the byte table on any length and any alignment of the buffer.
 */

import { REVERSE_BITS } from '../../src/codec/bit-reader.js';
import { toFillOrder2 } from '../../src/codec/bit-writer.js';
import { prng } from './helpers.js';

describe('toFillOrder2', () => {
  it.each([0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 1001])('reverses every byte of %i bytes at every alignment', (length) => {
    const rnd = prng(length + 1);
    for (let offset = 0; offset < 4; offset++) {
      const buffer = new Uint8Array(length + 8);
      for (let i = 0; i < buffer.length; i++) buffer[i] = Math.floor(rnd() * 256);
      const expected = Uint8Array.from(buffer, (b, i) => (i >= offset && i < offset + length ? REVERSE_BITS[b] : b));
      toFillOrder2(buffer.subarray(offset, offset + length));
      expect(buffer).toEqual(expected);
    }
  });
});
