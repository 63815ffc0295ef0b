/**
 * Socket failures of a POP3 connection as IfaxErrors: refused, reset, unreachable, unknown
 * host, TLS handshake failures. All are NETWORK_FAILED (75: worth another try), except an
 * IfaxError raised by a certificate check, which passes through unchanged.
 */
import { IfaxError } from '../../errors.js';
import { isCertificateErrorCode, networkErrorReason } from '../socket-errors.js';

/** `what` is "POP3 <command> at host:port"; the result reads "<what> failed: <reason>". */
export function networkError(what: string, cause: unknown): IfaxError {
  if (cause instanceof IfaxError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (isCertificateErrorCode(code)) {
    return new IfaxError('CERT_REJECTED', `${what} failed: the server's certificate was refused: ${(cause as Error).message} (${code})`, {
      cause,
      hint: 'Check tls.caFile (the CA that issued the server certificate) and pop.certVerify.*.',
      context: { errno: code },
    });
  }
  const sslReason = (cause as { reason?: unknown } | null)?.reason;
  const tls = typeof code === 'string' && code.startsWith('ERR_SSL_');
  const known = networkErrorReason(code);
  const reason =
    known !== undefined
      ? `${known} (${String(code)})`
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
