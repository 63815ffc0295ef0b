/**
 * GSSAPI against the stack's Postfix + Cyrus SASL and KDC. Run by stack.test.ts in a jest of its
 * own with KRB5_CONFIG, KRB5CCNAME and KRB5_CLIENT_KTNAME (fax1's keytab) set in the real
 * environment, which MIT Kerberos reads (named .child.ts: the suite does not run it directly).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { mailStack } from '../../interop/stack.js';
import type { MailStack } from '../../interop/stack-types.js';
import { openSmtpSession, type SmtpClientOptions } from '../../../src/transport/smtp/client.js';
import { IfaxError } from '../../../src/errors.js';

let stack: MailStack;
beforeAll(async () => {
  stack = await mailStack();
});

function options(auth: SmtpClientOptions['auth'], env: Record<string, string | undefined> = process.env): SmtpClientOptions {
  return { host: stack.host, port: stack.smtp.starttls, tls: 'starttls', timeoutSeconds: 20, ehloName: 'ifax.test', auth, env, tlsOptions: { ca: readFileSync(stack.pki.caFile), servername: 'localhost' } };
}

test('with a keytab (source value, KRB5_CLIENT_KTNAME): logs in as smtp.auth.user and the mail is delivered', async () => {
  const subject = `gssapi-${Date.now()}`;
  const session = await openSmtpSession(options({ methods: ['GSSAPI', 'PLAIN'], user: 'fax1', source: 'value' }));
  expect(session.info.authMechanism).toBe('GSSAPI');
  const raw = Buffer.from(`From: <fax1@ifax.test>\r\nTo: <fax2@ifax.test>\r\nSubject: ${subject}\r\n\r\nGSSAPI\r\n`);
  const r = await session.send({ raw, from: 'fax1@ifax.test', to: ['fax2@ifax.test'] });
  await session.quit();
  expect(r.accepted).toEqual(['fax2@ifax.test']);
  let found = false;
  for (let i = 0; i < 150 && !found; i++) {
    const dir = path.join(stack.maildir('fax2'), 'new');
    found = readdirSync(dir).some((f) => readFileSync(path.join(dir, f), 'latin1').includes(subject));
    if (!found) await new Promise((res) => setTimeout(res, 100));
  }
  expect(found).toBe(true);
});

test('source user: no principal named, the default credentials (the ticket cache the keytab login filled) log in', async () => {
  const session = await openSmtpSession(options({ methods: ['GSSAPI'], source: 'user' }));
  expect(session.info.authMechanism).toBe('GSSAPI');
  await session.quit();
});

test('a principal the keytab does not hold: AUTH_FAILED naming GSSAPI', async () => {
  const err = await openSmtpSession(options({ methods: ['GSSAPI'], user: 'fax2', source: 'value' })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).code).toBe('AUTH_FAILED');
  expect((err as IfaxError).message).toContain('AUTH GSSAPI');
});

test('source value without KRB5_CLIENT_KTNAME: AUTH_FAILED with the hint to set it', async () => {
  const err = await openSmtpSession(options({ methods: ['GSSAPI'], user: 'fax1', source: 'value' }, { ...process.env, KRB5_CLIENT_KTNAME: undefined })).catch((e: unknown) => e);
  expect((err as IfaxError).code).toBe('AUTH_FAILED');
  expect((err as IfaxError).hint).toMatch(/KRB5_CLIENT_KTNAME/);
});
