/**
 * The checks certVerify.validity, .cn and .keyUsage on certificates already parsed: each
 * returns whether it passes and a sentence saying why. Pure decisions; verify.ts runs them.
 */
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { KeyUsageFlags, anyExtendedKeyUsage, id_kp_serverAuth } from '@peculiar/asn1-x509';
import { displayName, isoSeconds as iso, type CertificateFields } from './certificate-fields.js';

/** One check's verdict. */
export interface CheckOutcome {
  ok: boolean;
  detail: string;
}

/**
 * certVerify.validity (RFC 5280 §4.1.2.5): `now` within notBefore..notAfter of the server's
 * certificate and of every certificate of its chain (`chain`: leaf first).
 */
export function checkValidity(chain: readonly CertificateFields[], now: Date): CheckOutcome {
  for (const [i, cert] of chain.entries()) {
    const { notBefore, notAfter } = cert.asn.tbsCertificate.validity;
    const from = notBefore.getTime();
    const until = notAfter.getTime();
    const whose = i === 0 ? 'the certificate' : `the chain's certificate ${JSON.stringify(displayName(cert.x509.subject))}`;
    if (now < from) return { ok: false, detail: `${whose} is not valid before ${iso(from)} (now ${iso(now)})` };
    if (now > until) return { ok: false, detail: `${whose} expired on ${iso(until)} (now ${iso(now)})` };
  }
  const { notBefore, notAfter } = chain[0].asn.tbsCertificate.validity;
  const more = chain.length > 1 ? `, and the ${chain.length - 1} above it` : '';
  return { ok: true, detail: `valid from ${iso(notBefore.getTime())} until ${iso(notAfter.getTime())}${more}` };
}

/** The names a certificate is for, for messages: its subjectAltName entries, else its CN. */
function namesOf(x509: X509Certificate): string {
  if (x509.subjectAltName) return x509.subjectAltName;
  const cn = x509.subject.split('\n').find((p) => p.startsWith('CN='));
  return cn ? `${cn} (no subjectAltName)` : 'no name (neither subjectAltName nor CN)';
}

/**
 * certVerify.cn (RFC 6125 §6): the configured host against the subjectAltName dNSName or
 * iPAddress entries; the subject's CN counts only when the certificate has no subjectAltName
 * DNS names (as browsers and OpenSSL do). Wildcards cover one whole left-most label only.
 */
export function checkName(x509: X509Certificate, host: string): CheckOutcome {
  let match: string | undefined;
  if (isIP(host) !== 0) {
    match = x509.checkIP(host);
    // A certificate without subjectAltName for an address, as old devices make: CN=192.0.2.1.
    if (!match && !x509.subjectAltName && x509.subject.split('\n').includes(`CN=${host}`)) match = host;
  } else {
    match = x509.checkHost(host, { subject: 'default', partialWildcards: false, multiLabelWildcards: false });
  }
  return match
    ? { ok: true, detail: `the certificate is for ${JSON.stringify(host)} (${namesOf(x509)})` }
    : { ok: false, detail: `the certificate is not for ${JSON.stringify(host)}: it names ${namesOf(x509)}` };
}

const PURPOSES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

function usageNames(bits: number): string {
  const names = Object.entries(KeyUsageFlags).filter(([, v]) => typeof v === 'number' && (bits & v) !== 0).map(([k]) => k);
  return names.length > 0 ? names.join(', ') : 'nothing';
}

/**
 * certVerify.keyUsage (RFC 5280 §4.2.1.3, §4.2.1.12; RFC 5246 §7.4.2): when present,
 * keyUsage must allow digitalSignature (ECDHE and TLS 1.3 handshakes) or keyEncipherment
 * (RSA key exchange), and extendedKeyUsage must allow serverAuth or anyExtendedKeyUsage.
 * A certificate without these extensions may be used for anything.
 */
export function checkKeyUsage(leaf: CertificateFields): CheckOutcome {
  const wanted = KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
  if (leaf.keyUsage !== null && (leaf.keyUsage & wanted) === 0) {
    return { ok: false, detail: `keyUsage allows ${usageNames(leaf.keyUsage)}, neither digitalSignature nor keyEncipherment` };
  }
  const eku = leaf.extKeyUsage;
  if (eku !== null && !eku.includes(id_kp_serverAuth) && !eku.includes(anyExtendedKeyUsage)) {
    return { ok: false, detail: `extendedKeyUsage allows ${eku.map((o) => PURPOSES[o] ?? o).join(', ') || 'nothing'}, not serverAuth (a TLS server)` };
  }
  const ku = leaf.keyUsage === null ? 'no keyUsage' : `keyUsage ${usageNames(leaf.keyUsage)}`;
  const ext = eku === null ? 'no extendedKeyUsage' : `extendedKeyUsage ${eku.map((o) => PURPOSES[o] ?? o).join(', ')}`;
  return { ok: true, detail: `${ku}; ${ext}` };
}
