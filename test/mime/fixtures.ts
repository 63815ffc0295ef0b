/**
 * Inputs shared by the mime tests: a real fax TIFF from the corpus (a Cisco on-ramp's), a
 * large profile-S TIFF written by our own TIFF writer from seeded noise, and deterministic
 * "random" bytes (the builders take randomness as input).
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFaxTiff } from '../../src/tiff/write-fax.js';
import { prng } from '../helpers/prng.js';

export const CISCO_EML = '/work/shared/corpus/email/cisco-onramp-fax.eml';
export const CISCO_TIFF = readFileSync('/work/shared/corpus/tiff/cisco/Cisco_fax.tif');

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `n` bytes from a seeded generator. */
export function seededBytes(seed: number, n: number): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

/**
 * A profile-S fax TIFF of at least `minBytes`: A4 fine pages (1728 x 2292) of seeded noise,
 * which MH codes to about 1 MB a page.
 */
export function noiseTiff(minBytes: number, seed = 7): Uint8Array {
  const width = 1728;
  const height = 2292;
  const pages = [];
  let estimate = 0;
  for (let p = 0; estimate < minBytes * 1.2; p++) {
    pages.push({ width, height, data: seededBytes(seed + p, (width / 8) * height) });
    estimate += 900 * 1024;
  }
  return writeFaxTiff(pages, { profile: 'S', compression: 'MH', xRes: 204, yRes: 196 });
}

/** Lines of a message, checked to be CRLF-separated. */
export function crlfLines(message: Uint8Array): string[] {
  const text = Buffer.from(message).toString('latin1');
  return text.split('\r\n');
}
