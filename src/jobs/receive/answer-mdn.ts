/**
 * The MDN a received fax gets (RFC 8098), when it asked for one and `ifaxAdvanced.mdnResponse`
 * is on: `processed` once the fax is stored, `processed/error` with the reason when its pages
 * could not be read. Never for an MDN or DSN (they are never answered: RFC 8098 §2.1, RFC
 * 3464 §2), never automatically when the Disposition-Notification-To address differs from
 * the Return-Path (RFC 8098 §2.1: a forged request must not turn the station into a mail
 * cannon; logged instead), always with the null envelope sender `<>` so that no answer to
 * it can come back (RFC 8098 §2.1, RFC 5321 §4.5.5). The station's capabilities go in
 * Media-Accept-Features (RFC 2530 §3) from receiveCaps. A full-mode fax (RFC 4142) may get
 * `deleted/alternative-preferred` instead (negotiate.ts decides).
 */
import { randomBytes } from 'node:crypto';
import { createMessageId } from '../../mime/index.js';
import { buildMdn, type MailSummary, type MdnResult } from '../../mime/parse/index.js';
import { mediaAcceptFeatures, receiveCapabilitiesOf } from '../../mime/features/index.js';
import type { ReceiveDeps } from './types.js';

/** Why no MDN is sent for `summary`, or null when one is to be sent (to `to`). */
export function mdnDecision(summary: MailSummary, deps: ReceiveDeps): { to: string } | { skip: string; log: boolean } {
  const dnt = summary.dispositionNotificationTo;
  if (dnt.length === 0) return { skip: 'no MDN requested', log: false };
  if (!deps.config.ifaxAdvanced.mdnResponse) return { skip: 'an MDN was requested; ifaxAdvanced.mdnResponse is off', log: false };
  if (!deps.config.device.email) return { skip: 'an MDN was requested, but device.email (the MDN sender) is not set', log: true };
  const to = dnt[0].address;
  const rp = summary.returnPath;
  if (rp !== undefined && dnt.some((b) => b.address.toLowerCase() !== rp.toLowerCase())) {
    return { skip: `no automatic MDN: Disposition-Notification-To ${JSON.stringify(dnt.map((b) => b.address).join(', '))} differs from Return-Path ${JSON.stringify(rp === '' ? '<>' : rp)} (RFC 8098 §2.1)`, log: true };
  }
  if (rp === undefined) deps.io.debug('the mail has no Return-Path: the MDN address cannot be checked against it (RFC 8098 §2.1); answered');
  return { to };
}

/**
 * Sends the MDN for a fax. Returns true when it went out; a failure to send is logged and
 * returned as an error (the fax is safe already; the mail must not be delivered again for it).
 */
export async function answerMdn(summary: MailSummary, result: MdnResult, deps: ReceiveDeps): Promise<{ sent: boolean; error?: { code: string; message: string } }> {
  const decision = mdnDecision(summary, deps);
  if ('skip' in decision) {
    if (decision.log) deps.io.warn(decision.skip);
    else deps.io.debug(decision.skip);
    return { sent: false };
  }
  if (!summary.messageId) {
    deps.io.warn('no MDN sent: the fax has no Message-ID to name in Original-Message-ID');
    return { sent: false };
  }
  const c = deps.config;
  const station = c.device.email as string;
  const domain = station.split('@').pop() as string;
  const now = deps.now();
  let features: string | undefined;
  try {
    features = mediaAcceptFeatures(receiveCapabilitiesOf(c as Parameters<typeof receiveCapabilitiesOf>[0]));
  } catch (err) {
    deps.io.warn(`MDN without Media-Accept-Features: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const raw = buildMdn({
      from: { ...(c.device.name ? { name: c.device.name } : {}), address: station },
      to: decision.to,
      date: now,
      tzOffsetMinutes: -now.getTimezoneOffset(),
      messageId: createMessageId({ domain, random: randomBytes(16), time: now }),
      ...(summary.subject !== undefined ? { originalSubject: summary.subject } : {}),
      reportingUa: `${domain}; ifax${deps.version ? ` ${deps.version}` : ''}`,
      ...(summary.originalRecipient ? { originalRecipient: summary.originalRecipient } : {}),
      finalRecipient: station,
      originalMessageId: summary.messageId,
      result,
      ...(features ? { mediaAcceptFeatures: features } : {}),
      random: randomBytes(16),
    });
    await deps.sendMail(raw, { from: '', to: [decision.to] });
    deps.io.debug(`MDN (${'alternativePreferred' in result ? 'deleted/alternative-preferred' : result.processed ? 'processed' : 'processed/error'}) sent to ${decision.to}`);
    return { sent: true };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'INTERNAL';
    const message = `sending the MDN to ${decision.to} failed: ${err instanceof Error ? err.message : String(err)}`;
    deps.io.warn(message);
    return { sent: false, error: { code, message } };
  }
}
