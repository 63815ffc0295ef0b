/**
 * Loopback servers for the TLS check tests, over the PKI of test/fixtures/pki (make.sh):
 * a node:tls server presenting one of its certificates, and an HTTP server answering the
 * certificates' OCSP and CRL addresses. OCSP answers come from `openssl ocsp` itself, run
 * once per request on the request's bytes (its responder mode with -reqin/-respout), so the
 * responder is real and needs no port of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { httpFetch, type HttpFetch } from '../../../src/transport/tls/http-fetch.js';

export const PKI = path.resolve('test/fixtures/pki');
export const pki = (name: string): string => path.join(PKI, name);

/** The port make.sh wrote into the certificates' OCSP and CRL addresses. */
export const PKI_URL_PORT = 47193;

/** Starts a TLS server on 127.0.0.1 presenting `name` (with its intermediate unless `leafOnly`). */
export async function startTlsServer(
  name: string,
  options: { leafOnly?: boolean; maxVersion?: tls.SecureVersion; staple?: Buffer } = {},
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = tls.createServer({
    key: readFileSync(pki(`${name}.key`)),
    cert: readFileSync(pki(options.leafOnly ? `${name}.crt` : `${name}-chain.pem`)),
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
  });
  const sockets = new Set<tls.TLSSocket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const staple = options.staple;
  if (staple) server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, done: (err: Error | null, response?: Buffer) => void) => done(null, staple));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * How the OCSP address answers: signed by the delegated responder, by the issuer, by another
 * key (forged), by a certificate of the issuer that lacks id-kp-OCSPSigning (undelegated: the
 * good server certificate), or not at all (503).
 */
export type OcspMode = 'delegated' | 'issuer' | 'forged' | 'undelegated' | 'down';

const openssl = (args: string[]): Promise<void> =>
  new Promise((resolve, reject) => execFile('openssl', args, (err) => (err ? reject(err) : resolve())));

/** A signed OCSP answer for the leaf `name`, made without a nonce (as a server staples it). */
export async function ocspAnswerFor(name: string): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-ocsp-'));
  try {
    await openssl(['ocsp', '-issuer', pki('intermediate.crt'), '-cert', pki(`${name}.crt`), '-no_nonce', '-reqout', path.join(dir, 'req.der')]);
    return await runOcsp(readFileSync(path.join(dir, 'req.der')), 'delegated');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOcsp(request: Buffer, mode: Exclude<OcspMode, 'down'>): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-ocsp-'));
  const signer = { delegated: 'ocsp', issuer: 'intermediate', forged: 'untrusted-root', undelegated: 'good' }[mode];
  writeFileSync(path.join(dir, 'req.der'), request);
  const args = ['ocsp', '-index', pki('index.txt'), '-CA', pki('intermediate.crt'), '-rsigner', pki(`${signer}.crt`), '-rkey', pki(`${signer}.key`)];
  args.push('-reqin', path.join(dir, 'req.der'), '-respout', path.join(dir, 'resp.der'), '-ndays', '1');
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (err) => {
      try {
        if (err) reject(err);
        else resolve(readFileSync(path.join(dir, 'resp.der')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The OCSP + CRL server: its fetch function maps the certificates' port to its own. */
export interface RevocationServer {
  fetch: HttpFetch;
  /** Requests received, by path (`/ocsp`, `/intermediate.crl`). */
  hits: Map<string, number>;
  close: () => Promise<void>;
}

export async function startRevocationServer(ocsp: OcspMode, options: { crl?: boolean } = {}): Promise<RevocationServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (url === '/intermediate.crl' && options.crl !== false) {
        res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(readFileSync(pki('intermediate.crl.der')));
      } else if (url === '/ocsp' && req.method === 'POST' && ocsp !== 'down') {
        runOcsp(Buffer.concat(chunks), ocsp).then(
          (body) => res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(body),
          () => res.writeHead(500).end(),
        );
      } else res.writeHead(url === '/ocsp' ? 503 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    fetch: (url, request) => httpFetch(url.replace(`//127.0.0.1:${PKI_URL_PORT}/`, `//127.0.0.1:${port}/`), request),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
