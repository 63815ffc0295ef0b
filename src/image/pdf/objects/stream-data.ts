/**
 * Where a stream's data ends (PDF 32000-1 §7.3.8.1): /Length bytes after the data start, when
 * "endstream" follows there; otherwise (a wrong or missing /Length, common in damaged files)
 * up to the next "endstream", less the EOL before it, as pdf-lib and pdf.js find it. The scan
 * reads the file in blocks: it costs no memory beyond one block.
 */

import { PDF_SCAN_CHUNK_BYTES } from '../../../limits.js';
import type { Bytes } from './byte-window.js';
import { keywordAt, skipSpace } from './lexer.js';

const ENDSTREAM = Buffer.from('endstream', 'latin1');

/** [start, end) of the stream data starting at `start`, given its /Length when known. */
export function streamExtent(b: Bytes, start: number, length: number | undefined): { start: number; end: number } | undefined {
  if (length !== undefined && Number.isInteger(length) && length >= 0 && start + length <= b.length) {
    if (keywordAt(b, skipSpace(b, start + length), 'endstream')) return { start, end: start + length };
  }
  const at = findForward(b, start, ENDSTREAM);
  if (at < 0) return undefined;
  let end = at;
  // The EOL before "endstream" is not data (§7.3.8.1).
  if (b.at(end - 1) === 0x0a) end--;
  if (b.at(end - 1) === 0x0d) end--;
  return { start, end: Math.max(start, end) };
}

/** The offset of the first `needle` at or after `from`, or -1; read in PDF_SCAN_CHUNK_BYTES blocks. */
export function findForward(b: Bytes, from: number, needle: Uint8Array): number {
  for (let pos = from; pos < b.length; pos += PDF_SCAN_CHUNK_BYTES) {
    const chunk = Buffer.from(b.slice(pos, pos + PDF_SCAN_CHUNK_BYTES + needle.length - 1));
    const i = chunk.indexOf(needle);
    if (i >= 0) return pos + i;
  }
  return -1;
}
