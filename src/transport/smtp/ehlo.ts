/**
 * The EHLO reply (RFC 5321 §4.1.1.1): the extension keywords with their parameters, and the
 * SASL mechanisms of the AUTH line (RFC 4954 §3; the old "AUTH=" form is read too).
 */

export interface EhloInfo {
  /** The server's name from the first line. */
  serverName: string;
  /** Keyword (upper case) -> parameters, in the order offered. */
  extensions: Map<string, string[]>;
  /** The reply's extension lines as sent (for display). */
  lines: string[];
  /** SASL mechanisms offered, upper case, without duplicates. */
  authMechanisms: string[];
}

export function parseEhlo(reply: string): EhloInfo {
  const raw = reply.split(/\r?\n/).map((l) => l.replace(/^\d{3}[ -]?/, '').trim());
  const serverName = (raw[0] ?? '').split(/\s+/)[0] ?? '';
  const lines = raw.slice(1).filter(Boolean);
  const extensions = new Map<string, string[]>();
  const auth = new Set<string>();
  for (const line of lines) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =](.*))?$/.exec(line);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    const params = (m[2] ?? '').split(/\s+/).filter(Boolean);
    if (keyword === 'AUTH') for (const p of params) auth.add(p.toUpperCase());
    if (!extensions.has(keyword)) extensions.set(keyword, params);
  }
  return { serverName, extensions, lines, authMechanisms: [...auth] };
}
