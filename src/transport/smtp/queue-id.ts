/**
 * The queue id in the server's reply to the end of the message data, in the forms the common
 * servers use; it is what their logs and DSNs name, so a job can be traced on the server.
 */
const PATTERNS: RegExp[] = [
  /queued as ([A-Za-z0-9][\w.-]*)/i, // Postfix "250 2.0.0 Ok: queued as 4Xb1c2"
  /\bid=([A-Za-z0-9][\w.-]*)/i, // Exim "250 OK id=1tQ2aB-000Abc-1x"
  /^250[ -](?:\d\.\d{1,3}\.\d{1,3} )?([A-Za-z0-9]{8,20}) Message accepted/i, // sendmail
  /InternalId=(\d+)/i, // Exchange
];

/** The queue id named in a final 250 reply, if any. */
export function parseQueueId(reply: string): string | undefined {
  for (const p of PATTERNS) {
    const m = p.exec(reply);
    if (m) return m[1];
  }
  return undefined;
}
