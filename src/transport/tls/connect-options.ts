/**
 * The options of one TLS connection (SMTP, POP3, LDAP): what node:tls needs to connect, with
 * Node's own certificate verdict switched off (`rejectUnauthorized: false`) because the
 * certVerify checks are switched one by one, which Node cannot do. verifyPeer (verify.ts)
 * decides right after the handshake, before the first byte of the protocol, so credentials
 * never go to a server that failed an enabled check.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { IfaxError } from '../../errors.js';
import type { IfaxSettings } from '../../config/schema.js';
import { tlsFileProblem, type TlsFileKey } from '../../config/tls-files.js';
import { splitCrls } from './crl.js';
import { TrustAnchors } from './trust-anchors.js';

/** The certVerify group of smtp, pop or ldap. */
export type CertVerifySettings = IfaxSettings['smtp']['certVerify'];

/** The trust material of a profile's `tls` section, read once and shared by its connections. */
export interface TlsTrust {
  minVersion: tls.SecureVersion;
  /** What a chain may end at: the bundled roots (tls.rootCertificates) and tls.caFile's certificates, PEM each. */
  caPems: readonly string[];
  /** The same certificates, parsed on first use, for verify.ts. */
  anchors: TrustAnchors;
  /** tls.caFile as given, for messages; null without one. */
  caFile: string | null;
  /** tls.crlFile and its CRLs (DER each); null without one. */
  crlFile: { path: string; crls: Buffer[] } | null;
}

/** One connection's settings: the host as configured, its certVerify group, the profile's trust. */
export interface TlsConnectionSettings {
  host: string;
  certVerify: CertVerifySettings;
  trust: TlsTrust;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Reads a file config/tls-files.ts has not vetted yet (library callers): the same check, as CONFIG_INVALID. */
function readVetted(key: TlsFileKey, file: string): Buffer {
  const problem = tlsFileProblem(key, file);
  if (problem) {
    throw new IfaxError('CONFIG_INVALID', `reading ${key} failed: ${key} must be ${problem.message}`, {
      hint: `fix the file, or change ${key} with 'ifax config set ${key} PATH'`,
      context: { key, file },
    });
  }
  return readFileSync(file);
}

/** The certificates of a CA file as PEM blocks: every PEM certificate, or the file as one DER certificate. */
export function caFileCertificates(bytes: Buffer): string[] {
  const blocks = bytes.toString('latin1').match(PEM_CERT);
  if (blocks) return blocks.filter((b) => { try { new X509Certificate(b); return true; } catch { return false; } });
  return [new X509Certificate(bytes).toString()];
}

/**
 * Reads a profile's `tls` section (paths already resolved by the profile loader) into the
 * trust material of its connections. Files are checked the way config/tls-files.ts checks them
 * when the profile loads; a bad one is CONFIG_INVALID (78) naming the key.
 */
export function loadTlsTrust(settings: IfaxSettings['tls']): TlsTrust {
  const extra = settings.caFile ? caFileCertificates(readVetted('tls.caFile', settings.caFile)) : [];
  const caPems = [...tls.rootCertificates, ...extra];
  return {
    minVersion: settings.minVersion,
    caPems,
    anchors: new TrustAnchors(caPems),
    caFile: settings.caFile,
    crlFile: settings.crlFile ? { path: settings.crlFile, crls: splitCrls(readVetted('tls.crlFile', settings.crlFile)) } : null,
  };
}

/** tls.connect's options; `requestOCSP` is a TLSSocket option tls.connect passes on (missing from @types/node's ConnectionOptions). */
export type TlsConnectOptions = tls.ConnectionOptions & { requestOCSP?: boolean };

/** A host as configured, without IPv6 brackets or a trailing dot. */
export function bareHost(host: string): string {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The SNI name for `host` (RFC 6066 §3: a host name, never an IP literal), or undefined for an IP. */
export function sniName(host: string): string | undefined {
  const h = bareHost(host);
  return isIP(h) === 0 ? h : undefined;
}

/**
 * The options for tls.connect (and nodemailer's `tls`) of one connection. `servername` (SNI)
 * only for a name: RFC 6066 §3 forbids IP literals there. The stapled OCSP answer is asked for
 * only when revocation is checked; watchOcspStaple (verify.ts) keeps it.
 */
export function tlsOptions(settings: TlsConnectionSettings): TlsConnectOptions {
  const servername = sniName(settings.host);
  return {
    rejectUnauthorized: false,
    minVersion: settings.trust.minVersion,
    ca: [...settings.trust.caPems],
    ...(servername !== undefined ? { servername } : {}),
    requestOCSP: settings.certVerify.revocation,
  };
}
