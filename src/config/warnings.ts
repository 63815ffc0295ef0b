/**
 * Settings that are valid but probably not what the admin meant: a port that does not fit
 * the TLS mode, a switch that has no effect, a check turned off. Shown by `ifax config
 * validate` and the other config commands on stderr; never fatal. Pure: no `node:` imports.
 */
import { getIn } from './merge.js';
import { problemText } from './messages.js';
import { incompleteFunctions } from './readiness.js';
import type { IfaxConfig } from './schema.js';
import { RESOLUTIONS } from './enums.js';

/** Warnings for the effective settings `c`, read from `raw` (to know what was set explicitly). */
export function configWarnings(c: IfaxConfig, raw: unknown): string[] {
  const out: string[] = [];
  const set = (key: string) => getIn(raw, key.split('.')) !== undefined;

  if (c.smtp.tls === 'smtps' && set('smtp.port') && c.smtp.port !== c.smtp.sslPort) {
    out.push(`smtp.port ${c.smtp.port} is not used with smtp.tls smtps: the connection goes to smtp.sslPort (${c.smtp.sslPort})`);
  }
  if (c.smtp.tls !== 'smtps' && c.smtp.port === 465) {
    out.push(`smtp.port 465 is the SMTPS (implicit TLS) port, but smtp.tls is ${c.smtp.tls}: did you mean smtp.tls smtps?`);
  }
  if (c.pop.tls === 'pop3s' && set('pop.port') && c.pop.port !== c.pop.sslPort) {
    out.push(`pop.port ${c.pop.port} is not used with pop.tls pop3s: the connection goes to pop.sslPort (${c.pop.sslPort})`);
  }
  if (c.pop.tls !== 'pop3s' && c.pop.port === 995) {
    out.push(`pop.port 995 is the POP3S (implicit TLS) port, but pop.tls is ${c.pop.tls}: did you mean pop.tls pop3s?`);
  }
  for (const [name, tls, cv] of [
    ['smtp', c.smtp.tls, c.smtp.certVerify],
    ['pop', c.pop.tls, c.pop.certVerify],
  ] as const) {
    if (tls !== 'off' && (!cv.chain || !cv.cn)) {
      out.push(`${name}.certVerify.${!cv.chain ? 'chain' : 'cn'} is off: any certificate is accepted, so a man in the middle can read the ${name.toUpperCase()} password`);
    }
  }
  if (c.smtp.auth.enabled && c.smtp.tls === 'off' && c.smtp.auth.methods.some((m) => m === 'PLAIN' || m === 'LOGIN')) {
    out.push('smtp.auth.methods allows PLAIN/LOGIN while smtp.tls is off: the password crosses the network readable');
  }
  if (c.tls.minVersion === 'TLSv1' || c.tls.minVersion === 'TLSv1.1') {
    out.push(`tls.minVersion ${c.tls.minVersion} accepts protocol versions deprecated by RFC 8996`);
  }
  if (c.ifaxAdvanced.mdnRequest && c.ifaxAdvanced.dsnRequest) {
    out.push('ifaxAdvanced.dsnRequest has no effect while ifaxAdvanced.mdnRequest is on (the MDN request wins)');
  }
  const max = RESOLUTIONS.indexOf(c.ifaxAdvanced.maxResolution);
  if (RESOLUTIONS.indexOf(c.send.resolution) > max) {
    out.push(`send.resolution ${c.send.resolution} is above ifaxAdvanced.maxResolution ${c.ifaxAdvanced.maxResolution}: jobs go out at ${c.ifaxAdvanced.maxResolution}`);
  }
  if (!c.receiveCaps.compression.includes('MH')) {
    out.push('receiveCaps.compression lacks MH: senders in simple mode (RFC 3965) can send nothing else');
  }
  if (!c.receiveCaps.paperSizes.includes('A4')) {
    out.push('receiveCaps.paperSizes lacks A4: senders in simple mode (RFC 3965) send A4 width');
  }
  for (const f of incompleteFunctions(c)) {
    const list = f.problems.map(problemText).join('; ');
    out.push(f.what === 'alerts' ? `alerts cannot be mailed until this is set: ${list}` : `${f.what} will refuse until these are set: ${list}`);
  }
  return out;
}
