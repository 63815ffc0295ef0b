/**
 * A TlsReport as lines for people (`ifax config test`): the certificate, then one line per
 * check with its mark. Plain text; the CLI colours the marks if it wants to.
 */
import type { TlsCheckResult, TlsReport } from './verify.js';

/** The mark of a check: pass, FAIL, or for a check that is off what it would have said. */
export function checkMark(c: TlsCheckResult): string {
  if (c.ok === null) return c.enabled ? 'skip' : 'off';
  if (c.enabled) return c.ok ? 'pass' : 'FAIL';
  return c.ok ? 'off (would pass)' : 'off (would fail)';
}

/** The report as lines, without line ends. */
export function describeTlsReport(report: TlsReport): string[] {
  const width = Math.max(...report.checks.map((c) => checkMark(c).length));
  return [
    `TLS ${report.protocol ?? '(protocol unknown)'} with ${report.host}`,
    `  certificate  ${report.subject}`,
    `  issued by    ${report.issuer}`,
    `  valid        ${report.validFrom} .. ${report.validTo}`,
    `  SHA-256      ${report.fingerprint256}`,
    `  chain        ${report.chain.length > 0 ? report.chain.join(' | ') : '(none: only the certificate itself)'}`,
    ...report.checks.map((c) => `  [${checkMark(c).padEnd(width)}] ${c.check.padEnd(10)} ${c.detail}`),
  ];
}
