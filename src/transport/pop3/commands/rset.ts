/** RSET (RFC 1939 §5): unmark every message marked with DELE in this session. */
import type { Pop3Connection } from '../connection.js';

export async function rset(conn: Pop3Connection): Promise<void> {
  conn.expectState('TRANSACTION', 'RSET');
  await conn.command('RSET');
}
