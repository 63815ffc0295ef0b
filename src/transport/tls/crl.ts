/**
 * Certificate revocation lists (RFC 5280 §5): a CRL counts for a certificate when its issuer
 * name is the certificate's issuer name, its signature verifies with the issuer's key (§6.3.3
 * (f)-(g)) and it is current (nextUpdate, §5.1.2.5); the certificate is revoked when its
 * serial number is listed (§5.1.2.6). Delta CRLs, indirect CRLs and issuing distribution point
 * scopes are not read: a CRL using them is taken as a complete list of its issuer.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList, KeyUsageFlags } from '@peculiar/asn1-x509';
import { REVOCATION_CLOCK_SKEW_MS } from '../../limits.js';
import { displayName, isoSeconds, serialBytes, type CertificateFields } from './certificate-fields.js';
import { derBytes, derChildren, derNode } from './der.js';
import type { RevocationAnswer } from './revocation-answer.js';
import { signatureValid } from './signature.js';

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/** The CRLs in a file or download: every PEM block, or the bytes as one DER CRL. */
export function splitCrls(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(PEM_CRL)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  return blocks.length > 0 ? blocks : [bytes];
}

/** The issuer Name of a CRL, as encoded (SEQUENCE TLV), or null. */
function crlIssuerDer(tbs: Uint8Array): Buffer | null {
  const root = derNode(tbs, 0);
  const parts = root ? derChildren(tbs, root) : null;
  if (!parts) return null;
  // TBSCertList: version INTEGER (optional, v2), signature, issuer, ...
  const issuer = parts[0]?.tag === 0x02 ? parts[2] : parts[1];
  return issuer ? derBytes(tbs, issuer) : null;
}

/**
 * What the CRL `der` says about `leaf`; `from` names the CRL in sentences. A CRL of another
 * issuer is `unavailable` (it says nothing), a forged one `invalid`.
 */
export function readCrl(der: Buffer, leaf: CertificateFields, issuer: CertificateFields, now: Date, from: string): RevocationAnswer {
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch {
    return { status: 'unavailable', detail: `${from} is not a CRL` };
  }
  const tbs = crl.tbsCertListRaw ? new Uint8Array(crl.tbsCertListRaw) : null;
  const issuerDer = tbs ? crlIssuerDer(tbs) : null;
  const issuerName = JSON.stringify(displayName(issuer.x509.subject));
  if (!tbs || !issuerDer || !issuerDer.equals(issuer.subjectDer)) {
    return { status: 'unavailable', detail: `${from} is not a CRL of ${issuerName}` };
  }
  const mayIssueCrls = issuer.keyUsage === null || (issuer.keyUsage & KeyUsageFlags.cRLSign) !== 0;
  if (!mayIssueCrls || !signatureValid(crl.signatureAlgorithm, tbs, crl.signature, issuer.x509.publicKey)) {
    return { status: 'invalid', detail: `${from} names ${issuerName} as its issuer but is not signed by it` };
  }
  const list = crl.tbsCertList;
  const thisUpdate = list.thisUpdate.getTime();
  if (thisUpdate.getTime() > now.getTime() + REVOCATION_CLOCK_SKEW_MS) {
    return { status: 'unavailable', detail: `${from} is dated in the future (${isoSeconds(thisUpdate)})` };
  }
  const nextUpdate = list.nextUpdate?.getTime();
  if (nextUpdate && nextUpdate.getTime() < now.getTime() - REVOCATION_CLOCK_SKEW_MS) {
    return { status: 'unavailable', detail: `${from} is out of date since ${isoSeconds(nextUpdate)}` };
  }
  const entry = list.revokedCertificates?.find((r) => serialBytes(r.userCertificate).equals(leaf.serial));
  if (entry) return { status: 'revoked', detail: `revoked on ${isoSeconds(entry.revocationDate.getTime())}, says ${from}` };
  return { status: 'good', detail: `not revoked, says ${from}` };
}
