/**
 * `ifax config test smtp`: runs the SMTP probe (src/transport/smtp/probe.ts) and prints each
 * step: ✓/✗ marks on a terminal, "ok"/"FAILED" otherwise (so logs and scripts read it), one JSON
 * document with --json. The integrator wires `configTestSmtp` into `ifax config test`.
 */
import { probeSmtp, smtpClientOptions, type ProbeReport, type SmtpDeps } from '../../transport/smtp/index.js';
import type { IfaxConfig } from '../../config/schema.js';
import type { Output } from '../output.js';

const LABELS: Record<string, string> = {
  connect: 'connect',
  tls: 'TLS',
  ehlo: 'EHLO',
  'auth-mechanisms': 'AUTH offered',
  login: 'login',
  quit: 'quit',
};

/** The human text of a probe report. `tty`: marks and colour for a terminal. */
export function formatProbeReport(report: ProbeReport, tty: boolean, color?: Output['color']): string {
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  const lines = [`SMTP ${report.server} (${report.tls === 'off' ? 'no TLS' : report.tls})`];
  for (const s of report.steps) {
    const mark = tty ? (s.ok ? (color ? color.green('✓') : '✓') : color ? color.red('✗') : '✗') : s.ok ? 'ok    ' : 'FAILED';
    lines.push(`${mark} ${(LABELS[s.step] ?? s.step).padEnd(width)}  ${s.detail}`);
    for (const l of s.lines ?? []) lines.push(`${' '.repeat(tty ? 2 : 7)}${' '.repeat(width)}  ${l}`);
  }
  return lines.join('\n');
}

/**
 * Run the probe with the profile's settings and print it. Returns the exit code: 0 when every
 * step passed, else the code of the failure (CLI.md table).
 */
export async function configTestSmtp(config: IfaxConfig, deps: SmtpDeps, out: Output, tty: boolean): Promise<{ report: ProbeReport; exitCode: number }> {
  const report = await probeSmtp(smtpClientOptions(config, deps));
  out.result(report, () => formatProbeReport(report, tty, out.color));
  return { report, exitCode: report.ok ? 0 : (report.error?.exitCode ?? 70) };
}
