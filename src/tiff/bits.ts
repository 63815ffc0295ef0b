/**
 * TIFF 6.0 §8 FillOrder: 2 = the lowest-numbered pixel (or first code bit) in the least
 * significant bit of each byte, as fax modems send it (RFC 3949 §4.4.2). Reversing the bits
 * of every byte turns FillOrder 2 data into FillOrder 1 and back.
 * Pure: no `node:` imports.
 */

/** REVERSED[b] = b with its 8 bits in reverse order. */
const REVERSED = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  REVERSED[b] = r;
}

/** Reverses the bit order of bytes[start, end) in place. */
export function reverseBits(bytes: Uint8Array, start = 0, end = bytes.length): void {
  for (let i = start; i < end; i++) bytes[i] = REVERSED[bytes[i]];
}

/** A bit-reversed copy: FillOrder 1 <-> 2 conversion of coded data for pass-through. */
export function reversedBitsCopy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = REVERSED[bytes[i]];
  return out;
}
