/**
 * What one revocation source (an OCSP responder, a CRL) says about a certificate. `invalid`
 * is an answer that is there but cannot be trusted (bad signature, wrong certificate,
 * replayed nonce): it fails the check. `unavailable` lets the next source be asked.
 */
export type RevocationStatus = 'good' | 'revoked' | 'unavailable' | 'invalid';

/** One source's answer, with a sentence for reports. */
export interface RevocationAnswer {
  status: RevocationStatus;
  detail: string;
}
