/**
 * A scripted SMTP server on 127.0.0.1 for what real servers will not do on demand: a wrong
 * DIGEST-MD5 rspauth, 421 in mid-session, a dropped connection, a server too slow to answer.
 * Each received line is recorded; the script answers a line, or leaves it to the defaults
 * (EHLO, MAIL, RCPT, DATA, RSET, QUIT answered as a plain server would).
 */
import net from 'node:net';

export type ScriptAnswer = string | string[] | 'DROP' | 'HANG' | undefined;

export interface ScriptedServer {
  port: number;
  /** Every line the client sent (message data excluded), per connection in order. */
  lines: string[];
  /** How many connections were accepted. */
  connections: number;
  close(): Promise<void>;
}

export interface ScriptOptions {
  /** The EHLO keywords after the greeting line (default: SIZE, 8BITMIME). */
  ehlo?: string[];
  /** Answer a command line; undefined = the default answer. `n` = the connection's number (1-based). */
  answer?: (line: string, n: number) => ScriptAnswer;
  /** The greeting; "HANG" sends none. */
  greeting?: string;
}

export async function scriptedServer(options: ScriptOptions = {}): Promise<ScriptedServer> {
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const n = ++connections;
    let inData = false;
    let buffer = '';
    const send = (a: string | string[]) => socket.write((Array.isArray(a) ? a : [a]).map((l) => `${l}\r\n`).join(''));
    const greeting = options.greeting ?? '220 scripted.test ESMTP';
    if (greeting !== 'HANG') send(greeting);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            const a = options.answer?.('.', n);
            if (a === 'DROP') return void socket.destroy();
            if (a !== 'HANG') send(a ?? '250 2.0.0 Ok: queued as SCRIPTED1');
          }
          continue;
        }
        lines.push(line);
        const a = options.answer?.(line, n);
        if (a === 'DROP') return void socket.destroy();
        if (a === 'HANG') continue;
        if (a !== undefined) {
          send(a);
          continue;
        }
        const verb = line.split(/[ :]/)[0].toUpperCase();
        if (verb === 'EHLO') {
          const ext = options.ehlo ?? ['SIZE 10000000', '8BITMIME'];
          send(['scripted.test', ...ext].map((e, k, all) => `250${k === all.length - 1 ? ' ' : '-'}${e}`));
        } else if (verb === 'DATA') {
          inData = true;
          send('354 go ahead');
        } else if (verb === 'QUIT') {
          send('221 bye');
          socket.end();
        } else if (['MAIL', 'RCPT', 'RSET', 'NOOP'].includes(verb)) {
          send('250 2.0.0 Ok');
        } else {
          send('502 5.5.2 not implemented');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
