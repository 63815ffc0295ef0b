/**
 * `ifax config test smtp|pop`: the first command an admin runs when sending or polling fails.
 * Connects with the profile's settings and ifax's own certificate checks (transport/tls), shows
 * each step with its mark, and exits with the code of the first failure (CLI.md table). The
 * certificate is checked before any password is sent: a failed check ends the test there.
 */
import { IfaxError, isIfaxError } from '../errors.js';
import type { IfaxConfig } from '../config/index.js';
import { describeTlsReport } from '../transport/tls/describe.js';
import type { TlsReport } from '../transport/tls/verify.js';
import { popSessionOptions } from './poll-wiring.js';
import { profileTls } from './tls-wiring.js';
import { configTestSmtp, formatProbeReport } from './commands/config-test.js';
import type { ProbeReport, ProbeStep } from '../transport/smtp/index.js';
import type { Output } from './output.js';

/** Runs the test of `service` and prints it; throws the first failure (after printing the steps). */
export async function configTest(service: 'smtp' | 'pop', config: IfaxConfig, out: Output): Promise<void> {
  const tty = process.stdout.isTTY === true;
  let report: ProbeReport;
  if (service === 'smtp') {
    const host = config.smtp.host;
    if (!host) throw new IfaxError('CONFIG_INVALID', 'config test smtp failed: smtp.host is not set', { hint: "Set it with 'ifax config set smtp.host mail.example.com'." });
    // With --json and a failure, stdout holds one document: the error's, with the steps in it.
    const quiet = out.json ? silent(out) : out;
    const tls = profileTls(config, 'smtp', host);
    ({ report } = await configTestSmtp(
      config,
      { ...(tls.tlsOptions ? { tlsOptions: tls.tlsOptions } : {}), verifyTls: tls.verifyTls, trace: (line) => out.debug(line, 2) },
      quiet,
      tty,
    ));
    if (out.json && report.ok) out.result(report, '');
  } else {
    report = await probePop(config, out);
    if (!out.json || report.ok) out.result(report, () => formatProbeReport(report, tty, out.color).replace(/^SMTP /, 'POP3 '));
  }
  if (!report.ok && report.error) {
    throw new IfaxError(report.error.code, report.error.message, { ...(report.error.hint ? { hint: report.error.hint } : {}), context: { steps: report.steps } });
  }
}

/** An Output that prints nothing: the report is carried by the error instead. */
function silent(out: Output): Output {
  return Object.assign(Object.create(Object.getPrototypeOf(out) as object) as Output, out, { result: () => undefined });
}

/** POP3: connect, TLS and its checks, the login (USER/PASS or APOP), QUIT. */
async function probePop(config: IfaxConfig, out: Output): Promise<ProbeReport> {
  const pop = config.pop;
  if (!pop.host) throw new IfaxError('CONFIG_INVALID', 'config test pop failed: pop.host is not set', { hint: "Set it with 'ifax config set pop.host mail.example.com'." });
  const host = pop.host;
  const port = pop.tls === 'pop3s' ? pop.sslPort : pop.port;
  const report: ProbeReport = { server: `${host.includes(':') ? `[${host}]` : host}:${port}`, tls: pop.tls, ok: false, steps: [] };
  let tlsReport: TlsReport | undefined;
  const { popLogin } = await import('../transport/pop3/index.js');
  try {
    const info = await popLogin(pop, await popSessionOptions(config, host, out, (r) => (tlsReport = r)));
    report.steps.push({ step: 'connect', ok: true, detail: `connected to ${report.server}: ${info.greeting}` });
    if (tlsReport) report.steps.push({ step: 'tls', ok: true, detail: `${info.tlsVersion ?? 'TLS'} (${pop.tls})`, lines: describeTlsReport(tlsReport) });
    report.steps.push({ step: 'ehlo', ok: true, detail: `capabilities: ${Object.keys(info.capabilities ?? {}).join(' ') || 'none (no CAPA)'}` });
    report.steps.push({ step: 'login', ok: true, detail: `logged in as ${JSON.stringify(pop.user)} with ${info.mechanism}` });
    report.steps.push({ step: 'quit', ok: true, detail: 'closed' });
    report.ok = true;
  } catch (err) {
    const e = isIfaxError(err) ? err : new IfaxError('INTERNAL', `config test pop failed: ${(err as Error).message}`, { cause: err });
    const rejected = e.code === 'CERT_REJECTED' ? (e.context?.report as TlsReport | undefined) : undefined;
    const step: ProbeStep['step'] = rejected || e.code === 'TLS_NOT_OFFERED' ? 'tls' : e.code === 'AUTH_FAILED' ? 'login' : 'connect';
    if (step !== 'connect') report.steps.push({ step: 'connect', ok: true, detail: `connected to ${report.server}` });
    if (step === 'login' && tlsReport) report.steps.push({ step: 'tls', ok: true, detail: pop.tls, lines: describeTlsReport(tlsReport) });
    report.steps.push({ step, ok: false, detail: e.message, ...(rejected ? { lines: describeTlsReport(rejected) } : {}) });
    report.error = { code: e.code, exitCode: e.exitCode, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  }
  return report;
}
