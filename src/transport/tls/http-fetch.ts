/**
 * Plain-HTTP downloads for revocation checks: OCSP over HTTP (RFC 6960 Appendix A.1, POST of
 * application/ocsp-request) and CRLs from distribution points (RFC 5280 §4.2.1.13). Only
 * http: URLs are fetched: the answers are signed, and checking an https responder would need
 * the very certificate checks it is part of. No proxy, no redirect, no keep-alive; loopback
 * addresses work like any other.
 */
import http from 'node:http';
import { IfaxError } from '../../errors.js';

/** One download: method, body, and the bounds it must keep. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  body?: Uint8Array;
  /** Content-Type of the body. */
  contentType?: string;
  /** Accept header. */
  accept?: string;
  /** Larger answers are refused (LIMIT_EXCEEDED). */
  maxBytes: number;
  /** The whole exchange, connection included, must end within this many ms (NETWORK_FAILED). */
  timeoutMs: number;
}

/** Fetches `url`, resolving with the body of a 200 answer; rejects with an IfaxError otherwise. */
export type HttpFetch = (url: string, request: HttpRequest) => Promise<Buffer>;

/** The default HttpFetch: node:http, one connection per request. */
export const httpFetch: HttpFetch = (url, request) =>
  new Promise<Buffer>((resolve, reject) => {
    const what = `downloading ${JSON.stringify(url)}`;
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new IfaxError('NETWORK_FAILED', `${what} failed: not a URL`));
      return;
    }
    if (target.protocol !== 'http:') {
      reject(new IfaxError('NETWORK_FAILED', `${what} failed: only http:// addresses are fetched for revocation checks`));
      return;
    }
    const headers: Record<string, string | number> = {};
    if (request.contentType) headers['content-type'] = request.contentType;
    if (request.accept) headers.accept = request.accept;
    if (request.body) headers['content-length'] = request.body.length;
    let settled = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(body as Buffer);
    };
    const req = http.request(target, { method: request.method, headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        finish(new IfaxError('NETWORK_FAILED', `${what} failed: HTTP status ${res.statusCode}`));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        finish(new IfaxError('LIMIT_EXCEEDED', `${what} failed: ${declared} bytes announced, more than the limit of ${request.maxBytes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) finish(new IfaxError('LIMIT_EXCEEDED', `${what} failed: more than the limit of ${request.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => finish(null, Buffer.concat(chunks)));
      res.on('error', (err) => finish(new IfaxError('NETWORK_FAILED', `${what} failed: ${err.message}`, { cause: err })));
    });
    const timer = setTimeout(
      () => finish(new IfaxError('NETWORK_FAILED', `${what} failed: no complete answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    req.on('error', (err) => finish(new IfaxError('NETWORK_FAILED', `${what} failed: ${err.message}`, { cause: err })));
    req.end(request.body);
  });
