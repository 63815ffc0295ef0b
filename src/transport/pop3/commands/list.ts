/**
 * LIST (RFC 1939 §5): the size of each message ("scan listing"), or of one. Sizes let the
 * caller skip a message over its limit before fetching it.
 */
import type { Pop3Connection } from '../connection.js';
import { malformedAnswer, messageNumber, numberedLine } from './message-number.js';

export interface Pop3ListEntry {
  number: number;
  /** Size in octets, as the server counts it (CRLF line ends, before dot-stuffing). */
  size: number;
}

/** Every message's size (`n` omitted) or one message's. */
export async function list(conn: Pop3Connection): Promise<Pop3ListEntry[]>;
export async function list(conn: Pop3Connection, n: number): Promise<Pop3ListEntry>;
export async function list(conn: Pop3Connection, n?: number): Promise<Pop3ListEntry[] | Pop3ListEntry> {
  conn.expectState('TRANSACTION', 'LIST');
  if (n !== undefined) {
    const shown = `LIST ${messageNumber(n, 'LIST')}`;
    const response = await conn.command(shown);
    return entry(shown, conn.where, response.line, response.text);
  }
  await conn.command('LIST');
  return (await conn.readListing('LIST')).map((line) => entry('LIST', conn.where, line, line));
}

function entry(shown: string, where: string, line: string, text: string): Pop3ListEntry {
  const parsed = numberedLine(text);
  if (!parsed || !/^\d{1,15}$/.test(parsed.rest)) throw malformedAnswer(shown, where, line, 'a scan listing "<number> <size>"');
  return { number: parsed.number, size: Number(parsed.rest) };
}
