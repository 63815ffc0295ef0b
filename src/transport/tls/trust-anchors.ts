/**
 * The certificates a chain may end at: the system's roots plus tls.caFile's certificates.
 * Parsed on first use (the bundled store holds ~150 roots) and indexed by subject, so that
 * finding the issuer of a certificate is a lookup, not a walk over every root.
 */
import { X509Certificate } from 'node:crypto';

/** Trusted certificates, looked up by subject or by identity. */
export class TrustAnchors {
  private bySubject: Map<string, X509Certificate[]> | null = null;
  private fingerprints: Set<string> | null = null;

  /** @param pems the trusted certificates, one PEM block each (unparsable ones are skipped, as OpenSSL does). */
  constructor(private readonly pems: readonly string[]) {}

  private index(): Map<string, X509Certificate[]> {
    if (this.bySubject) return this.bySubject;
    this.bySubject = new Map();
    this.fingerprints = new Set();
    for (const pem of this.pems) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch {
        continue;
      }
      const list = this.bySubject.get(cert.subject) ?? [];
      list.push(cert);
      this.bySubject.set(cert.subject, list);
      this.fingerprints.add(cert.fingerprint256);
    }
    return this.bySubject;
  }

  /** Trusted certificates whose subject is `cert`'s issuer name. */
  issuersOf(cert: X509Certificate): X509Certificate[] {
    return this.index().get(cert.issuer) ?? [];
  }

  /** Whether this very certificate is trusted (a root sent by the server, or a server certificate put in tls.caFile). */
  has(cert: X509Certificate): boolean {
    this.index();
    return this.fingerprints?.has(cert.fingerprint256) ?? false;
  }
}
