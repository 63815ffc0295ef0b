/**
 * USER and PASS (RFC 1939 §7): log in with the password in the clear (over TLS when pop.tls
 * says so). The password is shown as "********" in the trace and in every message.
 */
import { SECRET_MASK } from '../../../secrets.js';
import type { Pop3Connection } from '../connection.js';

/** Log in with USER/PASS; the session is then in the TRANSACTION state. */
export async function user(conn: Pop3Connection, name: string, password: string): Promise<void> {
  conn.expectState('AUTHORIZATION', 'USER');
  conn.addSecret(password);
  await conn.command(`USER ${name}`);
  await conn.command(`PASS ${password}`, `PASS ${SECRET_MASK}`);
  conn.state = 'TRANSACTION';
}
