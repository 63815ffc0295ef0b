/** RETR (RFC 1939 §5): one whole message, streamed to a sink (see stream-body.ts). */
import type { Pop3Connection } from '../connection.js';
import { messageNumber } from './message-number.js';
import { streamBody, type Pop3BodyOptions, type Pop3BodyResult, type Pop3Sink } from './stream-body.js';

export async function retr(conn: Pop3Connection, n: number, sink: Pop3Sink, options: Pop3BodyOptions = {}): Promise<Pop3BodyResult> {
  conn.expectState('TRANSACTION', 'RETR');
  const shown = `RETR ${messageNumber(n, 'RETR')}`;
  await conn.command(shown);
  return streamBody(conn, shown, sink, options);
}
