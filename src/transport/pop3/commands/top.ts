/**
 * TOP (RFC 1939 §7, CAPA "TOP"): a message's header, the empty line, and its first `lines`
 * body lines, streamed to a sink; enough to classify a mail (report or fax) before RETR.
 */
import { IfaxError } from '../../../errors.js';
import type { Pop3Connection } from '../connection.js';
import { messageNumber } from './message-number.js';
import { streamBody, type Pop3BodyOptions, type Pop3BodyResult, type Pop3Sink } from './stream-body.js';

export async function top(conn: Pop3Connection, n: number, lines: number, sink: Pop3Sink, options: Pop3BodyOptions = {}): Promise<Pop3BodyResult> {
  conn.expectState('TRANSACTION', 'TOP');
  if (!Number.isSafeInteger(lines) || lines < 0) throw new IfaxError('USAGE', `POP3 TOP failed: ${JSON.stringify(lines)} is not a line count (0, 1, ...)`);
  const shown = `TOP ${messageNumber(n, 'TOP')} ${lines}`;
  await conn.command(shown);
  return streamBody(conn, shown, sink, options);
}
