/**
 * A small POP3 server (RFC 1939, CAPA/UIDL/TOP of RFC 2449) over a folder of mails: the
 * mailbox of the embedded loopback station of `ifax demo`, so that a fax sent to itself comes
 * back through ifax's real POP3 client. One account, USER/PASS or APOP (RFC 1939 §7); RETR and
 * TOP dot-stuffed (§3); DELE marks, QUIT in the UPDATE state removes (§6), a dropped
 * connection removes nothing. It binds to loopback only: it has no TLS, so a password must
 * never cross a network to it. Not meant as a mail server for anything else.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { IfaxError } from '../../errors.js';
import { MAX_POP3_COMMAND_BYTES } from '../../limits.js';

export interface Pop3ServerOptions {
  /** 127.0.0.1 or ::1 (anything else is refused). */
  host: string;
  /** 0 = a free port. */
  port: number;
  /** The folder of mails (one `.eml` file each; the file name is the UIDL). */
  dir: string;
  user: string;
  password: string;
}

export interface Pop3Server {
  port: number;
  close(): Promise<void>;
}

interface Entry {
  name: string;
  size: number;
  deleted: boolean;
}

/** Starts the server; USAGE for a non-loopback host, NETWORK_FAILED when the port cannot be bound. */
export async function startPop3Server(o: Pop3ServerOptions): Promise<Pop3Server> {
  if (o.host !== '127.0.0.1' && o.host !== '::1') {
    throw new IfaxError('USAGE', `Starting the station's POP3 server failed: ${JSON.stringify(o.host)} is not a loopback address`, { hint: 'It has no TLS: it listens on 127.0.0.1 or ::1 only.' });
  }
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    session(socket, o).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new IfaxError('NETWORK_FAILED', `Starting the station's POP3 server failed: ${err.message}`, { cause: err })));
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One connection: AUTHORIZATION, TRANSACTION, UPDATE (RFC 1939 §3). */
async function session(socket: net.Socket, o: Pop3ServerOptions): Promise<void> {
  const stamp = `<${randomBytes(8).toString('hex')}.${Date.now()}@ifax-station>`;
  const send = (line: string): boolean => socket.write(line + '\r\n');
  let user: string | undefined;
  let box: Entry[] | undefined;
  let buffer = '';
  send(`+OK ifax station POP3 ready ${stamp}`);

  const load = async (): Promise<Entry[]> => {
    const names = (await readdir(o.dir)).filter((n) => n.endsWith('.eml')).sort();
    const entries: Entry[] = [];
    for (const name of names) entries.push({ name, size: (await stat(path.join(o.dir, name))).size, deleted: false });
    return entries;
  };
  const entry = (arg: string | undefined): Entry | undefined => {
    const n = Number(arg);
    const e = box && Number.isInteger(n) && n >= 1 ? box[n - 1] : undefined;
    return e && !e.deleted ? e : undefined;
  };
  /** The mail dot-stuffed and terminated (RFC 1939 §3), `lines` body lines only for TOP. */
  const multiline = async (e: Entry, lines?: number): Promise<void> => {
    let text = (await readFile(path.join(o.dir, e.name))).toString('latin1').replace(/\r?\n/g, '\r\n');
    if (lines !== undefined) {
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end + 4);
      const body = end < 0 ? '' : text.slice(end + 4).split('\r\n').slice(0, lines).join('\r\n');
      text = head + body;
    }
    if (!text.endsWith('\r\n')) text += '\r\n';
    // Only a dot after CRLF starts a line: /^/m would also stuff one after a bare CR, which the
    // client (rightly) leaves in the data.
    socket.write(Buffer.from(text.replace(/(^|\r\n)\./g, '$1..') + '.\r\n', 'latin1'));
  };

  const handle = async (line: string): Promise<boolean> => {
    const [verb = '', ...args] = line.split(' ');
    const cmd = verb.toUpperCase();
    if (cmd === 'QUIT') {
      if (box) for (const e of box.filter((x) => x.deleted)) await unlink(path.join(o.dir, e.name)).catch(() => undefined);
      send('+OK bye');
      socket.end();
      return false;
    }
    if (cmd === 'CAPA') {
      send('+OK capabilities follow');
      for (const c of ['USER', 'UIDL', 'TOP', 'RESP-CODES']) send(c);
      send('.');
    } else if (cmd === 'NOOP') {
      send('+OK');
    } else if (!box) {
      if (cmd === 'USER') {
        user = args.join(' ');
        send('+OK');
      } else if (cmd === 'PASS' || cmd === 'APOP') {
        const ok =
          cmd === 'PASS'
            ? user === o.user && args.join(' ') === o.password
            : args[0] === o.user && args[1] === createHash('md5').update(stamp + o.password).digest('hex');
        if (!ok) send('-ERR [AUTH] invalid login');
        else {
          box = await load();
          send(`+OK ${box.length} messages`);
        }
      } else send('-ERR log in first');
    } else if (cmd === 'STAT') {
      const live = box.filter((e) => !e.deleted);
      send(`+OK ${live.length} ${live.reduce((n, e) => n + e.size, 0)}`);
    } else if (cmd === 'LIST' || cmd === 'UIDL') {
      const value = (e: Entry): string => (cmd === 'LIST' ? String(e.size) : e.name.slice(0, -4));
      if (args[0] !== undefined) {
        const e = entry(args[0]);
        send(e ? `+OK ${args[0]} ${value(e)}` : '-ERR no such message');
      } else {
        send('+OK');
        for (const [i, e] of box.entries()) if (!e.deleted) send(`${i + 1} ${value(e)}`);
        send('.');
      }
    } else if (cmd === 'RETR' || cmd === 'TOP') {
      const e = entry(args[0]);
      const lines = cmd === 'TOP' ? Number(args[1]) : undefined;
      if (!e || (lines !== undefined && !(Number.isInteger(lines) && lines >= 0))) send('-ERR no such message');
      else {
        send(`+OK ${e.size} octets`);
        await multiline(e, lines);
      }
    } else if (cmd === 'DELE') {
      const e = entry(args[0]);
      if (!e) send('-ERR no such message');
      else {
        e.deleted = true;
        send('+OK marked');
      }
    } else if (cmd === 'RSET') {
      for (const e of box) e.deleted = false;
      send('+OK');
    } else send('-ERR unknown command');
    return true;
  };

  for await (const chunk of socket) {
    buffer += (chunk as Buffer).toString('latin1');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (!(await handle(line))) return;
    }
    if (buffer.length > MAX_POP3_COMMAND_BYTES) {
      send('-ERR line too long');
      socket.end();
      return;
    }
  }
}
