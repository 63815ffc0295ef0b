/**
 * Which SASL mechanism to use and with which credentials: the strongest among
 * smtp.auth.methods that the server offers (GSSAPI, NTLM, DIGEST-MD5, CRAM-MD5, LOGIN, PLAIN),
 * and the user name and password from the profile or, with smtp.auth.source "user", from
 * IFAX_USER / IFAX_PASSWORD.
 */
import { IfaxError } from '../../../errors.js';
import { digestMd5 } from './digest-md5.js';
import { gssapi } from './gssapi.js';
import { ntlmMechanism } from './ntlm.js';
import type { SaslMechanism } from './exchange.js';

/** Strongest first. */
export const MECHANISM_ORDER = ['GSSAPI', 'NTLM', 'DIGEST-MD5', 'CRAM-MD5', 'LOGIN', 'PLAIN'] as const;
export type SaslName = (typeof MECHANISM_ORDER)[number];

/**
 * Mechanisms we run ourselves through nodemailer's customAuth; CRAM-MD5, LOGIN and PLAIN are
 * nodemailer's own (they keep its masking in its log as well as ours).
 */
export const OWN_MECHANISMS: Partial<Record<SaslName, SaslMechanism>> = {
  GSSAPI: gssapi,
  NTLM: ntlmMechanism,
  'DIGEST-MD5': digestMd5,
};

/**
 * The mechanism to use, or AUTH_FAILED naming what the server offers and what is allowed.
 * `where` is "host:port" for the message.
 */
export function chooseMechanism(allowed: readonly string[], offered: readonly string[], where: string): SaslName {
  return candidateMechanisms(allowed, offered, where)[0];
}

/** Every allowed mechanism the server offers, strongest first; AUTH_FAILED as chooseMechanism when none. */
export function candidateMechanisms(allowed: readonly string[], offered: readonly string[], where: string): SaslName[] {
  const offeredSet = new Set(offered.map((m) => m.toUpperCase()));
  const allowedSet = new Set(allowed.map((m) => m.toUpperCase()));
  const picks = MECHANISM_ORDER.filter((m) => allowedSet.has(m) && offeredSet.has(m));
  if (picks.length > 0) return picks;
  const offeredText = offered.length ? offered.join(' ') : 'no AUTH at all';
  throw new IfaxError('AUTH_FAILED', `SMTP login failed: no mechanism in common with ${where}: the server offers ${offeredText}; smtp.auth.methods allows ${allowed.join(' ') || 'none'}`, {
    hint: offered.length ? 'Add one of the offered mechanisms to smtp.auth.methods.' : 'This server (or this port before STARTTLS) does not take AUTH: check smtp.tls and smtp.port, or turn smtp.auth.enabled off.',
    context: { offered: [...offered], allowed: [...allowed] },
  });
}

/** The AUTH settings the client needs (from smtp.auth.*). */
export interface AuthSettings {
  methods: readonly string[];
  user?: string | null;
  password?: string | null;
  realm?: string;
  source: 'value' | 'user';
}

/**
 * User name and password for the chosen mechanism. GSSAPI needs neither (ticket or keytab);
 * every other mechanism needs both, else AUTH_FAILED naming where they come from.
 */
export function resolveCredentials(auth: AuthSettings, mechanism: SaslName, env: Record<string, string | undefined>): { user: string; password: string } {
  const fromEnv = auth.source === 'user';
  const user = (fromEnv ? env.IFAX_USER : auth.user) ?? '';
  const password = (fromEnv ? env.IFAX_PASSWORD : auth.password) ?? '';
  if (mechanism !== 'GSSAPI' && (!user || !password)) {
    const missing = !user ? 'user name' : 'password';
    throw new IfaxError('AUTH_FAILED', `SMTP login failed: no ${missing} for AUTH ${mechanism}`, {
      hint: fromEnv
        ? 'smtp.auth.source is "user": set IFAX_USER and IFAX_PASSWORD in the environment.'
        : !user
          ? 'Set smtp.auth.user.'
          : 'Set smtp.auth.password or the environment variable IFAX_SMTP_PASSWORD.',
      context: { mechanism, key: fromEnv ? (!user ? 'IFAX_USER' : 'IFAX_PASSWORD') : !user ? 'smtp.auth.user' : 'smtp.auth.password' },
    });
  }
  return { user, password };
}
