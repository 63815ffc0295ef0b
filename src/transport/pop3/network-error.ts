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

/** `what` is "POP3 <command> at host:port"; the result reads "<what> failed: <reason>". */
export function networkError(what: string, cause: unknown): IfaxError {
  if (cause instanceof IfaxError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' && REASONS[code] ? `${REASONS[code]} (${code})` : String((cause as Error)?.message ?? cause);
  return new IfaxError('NETWORK_FAILED', `${what} failed: ${reason}`, {
    cause,
    hint: 'Check pop.host, pop.port / pop.sslPort and pop.tls, and that the server is reachable; try again later.',
    ...(typeof code === 'string' ? { context: { errno: code } } : {}),
  });
}
