/**
 * The profile's TLS for one service (smtp or pop): the tls.connect options (`tls.*`, the
 * service's certVerify) and ifax's own certificate checks run after every handshake, before
 * any password (transport/tls). The one place the CLI builds them: sending, MDNs, POP before
 * SMTP, polling and `config test` all connect through this. Loaded lazily by its callers, so a
 * dry run never loads the ASN.1 code.
 */
import type { TLSSocket } from 'node:tls';
import type { IfaxConfig } from '../config/index.js';
import type { TlsConnectOptions, TlsTrust } from '../transport/tls/connect-options.js';
import type { TlsReport } from '../transport/tls/verify.js';
import { loadTlsTrust, tlsOptions } from '../transport/tls/connect-options.js';
import { verifyPeer } from '../transport/tls/verify.js';

export interface ProfileTls {
  trust: TlsTrust;
  /** Absent when the service's TLS is off. */
  tlsOptions?: TlsConnectOptions;
  verifyTls(socket: TLSSocket): Promise<TlsReport>;
}

/**
 * The TLS settings of `service` for the server `host` (the caller has checked it is set).
 * `trust` (tls.caFile, tls.crlFile) is loaded when not given; `onReport` sees each passed check.
 */
export function profileTls(config: IfaxConfig, service: 'smtp' | 'pop', host: string, opts: { trust?: TlsTrust; onReport?: (report: TlsReport) => void } = {}): ProfileTls {
  const trust = opts.trust ?? loadTlsTrust(config.tls);
  const { certVerify, tls } = config[service];
  return {
    trust,
    ...(tls !== 'off' ? { tlsOptions: tlsOptions({ host, certVerify, trust }) } : {}),
    async verifyTls(socket) {
      const report = await verifyPeer(socket, { host, certVerify, trust, service });
      opts.onReport?.(report);
      return report;
    },
  };
}
