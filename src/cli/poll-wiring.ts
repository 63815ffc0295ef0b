/**
 * What `ifax poll` is made of in the CLI: the POP session from the profile's pop.* settings
 * with ifax's certificate checks (as `config test pop` and POP before SMTP do), the journal's
 * account key, and the processing of one spooled mail by receive (src/jobs/receive/receive.ts).
 */
import { IfaxError, isIfaxError } from '../errors.js';
import type { IfaxConfig } from '../config/index.js';
import type { SpoolOutcome } from '../jobs/poll.js';
import type { StoreDatabase } from '../store/database.js';
import type { Pop3Client } from '../transport/pop3/client.js';
import type { Output } from './output.js';

/** The journal's key of the profile's mailbox: "user@host:port". */
export function popAccount(config: IfaxConfig): string {
  const pop = config.pop;
  const port = pop.tls === 'pop3s' ? pop.sslPort : pop.port;
  return `${pop.user ?? ''}@${pop.host ?? ''}:${port}`;
}

/** A logged-in POP session from pop.*, TLS checked by pop.certVerify.* before the login. */
export async function connectPop(config: IfaxConfig, out: Output): Promise<Pop3Client> {
  const { openPop } = await import('../transport/pop3/index.js');
  const { loadTlsTrust, tlsOptions } = await import('../transport/tls/connect-options.js');
  const { verifyPeer } = await import('../transport/tls/verify.js');
  const host = config.pop.host;
  if (!host) throw new IfaxError('CONFIG_INVALID', 'poll failed: pop.host is not set', { hint: "Set it with 'ifax config set pop.host mail.example.com'." });
  const trust = loadTlsTrust(config.tls);
  const { client, info } = await openPop(config.pop, {
    ...(config.pop.tls !== 'off' ? { tlsOptions: tlsOptions({ host, certVerify: config.pop.certVerify, trust }) } : {}),
    verifyTls: (socket) => verifyPeer(socket, { host, certVerify: config.pop.certVerify, trust, service: 'pop' }),
    trace: (line: string) => out.debug(line, 2),
  });
  out.debug(`poll: logged in to ${info.host}:${info.port} as ${JSON.stringify(config.pop.user)} with ${info.mechanism}${info.tlsVersion ? ` over ${info.tlsVersion}` : ''}`);
  return client;
}

/** The module path of receive, kept in a variable: it is resolved when the first mail is processed. */
const RECEIVE_MODULE = '../jobs/receive/receive.js';

interface ReceiveModule {
  receiveMail(file: string, deps: unknown): Promise<unknown>;
}

/**
 * Processes one spooled mail with receive's `receiveMail(file, deps)` and turns its outcome
 * into the poll summary's parts. receive stores what it keeps (the fax in stateDir/inbox, the
 * matched report in the job store) before it returns, so the spool file may then be removed.
 * Until receive is part of this build, every mail stays in the spool (INTERNAL counts as
 * temporary), never lost.
 */
export async function processSpooledMail(file: string, context: { config: IfaxConfig; stateDir: string; store: StoreDatabase; out: Output }): Promise<SpoolOutcome> {
  let receive: ReceiveModule;
  try {
    receive = (await import(RECEIVE_MODULE)) as ReceiveModule;
  } catch (err) {
    throw new IfaxError('INTERNAL', `processing ${JSON.stringify(file)} failed: receive is not part of this build (${(err as Error).message})`, {
      cause: err,
      hint: 'The mail stays in the spool (stateDir/spool) and is processed by the next poll of a build with receive.',
    });
  }
  try {
    return toSpoolOutcome(await receive.receiveMail(file, { config: context.config, stateDir: context.stateDir, store: context.store, warn: (m: string) => context.out.warn(m), debug: (m: string) => context.out.debug(m) }));
  } catch (err) {
    if (isIfaxError(err)) throw err;
    throw new IfaxError('INTERNAL', `processing ${JSON.stringify(file)} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** Receive's outcome of one mail, read in the --json shape of CLI.md. */
export function toSpoolOutcome(outcome: unknown): SpoolOutcome {
  const o = (outcome ?? {}) as Record<string, unknown>;
  const count = (v: unknown): number => (typeof v === 'number' ? v : v === true ? 1 : 0);
  return {
    ...(Array.isArray(o.received) ? { received: o.received as SpoolOutcome['received'] } : {}),
    ...(Array.isArray(o.reports) ? { reports: o.reports as SpoolOutcome['reports'] } : {}),
    mdnSent: count(o.mdnSent),
    partial: count(o.partial),
    other: count(o.other),
  };
}
