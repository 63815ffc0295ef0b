/**
 * RFC 3297 §3.2 (RFC 4142 §6.2, full mode) for a received fax: whether its MDN asks the sender
 * for one of the alternatives it offered (`deleted/alternative-preferred`) instead of saying
 * `processed`. Only when every condition of the RFC holds: the mail offers alternatives
 * (`Alternative-available`, §4) and is no resend (§3.3: a resend carries Original-Message-ID
 * and must not be negotiated again, or the exchange could loop), this station is named in To
 * or Cc (§3.2), the document says what it is (Content-features, §3.1 c), MDNs are answered at
 * all (ifaxAdvanced.mdnResponse: the switch §6.5 requires to turn negotiation off), and an
 * alternative matches this station's receive capabilities and is better than what came
 * (content-negotiation.ts isBetterFor says what better means, and why).
 *
 * The fax that came is stored all the same. RFC 3297 §3.2 lets a receiver discard it ("MAY")
 * but not when the sender's lifetime is transient and the station can read it ("SHOULD NOT"),
 * and many senders, ifax among them (it keeps only the built mail, not the documents), never
 * send the alternative: a station that deleted the fax would then lose it. The `deleted` in the
 * Disposition is the fixed spelling of the request (§6.2 defines the modifier only with it);
 * when the alternative comes, the station simply has both.
 */
import type { ClassifiedMail, DocumentQuality, PreferredAlternative } from '../../mime/parse/index.js';
import { preferredAlternative, qualityOf, readNegotiationFields } from '../../mime/parse/index.js';
import { describeReceiveCapabilities, receiveCapabilitiesOf } from '../../mime/features/index.js';
import type { ReceiveDeps } from './types.js';

type FaxMail = Extract<ClassifiedMail, { kind: 'fax' }>;

/** The alternative to ask for, or why none is asked for. */
export type NegotiationDecision = { prefer: PreferredAlternative; received: DocumentQuality; lifetime: 'transient' | 'permanent' } | { skip: string };

/** Decides whether the MDN of `mail` asks for an alternative (see the file comment). */
export function alternativeDecision(mail: FaxMail, deps: ReceiveDeps): NegotiationDecision {
  const s = mail.summary;
  const fields = readNegotiationFields(s.headers, mail.tiffs[0]?.headers ?? []);
  for (const n of fields.notes) deps.io.debug(`content negotiation: ${n}`);
  if (!fields.offer) return { skip: 'no alternatives offered (no Alternative-available, RFC 3297 §4)' };
  if (fields.resendOf !== undefined) return { skip: `a resend of ${fields.resendOf} is not negotiated again (RFC 3297 §3.3)` };
  if (s.dispositionNotificationTo.length === 0) return { skip: 'alternatives offered without an MDN request (RFC 3297 §4 needs Disposition-Notification-To)' };
  if (!deps.config.ifaxAdvanced.mdnResponse) return { skip: 'alternatives offered; ifaxAdvanced.mdnResponse is off' };
  const station = deps.config.device.email?.toLowerCase();
  if (!station || !s.to.some((m) => m.address.toLowerCase() === station)) {
    return { skip: `alternatives offered, but this station (${JSON.stringify(station ?? '')}) is not named in To or Cc (RFC 3297 §3.2)` };
  }
  if (!fields.contentFeatures) return { skip: 'alternatives offered without Content-features for the document sent (RFC 3297 §3.1): nothing to compare them with' };
  if (fields.alternatives.length === 0) return { skip: 'Alternative-available, but no Content-alternative could be read' };
  let caps;
  try {
    caps = describeReceiveCapabilities(receiveCapabilitiesOf(deps.config as Parameters<typeof receiveCapabilitiesOf>[0]));
  } catch (err) {
    return { skip: `alternatives offered, but this station's capabilities cannot be stated: ${err instanceof Error ? err.message : String(err)}` };
  }
  const prefer = preferredAlternative(fields.contentFeatures, fields.alternatives, caps);
  if (!prefer) return { skip: `none of the ${fields.alternatives.length} alternative${fields.alternatives.length === 1 ? '' : 's'} offered is better than what came and readable here` };
  return { prefer, received: qualityOf(fields.contentFeatures), lifetime: fields.offer.lifetime };
}
