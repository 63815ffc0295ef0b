/**
 * DELE (RFC 1939 §5): mark a message as deleted. Nothing is removed until QUIT is answered in
 * the UPDATE state, so a session that breaks off loses no mail.
 */
import type { Pop3Connection } from '../connection.js';
import { messageNumber } from './message-number.js';

export async function dele(conn: Pop3Connection, n: number): Promise<void> {
  conn.expectState('TRANSACTION', 'DELE');
  await conn.command(`DELE ${messageNumber(n, 'DELE')}`);
}
