/**
 * nodemailer's errors in ifax's words: every message names the server's reply, the command
 * that drew it and host:port. 5xx -> SERVER_REFUSED (69); 4xx and timeouts ->
 * TEMPORARY_FAILURE (75); refused, reset, dropped connections and DNS -> NETWORK_FAILED (75);
 * AUTH -> AUTH_FAILED (77); certificates -> CERT_REJECTED (77); STARTTLS demanded of a server
 * that does not offer it -> TLS_NOT_OFFERED (69).
 */
import { IfaxError, isIfaxError } from '../../errors.js';
import { isCertificateErrorCode, networkErrorReason } from '../socket-errors.js';

/** What nodemailer puts on its errors (smtp-connection `_formatError`). */
export interface NodemailerErrorLike extends Error {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  /** An IfaxError our own SASL code raised inside nodemailer's customAuth hook. */
  ifaxError?: IfaxError;
}

export interface ErrorContext {
  /** "host:port" */
  where: string;
  /** The plain-text EHLO reply offered STARTTLS (starttls mode), if it was seen. */
  starttlsOffered?: boolean;
}

/** A nodemailer (or socket) error as the IfaxError the user sees. Already mapped errors pass through. */
export function mapSmtpError(err: unknown, ctx: ErrorContext): IfaxError {
  if (isIfaxError(err)) return err;
  const e = (err ?? {}) as NodemailerErrorLike;
  if (e.ifaxError) return e.ifaxError;
  const where = ctx.where;
  const command = e.command && e.command !== 'CONN' && e.command !== 'API' ? e.command : undefined;
  const reply = e.response ? String(e.response).split(/\r?\n/).join(' / ') : undefined;
  const status = e.responseCode ?? (reply ? Number(/^(\d{3})/.exec(reply)?.[1]) || undefined : undefined);
  const sys = e.originalCode ?? (e.code && !/^E[A-Z]+$/.test(e.code) ? e.code : undefined) ?? (networkErrorReason(e.code) ? e.code : undefined);
  const context: Record<string, unknown> = { server: where };
  if (command) context.command = command;
  if (reply) context.response = reply;
  if (status) context.responseCode = status;
  const after = command ? ` after ${command}` : '';
  const said = reply ? `: server replied ${JSON.stringify(reply)}` : '';

  if (e.code === 'ETLS' && (command === 'STARTTLS' || /STARTTLS/.test(e.message)) && (ctx.starttlsOffered === false || (status !== undefined && status >= 500))) {
    return new IfaxError('TLS_NOT_OFFERED', `SMTP connection failed: ${where} does not offer STARTTLS${said}`, {
      hint: 'smtp.tls is "starttls" and ifax never falls back to plain text: use smtp.tls "smtps" (port smtp.sslPort) if the server has it, or ask its administrator to enable STARTTLS.',
      context,
    });
  }
  if (isCertificateErrorCode(sys)) {
    return new IfaxError('CERT_REJECTED', `SMTP connection failed: the certificate of ${where} was rejected: ${e.message}`, {
      hint: 'Add the issuing CA with tls.caFile, or relax smtp.certVerify.',
      context: { ...context, reason: sys },
      cause: err,
    });
  }
  if (e.code === 'EAUTH') {
    const mechanism = command?.replace(/^AUTH\s+/, '') ?? 'login';
    const temporary = status !== undefined && status >= 400 && status < 500;
    return new IfaxError(temporary ? 'TEMPORARY_FAILURE' : 'AUTH_FAILED', `SMTP login failed: AUTH ${mechanism} at ${where} was refused${said}`, {
      hint: temporary ? 'The server refused for now; ifax tries again later.' : 'Check smtp.auth.user and the password (smtp.auth.password or IFAX_SMTP_PASSWORD), or allow another mechanism in smtp.auth.methods.',
      context: { ...context, mechanism },
    });
  }
  if (e.code === 'ETIMEDOUT' || /timeout|timed out/i.test(e.message ?? '')) {
    return new IfaxError('TEMPORARY_FAILURE', `SMTP ${command ? 'command' : 'connection'} failed: ${where} did not answer in time${after} (smtp.timeout)${said}`, {
      hint: 'The server is slow or unreachable; ifax tries again later. Raise smtp.timeout if it is merely slow.',
      context,
    });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new IfaxError('TEMPORARY_FAILURE', `SMTP ${command ?? 'session'} failed: ${where} refused for now${said}`, {
      hint: status === 421 ? 'The server is closing the session (busy or shutting down); ifax tries again later.' : 'A temporary refusal; ifax tries again later.',
      context,
    });
  }
  if (status !== undefined && status >= 500) {
    const mailFrom = command === 'MAIL FROM';
    const authNeeded = mailFrom && /\b5\.7\.0\b|auth/i.test(reply ?? '');
    return new IfaxError(e.code === 'EMESSAGE' && /size/i.test(reply ?? '') ? 'MAIL_TOO_LARGE' : 'SERVER_REFUSED', `SMTP ${command ?? 'session'} failed: ${where} refused${said}`, {
      ...(authNeeded ? { hint: 'The server wants a login: set smtp.auth.enabled, smtp.auth.user and the password.' } : {}),
      context,
    });
  }
  if (e.code === 'EMESSAGE' && /size larger than allowed/i.test(e.message)) {
    return new IfaxError('MAIL_TOO_LARGE', `SMTP MAIL FROM failed: the mail is larger than ${where} accepts (${e.message.replace(/^.*allowed\s*/, '')} bytes, its SIZE)`, { context });
  }
  if (e.code === 'ETLS') {
    return new IfaxError('TLS_NOT_OFFERED', `SMTP connection failed: no TLS session with ${where}: ${e.message}`, {
      hint: 'The server and ifax share no TLS version or cipher: check tls.minVersion.',
      context,
      cause: err,
    });
  }
  const reason = networkErrorReason(sys);
  if (reason || e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EDNS') {
    const why = reason ?? (e.code === 'EDNS' ? 'host name not found' : /closed/i.test(e.message) ? 'the server closed the connection' : (sys ?? e.message));
    return new IfaxError('NETWORK_FAILED', `SMTP ${command ?? 'connection'} failed: ${where}: ${why}${said}`, {
      hint: 'Check smtp.host and the port (smtp.port, or smtp.sslPort for smtps); ifax tries again later.',
      context: sys ? { ...context, errno: sys } : context,
    });
  }
  if (e.code === 'EPROTOCOL') {
    return new IfaxError('SERVER_REFUSED', `SMTP ${command ?? 'session'} failed: ${where} broke the protocol: ${e.message}`, { context });
  }
  return new IfaxError('NETWORK_FAILED', `SMTP ${command ?? 'session'} failed: ${where}: ${e.message ?? String(err)}`, { context, cause: err });
}
