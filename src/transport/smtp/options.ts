/**
 * The client's options from the profile: smtp.*, tls.minVersion, device.email (EHLO name),
 * notify.adminEmail (envelope sender "admin"). The TLS socket options and the certificate check
 * come from src/transport/tls and are passed in.
 */
import os from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import { IfaxError } from '../../errors.js';
import type { IfaxConfig } from '../../config/schema.js';
import type { SmtpClientOptions } from './client.js';
import type { VerifyTls } from './connect.js';
import type { TraceSink } from './transcript.js';

export interface SmtpDeps {
  tlsOptions?: ConnectionOptions;
  verifyTls?: VerifyTls;
  trace?: TraceSink;
  env?: Record<string, string | undefined>;
  /** The machine's host name (EHLO name when device.email is unset); default os.hostname(). */
  hostname?: string;
  loadKerberos?: () => Promise<unknown>;
}

type SmtpProfile = Pick<IfaxConfig, 'smtp' | 'device' | 'notify' | 'tls'>;

/** The domain of device.email, else the host name: what we say in EHLO. */
export function ehloName(config: SmtpProfile, hostname: string = os.hostname()): string {
  const email = config.device.email;
  const at = email ? email.lastIndexOf('@') : -1;
  if (email && at > 0) return email.slice(at + 1);
  return hostname || 'localhost';
}

/** MAIL FROM per smtp.envelopeFrom: device = device.email, admin = notify.adminEmail, or the address itself. */
export function envelopeSender(config: SmtpProfile): string {
  const mode = config.smtp.envelopeFrom;
  const pick = mode === 'device' ? { key: 'device.email', value: config.device.email } : mode === 'admin' ? { key: 'notify.adminEmail', value: config.notify.adminEmail } : { key: 'smtp.envelopeFrom', value: mode };
  if (!pick.value) {
    throw new IfaxError('CONFIG_INVALID', `SMTP send failed: smtp.envelopeFrom is ${JSON.stringify(mode)} but ${pick.key} is not set`, {
      hint: `Set ${pick.key}, or set smtp.envelopeFrom to another choice.`,
      context: { key: pick.key },
    });
  }
  return pick.value;
}

/** SmtpClientOptions from the profile. */
export function smtpClientOptions(config: SmtpProfile, deps: SmtpDeps = {}): SmtpClientOptions {
  const s = config.smtp;
  if (!s.host) throw new IfaxError('CONFIG_INVALID', 'SMTP connection failed: smtp.host is not set', { hint: 'Set smtp.host to your mail server.', context: { key: 'smtp.host' } });
  const auth = s.auth.enabled ? { methods: s.auth.methods, user: s.auth.user, password: s.auth.password, realm: s.auth.realm, source: s.auth.source } : null;
  return {
    host: s.host,
    port: s.tls === 'smtps' ? s.sslPort : s.port,
    tls: s.tls,
    timeoutSeconds: s.timeout,
    ehloName: ehloName(config, deps.hostname),
    auth,
    tlsOptions: deps.tlsOptions ?? { rejectUnauthorized: !deps.verifyTls, minVersion: config.tls.minVersion },
    ...(deps.verifyTls ? { verifyTls: deps.verifyTls } : {}),
    ...(deps.trace ? { trace: deps.trace } : {}),
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.loadKerberos ? { loadKerberos: deps.loadKerberos } : {}),
  };
}
