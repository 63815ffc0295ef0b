/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) the checks need beyond what node:crypto's
 * X509Certificate offers: the exact DER of the subject and of the public key (for OCSP's
 * CertID, RFC 6960 §4.1.1, and for matching a CRL's issuer), the serial number, keyUsage
 * (§4.2.1.3), extendedKeyUsage (§4.2.1.12), the OCSP address of authorityInfoAccess
 * (§4.2.2.1) and the CRL distribution points (§4.2.1.13).
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';
import { derChildren, derBytes, derNode } from './der.js';

/** id-ad-ocsp (RFC 5280 §4.2.2.1): the accessMethod of an OCSP responder address. */
const ID_AD_OCSP = '1.3.6.1.5.5.7.48.1';

/** A certificate with the fields the checks read, parsed once. */
export interface CertificateFields {
  x509: X509Certificate;
  asn: Certificate;
  /** The subject Name as encoded in the certificate (SEQUENCE TLV). */
  subjectDer: Buffer;
  /** The subjectPublicKey BIT STRING's bits, without the unused-bits byte (RFC 6960 issuerKeyHash). */
  publicKeyBits: Buffer;
  /** The serial number, leading zero bytes dropped, for comparisons. */
  serial: Buffer;
  /** KeyUsageFlags bits of @peculiar/asn1-x509, or null without the extension. */
  keyUsage: number | null;
  /** extendedKeyUsage purposes (OIDs), or null without the extension. */
  extKeyUsage: string[] | null;
  /** http(s) URLs of the OCSP responders named in authorityInfoAccess. */
  ocspUrls: string[];
  /** URLs of the CRL distribution points (full names only). */
  crlUrls: string[];
}

/** Strips the leading zero bytes of a DER INTEGER's content so equal numbers compare equal. */
export function serialBytes(raw: ArrayBuffer | Uint8Array): Buffer {
  const b = Buffer.from(raw instanceof Uint8Array ? raw : new Uint8Array(raw));
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Parses the fields of `x509`; throws (an asn1 error) on a certificate node:crypto accepted but the schema does not. */
export function certificateFields(x509: X509Certificate): CertificateFields {
  const raw = x509.raw;
  const asn = AsnConvert.parse(raw, Certificate);
  const tbs = asn.tbsCertificateRaw ? new Uint8Array(asn.tbsCertificateRaw) : null;
  const tbsNode = tbs ? derNode(tbs, 0) : null;
  const parts = tbs && tbsNode ? derChildren(tbs, tbsNode) : null;
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki.
  const skip = parts && parts[0]?.tag === 0xa0 ? 1 : 0;
  const subject = parts?.[4 + skip];
  const spki = parts?.[5 + skip];
  const spkiParts = tbs && spki ? derChildren(tbs, spki) : null;
  const keyBits = spkiParts?.[1];
  if (!tbs || !subject || !keyBits || keyBits.tag !== 0x03) throw new Error('certificate structure not understood');
  const ext = (id: string) => asn.tbsCertificate.extensions?.find((e) => e.extnID === id);
  const ku = ext(id_ce_keyUsage);
  const eku = ext(id_ce_extKeyUsage);
  const aia = ext(id_pe_authorityInfoAccess);
  const cdp = ext(id_ce_cRLDistributionPoints);
  const ocspUrls = aia
    ? AsnConvert.parse(aia.extnValue, AuthorityInfoAccessSyntax)
        .filter((d) => d.accessMethod === ID_AD_OCSP && d.accessLocation.uniformResourceIdentifier)
        .map((d) => d.accessLocation.uniformResourceIdentifier as string)
    : [];
  const crlUrls = cdp
    ? AsnConvert.parse(cdp.extnValue, CRLDistributionPoints).flatMap((p) =>
        (p.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
      )
    : [];
  return {
    x509,
    asn,
    subjectDer: derBytes(tbs, subject),
    publicKeyBits: Buffer.from(tbs.subarray(keyBits.contentStart + 1, keyBits.end)),
    serial: serialBytes(asn.tbsCertificate.serialNumber),
    keyUsage: ku ? AsnConvert.parse(ku.extnValue, KeyUsage).toNumber() : null,
    extKeyUsage: eku ? [...AsnConvert.parse(eku.extnValue, ExtendedKeyUsage)] : null,
    ocspUrls,
    crlUrls,
  };
}

/**
 * A distinguished name of node:crypto (`CN=a\nO=b`, in certificate order) the way people read
 * them (RFC 4514 order, most specific first): `O=b, CN=a` becomes `CN=a, O=b`.
 */
export function displayName(nodeName: string): string {
  const parts = nodeName.split('\n').filter((p) => p !== '');
  return parts.length === 0 ? '(empty name)' : parts.reverse().join(', ');
}

/** A date to the second (ISO 8601, UTC), for messages. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
