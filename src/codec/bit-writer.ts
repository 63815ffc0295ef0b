/**
 * Bit writer for ITU-T T.4 §4 / T.6 §2 coded data: code words are written MSB first
 * (TIFF FillOrder 1); FillOrder 2 (TIFF 6.0 §8, the TIFF-F default for MH) is applied once
 * over the finished output (toFillOrder2).
 */

import { REVERSE_BITS } from './bit-reader.js';

export class BitWriter {
  buf: Uint8Array;
  /** Bytes completed. */
  pos = 0;
  /**
   * Pending bits are the low `bits` bits of `acc` (higher bits are stale and ignored). The
   * row coders write into these fields directly and flush two bytes at a time, so up to 15
   * bits may be pending between calls.
   */
  acc = 0;
  bits = 0;

  constructor(initialBytes: number) {
    this.buf = new Uint8Array(Math.max(64, initialBytes));
  }

  /** Makes room for `bytes` more bytes, so the put calls of one row never check. */
  ensure(bytes: number): void {
    const need = this.pos + bytes + 8;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** Writes the low `length` bits of `code` (length <= 16). */
  put(code: number, length: number): void {
    let bits = this.bits + length;
    const acc = (this.acc << length) | code;
    // A Uint8Array store keeps the low 8 bits, which are the next byte.
    while (bits >= 8) {
      bits -= 8;
      this.buf[this.pos++] = acc >>> bits;
    }
    this.acc = acc;
    this.bits = bits;
  }

  /** Zero bits up to the next byte boundary (EncodedByteAlign, final padding). */
  alignToByte(): void {
    // put also flushes whole pending bytes (up to 15 bits may be pending, see above).
    this.put(0, (8 - (this.bits & 7)) & 7);
  }

  /** Zero fill so that a following code of `length` bits ends on a byte boundary (T4Options bit 2). */
  fillBefore(length: number): void {
    const pad = (8 - ((this.bits + length) & 7)) & 7;
    if (pad > 0) this.put(0, pad);
  }

  /** The written bytes, the last one padded with zero bits. */
  finish(): Uint8Array {
    this.alignToByte();
    return this.buf.slice(0, this.pos);
  }
}

/**
 * Reverses the bits of every byte in place (FillOrder 1 -> 2), four bytes per step where
 * the buffer allows: three mask-and-shift steps on a 32-bit word instead of four table
 * reads and byte stores (a 600-dpi halftone page is ~3 MB of MH, reversed on every write).
 */
export function toFillOrder2(out: Uint8Array): void {
  const head = (4 - (out.byteOffset & 3)) & 3;
  if (out.length < head + 4) {
    for (let i = 0; i < out.length; i++) out[i] = REVERSE_BITS[out[i]];
    return;
  }
  for (let i = 0; i < head; i++) out[i] = REVERSE_BITS[out[i]];
  const count = (out.length - head) >> 2;
  const words = new Int32Array(out.buffer, out.byteOffset + head, count);
  for (let i = 0; i < count; i++) {
    let x = words[i];
    x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
    x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
    words[i] = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  }
  for (let i = head + (count << 2); i < out.length; i++) out[i] = REVERSE_BITS[out[i]];
}
