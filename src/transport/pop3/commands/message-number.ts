/** Message numbers of RFC 1939 §5: 1, 2, ... as the session numbers them (not stable: see UIDL). */
import { IfaxError } from '../../../errors.js';

/** `n` checked as a message number, for a command line. */
export function messageNumber(n: number, command: string): number {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new IfaxError('USAGE', `POP3 ${command} failed: ${JSON.stringify(n)} is not a message number (1, 2, ...)`);
  }
  return n;
}

/** Parse "<number> <rest>" of a scan or unique-id listing line; null when malformed. */
export function numberedLine(line: string): { number: number; rest: string } | null {
  const m = /^\s*(\d{1,15})[ \t]+(\S+)/.exec(line);
  return m ? { number: Number(m[1]), rest: m[2] } : null;
}

/** A "+OK" answer or listing line that does not have the form RFC 1939 gives it. */
export function malformedAnswer(command: string, where: string, line: string, form: string): IfaxError {
  return new IfaxError('DATA_INVALID', `POP3 ${command} at ${where} failed: the server answered ${JSON.stringify(line.slice(0, 200))}, not ${form}`, {
    context: { command: command.split(' ')[0], server: where },
  });
}
