/**
 * OCSP (RFC 6960): asks the responder named by the server certificate's authorityInfoAccess
 * about that one certificate, over HTTP POST (Appendix A.1), and trusts the answer only when
 * it is signed by the certificate's issuer or by a responder certificate the issuer issued
 * with id-kp-OCSPSigning (§4.2.2.2), answers for this very certificate (CertID, §4.1.1),
 * echoes our nonce when it carries one (RFC 8954), and is current (thisUpdate/nextUpdate,
 * §4.2.2.1).
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReasons, Extension } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { MAX_OCSP_RESPONSE_BYTES, REVOCATION_CLOCK_SKEW_MS, REVOCATION_FETCH_TIMEOUT_MS } from '../../limits.js';
import { certificateFields, displayName, isoSeconds, serialBytes, type CertificateFields } from './certificate-fields.js';
import { derChildren, derBytes, derNode } from './der.js';
import type { HttpFetch } from './http-fetch.js';
import type { RevocationAnswer } from './revocation-answer.js';
import { signatureValid } from './signature.js';

/** CertID hash algorithms (OID -> node:crypto name); requests use SHA-1 as RFC 5019 §2.1.1 asks. */
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const SHA1 = '1.3.14.3.2.26';

const hash = (algorithm: string, data: Uint8Array): Buffer => createHash(algorithm).update(data).digest();

/** The DER of an OCSP request for `leaf` issued by `issuer`, with `nonce`. */
export function ocspRequest(leaf: CertificateFields, issuer: CertificateFields, nonce: Uint8Array): Buffer {
  const reqCert = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(hash('sha1', issuer.subjectDer)),
    issuerKeyHash: new OctetString(hash('sha1', issuer.publicKeyBits)),
    serialNumber: leaf.asn.tbsCertificate.serialNumber,
  });
  const nonceExt = new Extension({ extnID: id_pkix_ocsp_nonce, extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))) });
  const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert })], requestExtensions: [nonceExt] }) });
  return Buffer.from(AsnConvert.serialize(request));
}

/** The certificates of a BasicOCSPResponse's `certs` field, as sent (re-encoding could break their signatures). */
function responseCertificates(basicDer: Uint8Array): X509Certificate[] {
  const root = derNode(basicDer, 0);
  const parts = root ? derChildren(basicDer, root) : null;
  const tagged = parts?.find((p) => p.tag === 0xa0);
  const seq = tagged ? derNode(basicDer, tagged.contentStart) : null;
  const certs = seq ? derChildren(basicDer, seq) : null;
  const out: X509Certificate[] = [];
  for (const c of certs ?? []) {
    try {
      out.push(new X509Certificate(derBytes(basicDer, c)));
    } catch {
      // An unreadable extra certificate cannot be the signer; the signature decides.
    }
  }
  return out;
}

/** Whether `cert` is a responder `issuer` authorised (RFC 6960 §4.2.2.2) and valid at `now`. */
function delegatedResponder(cert: X509Certificate, issuer: CertificateFields, now: Date): boolean {
  try {
    if (!cert.checkIssued(issuer.x509) || !cert.verify(issuer.x509.publicKey)) return false;
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return false;
    return certificateFields(cert).extKeyUsage?.includes(id_kp_OCSPSigning) ?? false;
  } catch {
    return false;
  }
}

const sameId = (a: CertID, leaf: CertificateFields, issuer: CertificateFields): boolean => {
  const algorithm = HASHES[a.hashAlgorithm.algorithm];
  if (!algorithm) return false;
  return (
    Buffer.from(a.issuerNameHash.buffer).equals(hash(algorithm, issuer.subjectDer)) &&
    Buffer.from(a.issuerKeyHash.buffer).equals(hash(algorithm, issuer.publicKeyBits)) &&
    serialBytes(a.serialNumber).equals(leaf.serial)
  );
};

/**
 * Reads an OCSP response to the request with `nonce` (null: a stapled answer, made without our
 * request); `from` names the answer in sentences (`the OCSP answer of "http://..."`).
 */
export function readOcspResponse(body: Buffer, leaf: CertificateFields, issuer: CertificateFields, nonce: Uint8Array | null, now: Date, from: string): RevocationAnswer {
  let response: OCSPResponse;
  let basic: BasicOCSPResponse;
  let basicDer: Uint8Array;
  try {
    response = AsnConvert.parse(body, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful) {
      return { status: 'unavailable', detail: `${from} is an error: ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}` };
    }
    if (!response.responseBytes || response.responseBytes.responseType !== id_pkix_ocsp_basic) {
      return { status: 'unavailable', detail: `${from} holds no basic OCSP response` };
    }
    basicDer = new Uint8Array(response.responseBytes.response.buffer);
    basic = AsnConvert.parse(basicDer, BasicOCSPResponse);
  } catch {
    return { status: 'unavailable', detail: `${from} is not an OCSP response` };
  }
  const tbs = basic.tbsResponseDataRaw;
  const signers = [issuer.x509, ...responseCertificates(basicDer).filter((c) => delegatedResponder(c, issuer, now))];
  if (!tbs || !signers.some((s) => signatureValid(basic.signatureAlgorithm, new Uint8Array(tbs), basic.signature, s.publicKey))) {
    return {
      status: 'invalid',
      detail: `${from} is not signed by ${JSON.stringify(displayName(issuer.x509.subject))} or by a responder it authorised`,
    };
  }
  const data = basic.tbsResponseData;
  const echoed = data.responseExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  // A stapled answer (nonce null) was made before we connected and cannot carry our nonce.
  if (echoed && nonce) {
    const inner = AsnConvert.parse(echoed.extnValue.buffer, OctetString);
    if (!Buffer.from(inner.buffer).equals(Buffer.from(nonce))) {
      return { status: 'invalid', detail: `${from} answers another request (nonce differs): a replayed answer` };
    }
  }
  const single = data.responses.find((r) => sameId(r.certID, leaf, issuer));
  if (!single) return { status: 'invalid', detail: `${from} is not about this certificate` };
  if (single.thisUpdate.getTime() > now.getTime() + REVOCATION_CLOCK_SKEW_MS) {
    return { status: 'unavailable', detail: `${from} is dated in the future (${isoSeconds(single.thisUpdate)})` };
  }
  if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - REVOCATION_CLOCK_SKEW_MS) {
    return { status: 'unavailable', detail: `${from} is out of date since ${isoSeconds(single.nextUpdate)}` };
  }
  if (single.certStatus.revoked) {
    const { revocationTime, revocationReason } = single.certStatus.revoked;
    const reason = revocationReason === undefined ? '' : ` (${CRLReasons[revocationReason.reason] ?? revocationReason.reason})`;
    return { status: 'revoked', detail: `revoked on ${isoSeconds(revocationTime)}${reason}, says ${from}` };
  }
  if (single.certStatus.good !== undefined) return { status: 'good', detail: `not revoked, says ${from}` };
  return { status: 'unavailable', detail: `${from}: the responder does not know the certificate` };
}

/** Asks the OCSP responder at `url` about `leaf`. Never throws: an unreachable responder is `unavailable`. */
export async function askOcsp(url: string, leaf: CertificateFields, issuer: CertificateFields, fetch: HttpFetch, now: Date): Promise<RevocationAnswer> {
  const nonce = randomBytes(16);
  const from = `the OCSP answer of ${JSON.stringify(url)}`;
  let body: Buffer;
  try {
    body = await fetch(url, {
      method: 'POST',
      body: ocspRequest(leaf, issuer, nonce),
      contentType: 'application/ocsp-request',
      accept: 'application/ocsp-response',
      maxBytes: MAX_OCSP_RESPONSE_BYTES,
      timeoutMs: REVOCATION_FETCH_TIMEOUT_MS,
    });
  } catch (err) {
    return { status: 'unavailable', detail: `OCSP responder ${JSON.stringify(url)} not reachable (${(err as Error).message.replace(/^downloading ".*?" failed: /, "")})` };
  }
  return readOcspResponse(body, leaf, issuer, nonce, now, from);
}
