/**
 * Socket failures of a POP3 connection as IfaxErrors: refused, reset, unreachable, unknown
 * host, TLS handshake failures. All are NETWORK_FAILED (75: worth another try), except an
 * IfaxError raised by a certificate check, which passes through unchanged.
 */
import { IfaxError } from '../../errors.js';

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed for now',
  EADDRNOTAVAIL: 'address not available',
};

/**
 * OpenSSL and Node codes of a certificate refused during the handshake. They occur when the
 * caller's TLS options keep Node's own check on (rejectUnauthorized); with it off the checks
 * run in `verifyTls` and throw their own CERT_REJECTED.
 */
const CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'INVALID_PURPOSE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `what` is "POP3 <command> at host:port"; the result reads "<what> failed: <reason>". */
export function networkError(what: string, cause: unknown): IfaxError {
  if (cause instanceof IfaxError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CERT_CODES.has(code)) {
    return new IfaxError('CERT_REJECTED', `${what} failed: the server's certificate was refused: ${(cause as Error).message} (${code})`, {
      cause,
      hint: 'Check tls.caFile (the CA that issued the server certificate) and pop.certVerify.*.',
      context: { errno: code },
    });
  }
  const sslReason = (cause as { reason?: unknown } | null)?.reason;
  const tls = typeof code === 'string' && code.startsWith('ERR_SSL_');
  const reason =
    typeof code === 'string' && REASONS[code]
      ? `${REASONS[code]} (${code})`
      : tls
        ? `TLS handshake failed: ${typeof sslReason === 'string' ? sslReason : 'error'} (${code})`
        : String((cause as Error)?.message ?? cause);
  return new IfaxError('NETWORK_FAILED', `${what} failed: ${reason}`, {
    cause,
    hint: tls
      ? 'Does the port speak TLS the way pop.tls says? pop3s = TLS from the first byte on pop.sslPort, stls = plain POP3 on pop.port upgraded by STLS; tls.minVersion may also be higher than the server offers.'
      : 'Check pop.host, pop.port / pop.sslPort and pop.tls, and that the server is reachable; try again later.',
    ...(typeof code === 'string' ? { context: { errno: code } } : {}),
  });
}
