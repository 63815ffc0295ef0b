/**
 * A scripted POP3 server on 127.0.0.1 (ephemeral port) for what Dovecot will not do: answers
 * split byte by byte, stalls, over-long lines, refusals with response codes. It records every
 * command line it receives, so tests can assert what the client never sent (PASS before TLS).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ScriptedSession {
  socket: Socket;
  /** Command lines received, in order, without CRLF. */
  commands: string[];
  /** Write at once. */
  write(data: string | Buffer): Promise<void>;
  /** Write one byte at a time, each its own TCP segment as far as the kernel allows. */
  writeBytewise(data: string | Buffer): Promise<void>;
  /** Resolves when the client's side has gone (end, reset or close). */
  closed: Promise<void>;
}

/** Answers one command; returning nothing leaves the client waiting (a stall). */
export type Responder = (command: string, session: ScriptedSession) => void | Promise<void>;

export interface Scripted {
  port: number;
  sessions: ScriptedSession[];
  /** Every command line of every session. */
  allCommands(): string[];
  close(): Promise<void>;
}

const pause = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Start a server sending `greeting` (a whole line with CRLF, or a function writing it) and
 * answering each command with `respond`.
 */
export async function scriptedServer(greeting: string | ((s: ScriptedSession) => Promise<void>), respond: Responder): Promise<Scripted> {
  const sessions: ScriptedSession[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let closedResolve: () => void = () => undefined;
    const session: ScriptedSession = {
      socket,
      commands: [],
      write: (data) =>
        new Promise((resolve) => {
          if (socket.destroyed) return resolve();
          socket.write(data, () => resolve());
        }),
      writeBytewise: async (data) => {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
        for (let i = 0; i < bytes.length && !socket.destroyed; i++) {
          await session.write(bytes.subarray(i, i + 1));
          await pause();
        }
      },
      closed: new Promise<void>((r) => (closedResolve = r)),
    };
    socket.on('close', () => {
      sockets.delete(socket);
      closedResolve();
    });
    sessions.push(session);
    let pending = '';
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let lf = pending.indexOf('\n'); lf >= 0; lf = pending.indexOf('\n')) {
        const line = pending.slice(0, lf).replace(/\r$/, '');
        pending = pending.slice(lf + 1);
        session.commands.push(line);
        chain = chain.then(() => respond(line, session)).catch(() => void socket.destroy());
      }
    });
    void (typeof greeting === 'string' ? session.write(greeting) : greeting(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    sessions,
    allCommands: () => sessions.flatMap((s) => s.commands),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Dot-stuff a message and terminate it (RFC 1939 §3), as a server sends it after "+OK". */
export function stuffed(message: Buffer | string): Buffer {
  const text = typeof message === 'string' ? message : message.toString('latin1');
  if (!text.endsWith('\r\n')) throw new Error('a message on the wire ends with CRLF');
  const lines = text.split('\r\n').map((l) => (l.startsWith('.') ? `.${l}` : l));
  return Buffer.from(`${lines.join('\r\n')}.\r\n`, 'latin1');
}
