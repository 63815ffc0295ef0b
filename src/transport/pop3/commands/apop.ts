/**
 * APOP (RFC 1939 §7): log in with the MD5 digest of the greeting's timestamp and the password,
 * so the password never crosses the wire. Without a timestamp in the greeting the server does
 * not offer APOP.
 */
import { createHash } from 'node:crypto';
import { IfaxError } from '../../../errors.js';
import { SECRET_MASK } from '../../../secrets.js';
import type { Pop3Connection } from '../connection.js';

/** The APOP digest: lower-case hex MD5 of timestamp (brackets included) + password. */
export function apopDigest(timestamp: string, password: string): string {
  return createHash('md5').update(timestamp + password, 'utf8').digest('hex');
}

/** Log in with APOP; the session is then in the TRANSACTION state. */
export async function apop(conn: Pop3Connection, name: string, password: string): Promise<void> {
  conn.expectState('AUTHORIZATION', 'APOP');
  const timestamp = conn.greeting.apopTimestamp;
  if (timestamp === null) {
    throw new IfaxError('AUTH_FAILED', `POP3 APOP at ${conn.where} failed: the server's greeting has no APOP timestamp <...>, so the server does not offer APOP (greeting ${JSON.stringify(conn.greeting.line)})`, {
      hint: 'Turn pop.apop off to log in with USER/PASS (with pop.tls stls or pop3s to keep the password off the wire).',
      context: { command: 'APOP', server: conn.where },
    });
  }
  const digest = apopDigest(timestamp, password);
  conn.addSecret(password);
  conn.addSecret(digest);
  await conn.command(`APOP ${name} ${digest}`, `APOP ${name} ${SECRET_MASK}`);
  conn.state = 'TRANSACTION';
}
