/** STAT (RFC 1939 §5): "+OK nn mm", the number of messages and their size in octets. */
import type { Pop3Connection } from '../connection.js';
import { malformedAnswer } from './message-number.js';

export interface Pop3Stat {
  /** Messages in the mailbox, not counting those marked deleted. */
  count: number;
  /** Their total size in octets (as the server counts it: with CRLF line ends). */
  size: number;
}

export async function stat(conn: Pop3Connection): Promise<Pop3Stat> {
  conn.expectState('TRANSACTION', 'STAT');
  const response = await conn.command('STAT');
  const m = /^(\d{1,15})[ \t]+(\d{1,15})(?:\s|$)/.exec(response.text);
  if (!m) throw malformedAnswer('STAT', conn.where, response.line, '"+OK <count> <size>"');
  return { count: Number(m[1]), size: Number(m[2]) };
}
