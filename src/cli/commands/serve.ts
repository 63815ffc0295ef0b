/**
 * `ifax serve --listen HOST:PORT` (CLI.md; RFC 4142 App. A direct SMTP): take faxes by SMTP
 * straight from devices and process each as `receive` does. Mail for device.email (and the
 * `--accept` addresses) is taken; each is on disk before the 250, and a mail that cannot be
 * stored gets a 451 so the sender keeps it. Runs until SIGTERM or SIGINT, which stop taking
 * mail and finish the one in hand.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { IfaxError } from '../../errors.js';
import { MAX_POP3_MESSAGE_BYTES } from '../../limits.js';
import { globalOptions, outputFor } from '../context.js';
import { loadProfile } from '../profile.js';

/** "HOST:PORT", "[v6]:PORT" or ":PORT" (all addresses). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 0 || port > 65535) throw new InvalidArgumentError('HOST:PORT, e.g. 127.0.0.1:2525, [::1]:2525 or :25 (all addresses).');
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value.toLowerCase()];

interface ServeFlags {
  listen: { host: string; port: number };
  tlsCert?: string;
  tlsKey?: string;
  accept?: string[];
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('take faxes by SMTP straight from devices (RFC 4142 direct mode) and process each as receive does')
    .requiredOption('--listen <host:port>', 'where to listen, e.g. 0.0.0.0:25 or 127.0.0.1:2525', parseListen)
    .option('--tls-cert <file>', 'PEM certificate for STARTTLS (with --tls-key); without it STARTTLS is not offered')
    .option('--tls-key <file>', 'PEM private key for STARTTLS')
    .option('--accept <addr>', 'also take mail for this address (default: device.email only); repeat for more', collect)
    .addHelpText(
      'after',
      `
Examples:
  $ ifax serve --listen 0.0.0.0:25 --tls-cert /etc/ifax/cert.pem --tls-key /etc/ifax/key.pem
  $ ifax serve --listen 127.0.0.1:2525 --accept fax@example.com -v

Each mail is written to the spool (stateDir/spool) before the server answers 250; one that
cannot be stored gets 451 (the sender retries). SIGTERM or Ctrl-C stops it.`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const out = outputFor(command);
      const loaded = await loadProfile(globalOptions(command), out);
      const config = loaded.config;
      if (!config.ifax.enabled) throw new IfaxError('IFAX_DISABLED', 'serve failed: ifax.enabled is off', { hint: "Turn it on with 'ifax config set ifax.enabled true'." });
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new IfaxError('USAGE', 'serve failed: --tls-cert and --tls-key go together');
      const accepted = new Set([...(config.device.email ? [config.device.email.toLowerCase()] : []), ...(flags.accept ?? [])]);
      if (accepted.size === 0) throw new IfaxError('CONFIG_INVALID', 'serve failed: no address to take mail for', { hint: 'Set device.email, or name addresses with --accept.' });
      const tls = flags.tlsCert && flags.tlsKey ? readTls(flags.tlsCert, flags.tlsKey) : undefined;
      const { resolveStateDir, openStore } = await import('../../store/index.js');
      const { acquirePollLock } = await import('../../store/poll-lock.js');
      const { serve } = await import('../../jobs/serve.js');
      const { processSpooledMail } = await import('../poll-wiring.js');
      const stateDir = resolveStateDir(config.stateDir, { profileFile: loaded.filepath });
      const store = openStore(stateDir);
      try {
        const serving = await serve(
          { host: flags.listen.host, port: flags.listen.port, maxBytes: MAX_POP3_MESSAGE_BYTES, ...(tls ? { tls } : {}), allowRecipient: (a) => accepted.has(a.toLowerCase()), name: config.device.name ?? 'ifax' },
          {
            stateDir,
            store,
            process: (file) => processSpooledMail(file, { config, stateDir, store, out }),
            lock: () => acquirePollLock(stateDir),
            processed: (s) => {
              if (s.received.length + s.reports.length + s.other + s.errors.length > 0) out.summary(s, () => `received ${s.received.length}, reports ${s.reports.length}, other ${s.other}, errors ${s.errors.length}${s.errors.map((e) => `\n  ${e.code}: ${e.message}`).join('')}`);
            },
            warn: (m) => out.warn(m),
            debug: (m) => out.debug(m),
          },
        );
        out.info(`listening on ${flags.listen.host}:${serving.port} for ${[...accepted].join(', ')}${tls ? ' (STARTTLS offered)' : ''}; SIGTERM or Ctrl-C stops`);
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
        out.info('stopping: no new mail is taken');
        await serving.close();
      } finally {
        store.close();
      }
    });
}

function readTls(cert: string, key: string): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(cert), key: readFileSync(key) };
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', `serve failed: the TLS certificate or key cannot be read (${(err as Error).message})`, { cause: err });
  }
}
