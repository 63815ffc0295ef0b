/**
 * The library part of `ifax config test smtp`: connect, TLS (version, certificate, each check),
 * EHLO extensions, the AUTH mechanisms offered, login with the chosen mechanism, quit. Each
 * step is reported with ok and a detail line; the probe stops at the first failure and reports
 * it with the error's message and hint. Nothing is sent.
 */
import { isIfaxError, EXIT_CODES, type IfaxErrorCode } from '../../errors.js';
import { SmtpSession, type SmtpClientOptions } from './client.js';
import type { TlsInfo } from './connect.js';
import { hostPort } from '../host-port.js';
import { describeTlsReport } from '../tls/describe.js';
import type { TlsReport } from '../tls/verify.js';

export type ProbeStepName = 'connect' | 'tls' | 'ehlo' | 'auth-mechanisms' | 'login' | 'quit';

export interface ProbeStep {
  step: ProbeStepName;
  ok: boolean;
  /** One line for people ("TLSv1.3, CN=mail.example.com, issuer ..."). */
  detail: string;
  /** Further lines (certificate checks, extensions). */
  lines?: string[];
}

export interface ProbeReport {
  server: string;
  /** The TLS mode, as the profile names it (smtp.tls or pop.tls). */
  tls: string;
  ok: boolean;
  steps: ProbeStep[];
  /** The failure, when a step failed. */
  error?: { code: IfaxErrorCode; exitCode: number; message: string; hint?: string };
}

/** The certificate check's lines, when verifyTls returned (or rejected with) a TlsReport. */
function tlsReportLines(report: unknown): string[] {
  const r = report as TlsReport | undefined;
  return r && Array.isArray(r.checks) ? describeTlsReport(r) : [];
}

function tlsStep(info: TlsInfo): ProbeStep {
  const checks = tlsReportLines(info.report);
  return {
    step: 'tls',
    ok: true,
    detail: `${info.protocol ?? 'TLS'} ${info.cipher}`,
    // The certificate checks' report names subject, issuer and validity itself; without one (Node's
    // own check), they are given here.
    lines: checks.length > 0 ? checks : [`subject: ${info.subject}`, `issuer: ${info.issuer}`, `valid: ${info.validFrom} to ${info.validTo}`],
  };
}

function failure(err: unknown): NonNullable<ProbeReport['error']> {
  if (isIfaxError(err)) return { code: err.code, exitCode: err.exitCode, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  return { code: 'INTERNAL', exitCode: EXIT_CODES.INTERNAL, message: String((err as Error)?.message ?? err) };
}

/** Run the SMTP checks of `ifax config test smtp`. Never throws for a server problem: it is in the report. */
export async function probeSmtp(options: SmtpClientOptions): Promise<ProbeReport> {
  const report: ProbeReport = { server: hostPort(options), tls: options.tls, ok: false, steps: [] };
  const fail = (step: ProbeStepName, err: unknown) => {
    report.error = failure(err);
    // A rejected certificate carries the checks' report (transport/tls): every check is shown.
    const lines = isIfaxError(err) ? tlsReportLines(err.context?.report) : [];
    report.steps.push({ step, ok: false, detail: report.error.message, ...(lines.length ? { lines } : {}) });
    return report;
  };
  let session: SmtpSession;
  try {
    session = await SmtpSession.connect(options);
  } catch (err) {
    const stage = isIfaxError(err) ? (err.context?.stage as string | undefined) : undefined;
    if (stage === 'tls' || stage === 'ehlo') {
      report.steps.push({ step: 'connect', ok: true, detail: `connected to ${report.server}` });
      if (stage === 'ehlo' && options.tls !== 'off') report.steps.push({ step: 'tls', ok: true, detail: 'established' });
    }
    return fail((stage as ProbeStepName | undefined) ?? 'connect', err);
  }
  const info = session.info;
  report.steps.push({ step: 'connect', ok: true, detail: `connected to ${report.server} (${options.tls === 'off' ? 'no TLS' : options.tls}), server ${info.ehlo.serverName}` });
  if (info.tls) report.steps.push(tlsStep(info.tls));
  report.steps.push({ step: 'ehlo', ok: true, detail: `${info.ehlo.lines.length} extensions`, lines: info.ehlo.lines });
  const offered = info.ehlo.authMechanisms;
  report.steps.push({ step: 'auth-mechanisms', ok: true, detail: offered.length ? offered.join(' ') : 'none offered' });
  if (options.auth) {
    try {
      const mech = await session.login();
      report.steps.push({ step: 'login', ok: true, detail: `logged in with ${mech}` });
    } catch (err) {
      await session.quit().catch(() => undefined);
      return fail('login', err);
    }
  } else {
    report.steps.push({ step: 'login', ok: true, detail: 'not used (smtp.auth.enabled is false)' });
  }
  try {
    await session.quit();
    report.steps.push({ step: 'quit', ok: true, detail: 'closed' });
  } catch (err) {
    return fail('quit', err);
  }
  report.ok = true;
  return report;
}
