// The stack's HTTP server for its PKI: the OCSP responder (RFC 6960 appendix A: POST, and GET
// with the base64 request in the path) and the files the certificates' AIA and CRL
// distribution points name. `openssl ocsp` answers each request; this server only exists
// because `openssl ocsp -port` listens on every address, and the stack binds loopback only.
// Usage: node pki-http.mjs ADDRESS PORT PKI_DIR
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { readFile, writeFile, rm, mkdtemp } from 'node:fs/promises';
import path from 'node:path';

const [address, port, pki] = process.argv.slice(2);
if (!address || !port || !pki) {
  console.error('usage: node pki-http.mjs ADDRESS PORT PKI_DIR');
  process.exit(2);
}

/** The files served, all DER as RFC 5280 4.2.1.13 / 4.2.2.1 ask for. */
const files = {
  '/root-ca.crt': ['application/pkix-cert', 'root-ca.der'],
  '/inter-ca.crt': ['application/pkix-cert', 'inter-ca.der'],
  '/root.crl': ['application/pkix-crl', 'root.crl'],
  '/inter.crl': ['application/pkix-crl', 'inter.crl'],
};
// An OCSP request is a few hundred bytes; anything far larger is not one.
const MAX_REQUEST = 64 * 1024;
const work = await mkdtemp(path.join(pki, '.ocsp-'));
let sequence = 0;

/** Runs `openssl ocsp` as the intermediate CA's delegated responder on one DER request. */
async function answer(request) {
  const id = ++sequence;
  const reqFile = path.join(work, `${id}.req`);
  const respFile = path.join(work, `${id}.resp`);
  await writeFile(reqFile, request);
  try {
    await new Promise((resolve, reject) => {
      execFile('openssl', ['ocsp', '-index', path.join(pki, 'db/inter/index.txt'),
        '-CA', path.join(pki, 'inter-ca.crt'), '-rsigner', path.join(pki, 'ocsp.crt'),
        '-rkey', path.join(pki, 'ocsp.key'), '-reqin', reqFile, '-respout', respFile,
        // nextUpdate ten minutes on: clients that insist on one get it
        '-nmin', '10'], { timeout: 10_000 }, (error) => (error ? reject(error) : resolve()));
    });
    return await readFile(respFile);
  } finally {
    await rm(reqFile, { force: true });
    await rm(respFile, { force: true });
  }
}

function reply(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const file = files[url.pathname];
  if (req.method === 'GET' && file) {
    readFile(path.join(pki, file[1])).then(
      (body) => reply(res, 200, file[0], body),
      () => reply(res, 404, 'text/plain', Buffer.from('missing\n')),
    );
    return;
  }
  const ocspAnswer = (request) => answer(request).then(
    (body) => reply(res, 200, 'application/ocsp-response', body),
    (error) => reply(res, 500, 'text/plain', Buffer.from(`ocsp failed: ${error.message}\n`)),
  );
  if (req.method === 'POST' && url.pathname === '/ocsp') {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => ocspAnswer(Buffer.concat(chunks)));
    return;
  }
  if (req.method === 'GET' && url.pathname.startsWith('/ocsp/')) {
    let request;
    try {
      request = Buffer.from(decodeURIComponent(url.pathname.slice('/ocsp/'.length)), 'base64');
    } catch {
      reply(res, 400, 'text/plain', Buffer.from('bad request encoding\n'));
      return;
    }
    ocspAnswer(request);
    return;
  }
  reply(res, 404, 'text/plain', Buffer.from('not found\n'));
});

const stop = () => server.close(() => rm(work, { recursive: true, force: true }).then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.listen(Number(port), address);
