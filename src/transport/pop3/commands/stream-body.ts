/**
 * The body of RETR and TOP, passed chunk by chunk to a sink as it arrives (never held whole):
 * dot-unstuffed (RFC 1939 §3), CRLF kept, so the sink receives exactly the message's octets.
 */
import { MAX_POP3_MESSAGE_BYTES } from '../../../limits.js';
import type { Pop3Connection } from '../connection.js';

/** Receives a message chunk by chunk; awaited, so a slow sink slows the reading down. */
export type Pop3Sink = (chunk: Buffer) => void | Promise<void>;

export interface Pop3BodyOptions {
  /** Largest message accepted, in octets (default MAX_POP3_MESSAGE_BYTES). */
  maxBytes?: number;
}

/** What was received. */
export interface Pop3BodyResult {
  /** Octets passed to the sink. */
  bytes: number;
}

/**
 * Pass the body to `sink`. When the sink throws, the rest of the body is read and dropped so
 * the session stays usable, and the sink's error is thrown.
 */
export async function streamBody(conn: Pop3Connection, shown: string, sink: Pop3Sink, options: Pop3BodyOptions = {}): Promise<Pop3BodyResult> {
  const [maxBytes, limitName] = bodyLimit(options);
  const body = conn.readBody(shown, maxBytes, limitName);
  for (;;) {
    const next = await body.next();
    if (next.done) return { bytes: next.value };
    try {
      await sink(next.value);
    } catch (err) {
      await conn.drainBody(body).catch(() => conn.destroy());
      throw err;
    }
  }
}

export function bodyLimit(options: Pop3BodyOptions): [number, string] {
  return options.maxBytes === undefined ? [MAX_POP3_MESSAGE_BYTES, 'MAX_POP3_MESSAGE_BYTES'] : [options.maxBytes, `maxBytes ${options.maxBytes}`];
}
