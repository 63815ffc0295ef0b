/** tlsOptions and loadTlsTrust: what tls.connect is given, and how tls.caFile / tls.crlFile are read. */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { IfaxError } from '../../../src/errors.js';
import { loadTlsTrust, tlsOptions, type CertVerifySettings } from '../../../src/transport/tls/connect-options.js';
import { pki } from './pki-servers.js';

const ON: CertVerifySettings = { validity: true, cn: true, keyUsage: true, chain: true, revocation: false };
const trust = loadTlsTrust({ caFile: pki('root.crt'), crlFile: pki('intermediate.crl.der'), minVersion: 'TLSv1.3' });

test('Node decides nothing: ifax checks after the handshake, with the system roots plus tls.caFile', () => {
  const o = tlsOptions({ host: 'mail.example.com', certVerify: ON, trust });
  expect(o.rejectUnauthorized).toBe(false);
  expect(o.minVersion).toBe('TLSv1.3');
  expect(o.servername).toBe('mail.example.com');
  expect(o.requestOCSP).toBe(false);
  const ca = o.ca as string[];
  expect(ca.length).toBe(tls.rootCertificates.length + 1);
  expect(new X509Certificate(ca[ca.length - 1]).subject).toBe('O=ifax test\nCN=ifax Test Root CA');
  expect(tlsOptions({ host: 'mail.example.com', certVerify: { ...ON, revocation: true }, trust }).requestOCSP).toBe(true);
});

test('no SNI server name for an address, bracketed or not', () => {
  for (const host of ['192.0.2.7', '::1', '[2001:db8::1]']) expect(tlsOptions({ host, certVerify: ON, trust })).not.toHaveProperty('servername');
  expect(tlsOptions({ host: 'mail.example.com.', certVerify: ON, trust }).servername).toBe('mail.example.com');
});

test('tls.caFile may be one DER certificate, and tls.crlFile PEM or DER', () => {
  const der = path.join(tmpdir(), `ifax-root-${process.pid}.der`);
  writeFileSync(der, new X509Certificate(readFileSync(pki('root.crt'))).raw);
  const t = loadTlsTrust({ caFile: der, crlFile: pki('intermediate.crl.pem'), minVersion: 'TLSv1.2' });
  expect(t.caPems.length).toBe(tls.rootCertificates.length + 1);
  expect(t.crlFile?.crls).toHaveLength(1);
  expect(t.crlFile?.crls[0].equals(readFileSync(pki('intermediate.crl.der')))).toBe(true);
  expect(trust.crlFile?.crls[0].equals(readFileSync(pki('intermediate.crl.der')))).toBe(true);
});

test('a tls.caFile that holds no certificate is CONFIG_INVALID naming the key and the file', () => {
  let err: unknown;
  try {
    loadTlsTrust({ caFile: pki('intermediate.crl.pem'), crlFile: null, minVersion: 'TLSv1.2' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).code).toBe('CONFIG_INVALID');
  expect((err as IfaxError).message).toMatch(/^reading tls\.caFile failed: tls\.caFile must be a PEM or DER file of CA certificates; got ".*intermediate\.crl\.pem", which holds no certificate$/);
  expect(() => loadTlsTrust({ caFile: null, crlFile: pki('missing.crl'), minVersion: 'TLSv1.2' })).toThrow(/tls\.crlFile .*does not exist/);
});
