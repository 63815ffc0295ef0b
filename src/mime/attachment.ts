/**
 * RFC 2045 §6.8 / RFC 2183 §2 / RFC 2231: a binary attachment as a base64 body part with
 * `Content-Type; name=`, `Content-Disposition: attachment; filename=` (RFC 2231 encoded when
 * the name is not printable ASCII or too long for a line), used for the fax TIFF and for the
 * PDF of scan-to-e-mail.
 */

import { IfaxError } from '../errors.js';
import { base64Lines } from './base64.js';
import type { BodyPart } from './multipart.js';
import { paramField } from './mime-params.js';

/** Longest file name written (RFC 2183 §2.3 sets no limit; common file systems stop at 255). */
export const MAX_FILENAME_LENGTH = 255;

/**
 * Checks a file name for an attachment: not empty, at most 255 characters, no path
 * separators (a receiver that saves it must not be led into another directory) and no
 * control characters. Throws DATA_INVALID.
 */
export function checkFilename(filename: string): void {
  const bad = filename === '' ? 'is empty' : filename.length > MAX_FILENAME_LENGTH ? `is ${filename.length} characters (at most ${MAX_FILENAME_LENGTH})` : /[/\\]/.test(filename) ? 'contains a path separator' : Array.from(filename).some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ? 'contains a control character' : filename === '.' || filename === '..' ? 'is not a file name' : '';
  if (bad !== '') {
    throw new IfaxError('DATA_INVALID', `build mail failed: attachment file name ${JSON.stringify(filename)} ${bad}`, { hint: 'Give a plain file name such as fax.tif.' });
  }
}

/** A base64 attachment part; `extra` are further fields (folded, CRLF-ended) after the disposition. */
export function attachmentPart(contentType: string, filename: string, bytes: Uint8Array, extra: readonly string[] = []): BodyPart {
  checkFilename(filename);
  const headers =
    paramField('Content-Type', contentType, [['name', filename]]) +
    'Content-Transfer-Encoding: base64\r\n' +
    paramField('Content-Disposition', 'attachment', [['filename', filename]]) +
    extra.join('');
  return { headers, body: base64Lines(bytes) };
}
