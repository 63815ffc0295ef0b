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
import type { PopSessionOptions } from '../transport/pop3/index.js';
import type { TlsReport } from '../transport/tls/verify.js';
import type { Output } from './output.js';

/** The journal's key of the profile's mailbox: "user@host:port". */
export function popAccount(config: IfaxConfig): string {
  const pop = config.pop;
  const port = pop.tls === 'pop3s' ? pop.sslPort : pop.port;
  return `${pop.user ?? ''}@${pop.host ?? ''}:${port}`;
}

/**
 * The POP session options of the profile: TLS checked by pop.certVerify.* before the login
 * (tls-wiring.ts), the -vv trace. Polling, POP before SMTP and `config test pop` use them.
 */
export async function popSessionOptions(config: IfaxConfig, host: string, out: Output, onReport?: (report: TlsReport) => void): Promise<PopSessionOptions> {
  const { profileTls } = await import('./tls-wiring.js');
  const tls = profileTls(config, 'pop', host, onReport ? { onReport } : {});
  return { ...(tls.tlsOptions ? { tlsOptions: tls.tlsOptions } : {}), verifyTls: tls.verifyTls, trace: (line: string) => out.debug(line, 2) };
}

/** A logged-in POP session from pop.*, TLS checked by pop.certVerify.* before the login. */
export async function connectPop(config: IfaxConfig, out: Output): Promise<Pop3Client> {
  const { openPop } = await import('../transport/pop3/index.js');
  const host = config.pop.host;
  if (!host) throw new IfaxError('CONFIG_INVALID', 'poll failed: pop.host is not set', { hint: "Set it with 'ifax config set pop.host mail.example.com'." });
  const { client, info } = await openPop(config.pop, await popSessionOptions(config, host, out));
  out.debug(`poll: logged in to ${info.host}:${info.port} as ${JSON.stringify(config.pop.user)} with ${info.mechanism}${info.tlsVersion ? ` over ${info.tlsVersion}` : ''}`);
  return client;
}

/**
 * Processes one spooled mail with receive (jobs/receive/receive.ts): it stores what it keeps
 * (the fax in stateDir/inbox, the matched report in the job store, the mail in other/) before
 * it returns, so the spool file may then be removed. A mail receive cannot read (65) is kept
 * in other/ by receive itself: for the poll it is done.
 */
export async function processSpooledMail(file: string, context: { config: IfaxConfig; stateDir: string; store: StoreDatabase; out: Output }): Promise<SpoolOutcome> {
  const { receiveMail } = await import('../jobs/receive/receive.js');
  const { JobStore } = await import('../store/jobs.js');
  const { DestinationStore } = await import('../store/destinations.js');
  const { mdnSender } = await import('./send-wiring.js');
  const { config, out } = context;
  try {
    const outcome = await receiveMail(file, {
      config,
      stateDir: context.stateDir,
      jobs: new JobStore(context.store),
      destinations: new DestinationStore(context.store),
      sendMail: mdnSender(config, out),
      now: () => new Date(),
      io: { warn: (m) => out.warn(m), debug: (m) => out.debug(m) },
    });
    for (const e of outcome.errors) out.warn(`${e.messageId ?? file}: ${e.code}: ${e.message}`);
    const { received, reports, mdnSent, partial, other } = outcome;
    return { received, reports, mdnSent, partial, other };
  } catch (err) {
    if (isIfaxError(err)) throw err;
    throw new IfaxError('INTERNAL', `processing ${JSON.stringify(file)} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
