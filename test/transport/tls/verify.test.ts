/**
 * The five certVerify checks against real TLS handshakes on 127.0.0.1, with the test PKI of
 * test/fixtures/pki and a real `openssl ocsp` responder behind a loopback HTTP server.
 */
import tls from 'node:tls';
import { IfaxError } from '../../../src/errors.js';
import { loadTlsTrust, tlsOptions, type CertVerifySettings, type TlsTrust } from '../../../src/transport/tls/connect-options.js';
import { describeTlsReport } from '../../../src/transport/tls/describe.js';
import { inspectPeer, verifyPeer, type TlsCheckName, type TlsReport, type VerifyOptions } from '../../../src/transport/tls/verify.js';
import { pki, startRevocationServer, startTlsServer, type RevocationServer } from './pki-servers.js';

const ALL_ON: CertVerifySettings = { validity: true, cn: true, keyUsage: true, chain: true, revocation: true };
const trust = (crlFile: string | null = null): TlsTrust => loadTlsTrust({ caFile: pki('root.crt'), crlFile, minVersion: 'TLSv1.2' });

let revocation: RevocationServer;
beforeAll(async () => {
  revocation = await startRevocationServer('delegated');
});
afterAll(() => revocation.close());

/** Connects to the server presenting `name` and runs `run` (verifyPeer by default) right after the handshake. */
async function connect(
  name: string,
  opts: Partial<VerifyOptions> & { leafOnly?: boolean; run?: typeof verifyPeer } = {},
): Promise<TlsReport> {
  const server = await startTlsServer(name, { leafOnly: opts.leafOnly });
  const options: VerifyOptions = { host: '127.0.0.1', certVerify: ALL_ON, trust: trust(), service: 'smtp', fetch: revocation.fetch, ...opts };
  try {
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, ...tlsOptions(options) });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      return await (opts.run ?? verifyPeer)(socket, options);
    } finally {
      socket.destroy();
    }
  } finally {
    await server.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<IfaxError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof IfaxError) return err;
    throw err;
  }
  throw new Error('the certificate was accepted');
}

const result = (report: TlsReport, check: TlsCheckName) => report.checks.find((c) => c.check === check);

test('a good certificate passes all five checks, revocation through the delegated OCSP responder', async () => {
  const report = await connect('good');
  expect(report.checks.map((c) => [c.check, c.enabled, c.ok])).toEqual([
    ['validity', true, true],
    ['cn', true, true],
    ['keyUsage', true, true],
    ['chain', true, true],
    ['revocation', true, true],
  ]);
  expect(report.subject).toBe('CN=localhost, OU=good, O=ifax test');
  expect(report.protocol).toMatch(/^TLSv1\.[23]$/);
  expect(result(report, 'chain')?.detail).toContain('"CN=ifax Test Root CA, O=ifax test"');
  expect(result(report, 'revocation')?.detail).toContain('says the OCSP answer of "http://127.0.0.1:47193/ocsp"');
  expect(report.chain).toContain('CN=ifax Test Intermediate CA, O=ifax test');
});

test('the name check takes a DNS name from subjectAltName as well as an address', async () => {
  const report = await connect('good', { host: 'localhost' });
  expect(result(report, 'cn')).toMatchObject({ ok: true });
  const v6 = await connect('good', { host: '[::1]', certVerify: { ...ALL_ON, revocation: false } });
  expect(result(v6, 'cn')).toMatchObject({ ok: true });
});

// Each bad certificate, the check that must reject it, and the checks that cannot pass without it:
// without a trusted chain (untrusted) or with the issuer not sent (nochain), the issuer's key is
// unknown, so no OCSP answer or CRL can be verified and revocation rightly stays unknown.
const BAD: Array<{ name: string; check: TlsCheckName; says: RegExp; alsoOff?: TlsCheckName[]; leafOnly?: boolean }> = [
  { name: 'expired', check: 'validity', says: /the certificate expired on 2021-01-01T00:00:00Z/ },
  { name: 'wrongcn', check: 'cn', says: /not for "127\.0\.0\.1": it names DNS:wrong\.example\.com/ },
  { name: 'untrusted', check: 'chain', says: /not signed by a trusted CA: its root "CN=ifax Untrusted Root CA, O=ifax test" is not trusted/, alsoOff: ['revocation'] },
  { name: 'badku', check: 'keyUsage', says: /keyUsage allows nonRepudiation, neither digitalSignature nor keyEncipherment/ },
  { name: 'badeku', check: 'keyUsage', says: /extendedKeyUsage allows clientAuth, emailProtection, not serverAuth/ },
  { name: 'revoked', check: 'revocation', says: /the certificate was revoked on 20\d\d-\d\d-\d\dT[\d:]+Z \(keyCompromise\), says the OCSP answer of/ },
  { name: 'good', check: 'chain', says: /issuer "CN=ifax Test Intermediate CA, O=ifax test" is not trusted, and the server sent no intermediate/, alsoOff: ['revocation'], leafOnly: true },
];

describe.each(BAD)('$name (leafOnly: $leafOnly)', ({ name, check, says, alsoOff, leafOnly }) => {
  test(`is rejected by "${check}" with its subject, and accepted with that check off`, async () => {
    const err = await rejection(connect(name, { leafOnly }));
    expect(err.code).toBe('CERT_REJECTED');
    expect(err.exitCode).toBe(77);
    const subject = `CN=${name === 'wrongcn' ? 'wrong.example.com' : 'localhost'}, OU=${name}, O=ifax test`;
    expect(err.message).toContain(`TLS check "${check}" failed for "${subject}": `);
    expect(err.message).toMatch(says);
    expect(err.hint).toContain(`smtp.certVerify.${check}`);
    const off = { ...ALL_ON, [check]: false };
    for (const c of alsoOff ?? []) off[c] = false;
    const report = await connect(name, { leafOnly, certVerify: off });
    // verifyPeer does not download for a check that is off (inspectPeer does, see below).
    expect(result(report, check)).toMatchObject({ enabled: false, ok: check === 'revocation' ? null : false });
    expect(report.checks.filter((c) => c.enabled).every((c) => c.ok === true)).toBe(true);
  });
});

test('a chain failure hints at tls.caFile, and the POP settings name pop.certVerify', async () => {
  const err = await rejection(connect('untrusted', { service: 'pop' }));
  expect(err.hint).toContain('tls.caFile');
  expect(err.hint).toContain('pop.certVerify.chain');
  expect(err.context).toMatchObject({ check: 'chain', setting: 'pop.certVerify.chain', host: '127.0.0.1' });
});

test('without tls.caFile the test root is not trusted: the system roots alone do not take it', async () => {
  const err = await rejection(connect('good', { trust: loadTlsTrust({ caFile: null, crlFile: null, minVersion: 'TLSv1.2' }) }));
  expect(err.message).toMatch(/TLS check "chain" failed .*: the certificate is not signed by a trusted CA/);
});

test('the validity check uses the injected clock, for the chain as well as the leaf', async () => {
  const later = await rejection(connect('good', { now: () => new Date('2200-01-01T00:00:00Z'), certVerify: { ...ALL_ON, revocation: false } }));
  expect(later.message).toMatch(/TLS check "validity" failed .*: the certificate expired on 21\d\d-/);
  const before = await rejection(connect('good', { now: () => new Date('2000-01-01T00:00:00Z'), certVerify: { ...ALL_ON, revocation: false } }));
  expect(before.message).toMatch(/the certificate is not valid before 20\d\d-/);
});

test('disabled checks are still evaluated and reported as off with their result', async () => {
  const report = await connect('wrongcn', { certVerify: { validity: true, cn: false, keyUsage: false, chain: true, revocation: false } });
  expect(result(report, 'cn')).toMatchObject({ enabled: false, ok: false });
  expect(result(report, 'keyUsage')).toMatchObject({ enabled: false, ok: true });
  expect(result(report, 'revocation')).toMatchObject({ enabled: false, ok: null, detail: 'not checked (off)' });
  const lines = describeTlsReport(report);
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}\[off \(would fail\)\] cn {9}the certificate is not for "127\.0\.0\.1"/));
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}\[pass *\] chain /));
});

test('inspectPeer checks revocation even when it is off, and never rejects', async () => {
  const report = await connect('revoked', { certVerify: { ...ALL_ON, revocation: false }, run: inspectPeer });
  expect(result(report, 'revocation')).toMatchObject({ enabled: false, ok: false });
  expect(result(report, 'revocation')?.detail).toMatch(/revoked on/);
});

test('tls.minVersion refuses a server that offers only older TLS', async () => {
  const server = await startTlsServer('good', { maxVersion: 'TLSv1.2' });
  try {
    const options = tlsOptions({ host: '127.0.0.1', certVerify: ALL_ON, trust: loadTlsTrust({ caFile: pki('root.crt'), crlFile: null, minVersion: 'TLSv1.3' }) });
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, ...options });
    await expect(new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject))).rejects.toThrow(/protocol|version/i);
    socket.destroy();
  } finally {
    await server.close();
  }
});
