/**
 * POP3 status lines (RFC 1939 §3: "+OK" / "-ERR" and text), their extended response codes
 * (RFC 2449 §8: "[IN-USE]", "[LOGIN-DELAY]", "[SYS/TEMP]", "[SYS/PERM]", "[AUTH]") and the
 * IfaxError a refusal becomes. The codes, not the text, decide: RFC 2449 §8 exists because
 * clients guessing from the text could not tell "mailbox locked" from "bad password".
 */
import { IfaxError, type IfaxErrorCode } from '../../errors.js';

/** One status line, parsed. */
export interface Pop3Response {
  ok: boolean;
  /** The response code without brackets, upper case ("IN-USE", "SYS/TEMP"); null when none. */
  code: string | null;
  /** The text after the status indicator (response code included). */
  text: string;
  /** The whole line as received, without CRLF (secrets already masked). */
  line: string;
}

/** Parse a status line; null when it is neither "+OK" nor "-ERR" (not a POP3 server). */
export function parseStatus(line: string): Pop3Response | null {
  const m = /^(\+OK|-ERR)(?:[ \t](.*))?$/i.exec(line);
  if (!m) return null;
  const text = m[2] ?? '';
  const code = /^\[([^\]]*)\]/.exec(text);
  return { ok: m[1].toUpperCase() === '+OK', code: code ? code[1].toUpperCase() : null, text, line };
}

/**
 * The APOP timestamp of a greeting (RFC 1939 §7: "<" ... ">", an RFC 822 msg-id, e.g.
 * "<1896.697170952@dbc.mtview.ca.us>"), brackets included as the digest needs them.
 */
export function apopTimestamp(greetingText: string): string | null {
  const m = /<[!-=?-~]*@[!-=?-~]*>|<[!-=?-~]+>/.exec(greetingText);
  return m ? m[0] : null;
}

const AUTH_COMMANDS = new Set(['USER', 'PASS', 'APOP', 'AUTH']);

/** The error code a refusal maps to: by response code first, then by the refused command. */
export function refusalCode(command: string, code: string | null): IfaxErrorCode {
  if (code === 'IN-USE' || code === 'LOGIN-DELAY' || code?.startsWith('SYS/TEMP')) return 'TEMPORARY_FAILURE';
  if (code === 'AUTH') return 'AUTH_FAILED';
  if (code?.startsWith('SYS/PERM')) return 'SERVER_REFUSED';
  // Without a code, a refused login is a bad login (RFC 2449 §8.3: servers with a temporary
  // problem say so with IN-USE or SYS/TEMP).
  return AUTH_COMMANDS.has(command) ? 'AUTH_FAILED' : 'SERVER_REFUSED';
}

function refusalHint(command: string, code: IfaxErrorCode, response: Pop3Response): string {
  if (response.code === 'IN-USE') return 'Another client holds the mailbox (a second poll, a mail program left open); try again when it has finished.';
  if (response.code === 'LOGIN-DELAY') return 'The server allows a login only every so often; raise pop.intervalMinutes.';
  if (code === 'TEMPORARY_FAILURE') return 'The server reports a temporary problem; try again later.';
  if (code === 'AUTH_FAILED') {
    return command === 'APOP'
      ? 'Check pop.user and pop.password (or IFAX_POP_PASSWORD); the server must keep the password in clear for APOP, else turn pop.apop off.'
      : 'Check pop.user and pop.password (or IFAX_POP_PASSWORD).';
  }
  return 'The server refused the command; its answer is quoted above.';
}

/**
 * The IfaxError for a "-ERR" answer. `shown` is the command as it may be printed (the
 * password masked), `where` is "host:port".
 */
export function refusalError(command: string, shown: string, response: Pop3Response, where: string): IfaxError {
  const code = refusalCode(command, response.code);
  return new IfaxError(code, `POP3 ${shown} at ${where} failed: the server answered ${JSON.stringify(response.line)}`, {
    hint: refusalHint(command, code, response),
    context: { command, response: response.line, responseCode: response.code, server: where },
  });
}

/** A line that is no POP3 status line where one must be: a protocol error. */
export function notPop3Error(shown: string, line: string, where: string): IfaxError {
  return new IfaxError('DATA_INVALID', `POP3 ${shown} at ${where} failed: the server answered ${JSON.stringify(line.slice(0, 200))}, which is not a POP3 status line (+OK or -ERR)`, {
    hint: 'Is pop.port (or pop.sslPort with pop.tls pop3s) the port of a POP3 server?',
    context: { command: shown.split(' ')[0], server: where },
  });
}
