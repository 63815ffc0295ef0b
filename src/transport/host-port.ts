/**
 * "host:port" as messages, traces and reports name a server: an IPv6 literal in brackets
 * ("[::1]:995", RFC 3986 §3.2.2), since its own colons would otherwise run into the port's.
 */
import { isIPv6 } from 'node:net';

/** "host:port", an IPv6 literal as "[v6]:port". */
export function hostPort(o: { host: string; port: number }): string {
  return isIPv6(o.host) ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
}
