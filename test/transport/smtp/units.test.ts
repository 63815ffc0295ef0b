import { mapSmtpError } from '../../../src/transport/smtp/error-map.js';
import { withRetries, retryDelay, isRetryable } from '../../../src/transport/smtp/retries.js';
import { parseQueueId } from '../../../src/transport/smtp/queue-id.js';
import { parseEhlo } from '../../../src/transport/smtp/ehlo.js';
import { Transcript } from '../../../src/transport/smtp/transcript.js';
import { chooseMechanism, resolveCredentials } from '../../../src/transport/smtp/sasl/select.js';
import { ehloName, envelopeSender, smtpClientOptions } from '../../../src/transport/smtp/options.js';
import { IfaxError } from '../../../src/errors.js';
import { configSchema } from '../../../src/config/schema.js';

const nm = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);
const where = { where: 'mail.example:587' };

describe('error mapping', () => {
  test.each([
    [{ code: 'EENVELOPE', response: '550 5.1.1 unknown user', responseCode: 550, command: 'RCPT TO' }, 'SERVER_REFUSED', 69],
    [{ code: 'EENVELOPE', response: '451 4.3.0 try later', responseCode: 451, command: 'RCPT TO' }, 'TEMPORARY_FAILURE', 75],
    [{ code: 'EAUTH', response: '535 5.7.8 bad', responseCode: 535, command: 'AUTH PLAIN' }, 'AUTH_FAILED', 77],
    [{ code: 'EAUTH', response: '454 4.7.0 temporary', responseCode: 454, command: 'AUTH LOGIN' }, 'TEMPORARY_FAILURE', 75],
    [{ code: 'ETIMEDOUT', message: 'Timeout', command: 'CONN' }, 'TEMPORARY_FAILURE', 75],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'NETWORK_FAILED', 75],
    [{ code: 'EDNS', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }, 'NETWORK_FAILED', 75],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'NETWORK_FAILED', 75],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'CERT_REJECTED', 77],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, 'CERT_REJECTED', 77],
    [{ code: 'ETLS', response: '502 5.5.1 unknown', responseCode: 502, command: 'STARTTLS' }, 'TLS_NOT_OFFERED', 69],
    [{ code: 'ETLS', response: '454 4.7.0 TLS not available', responseCode: 454, command: 'STARTTLS' }, 'TEMPORARY_FAILURE', 75],
    [{ code: 'EMESSAGE', message: 'Message size larger than allowed 1000', command: 'MAIL FROM' }, 'MAIL_TOO_LARGE', 69],
    [{ code: 'EMESSAGE', response: '552 5.3.4 Message size exceeds fixed limit', responseCode: 552, command: 'DATA' }, 'MAIL_TOO_LARGE', 69],
  ] as Array<[Record<string, unknown>, string, number]>)('%o -> %s (%i)', (props, code, exit) => {
    const e = mapSmtpError(nm(props), where);
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(exit);
    expect(e.message).toContain('mail.example:587');
    if (props.response) expect(e.message).toContain(props.response as string);
    if (props.command && props.command !== 'CONN') expect(e.message).toContain(props.command as string);
  });

  test('a 530 at MAIL FROM says to turn on smtp.auth', () => {
    const e = mapSmtpError(nm({ code: 'EENVELOPE', response: '530 5.7.0 Authentication required', responseCode: 530, command: 'MAIL FROM' }), where);
    expect(e.code).toBe('SERVER_REFUSED');
    expect(e.hint).toMatch(/smtp\.auth\.enabled/);
  });

  test('an IfaxError raised inside a SASL handler comes through unchanged', () => {
    const inner = new IfaxError('AUTH_FAILED', 'SMTP login failed: AUTH NTLM ...');
    expect(mapSmtpError(Object.assign(new Error('x'), { code: 'EAUTH', ifaxError: inner }), where)).toBe(inner);
  });
});

describe('withRetries', () => {
  test('delays: the list, then doubling from its last entry', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, [10, 30]))).toEqual([10, 30, 60, 120, 240]);
    expect(retryDelay(3, [])).toBe(20000);
  });

  test('only exit-code-75 errors are retried', async () => {
    expect(isRetryable(new IfaxError('NETWORK_FAILED', 'x'))).toBe(true);
    expect(isRetryable(new IfaxError('TEMPORARY_FAILURE', 'x'))).toBe(true);
    expect(isRetryable(new IfaxError('AUTH_FAILED', 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
    const sleeps: number[] = [];
    let n = 0;
    const out = await withRetries(
      async () => {
        if (++n < 3) throw new IfaxError('TEMPORARY_FAILURE', 'later');
        return 'sent';
      },
      { retries: 5, delays: [7], sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(out).toBe('sent');
    expect(sleeps).toEqual([7, 14]);
  });

  test('retries: 0 tries once', async () => {
    let n = 0;
    await expect(withRetries(async () => (n++, Promise.reject(new IfaxError('NETWORK_FAILED', 'x'))), { retries: 0, sleep: async () => undefined })).rejects.toThrow('x');
    expect(n).toBe(1);
  });
});

test('queue ids of Postfix, Exim, sendmail and Exchange replies', () => {
  expect(parseQueueId('250 2.0.0 Ok: queued as 4ZxY9k1AbcD')).toBe('4ZxY9k1AbcD');
  expect(parseQueueId('250 OK id=1tQ2aB-000Abc-1x')).toBe('1tQ2aB-000Abc-1x');
  expect(parseQueueId('250 2.0.0 4B1MXYZ0123456 Message accepted for delivery')).toBe('4B1MXYZ0123456');
  expect(parseQueueId('250 2.6.0 <a@b> [InternalId=123456789] Queued mail for delivery')).toBe('123456789');
  expect(parseQueueId('250 OK: message queued')).toBeUndefined();
});

test('EHLO reply: extensions with parameters, AUTH and AUTH= merged', () => {
  const e = parseEhlo('250-mail.example Hello\n250-SIZE 1000\n250-AUTH PLAIN LOGIN\n250-AUTH=LOGIN CRAM-MD5\n250-DSN\n250 8BITMIME');
  expect(e.serverName).toBe('mail.example');
  expect(e.extensions.get('SIZE')).toEqual(['1000']);
  expect(e.extensions.has('DSN')).toBe(true);
  expect(e.authMechanisms).toEqual(['PLAIN', 'LOGIN', 'CRAM-MD5']);
  expect(e.lines).toEqual(['SIZE 1000', 'AUTH PLAIN LOGIN', 'AUTH=LOGIN CRAM-MD5', 'DSN', '8BITMIME']);
});

test('the trace masks AUTH payloads and later challenges, and pairs commands with replies', () => {
  const lines: string[] = [];
  const t = new Transcript((l) => lines.push(l));
  t.addSecret('pa55word');
  const c = (s: string) => t.logger.debug({ tnx: 'client' }, s);
  const s = (r: string) => t.logger.debug({ tnx: 'server' }, r);
  s('220 hi');
  c('EHLO me');
  s('250-x\n250 AUTH LOGIN');
  c('AUTH LOGIN');
  s('334 VXNlcm5hbWU6');
  c('dXNlcg==');
  s('334 UGFzc3dvcmQ6');
  c('cGE1NXdvcmQ=');
  s('235 ok');
  c('AUTH PLAIN AHUAcGE1NXdvcmQ=');
  s('503 already');
  c('MAIL FROM:<a@b> note pa55word');
  s('250 ok');
  expect(lines).toEqual([
    'S: 220 hi',
    'C: EHLO me',
    'S: 250-x',
    'S: 250 AUTH LOGIN',
    'C: AUTH LOGIN',
    'S: 334 VXNlcm5hbWU6',
    'C: ********',
    'S: 334 ********',
    'C: ********',
    'S: 235 ok',
    'C: AUTH PLAIN ********',
    'S: 503 already',
    'C: MAIL FROM:<a@b> note ********',
    'S: 250 ok',
  ]);
  expect(t.exchanges.map((x) => x.command)).toEqual([null, 'EHLO me', 'AUTH LOGIN', '********', '********', 'AUTH PLAIN', 'MAIL FROM:<a@b> note pa55word']);
  expect(t.ehloReplies).toEqual(['250-x\n250 AUTH LOGIN']);
});

describe('mechanism choice and credentials', () => {
  test('strongest first: GSSAPI, NTLM, DIGEST-MD5, CRAM-MD5, LOGIN, PLAIN', () => {
    const all = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'NTLM', 'GSSAPI'];
    expect(chooseMechanism(all, ['plain', 'login', 'ntlm', 'digest-md5'], 'h:25')).toBe('NTLM');
    expect(chooseMechanism(['LOGIN', 'PLAIN'], all, 'h:25')).toBe('LOGIN');
    expect(() => chooseMechanism(['GSSAPI'], ['PLAIN'], 'h:25')).toThrow(/offers PLAIN; smtp.auth.methods allows GSSAPI/);
  });

  test('GSSAPI needs no password; the others need both, named by setting', () => {
    expect(resolveCredentials({ methods: [], source: 'value', user: 'u' }, 'GSSAPI', {})).toEqual({ user: 'u', password: '' });
    const err = (() => {
      try {
        resolveCredentials({ methods: [], source: 'value', user: 'u', password: null }, 'PLAIN', {});
      } catch (e) {
        return e as IfaxError;
      }
    })();
    expect(err?.code).toBe('AUTH_FAILED');
    expect(err?.context?.key).toBe('smtp.auth.password');
  });
});

describe('options from the profile', () => {
  const profile = (over: Record<string, unknown>) => configSchema.parse({ smtp: { host: 'mail.example' }, ...over });

  test('EHLO name: the domain of device.email, else the host name', () => {
    expect(ehloName(profile({ device: { email: 'fax@branch.example' } }), 'box.local')).toBe('branch.example');
    expect(ehloName(profile({}), 'box.local')).toBe('box.local');
  });

  test('envelope sender per smtp.envelopeFrom', () => {
    const base = { device: { email: 'fax@x.example' }, notify: { adminEmail: 'admin@x.example' } };
    expect(envelopeSender(profile(base))).toBe('fax@x.example');
    expect(envelopeSender(profile({ ...base, smtp: { host: 'h', envelopeFrom: 'admin' } }))).toBe('admin@x.example');
    expect(envelopeSender(profile({ ...base, smtp: { host: 'h', envelopeFrom: 'bounces@x.example' } }))).toBe('bounces@x.example');
    // The schema refuses this profile; a config built in code may still lack the address.
    const p = profile({ ...base, smtp: { host: 'h', envelopeFrom: 'admin' } });
    expect(() => envelopeSender({ ...p, notify: { ...p.notify, adminEmail: null } })).toThrow(/notify\.adminEmail is not set/);
  });

  test('port per TLS mode, timeout, auth only when enabled', () => {
    const o = smtpClientOptions(profile({ smtp: { host: 'h', tls: 'smtps', sslPort: 4465, port: 2525, timeout: 30, auth: { enabled: true, user: 'u', password: 'p', methods: ['PLAIN'] } } }));
    expect(o).toMatchObject({ host: 'h', port: 4465, tls: 'smtps', timeoutSeconds: 30, auth: { methods: ['PLAIN'], user: 'u', password: 'p', source: 'value' } });
    expect(o.tlsOptions).toEqual({ rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(smtpClientOptions(profile({ smtp: { host: 'h', tls: 'starttls', port: 2525 } }))).toMatchObject({ port: 2525, auth: null });
    expect(() => smtpClientOptions(profile({ smtp: {} }))).toThrow(/smtp\.host is not set/);
  });
});
