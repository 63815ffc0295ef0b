/**
 * What kind of file a buffer holds, from its first bytes (magic numbers), never from its name:
 * a fax TIFF called scan.png, a PBM piped through stdin, and a PDF saved as .tif all happen.
 * Magic numbers: TIFF 6.0 §2 (II*\0, MM\0*; BigTIFF 43), PNG (RFC 2083 §3.1), netpbm (P1..P7),
 * PDF 1.7 §7.5.2 (%PDF-), JPEG (FF D8 FF), GIF (GIF8), WebP (RIFF....WEBP, RFC 9649 §2.5).
 */

/** Every kind `sniff` recognises; `unknown` is anything else. */
export type FileKind = 'tiff' | 'bigtiff' | 'pbm' | 'pgm' | 'ppm' | 'pam' | 'png' | 'pdf' | 'jpeg' | 'gif' | 'webp' | 'unknown';

/** Bytes `sniff` looks at at most: enough for every magic number above and a PDF's leading junk. */
export const SNIFF_BYTES = 1024;

/**
 * The kind of file `head` (the file's first bytes; SNIFF_BYTES is plenty) starts.
 * PDF may be preceded by junk up to 1024 bytes (readers tolerate it, PDF 1.7 Annex H.3).
 */
export function sniff(head: Uint8Array): FileKind {
  const b = head;
  const at = (i: number): number => (i < b.length ? b[i] : -1);
  if (at(0) === 0x49 && at(1) === 0x49) {
    if (at(2) === 42 && at(3) === 0) return 'tiff';
    if (at(2) === 43 && at(3) === 0) return 'bigtiff';
  }
  if (at(0) === 0x4d && at(1) === 0x4d) {
    if (at(2) === 0 && at(3) === 42) return 'tiff';
    if (at(2) === 0 && at(3) === 43) return 'bigtiff';
  }
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47 && at(4) === 0x0d && at(5) === 0x0a && at(6) === 0x1a && at(7) === 0x0a) {
    return 'png';
  }
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x38) return 'gif';
  if (at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46 && at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50) return 'webp';
  // netpbm: "P" and a digit, then whitespace (or a comment: "P4#..." is legal in netpbm).
  if (at(0) === 0x50 && at(1) >= 0x31 && at(1) <= 0x37 && (isPnmSpace(at(2)) || at(2) === 0x23)) {
    switch (at(1)) {
      case 0x31:
      case 0x34:
        return 'pbm';
      case 0x32:
      case 0x35:
        return 'pgm';
      case 0x33:
      case 0x36:
        return 'ppm';
      default:
        return 'pam';
    }
  }
  const pdf = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
  const limit = Math.min(b.length, SNIFF_BYTES) - pdf.length;
  for (let i = 0; i <= limit; i++) {
    let ok = true;
    for (let j = 0; j < pdf.length && ok; j++) ok = b[i + j] === pdf[j];
    if (ok) return 'pdf';
  }
  return 'unknown';
}

/** netpbm whitespace: blank, tab, CR, LF, VT, FF (netpbm's isspace). */
export function isPnmSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

/** A person's name for a kind, for messages ("a PNG image", "a PDF document"). */
export function describeKind(kind: FileKind): string {
  switch (kind) {
    case 'tiff':
      return 'a TIFF file';
    case 'bigtiff':
      return 'a BigTIFF file';
    case 'pbm':
      return 'a PBM bitmap';
    case 'pgm':
      return 'a PGM greyscale image';
    case 'ppm':
      return 'a PPM colour image';
    case 'pam':
      return 'a PAM image';
    case 'png':
      return 'a PNG image';
    case 'pdf':
      return 'a PDF document';
    case 'jpeg':
      return 'a JPEG image';
    case 'gif':
      return 'a GIF image';
    case 'webp':
      return 'a WebP image';
    default:
      return 'not an image format ifax knows';
  }
}
