/**
 * The loopback mail stack for integration tests: `await mailStack()` starts it when it is not
 * running (test/interop/stack/stack.sh start) and returns its settings. Only tests that call it
 * start it. Parallel jest workers may all call it: the script serialises starts with a lock and
 * a start that finds the stack running returns at once. The jest globalTeardown
 * (stack-teardown.ts) stops the stack when this test run started it.
 *
 * Needs root and the Debian packages `stack.sh packages` lists; without them mailStack() fails
 * with what to install, so a test that needs the stack never passes without it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MailStack, StackUser, TlsVariant, TlsVariantPorts } from './stack-types.js';

/** test/interop/stack/stack.sh */
export const stackScript = fileURLToPath(new URL('./stack/stack.sh', import.meta.url));

// A first start makes 11 RSA keys, a KDC and an LDAP database: seconds, but a loaded CI
// machine may take longer, and another worker may hold the lock meanwhile.
const START_TIMEOUT_MS = 180_000;

/** What `stack.sh env` prints: MailStack without its functions. */
interface StackEnv {
  host: string;
  ipv6: boolean;
  domain: string;
  smtp: MailStack['smtp'];
  popBeforeSmtpWindow: number;
  pop: MailStack['pop'];
  ldap: MailStack['ldap'];
  kerberos: { realm: string; krb5Conf: string; keytabDir: string };
  pki: { caFile: string; crlFile: string; ocspUrl: string; dir: string };
  tls: Record<TlsVariant, TlsVariantPorts>;
  users: StackUser[];
  relayDomain: string;
  failDomain: string;
  maildirBase: string;
  stateDir: string;
}

/** Runs stack.sh with a subcommand; rejects with the script's own words on failure. */
export function runStackScript(command: string, timeout = START_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [stackScript, command], { timeout, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const reason = stderr.trim() || error.message;
        reject(new Error(`mail stack ${command} failed: ${reason}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** A login the stack knows, refused loudly otherwise (a typo must not become a path). */
function knownLogin(env: StackEnv, login: string): string {
  const user = env.users.find((u) => u.login === login || u.email === login);
  if (!user) throw new Error(`mail stack: no user ${JSON.stringify(login)} (users: ${env.users.map((u) => u.login).join(', ')})`);
  return user.login;
}

function toMailStack(env: StackEnv): MailStack {
  return {
    host: env.host,
    ipv6: env.ipv6,
    domain: env.domain,
    smtp: env.smtp,
    popBeforeSmtpWindow: env.popBeforeSmtpWindow,
    pop: env.pop,
    ldap: env.ldap,
    kerberos: {
      realm: env.kerberos.realm,
      krb5Conf: env.kerberos.krb5Conf,
      keytab: (login) => path.join(env.kerberos.keytabDir, `${knownLogin(env, login)}.keytab`),
      servicesKeytab: path.join(env.kerberos.keytabDir, 'services.keytab'),
    },
    pki: {
      caFile: env.pki.caFile,
      crlFile: env.pki.crlFile,
      ocspUrl: env.pki.ocspUrl,
      intermediateFile: path.join(env.pki.dir, 'inter-ca.crt'),
      certFile: (variant) => path.join(env.pki.dir, `${variant}.crt`),
    },
    tls: env.tls,
    users: env.users,
    relayDomain: env.relayDomain,
    failDomain: env.failDomain,
    maildir: (login) => path.join(env.maildirBase, knownLogin(env, login), 'Maildir'),
    stateDir: env.stateDir,
  };
}

let stack: Promise<MailStack> | undefined;

/** The running stack's settings, starting it first when needed (once per test file). */
export function mailStack(): Promise<MailStack> {
  stack ??= (async () => {
    await runStackScript('start');
    return toMailStack(JSON.parse(await runStackScript('env', 10_000)) as StackEnv);
  })();
  return stack;
}
