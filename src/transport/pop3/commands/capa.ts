/**
 * CAPA (RFC 2449 §5): the server's capabilities, one per line, each a tag and its parameters
 * ("SASL PLAIN LOGIN", "STLS", "UIDL", "TOP", "RESP-CODES"). They may change after STLS and
 * after login (RFC 2595 §4), so callers ask again rather than keep an old answer.
 */
import type { Pop3Connection } from '../connection.js';

/** Capability tags (upper case) and their parameters. */
export type Pop3Capabilities = Map<string, string[]>;

/** The capabilities, or null when the server does not know CAPA (an RFC 1939-only server). */
export async function capa(conn: Pop3Connection): Promise<Pop3Capabilities | null> {
  const response = await conn.command('CAPA', 'CAPA', true);
  if (!response.ok) return null;
  const caps: Pop3Capabilities = new Map();
  for (const line of await conn.readListing('CAPA')) {
    const [tag, ...params] = line.trim().split(/\s+/);
    if (tag) caps.set(tag.toUpperCase(), params);
  }
  return caps;
}
