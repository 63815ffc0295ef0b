/**
 * UIDL (RFC 1939 §7, announced by CAPA "UIDL" per RFC 2449): each message's unique-id, which
 * unlike its number stays the same across sessions (1-70 characters 0x21-0x7E). It is what
 * pop.leaveOnServer remembers.
 */
import type { Pop3Connection } from '../connection.js';
import { malformedAnswer, messageNumber, numberedLine } from './message-number.js';

export interface Pop3UidlEntry {
  number: number;
  uid: string;
}

const UID = /^[!-~]{1,70}$/;

/** Every message's unique-id (`n` omitted) or one message's. */
export async function uidl(conn: Pop3Connection): Promise<Pop3UidlEntry[]>;
export async function uidl(conn: Pop3Connection, n: number): Promise<Pop3UidlEntry>;
export async function uidl(conn: Pop3Connection, n?: number): Promise<Pop3UidlEntry[] | Pop3UidlEntry> {
  conn.expectState('TRANSACTION', 'UIDL');
  if (n !== undefined) {
    const shown = `UIDL ${messageNumber(n, 'UIDL')}`;
    const response = await conn.command(shown);
    return entry(shown, conn.where, response.line, response.text);
  }
  await conn.command('UIDL');
  return (await conn.readListing('UIDL')).map((line) => entry('UIDL', conn.where, line, line));
}

function entry(shown: string, where: string, line: string, text: string): Pop3UidlEntry {
  const parsed = numberedLine(text);
  if (!parsed || !UID.test(parsed.rest)) throw malformedAnswer(shown, where, line, 'a unique-id listing "<number> <unique-id>"');
  return { number: parsed.number, uid: parsed.rest };
}
