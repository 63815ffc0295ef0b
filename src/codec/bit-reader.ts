/**
 * Bit reader for ITU-T T.4 §4 / T.6 §2 coded data. Code words are read MSB first from each
 * byte (TIFF FillOrder 1); FillOrder 2 data is bit-reversed once into a copy, so the hot
 * loops load bytes without a translation table (measured: a table read per loaded byte cost
 * a few percent of FillOrder 1 decoding, the common case).
 *
 * The window is a 32-bit accumulator: `cnt` unread bits sit at its low end. Past the end of
 * the data the reader supplies zero bits, which decode as EOL prefixes or invalid codes, so
 * every decoding loop ends; callers compare `bitPos` with `totalBits` to tell the end of the
 * data from fill.
 */

const REVERSED = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
  REVERSED[i] = r;
}

/** Bit reversal of every byte value: FillOrder 2 <-> 1. */
export const REVERSE_BITS: Readonly<Uint8Array> = REVERSED;

function reverseBits(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = REVERSED[data[i]];
  return out;
}

const NO_DATA = new Uint8Array(0);

export class BitReader {
  /** The data in FillOrder 1. */
  data: Uint8Array = NO_DATA;
  end = 0;
  totalBits = 0;
  /** Next byte to load. */
  pos = 0;
  acc = 0;
  cnt = 0;

  constructor(data: Uint8Array, fillOrder: 1 | 2) {
    this.read(data, fillOrder);
  }

  /**
   * Starts reading `data` from its first bit: a reader is reused for the next strip instead
   * of allocated per strip (a libtiff-written page has hundreds of strips).
   */
  read(data: Uint8Array, fillOrder: 1 | 2): void {
    this.data = fillOrder === 2 ? reverseBits(data) : data;
    this.end = data.length;
    this.totalBits = data.length * 8;
    this.pos = 0;
    this.acc = 0;
    this.cnt = 0;
  }

  /** Drops the data, so that a reader kept for reuse does not keep a strip alive. */
  release(): void {
    this.read(NO_DATA, 1);
  }

  /** Loads bytes until at least 25 bits are in the window. */
  refill(): void {
    let acc = this.acc;
    let cnt = this.cnt;
    let pos = this.pos;
    while (cnt <= 24) {
      acc = (acc << 8) | (pos < this.end ? this.data[pos] : 0);
      pos++;
      cnt += 8;
    }
    this.acc = acc;
    this.cnt = cnt;
    this.pos = pos;
  }

  /** The next n bits (n <= 25) without consuming them. */
  peek(n: number): number {
    if (this.cnt < n) this.refill();
    return (this.acc >>> (this.cnt - n)) & ((1 << n) - 1);
  }

  /** Consumes n bits that were peeked. */
  skip(n: number): void {
    this.cnt -= n;
  }

  readBit(): number {
    const bit = this.peek(1);
    this.cnt -= 1;
    return bit;
  }

  /** Bits consumed so far; greater than totalBits once the reader has supplied fill. */
  get bitPos(): number {
    return this.pos * 8 - this.cnt;
  }

  get bitsLeft(): number {
    return this.totalBits - this.bitPos;
  }

  alignToByte(): void {
    this.cnt -= this.cnt & 7;
  }

  /** Moves to an absolute bit position. */
  seek(bitPos: number): void {
    this.pos = bitPos >> 3;
    this.acc = 0;
    this.cnt = 0;
    this.refill();
    this.cnt -= bitPos & 7;
  }

  /** The bit at an absolute position (0 past the end), for look-ahead away from the window. */
  bitAt(bitPos: number): number {
    if (bitPos >= this.totalBits) return 0;
    return (this.data[bitPos >> 3] >> (7 - (bitPos & 7))) & 1;
  }

  /**
   * Zero bits from the current position up to the next one bit, or up to the end of the
   * data (then the count runs to totalBits - bitPos and no one bit follows). Skips whole
   * zero bytes, so long T.4 FILL costs little.
   */
  zerosAhead(): number {
    const start = this.bitPos;
    let p = start;
    while (p < this.totalBits) {
      if ((p & 7) === 0 && this.data[p >> 3] === 0) {
        p += 8;
        continue;
      }
      if (this.bitAt(p) === 1) return p - start;
      p++;
    }
    return Math.max(0, this.totalBits - start);
  }

  /**
   * Resynchronisation (T.4 §4.1.2: an EOL never occurs inside a valid row): moves to the
   * start of the next EOL, i.e. to 11 zero bits followed by a one bit, and returns true, or
   * moves to the end of the data and returns false. Every call consumes at least one bit
   * unless the reader already stands on an EOL.
   */
  seekNextEol(): boolean {
    let p = this.bitPos;
    let zeros = 0;
    while (p < this.totalBits) {
      if (zeros >= 11 && (p & 7) === 0 && this.data[p >> 3] === 0) {
        zeros += 8;
        p += 8;
        continue;
      }
      if (this.bitAt(p) === 1) {
        if (zeros >= 11) {
          this.seek(p - 11);
          return true;
        }
        zeros = 0;
      } else {
        zeros++;
      }
      p++;
    }
    this.seek(Math.max(this.totalBits, this.bitPos));
    return false;
  }
}
