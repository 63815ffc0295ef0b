/**
 * What Node's socket and TLS error codes mean, for the SMTP and POP3 error messages: the
 * system errors of a connection that could not be made or was lost (all worth another try,
 * NETWORK_FAILED), and the OpenSSL / Node codes of a certificate refused in the handshake
 * (CERT_REJECTED). Each client words its own message around them.
 */

/** Node's system error codes of a connection that could not be made or was lost, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed by the server while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  ENOTFOUND: 'host name not found',
  EAI_NONAME: 'host name not found',
  EAI_FAIL: 'host name lookup failed',
  EAI_AGAIN: 'host name lookup failed for now',
  EADDRNOTAVAIL: 'address not available',
};

/** The words for a network errno ("connection refused"), or undefined for any other code. */
export function networkErrorReason(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
}

/**
 * OpenSSL and Node codes of a certificate refused during the handshake. They occur when the
 * caller's TLS options keep Node's own check on (rejectUnauthorized); with it off the checks
 * run in `verifyTls` and throw their own CERT_REJECTED.
 */
const CERT_CODES = /^(CERT_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT|HOSTNAME_MISMATCH|INVALID_PURPOSE)/;

/** True for a code of a certificate Node (OpenSSL) refused in the handshake. */
export function isCertificateErrorCode(code: unknown): code is string {
  return typeof code === 'string' && CERT_CODES.test(code);
}
