/**
 * The five certVerify checks of one TLS connection, run by ifax itself right after the
 * handshake (Node's verdict is off, see connect-options.ts): validity, cn, keyUsage, chain,
 * revocation. Enabled checks decide; disabled ones are still evaluated and reported as off,
 * so `ifax config test` shows what turning one on would do. The first enabled failure is a
 * CERT_REJECTED error naming the check, the certificate's subject and the setting to change.
 */
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { IfaxError } from '../../errors.js';
import { MAX_CHAIN_CERTIFICATES } from '../../limits.js';
import { buildChain, issuedBy } from './chain.js';
import { certificateFields, displayName, isoSeconds, type CertificateFields } from './certificate-fields.js';
import { checkKeyUsage, checkName, checkValidity, type CheckOutcome } from './checks.js';
import { bareHost, type TlsConnectionSettings } from './connect-options.js';
import { httpFetch, type HttpFetch } from './http-fetch.js';
import { readOcspResponse } from './ocsp.js';
import { checkRevocation } from './revocation.js';

/** The checks, by their setting names, in the order they run. */
export const TLS_CHECKS = ['validity', 'cn', 'keyUsage', 'chain', 'revocation'] as const;
export type TlsCheckName = (typeof TLS_CHECKS)[number];

/** One check's line of a report. `ok` null: not evaluated (revocation while off, or after a rejection). */
export interface TlsCheckResult {
  check: TlsCheckName;
  enabled: boolean;
  ok: boolean | null;
  detail: string;
}

/** What was learnt about a server's certificate. */
export interface TlsReport {
  host: string;
  /** Negotiated protocol (`TLSv1.3`), null when unknown. */
  protocol: string | null;
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  /**
   * Subjects of the certificates above the server's, as node:tls reports them: those the
   * server sent, completed with trusted ones (tls.caFile, system roots) where they fit.
   */
  chain: string[];
  checks: TlsCheckResult[];
}

/** verifyPeer's options: the connection's settings plus whose settings they are. */
export interface VerifyOptions extends TlsConnectionSettings {
  /** Which settings group: names the setting in hints (`smtp.certVerify.chain`). */
  service: 'smtp' | 'pop' | 'ldap';
  /** The clock of the validity and revocation checks; the system's by default. */
  now?: () => Date;
  /** How OCSP answers and CRLs are downloaded; plain node:http by default. */
  fetch?: HttpFetch;
  /** An OCSP answer the server stapled, when the caller kept it (watchOcspStaple does). */
  stapledOcsp?: Buffer;
}

/** A server's certificates as received: its own first. */
export interface PeerCertificates {
  certificates: X509Certificate[];
  protocol: string | null;
  stapledOcsp?: Buffer;
}

const staples = new WeakMap<TLSSocket, Buffer>();

/** Keeps the OCSP answer the server staples on `socket`; call it right after tls.connect, before the handshake ends. */
export function watchOcspStaple(socket: TLSSocket): void {
  // Emitted with null when the server staples nothing.
  socket.once('OCSPResponse', (response: Buffer | null) => {
    if (response && response.length > 0) staples.set(socket, response);
  });
}

/** The certificates a socket's server sent (node:tls links them through issuerCertificate). */
export function peerCertificates(socket: TLSSocket): PeerCertificates {
  const certificates: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cur && cur.raw && !seen.has(cur.fingerprint256) && certificates.length < MAX_CHAIN_CERTIFICATES) {
    seen.add(cur.fingerprint256);
    certificates.push(new X509Certificate(cur.raw));
    cur = cur.issuerCertificate;
  }
  const stapled = staples.get(socket);
  return { certificates, protocol: socket.getProtocol(), ...(stapled ? { stapledOcsp: stapled } : {}) };
}

const HOST_KEY = { smtp: 'smtp.host', pop: 'pop.host', ldap: 'ldap.url' } as const;

function hintFor(check: TlsCheckName, options: VerifyOptions, detail: string): string {
  const key = `${options.service}.certVerify.${check}`;
  const off = `or turn the check off: ifax config set ${key} false`;
  switch (check) {
    case 'validity':
      return `the server's administrator must renew the certificate (check this machine's clock too), ${off}`;
    case 'cn':
      return `set ${HOST_KEY[options.service]} to a name the certificate is for, ${off}`;
    case 'keyUsage':
      return `the server needs a certificate made for a TLS server (keyUsage digitalSignature, extendedKeyUsage serverAuth), ${off}`;
    case 'chain':
      return /not trusted, and the server sent no intermediate|neither trusted nor among/.test(detail)
        ? `the server must send its intermediate certificates, or add the missing CA certificate to tls.caFile, ${off}`
        : `add the CA certificate that issued it to tls.caFile, ${off}`;
    case 'revocation':
      return detail.startsWith('revocation status unknown')
        ? `let ifax reach the certificate's OCSP responder or CRL over http, or set tls.crlFile to its CA's CRL, ${off}`
        : `the server's certificate must be replaced; until then: ${off.slice(3)}`;
  }
}

interface Evaluation {
  report: TlsReport;
  /** The first enabled check that failed, with its detail. */
  failed: TlsCheckResult | null;
}

async function evaluate(peer: PeerCertificates, options: VerifyOptions, everything: boolean): Promise<Evaluation> {
  const host = bareHost(options.host);
  const now = (options.now ?? (() => new Date()))();
  const [leafX509, ...sent] = peer.certificates;
  if (!leafX509) {
    const detail = 'the server sent no certificate';
    throw new IfaxError('CERT_REJECTED', `TLS check "chain" failed for ${JSON.stringify(host)}: ${detail}`, {
      hint: hintFor('chain', options, detail),
      context: { host, check: 'chain' },
    });
  }
  let leaf: CertificateFields;
  try {
    leaf = certificateFields(leafX509);
  } catch (err) {
    throw new IfaxError('CERT_REJECTED', `TLS check "chain" failed for ${JSON.stringify(displayName(leafX509.subject))}: the certificate cannot be read`, {
      cause: err,
      context: { host, check: 'chain' },
    });
  }
  const chain = buildChain(leafX509, sent, options.trust.anchors);
  const fields = (c: X509Certificate): CertificateFields | null => {
    try {
      return certificateFields(c);
    } catch {
      return null;
    }
  };
  const datedCerts = [leaf, ...(chain.ok ? chain.path.slice(1) : sent).map(fields).filter((f): f is CertificateFields => f !== null)];
  const outcomes: Partial<Record<TlsCheckName, CheckOutcome | null>> = {
    validity: checkValidity(datedCerts, now),
    cn: checkName(leafX509, host),
    keyUsage: checkKeyUsage(leaf),
    chain: { ok: chain.ok, detail: chain.detail },
  };
  const cv = options.certVerify;
  const earlierFailure = TLS_CHECKS.slice(0, 4).some((c) => cv[c] && outcomes[c]?.ok === false);
  // Revocation costs up to two downloads: run it when it decides, or when everything is asked for.
  if ((cv.revocation && !earlierFailure) || everything) {
    // The issuer: the chain's next certificate, else a trusted one that signed it (chain off or failed above).
    const issuerX509 = chain.path[1] ?? options.trust.anchors.issuersOf(leafX509).find((c) => issuedBy(leafX509, c));
    const issuer = issuerX509 ? fields(issuerX509) : null;
    const stapled = options.stapledOcsp ?? peer.stapledOcsp;
    let stapledAnswer = null;
    if (stapled && issuer) {
      const answer = readOcspResponse(stapled, leaf, issuer, null, now, 'the OCSP answer stapled by the server');
      if (answer.status !== 'unavailable') stapledAnswer = answer;
    }
    outcomes.revocation = stapledAnswer
      ? { ok: stapledAnswer.status === 'good', detail: stapledAnswer.status === 'revoked' ? `the certificate was ${stapledAnswer.detail}` : stapledAnswer.detail }
      : await checkRevocation(leaf, issuer, { fetch: options.fetch ?? httpFetch, now, crlFile: options.trust.crlFile });
  } else outcomes.revocation = null;
  const checks: TlsCheckResult[] = TLS_CHECKS.map((check) => {
    const o = outcomes[check];
    return o
      ? { check, enabled: cv[check], ok: o.ok, detail: o.detail }
      : { check, enabled: cv[check], ok: null, detail: cv[check] ? 'not checked: the certificate was already rejected' : 'not checked (off)' };
  });
  const report: TlsReport = {
    host,
    protocol: peer.protocol,
    subject: displayName(leafX509.subject),
    issuer: displayName(leafX509.issuer),
    validFrom: isoSeconds(leaf.asn.tbsCertificate.validity.notBefore.getTime()),
    validTo: isoSeconds(leaf.asn.tbsCertificate.validity.notAfter.getTime()),
    fingerprint256: leafX509.fingerprint256,
    chain: sent.map((c) => displayName(c.subject)),
    checks,
  };
  return { report, failed: checks.find((c) => c.enabled && c.ok === false) ?? null };
}

function rejection(evaluation: Evaluation, options: VerifyOptions): IfaxError {
  const { report } = evaluation;
  const failed = evaluation.failed as TlsCheckResult;
  return new IfaxError('CERT_REJECTED', `TLS check "${failed.check}" failed for ${JSON.stringify(report.subject)}: ${failed.detail}`, {
    hint: hintFor(failed.check, options, failed.detail),
    context: { host: report.host, check: failed.check, setting: `${options.service}.certVerify.${failed.check}`, report },
  });
}

/**
 * Runs the certVerify checks on certificates already taken from a connection. Resolves with the
 * report when every enabled check passes; rejects with CERT_REJECTED (exit 77) otherwise.
 */
export async function verifyCertificates(peer: PeerCertificates, options: VerifyOptions): Promise<TlsReport> {
  const evaluation = await evaluate(peer, options, false);
  if (evaluation.failed) throw rejection(evaluation, options);
  return evaluation.report;
}

/**
 * The certVerify checks of a connection just made (call it on secureConnect, before any byte of
 * the protocol). Resolves with the report, or rejects with CERT_REJECTED naming the first
 * enabled check that failed; the caller closes the socket.
 */
export async function verifyPeer(socket: TLSSocket, options: VerifyOptions): Promise<TlsReport> {
  return verifyCertificates(peerCertificates(socket), options);
}

/**
 * Every check of a connection, revocation included even when off, without rejecting: for
 * `ifax config test` and probes. Throws only when the server sent no readable certificate.
 */
export async function inspectPeer(socket: TLSSocket, options: VerifyOptions): Promise<TlsReport> {
  return (await evaluate(peerCertificates(socket), options, true)).report;
}
