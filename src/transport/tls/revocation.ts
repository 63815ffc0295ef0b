/**
 * certVerify.revocation: OCSP first (RFC 6960), then the CRL of the certificate's distribution
 * point (RFC 5280 §4.2.1.13), then tls.crlFile. A source that cannot be reached, or does not
 * know the certificate, passes the question on; one that answers with a forged or misdirected
 * answer fails the check at once. No source at all is a failure: "revocation status unknown".
 * Only the server's own certificate is checked, not the intermediates above it.
 */
import { MAX_CRL_DOWNLOAD_BYTES, REVOCATION_FETCH_TIMEOUT_MS } from '../../limits.js';
import type { CertificateFields } from './certificate-fields.js';
import { readCrl, splitCrls } from './crl.js';
import type { HttpFetch } from './http-fetch.js';
import { askOcsp } from './ocsp.js';
import type { RevocationAnswer } from './revocation-answer.js';

/** What the revocation check needs besides the certificates. */
export interface RevocationContext {
  fetch: HttpFetch;
  now: Date;
  /** tls.crlFile, read: its path and its CRLs (DER each). */
  crlFile: { path: string; crls: Buffer[] } | null;
}

/** The outcome: ok only for a trusted "not revoked". */
export interface RevocationResult {
  ok: boolean;
  detail: string;
}

const httpUrl = (u: string): boolean => /^http:\/\//i.test(u);
const reason = (message: string): string => message.replace(/^downloading ".*?" failed: /, '');

function decided(answer: RevocationAnswer, notes: string[]): RevocationResult | null {
  if (answer.status === 'unavailable') {
    notes.push(answer.detail);
    return null;
  }
  const before = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  if (answer.status === 'good') return { ok: true, detail: answer.detail + before };
  return { ok: false, detail: answer.status === 'revoked' ? `the certificate was ${answer.detail}` : answer.detail };
}

/** Checks `leaf` (issued by `issuer`; null when the chain did not show who issued it). Never throws. */
export async function checkRevocation(leaf: CertificateFields, issuer: CertificateFields | null, ctx: RevocationContext): Promise<RevocationResult> {
  if (!issuer) {
    return { ok: false, detail: "revocation status unknown: the issuer's certificate is not known, so no OCSP answer or CRL can be verified" };
  }
  const notes: string[] = [];
  const ocsp = leaf.ocspUrls.filter(httpUrl);
  if (ocsp.length === 0) notes.push(leaf.ocspUrls.length > 0 ? 'the certificate names only non-http OCSP responders' : 'the certificate names no OCSP responder');
  for (const url of ocsp) {
    const result = decided(await askOcsp(url, leaf, issuer, ctx.fetch, ctx.now), notes);
    if (result) return result;
  }
  const points = leaf.crlUrls.filter(httpUrl);
  if (points.length === 0) notes.push('the certificate names no http CRL distribution point');
  for (const url of points) {
    const from = `the CRL at ${JSON.stringify(url)}`;
    let body: Buffer;
    try {
      body = await ctx.fetch(url, { method: 'GET', maxBytes: MAX_CRL_DOWNLOAD_BYTES, timeoutMs: REVOCATION_FETCH_TIMEOUT_MS });
    } catch (err) {
      notes.push(`${from} not reachable (${reason((err as Error).message)})`);
      continue;
    }
    for (const der of splitCrls(body)) {
      const result = decided(readCrl(der, leaf, issuer, ctx.now, from), notes);
      if (result) return result;
    }
  }
  if (ctx.crlFile) {
    const from = `tls.crlFile ${JSON.stringify(ctx.crlFile.path)}`;
    for (const der of ctx.crlFile.crls) {
      const result = decided(readCrl(der, leaf, issuer, ctx.now, from), notes);
      if (result) return result;
    }
  } else notes.push('no tls.crlFile');
  return { ok: false, detail: `revocation status unknown: ${notes.join('; ')}` };
}
