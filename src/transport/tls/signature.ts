/**
 * Checks a signature over DER bytes (an OCSP response, RFC 6960 §4.2.1; a CRL, RFC 5280
 * §5.1.1.2) with the signer's public key, for the signature algorithms of RFC 4055, RFC 5758
 * and RFC 8410. RSASSA-PSS is not read: its parameters name the hash, and responders and
 * CRL issuers in the wild sign with PKCS #1 v1.5 or ECDSA; an unknown algorithm fails the
 * check (it is never taken as valid).
 */
import { verify, type KeyObject } from 'node:crypto';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/** Signature algorithm OID -> the digest node:crypto takes (null: the algorithm hashes itself). */
const SIGNATURE_ALGORITHMS: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13': 'sha512', // sha512WithRSAEncryption
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4': 'sha512', // ecdsa-with-SHA512
  '1.3.101.112': null, // Ed25519
  '1.3.101.113': null, // Ed448
};

/** True when `signature` over `data` verifies with `key` under `algorithm`; false for an unknown algorithm. */
export function signatureValid(algorithm: AlgorithmIdentifier, data: Uint8Array, signature: ArrayBuffer, key: KeyObject): boolean {
  if (!(algorithm.algorithm in SIGNATURE_ALGORITHMS)) return false;
  try {
    return verify(SIGNATURE_ALGORITHMS[algorithm.algorithm], data, key, new Uint8Array(signature));
  } catch {
    // A key of the wrong type for the algorithm (an EC key under an RSA OID) does not verify.
    return false;
  }
}

