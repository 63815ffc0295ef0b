/**
 * The POP3 response reader over a stream whose chunk boundaries the test sets exactly: every
 * split of a response and of a dot-stuffed body (the terminating CRLF "." CRLF included) must
 * give the same lines and exactly the message's octets.
 */
import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { IfaxError } from '../../../src/errors.js';
import { MAX_POP3_LINE_BYTES } from '../../../src/limits.js';
import { ResponseReader } from '../../../src/transport/pop3/response-reader.js';
import { prng } from '../../helpers/prng.js';
import { stuffed } from './scripted-server.js';

function stream(): { socket: PassThrough; reader: ResponseReader } {
  const socket = new PassThrough();
  return { socket, reader: new ResponseReader(socket as unknown as Socket, 2000, '127.0.0.1:110') };
}

/** Feed `chunks` one 'data' event each, each after the previous was taken. */
async function feed(socket: PassThrough, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    socket.write(c);
    await new Promise((r) => setImmediate(r));
  }
}

async function readAll(reader: ResponseReader, max = 1 << 20): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of reader.readBody('POP3 RETR 1', max, 'MAX_TEST')) parts.push(chunk);
  return Buffer.concat(parts);
}

/** A message with every dot case of RFC 1939 §3, 8-bit octets and empty lines. */
const MESSAGE = Buffer.from(
  [
    'From: a@ifax.test',
    'Subject: dots',
    '',
    '.leading dot',
    '..two dots',
    '.',
    'a lone dot above, a dot-CR-x below',
    '.\rx',
    'middle . and .\r\n. inside',
    '\u00e9t\u00e9 8-bit',
    '',
    '...',
    'last',
    '',
  ].join('\r\n'),
  'latin1',
);

describe('ResponseReader', () => {
  it('reads a status line split at every position, CR and LF apart included', async () => {
    const wire = Buffer.from('+OK Dovecot ready. <1.2@vm>\r\n+OK next\r\n');
    for (let cut = 1; cut < wire.length; cut++) {
      const { socket, reader } = stream();
      const feeding = feed(socket, [wire.subarray(0, cut), wire.subarray(cut)]);
      expect((await reader.readLine('POP3 greeting')).toString()).toBe('+OK Dovecot ready. <1.2@vm>');
      expect((await reader.readLine('POP3 NOOP')).toString()).toBe('+OK next');
      await feeding;
    }
  });

  it('returns exactly the message octets for every two-chunk split of the stuffed body and terminator', async () => {
    const wire = Buffer.concat([stuffed(MESSAGE), Buffer.from('+OK after\r\n')]);
    expect(wire.includes(Buffer.from('\r\n..leading dot\r\n...two dots\r\n..\r\n'))).toBe(true);
    for (let cut = 1; cut < wire.length; cut++) {
      const { socket, reader } = stream();
      const feeding = feed(socket, [wire.subarray(0, cut), wire.subarray(cut)]);
      const body = await readAll(reader);
      expect(body.equals(MESSAGE)).toBe(true);
      expect((await reader.readLine('POP3 NOOP')).toString()).toBe('+OK after');
      await feeding;
    }
  });

  it('returns exactly the message octets when the body arrives one byte per chunk', async () => {
    const wire = Buffer.concat([stuffed(MESSAGE), Buffer.from('+OK after\r\n')]);
    const { socket, reader } = stream();
    const feeding = feed(socket, [...wire].map((b) => Buffer.from([b])));
    expect((await readAll(reader)).equals(MESSAGE)).toBe(true);
    expect((await reader.readLine('POP3 NOOP')).toString()).toBe('+OK after');
    await feeding;
  });

  it('returns exactly the message octets for 200 random chunkings of random dotted messages', async () => {
    const rand = prng(1939);
    // Bare CR is data; lines end in CRLF (bare LF is a line end to the reader, as to poplib).
    const alphabet = ['.', '.', '\r\n', 'a', ' ', '\r', '\u00ff'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      const n = 1 + Math.floor(rand() * 120);
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      const message = Buffer.from(`${text}\r\n`, 'latin1');
      const wire = stuffed(message);
      const chunks: Buffer[] = [];
      for (let at = 0; at < wire.length; ) {
        const size = 1 + Math.floor(rand() * 7);
        chunks.push(wire.subarray(at, at + size));
        at += size;
      }
      const { socket, reader } = stream();
      const feeding = feed(socket, chunks);
      const body = await readAll(reader);
      expect(body.toString('latin1')).toBe(message.toString('latin1'));
      await feeding;
    }
  });

  it('drops the first dot of an unstuffed "." CR line from a careless server and keeps the CR', async () => {
    const { socket, reader } = stream();
    const feeding = feed(socket, [Buffer.from('.'), Buffer.from('\r'), Buffer.from('x\r\n.'), Buffer.from('\r'), Buffer.from('\n')]);
    expect((await readAll(reader)).toString('latin1')).toBe('\rx\r\n');
    await feeding;
  });

  it('ends a body at "." LF from a server writing bare LF, as poplib does', async () => {
    const { socket, reader } = stream();
    socket.write('line one\n..dot\n.\n+OK next\r\n');
    expect((await readAll(reader)).toString('latin1')).toBe('line one\n.dot\n');
    expect((await reader.readLine('POP3 NOOP')).toString()).toBe('+OK next');
  });

  it('accepts a line of exactly 512 octets with CRLF and refuses 513 as DATA_INVALID, destroying the socket', async () => {
    const ok = stream();
    const line = `+OK ${'x'.repeat(MAX_POP3_LINE_BYTES - 6)}`;
    ok.socket.write(`${line}\r\n`);
    expect((await ok.reader.readLine('POP3 CAPA')).toString()).toBe(line);

    const bad = stream();
    bad.socket.write(`${line}x\r\n`);
    const err = await bad.reader.readLine('POP3 CAPA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe('DATA_INVALID');
    expect((err as IfaxError).message).toMatch(/^POP3 CAPA at 127\.0\.0\.1:110 failed: .*longer than 512 octets \(MAX_POP3_LINE_BYTES/);
    expect(bad.socket.destroyed).toBe(true);
  });

  it('refuses a line that never ends once it passes the limit, without waiting for its LF', async () => {
    const { socket, reader } = stream();
    socket.write('+OK ' + 'y'.repeat(4000));
    const err = await reader.readLine('POP3 greeting').catch((e: unknown) => e);
    expect((err as IfaxError).code).toBe('DATA_INVALID');
  });

  it('stops a body over its size limit with LIMIT_EXCEEDED naming the limit and closes the socket', async () => {
    const { socket, reader } = stream();
    socket.write(stuffed(`${'z'.repeat(100)}\r\n`));
    const err = await readAll(reader, 50).catch((e: unknown) => e);
    expect((err as IfaxError).code).toBe('LIMIT_EXCEEDED');
    expect((err as IfaxError).message).toContain('MAX_TEST');
    expect(socket.destroyed).toBe(true);
  });

  it('fails a read that gets no data within the timeout with TEMPORARY_FAILURE and destroys the socket', async () => {
    const socket = new PassThrough();
    const reader = new ResponseReader(socket as unknown as Socket, 50, '127.0.0.1:110');
    socket.write('+OK 2 messages\r\nFrom: a\r\n');
    await reader.readLine('POP3 RETR 1');
    const err = await readAll(reader).catch((e: unknown) => e);
    expect((err as IfaxError).code).toBe('TEMPORARY_FAILURE');
    expect((err as IfaxError).exitCode).toBe(75);
    expect((err as IfaxError).message).toMatch(/^POP3 RETR 1 at 127\.0\.0\.1:110 failed: no answer from the server within 0\.05 s \(pop\.timeout\)/);
    expect(socket.destroyed).toBe(true);
  });

  it('reports a connection closed in the middle of a body as NETWORK_FAILED', async () => {
    const { socket, reader } = stream();
    socket.end('partial line\r\n');
    const err = await readAll(reader).catch((e: unknown) => e);
    expect((err as IfaxError).code).toBe('NETWORK_FAILED');
    expect((err as IfaxError).message).toContain('closed the connection');
  });

  it('pauses the socket while unread data passes the read-ahead bound and resumes once it is taken', async () => {
    const { socket, reader } = stream();
    const big = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 8; i++) socket.write(big);
    await new Promise((r) => setImmediate(r));
    expect(socket.isPaused()).toBe(true);
    socket.write(Buffer.from('\r\n.\r\n'));
    const body = await readAll(reader, 1 << 20);
    expect(body.length).toBe(8 * 64 * 1024 + 2);
    expect(socket.isPaused()).toBe(false);
  });
});
