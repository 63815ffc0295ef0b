/**
 * The URL modes of `smtp.loadReduction` (url-if-over, url-always; SETTINGS.md §4): instead of
 * the attachment, the document is placed in `download.dir` and its URL under `download.baseUrl`
 * is mailed with its size and SHA-256, so the receiver can check what it fetched. The file name
 * carries 128 random bits: whoever can list nothing cannot guess it (the web server must not
 * list the directory; the README says so). Written atomically, never over another file.
 */

import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { IfaxError } from '../../errors.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { base32 } from '../../mime/message-id.js';

export interface PlacedDocument {
  /** Where the file was written. */
  file: string;
  url: string;
  size: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

/**
 * Writes `bytes` into `dir` as `<random>.<ext>` (mode 0644: a web server reads it) and returns
 * its URL. CONFIG_INVALID when the URL mode lacks download.dir or download.baseUrl;
 * OUTPUT_FAILED (73) when the file cannot be written.
 */
export async function placeDocument(
  bytes: Uint8Array,
  ext: string,
  download: { dir: string | null; baseUrl: string | null },
  random: (n: number) => Uint8Array = randomBytes,
  /** False for a dry run: the URL and checksum as a send would mail them, no file published. */
  write = true,
): Promise<PlacedDocument> {
  if (!download.dir || !download.baseUrl) {
    throw new IfaxError('CONFIG_INVALID', 'Placing the document for download failed: download.dir and download.baseUrl must both be set for the URL modes', {
      hint: "Set them with 'ifax config set download.dir /srv/www/fax' and 'ifax config set download.baseUrl https://host/fax', or choose another smtp.loadReduction.",
    });
  }
  const name = `${base32(random(16))}.${ext}`;
  const file = path.join(download.dir, name);
  if (write) await writeFileAtomic(file, bytes, { exclusive: true, defaultMode: 0o644, what: 'Placing the document for download' });
  const url = `${download.baseUrl.replace(/\/+$/, '')}/${name}`;
  return { file, url, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
