/**
 * STLS (RFC 2595 §4): upgrade the connection to TLS. A refusal is TLS_NOT_OFFERED: the caller
 * asked for TLS, so nothing (above all no password) is sent in plain text instead.
 */
import { IfaxError } from '../../../errors.js';
import type { Pop3Connection } from '../connection.js';

/** Ask for STLS and complete the handshake and certificate check. */
export async function stls(conn: Pop3Connection): Promise<void> {
  conn.expectState('AUTHORIZATION', 'STLS');
  if (conn.secure) throw new IfaxError('INTERNAL', `POP3 STLS at ${conn.where} failed: the connection is already TLS`);
  const response = await conn.command('STLS', 'STLS', true);
  if (!response.ok) {
    conn.destroy();
    throw new IfaxError('TLS_NOT_OFFERED', `POP3 STLS at ${conn.where} failed: the server answered ${JSON.stringify(response.line)}; nothing was sent in plain text`, {
      hint: 'Use pop.tls pop3s (with pop.sslPort) if the server offers implicit TLS, or pop.tls off to log in without TLS.',
      context: { command: 'STLS', response: response.line, server: conn.where },
    });
  }
  await conn.startTls();
}
