/** NOOP (RFC 1939 §5): keep the session alive; the server only answers "+OK". */
import type { Pop3Connection } from '../connection.js';

export async function noop(conn: Pop3Connection): Promise<void> {
  conn.expectState('TRANSACTION', 'NOOP');
  await conn.command('NOOP');
}
