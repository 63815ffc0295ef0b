/**
 * certVerify.revocation's sources and their order: OCSP (a real `openssl ocsp` responder),
 * then the certificate's CRL distribution point, then tls.crlFile; forged answers refused.
 */
import tls from 'node:tls';
import { IfaxError } from '../../../src/errors.js';
import { loadTlsTrust, tlsOptions, type CertVerifySettings } from '../../../src/transport/tls/connect-options.js';
import { verifyPeer, watchOcspStaple, type TlsReport, type VerifyOptions } from '../../../src/transport/tls/verify.js';
import { ocspAnswerFor, pki, startRevocationServer, startTlsServer, type OcspMode, type RevocationServer } from './pki-servers.js';

const ALL_ON: CertVerifySettings = { validity: true, cn: true, keyUsage: true, chain: true, revocation: true };

/** Connects to a server presenting `name` with revocation answered as `mode`; resolves with the revocation line or the rejection. */
async function revocationOf(
  name: string,
  mode: OcspMode,
  opts: { crl?: boolean; crlFile?: string | null; staple?: Buffer } = {},
): Promise<{ report?: TlsReport; error?: IfaxError; hits: RevocationServer['hits'] }> {
  const revocation = await startRevocationServer(mode, { crl: opts.crl });
  const server = await startTlsServer(name, { staple: opts.staple });
  const options: VerifyOptions = {
    host: '127.0.0.1',
    certVerify: ALL_ON,
    trust: loadTlsTrust({ caFile: pki('root.crt'), crlFile: opts.crlFile ?? null, minVersion: 'TLSv1.2' }),
    service: 'smtp',
    fetch: revocation.fetch,
  };
  const socket = tls.connect({ host: '127.0.0.1', port: server.port, ...tlsOptions(options) });
  watchOcspStaple(socket);
  try {
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    return { report: await verifyPeer(socket, options), hits: revocation.hits };
  } catch (err) {
    if (!(err instanceof IfaxError)) throw err;
    return { error: err, hits: revocation.hits };
  } finally {
    socket.destroy();
    await server.close();
    await revocation.close();
  }
}

const revocationLine = (r: { report?: TlsReport }) => r.report?.checks.find((c) => c.check === 'revocation');

test('an OCSP answer signed by the issuer itself is taken, and the CRL is not downloaded', async () => {
  const r = await revocationOf('good', 'issuer');
  expect(revocationLine(r)).toMatchObject({ ok: true, detail: 'not revoked, says the OCSP answer of "http://127.0.0.1:47193/ocsp"' });
  expect(r.hits.get('/ocsp')).toBe(1);
  expect(r.hits.get('/intermediate.crl')).toBeUndefined();
});

test('an unreachable OCSP responder falls back to the CRL of the distribution point', async () => {
  const good = await revocationOf('good', 'down');
  expect(revocationLine(good)?.ok).toBe(true);
  expect(revocationLine(good)?.detail).toBe(
    'not revoked, says the CRL at "http://127.0.0.1:47193/intermediate.crl" (OCSP responder "http://127.0.0.1:47193/ocsp" not reachable (HTTP status 503))',
  );
  expect(good.hits.get('/ocsp')).toBe(1);
  const revoked = await revocationOf('revoked', 'down');
  expect(revoked.error?.code).toBe('CERT_REJECTED');
  expect(revoked.error?.message).toMatch(
    /^TLS check "revocation" failed for "CN=localhost, OU=revoked, O=ifax test": the certificate was revoked on 20\d\d-[\d-]+T[\d:]+Z, says the CRL at "http:\/\/127\.0\.0\.1:47193\/intermediate\.crl"$/,
  );
});

test('neither OCSP nor the CRL reachable, and no tls.crlFile: revocation status unknown', async () => {
  const r = await revocationOf('good', 'down', { crl: false });
  expect(r.error?.message).toMatch(/TLS check "revocation" failed for "CN=localhost, OU=good, O=ifax test": revocation status unknown: .*not reachable \(HTTP status 503\).*not reachable \(HTTP status 404\); no tls\.crlFile/);
  expect(r.error?.hint).toContain('tls.crlFile');
  expect(r.error?.hint).toContain('smtp.certVerify.revocation');
});

test('tls.crlFile answers when OCSP and the distribution point are down (PEM file)', async () => {
  const r = await revocationOf('good', 'down', { crl: false, crlFile: pki('intermediate.crl.pem') });
  expect(revocationLine(r)?.detail).toMatch(/^not revoked, says tls\.crlFile ".*intermediate\.crl\.pem" \(/);
});

test('tls.crlFile is the source for a certificate with no OCSP address and no distribution point (DER file)', async () => {
  const good = await revocationOf('nodp', 'delegated', { crlFile: pki('intermediate.crl.der') });
  expect(revocationLine(good)).toMatchObject({ ok: true });
  expect(revocationLine(good)?.detail).toContain('says tls.crlFile');
  expect(good.hits.size).toBe(0);
  const revoked = await revocationOf('nodp-revoked', 'delegated', { crlFile: pki('intermediate.crl.der') });
  expect(revoked.error?.message).toMatch(/failed for "CN=localhost, OU=nodp-revoked, O=ifax test": the certificate was revoked on .*, says tls\.crlFile/);
  const none = await revocationOf('nodp', 'delegated');
  expect(none.error?.message).toContain('revocation status unknown: the certificate names no OCSP responder; the certificate names no http CRL distribution point; no tls.crlFile');
});

test('a tls.crlFile of another CA says nothing about the certificate', async () => {
  const r = await revocationOf('nodp', 'delegated', { crlFile: pki('untrusted-root.crl.pem') });
  expect(r.error?.message).toMatch(
    /revocation status unknown: .*; tls\.crlFile ".*untrusted-root\.crl\.pem" is not a CRL of "CN=ifax Test Intermediate CA, O=ifax test"$/,
  );
});

test('a forged OCSP answer (signed by another key) is refused, though the CRL would say good', async () => {
  const r = await revocationOf('good', 'forged');
  expect(r.error?.code).toBe('CERT_REJECTED');
  expect(r.error?.message).toBe(
    'TLS check "revocation" failed for "CN=localhost, OU=good, O=ifax test": the OCSP answer of "http://127.0.0.1:47193/ocsp" is not signed by "CN=ifax Test Intermediate CA, O=ifax test" or by a responder it authorised',
  );
  expect(r.hits.get('/intermediate.crl')).toBeUndefined();
});

test('an OCSP answer the server staples is used, and no responder is asked', async () => {
  const good = await revocationOf('good', 'down', { crl: false, staple: await ocspAnswerFor('good') });
  expect(revocationLine(good)).toMatchObject({ ok: true, detail: 'not revoked, says the OCSP answer stapled by the server' });
  expect(good.hits.size).toBe(0);
  const revoked = await revocationOf('revoked', 'down', { crl: false, staple: await ocspAnswerFor('revoked') });
  expect(revoked.error?.message).toMatch(/the certificate was revoked on .* \(keyCompromise\), says the OCSP answer stapled by the server$/);
});

test('a stapled answer for another certificate is refused', async () => {
  const r = await revocationOf('revoked', 'delegated', { staple: await ocspAnswerFor('good') });
  expect(r.error?.message).toMatch(/TLS check "revocation" failed .*: the OCSP answer stapled by the server is not about this certificate$/);
});

test('an OCSP answer signed by a certificate of the issuer without id-kp-OCSPSigning is refused', async () => {
  const r = await revocationOf('good', 'undelegated');
  expect(r.error?.message).toMatch(/the OCSP answer of ".*" is not signed by "CN=ifax Test Intermediate CA, O=ifax test" or by a responder it authorised$/);
});

test("a forged CRL (the issuer's name, another key) is refused", async () => {
  const r = await revocationOf('nodp', 'delegated', { crlFile: pki('forged.crl.pem') });
  expect(r.error?.message).toMatch(
    /: tls\.crlFile ".*forged\.crl\.pem" names "CN=ifax Test Intermediate CA, O=ifax test" as its issuer but is not signed by it$/,
  );
});
