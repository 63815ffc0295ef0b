/**
 * QUIT (RFC 1939 §6): in the TRANSACTION state this enters the UPDATE state, in which the
 * server removes the messages marked with DELE; only a "+OK" says they are gone. A session that
 * ends any other way (destroyed, timed out) removes nothing.
 */
import type { Pop3Connection } from '../connection.js';

/** What QUIT did. */
export interface Pop3QuitResult {
  /** True when the session was logged in and the server confirmed the UPDATE state. */
  updated: boolean;
}

/** End the session. A "-ERR" in the UPDATE state (deletions not done) is thrown (SERVER_REFUSED). */
export async function quit(conn: Pop3Connection): Promise<Pop3QuitResult> {
  if (conn.state === 'CLOSED') return { updated: false };
  const update = conn.state === 'TRANSACTION';
  if (update) conn.state = 'UPDATE';
  try {
    await conn.command('QUIT');
  } catch (err) {
    conn.destroy();
    throw err;
  }
  conn.end();
  return { updated: update };
}
