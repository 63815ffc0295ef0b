/** The default download function of revocation checks: its size and time bounds, on loopback. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from '../../../src/transport/tls/http-fetch.js';

let server: http.Server;
let base: string;
const pending = new Set<http.ServerResponse>();
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000));
    else if (req.url === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000));
      res.end();
    } else if (req.url === '/echo') req.pipe(res);
    else if (req.url === '/silent') pending.add(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of pending) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const bounds = { maxBytes: 4096, timeoutMs: 5000 };

test('posts the body and returns the answer', async () => {
  const body = await httpFetch(`${base}/echo`, { method: 'POST', body: Buffer.from('ocsp'), contentType: 'application/ocsp-request', ...bounds });
  expect(body.toString()).toBe('ocsp');
});

test('an answer over the size limit is refused, announced or not', async () => {
  await expect(httpFetch(`${base}/big`, { method: 'GET', ...bounds })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining('5000 bytes announced') });
  await expect(httpFetch(`${base}/big-chunked`, { method: 'GET', ...bounds })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
});

test('a status other than 200, a silent server and a non-http address are NETWORK_FAILED', async () => {
  await expect(httpFetch(`${base}/nothing`, { method: 'GET', ...bounds })).rejects.toMatchObject({ code: 'NETWORK_FAILED', message: expect.stringContaining('HTTP status 404') });
  await expect(httpFetch(`${base}/silent`, { method: 'GET', maxBytes: 10, timeoutMs: 200 })).rejects.toMatchObject({
    code: 'NETWORK_FAILED',
    message: expect.stringContaining('no complete answer within 200 ms'),
  });
  await expect(httpFetch('https://127.0.0.1/', { method: 'GET', ...bounds })).rejects.toMatchObject({ message: expect.stringContaining('only http://') });
  await expect(httpFetch('ldap://127.0.0.1/x', { method: 'GET', ...bounds })).rejects.toMatchObject({ code: 'NETWORK_FAILED' });
});
