/**
 * A minimal DER reader (ITU-T X.690 §8.1, definite lengths only): enough to cut the exact
 * bytes of a certificate's subject and public key out of its to-be-signed part. Hashes and
 * name comparisons need the bytes as the issuer signed them, not a re-encoding of a parsed
 * object, which may differ for strings a library normalises.
 */

/** One TLV: `tag` byte, where it starts, where its content starts, where it ends (exclusive). */
export interface DerNode {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** The TLV at `at` in `bytes`, or null when it is cut short or uses an indefinite or huge length. */
export function derNode(bytes: Uint8Array, at: number): DerNode | null {
  if (at + 2 > bytes.length) return null;
  // Multi-byte tags (low bits 0x1f) do not occur in the structures read here.
  if ((bytes[at] & 0x1f) === 0x1f) return null;
  let length = bytes[at + 1];
  let contentStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || contentStart + n > bytes.length) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[contentStart + i];
    contentStart += n;
  }
  const end = contentStart + length;
  return end > bytes.length ? null : { tag: bytes[at], start: at, contentStart, end };
}

/** The TLVs inside a constructed node; null when one of them is malformed. */
export function derChildren(bytes: Uint8Array, parent: DerNode): DerNode[] | null {
  const out: DerNode[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = derNode(bytes, at);
    if (!child || child.end > parent.end) return null;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The whole TLV as bytes. */
export function derBytes(bytes: Uint8Array, node: DerNode): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + node.start, node.end - node.start);
}
