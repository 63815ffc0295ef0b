/**
 * Sending over SMTP: sessions (connect once, log in once, send N, quit), the one-mail
 * shortcut, retries of temporary failures, and the `ifax config test smtp` probe.
 */
export { SmtpSession, openSmtpSession, sendMail, withSmtpSession, type SmtpClientOptions, type SmtpMail, type DsnRequest, type SendResult, type RecipientResult, type SessionInfo } from './client.js';
export { smtpClientOptions, envelopeSender, ehloName, type SmtpDeps } from './options.js';
export { withRetries, retryDelay, isRetryable, type RetryOptions } from './retries.js';
export { probeSmtp, type ProbeReport, type ProbeStep, type ProbeStepName } from './probe.js';
export type { SmtpTlsMode, VerifyTls, TlsInfo } from './connect.js';
export type { TraceSink } from './transcript.js';
export { MECHANISM_ORDER, chooseMechanism, type SaslName } from './sasl/select.js';
