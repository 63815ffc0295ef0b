/**
 * The certificate path of RFC 5280 §6.1, reduced to what certVerify.chain decides: from the
 * server's certificate through the intermediates it sent to a trusted certificate, each one's
 * signature verified with the next one's key, every intermediate a CA (basicConstraints).
 * Validity dates are certVerify.validity's and names certVerify.cn's business; revocation
 * is certVerify.revocation's. A missing intermediate is a failure: fetching it from the
 * caIssuers address (AIA) would accept servers that are misconfigured for every other client.
 */
import type { X509Certificate } from 'node:crypto';
import { MAX_CHAIN_CERTIFICATES } from '../../limits.js';
import { displayName } from './certificate-fields.js';
import type { TrustAnchors } from './trust-anchors.js';

/** A built path (leaf first, trust anchor last) or why none could be built. */
export interface ChainResult {
  ok: boolean;
  /** The path found, or the longest path tried when none reached a trusted certificate. */
  path: X509Certificate[];
  detail: string;
}

/** Whether `issuer` issued `cert`: names and key identifiers match, and the signature verifies. */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

const selfIssued = (cert: X509Certificate): boolean => cert.subject === cert.issuer && issuedBy(cert, cert);

/** Builds the path of `leaf` through `sent` (the server's other certificates) to one of `anchors`. */
export function buildChain(leaf: X509Certificate, sent: readonly X509Certificate[], anchors: TrustAnchors): ChainResult {
  let longest: X509Certificate[] = [leaf];
  const extend = (path: X509Certificate[]): X509Certificate[] | null => {
    if (path.length > longest.length) longest = path;
    const cur = path[path.length - 1];
    if (anchors.has(cur)) return path;
    if (path.length >= MAX_CHAIN_CERTIFICATES) return null;
    for (const root of anchors.issuersOf(cur)) if (issuedBy(cur, root)) return [...path, root];
    for (const next of sent) {
      if (!next.ca || path.some((p) => p.fingerprint256 === next.fingerprint256)) continue;
      if (!issuedBy(cur, next)) continue;
      const found = extend([...path, next]);
      if (found) return found;
    }
    return null;
  };
  const found = extend([leaf]);
  if (found) {
    const via = found.slice(1).map((c) => JSON.stringify(displayName(c.subject)));
    const detail =
      via.length === 0
        ? 'the certificate itself is trusted'
        : `leads to the trusted ${via[via.length - 1]}${via.length > 1 ? ` through ${via.slice(0, -1).join(', ')}` : ''}`;
    return { ok: true, path: found, detail };
  }
  const last = longest[longest.length - 1];
  const issuer = JSON.stringify(displayName(last.issuer));
  let detail: string;
  if (selfIssued(last)) {
    detail = `the certificate is not signed by a trusted CA: its root ${JSON.stringify(displayName(last.subject))} is not trusted`;
  } else if (longest.length >= MAX_CHAIN_CERTIFICATES) {
    detail = `the certificate is not signed by a trusted CA: no trusted certificate within MAX_CHAIN_CERTIFICATES (${MAX_CHAIN_CERTIFICATES})`;
  } else {
    detail =
      last === leaf && sent.length === 0
        ? `the certificate is not signed by a trusted CA: its issuer ${issuer} is not trusted, and the server sent no intermediate certificate`
        : `the certificate is not signed by a trusted CA: the issuer ${issuer} of ${JSON.stringify(displayName(last.subject))} is neither trusted nor among the certificates the server sent`;
  }
  return { ok: false, path: longest, detail };
}
