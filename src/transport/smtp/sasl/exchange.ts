/**
 * What a SASL mechanism of ours sees of the SMTP session (RFC 4954 §4): one command out, one
 * reply back. Mechanisms are written against this, not against nodemailer, so the same code
 * runs in nodemailer's `customAuth` hook and against a scripted server in tests.
 */
import { IfaxError } from '../../../errors.js';

/** One parsed server reply. */
export interface SaslReply {
  /** Reply code (334, 235, 535...); 0 when the line had none. */
  status: number;
  /** The reply text after the code (the base64 challenge for 334). */
  text: string;
  /** The whole reply line as received. */
  response: string;
}

export interface SaslExchange {
  /** Send one line (an AUTH command or a base64 response) and wait for the server's reply. */
  send(line: string): Promise<SaslReply>;
}

/** Everything a mechanism needs besides the exchange. Never printed. */
export interface SaslCredentials {
  user: string;
  password: string;
  /** smtp.auth.realm; empty = from the server's challenge (DIGEST-MD5) or none (NTLM). */
  realm: string;
  /** The server's host name as configured (smtp.host): DIGEST-MD5 digest-uri, GSSAPI service. */
  host: string;
  /** "host:port", for messages. */
  server: string;
  /** Where a keytab or ticket cache comes from for GSSAPI (smtp.auth.source). */
  source: 'value' | 'user';
  /** Random bytes (DIGEST-MD5 cnonce); injected so tests can fix them. */
  randomBytes(n: number): Uint8Array;
  /** The environment (KRB5_CLIENT_KTNAME for GSSAPI). */
  env: Record<string, string | undefined>;
  /** Loads the optional `kerberos` package; injected so a missing package can be tested. */
  loadKerberos?: () => Promise<unknown>;
}

export type SaslMechanism = (x: SaslExchange, creds: SaslCredentials) => Promise<void>;

/**
 * An AUTH failure as it must reach the user: AUTH_FAILED (77) naming the mechanism and the
 * server's reply, never the password. A 4xx reply (454 "temporary authentication failure") is
 * TEMPORARY_FAILURE: trying again later may work.
 */
export function authFailure(mechanism: string, where: string, reason: string, reply?: SaslReply, hint?: string): IfaxError {
  const temporary = reply !== undefined && reply.status >= 400 && reply.status < 500;
  const replyText = reply ? `: server replied ${JSON.stringify(reply.response)}` : '';
  return new IfaxError(temporary ? 'TEMPORARY_FAILURE' : 'AUTH_FAILED', `SMTP login failed: AUTH ${mechanism} at ${where}: ${reason}${replyText}`, {
    hint: hint ?? (temporary ? 'The server refused for now; ifax tries again later.' : 'Check smtp.auth.user and the password (smtp.auth.password or IFAX_SMTP_PASSWORD), or allow another mechanism in smtp.auth.methods.'),
    context: { mechanism, command: `AUTH ${mechanism}`, ...(reply ? { response: reply.response } : {}) },
  });
}

/**
 * Marks a failure that happened on this side before anything went to the server (no keytab,
 * no Kerberos ticket, the kerberos package missing): the login goes on with the next allowed
 * mechanism, as no login attempt was made. A server's refusal is never marked: trying other
 * mechanisms with the same password would only add failed logins (and lock accounts).
 */
export function unusableHere(err: IfaxError): IfaxError {
  return new IfaxError(err.code, err.message, { ...(err.hint ? { hint: err.hint } : {}), context: { ...err.context, unusableHere: true } });
}

/** Base64 text of bytes. */
export const b64 = (bytes: Uint8Array | string): string => Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64');

/** Decode a 334 challenge; a malformed one is the server's fault, reported as such. */
export function decodeChallenge(text: string): Buffer {
  const t = text.trim();
  if (t !== '' && !/^[A-Za-z0-9+/]+=*$/.test(t)) throw new Error(`the challenge is not base64: ${JSON.stringify(t.slice(0, 80))}`);
  return Buffer.from(t, 'base64');
}

/** Cancel an exchange the client will not finish (RFC 4954 §4: "*"), then fail. */
export async function cancel(x: SaslExchange): Promise<void> {
  try {
    await x.send('*');
  } catch {
    // The connection is being given up anyway.
  }
}
