/**
 * pollOnce against a scripted POP3 server, for what Dovecot will not do: the end-of-message
 * terminator split across packets, a stall in RETR past pop.timeout, a connection dropped
 * before QUIT (nothing may count as deleted: the server saw no QUIT), and "-ERR" on DELE.
 */
import path from 'node:path';
import { pollOnce, type PollDeps } from '../../src/jobs/poll.js';
import { openStore, type StoreDatabase } from '../../src/store/index.js';
import { PollJournal } from '../../src/store/poll-journal.js';
import { Pop3Client } from '../../src/transport/pop3/client.js';
import { scriptedServer, stuffed, type Scripted, type ScriptedSession } from '../transport/pop3/scripted-server.js';
import { cleanTempDirs, copyingProcessor, messageIdsIn, tempStateDir, testMail } from './poll-helpers.js';

const stores: StoreDatabase[] = [];
let server: Scripted | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  for (const s of stores) s.close();
  cleanTempDirs();
});

interface Script {
  /** How RETR n is answered (default: at once). */
  retr?: (n: number, s: ScriptedSession) => Promise<void>;
  dele?: (n: number, s: ScriptedSession) => Promise<void>;
  quit?: (s: ScriptedSession) => Promise<void>;
  /** An RFC 1939-only server: UIDL refused. */
  noUidl?: boolean;
}

/** A mailbox of `mails` behind a scripted server; DELEs take effect only at QUIT, as RFC 1939 §6 says. */
async function mailbox(mails: string[], script: Script = {}): Promise<{ server: Scripted; removed: number[] }> {
  const removed: number[] = [];
  server = await scriptedServer('+OK scripted ready\r\n', async (line, s) => {
    const [cmd, arg] = line.split(' ');
    const n = Number(arg);
    const marked = ((s as unknown as { marked?: number[] }).marked ??= []);
    switch (cmd.toUpperCase()) {
      case 'CAPA':
        return s.write('+OK\r\nUSER\r\nUIDL\r\n.\r\n');
      case 'USER':
      case 'PASS':
      case 'NOOP':
        return s.write('+OK\r\n');
      case 'LIST':
        return s.write(`+OK\r\n${mails.map((m, i) => `${i + 1} ${Buffer.byteLength(m, 'latin1')}\r\n`).join('')}.\r\n`);
      case 'UIDL':
        if (script.noUidl) return s.write('-ERR unknown command\r\n');
        return s.write(`+OK\r\n${mails.map((_, i) => `${i + 1} uid-${i + 1}\r\n`).join('')}.\r\n`);
      case 'RETR':
        if (script.retr) return script.retr(n, s);
        return s.write(Buffer.concat([Buffer.from('+OK\r\n'), stuffed(mails[n - 1])]));
      case 'TOP': {
        const m = mails[n - 1];
        return s.write(Buffer.concat([Buffer.from('+OK\r\n'), stuffed(m.slice(0, m.indexOf('\r\n\r\n') + 4))]));
      }
      case 'DELE':
        if (script.dele) return script.dele(n, s);
        marked.push(n);
        return s.write('+OK marked\r\n');
      case 'QUIT':
        if (script.quit) return script.quit(s);
        removed.push(...marked);
        await s.write('+OK bye\r\n');
        s.socket.end();
        return;
      default:
        return s.write('-ERR unknown\r\n');
    }
  });
  return { server, removed };
}

function deps(port: number, timeoutSeconds = 10): PollDeps & { processed: string } {
  const stateDir = tempStateDir();
  const store = openStore(stateDir);
  stores.push(store);
  const processed = path.join(stateDir, 'processed');
  return {
    stateDir,
    store,
    processed,
    account: `u@127.0.0.1:${port}`,
    connect: async () => {
      const c = await Pop3Client.connect({ host: '127.0.0.1', port, timeoutSeconds });
      await c.login('u', 'p');
      return c;
    },
    process: copyingProcessor(processed),
  };
}

const mails = ['a', 'b', 'c'].map((t) => testMail(`fault-${t}`, `body of ${t}\r\n..\r\n.x`));

test('a terminator split byte by byte across packets: every mail whole, none lost', async () => {
  const { server: srv, removed } = await mailbox(mails, { retr: (n, s) => s.writeBytewise(Buffer.concat([Buffer.from('+OK\r\n'), stuffed(mails[n - 1])])) });
  const d = deps(srv.port);
  const r = await pollOnce(d, { leaveOnServer: false });
  expect(r.failure).toBeUndefined();
  expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 3, processed: 3 });
  expect(messageIdsIn(d.processed).sort()).toEqual(['<fault-a@poll.test>', '<fault-b@poll.test>', '<fault-c@poll.test>']);
  const { readdirSync, readFileSync } = await import('node:fs');
  const texts = readdirSync(d.processed).map((n) => readFileSync(path.join(d.processed, n), 'latin1')).sort();
  expect(texts).toEqual([...mails].sort());
  expect(removed.sort()).toEqual([1, 2, 3]);
});

test('a stall in RETR past the timeout: a temporary failure (75), no QUIT, nothing deleted; the next poll fetches only what is missing', async () => {
  let stall = true;
  const { server: srv, removed } = await mailbox(mails, {
    retr: async (n, s) => {
      if (n === 2 && stall) return s.write('+OK\r\nFrom: half\r\n');
      return s.write(Buffer.concat([Buffer.from('+OK\r\n'), stuffed(mails[n - 1])]));
    },
  });
  const d = deps(srv.port, 1);
  const r = await pollOnce(d, { leaveOnServer: false });
  expect(r.failure?.code).toBe('TEMPORARY_FAILURE');
  expect(r.failure?.exitCode).toBe(75);
  expect(srv.allCommands()).not.toContain('QUIT');
  expect(removed).toEqual([]);
  // Mail 1 was safe on disk before the stall: processed; mail 2 left no half file.
  expect(r.summary.poll).toMatchObject({ fetched: 1, deleted: 0, processed: 1, pending: 0 });
  expect(messageIdsIn(d.processed)).toEqual(['<fault-a@poll.test>']);
  stall = false;
  const again = await pollOnce(d, { leaveOnServer: false });
  expect(again.failure).toBeUndefined();
  expect(again.summary.poll).toMatchObject({ fetched: 2, deleted: 3 });
  expect(srv.sessions[1].commands.filter((c) => c.startsWith('RETR'))).toEqual(['RETR 2', 'RETR 3']);
  expect(messageIdsIn(d.processed).sort()).toEqual(['<fault-a@poll.test>', '<fault-b@poll.test>', '<fault-c@poll.test>']);
  expect(removed.sort()).toEqual([1, 2, 3]);
});

test('a connection dropped before QUIT is answered: nothing counts as deleted; the next poll deletes without fetching again', async () => {
  let drop = true;
  const { server: srv, removed } = await mailbox(mails, {
    quit: async (s) => {
      if (drop) {
        s.socket.destroy();
        return;
      }
      removed.push(1, 2, 3);
      await s.write('+OK bye\r\n');
      s.socket.end();
    },
  });
  const d = deps(srv.port);
  const r = await pollOnce(d, { leaveOnServer: false });
  expect(r.failure?.exitCode).toBe(75);
  expect(removed).toEqual([]);
  expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 0, processed: 3 });
  expect(new PollJournal(d.store).entries(d.account).map((e) => e.state)).toEqual(['fetched', 'fetched', 'fetched']);
  drop = false;
  const again = await pollOnce(d, { leaveOnServer: false });
  expect(again.failure).toBeUndefined();
  expect(srv.sessions[1].commands.some((c) => c.startsWith('RETR'))).toBe(false);
  expect(srv.sessions[1].commands.filter((c) => c.startsWith('DELE'))).toEqual(['DELE 1', 'DELE 2', 'DELE 3']);
  expect(again.summary.poll).toMatchObject({ fetched: 0, deleted: 3, processed: 0 });
  expect(messageIdsIn(d.processed)).toHaveLength(3);
});

test('"-ERR" on DELE: the mail stays on the server, the others are deleted, it is not fetched again', async () => {
  const { server: srv, removed } = await mailbox(mails, {
    dele: async (n, s) => {
      if (n === 2) return s.write('-ERR [SYS/PERM] cannot delete\r\n');
      ((s as unknown as { marked?: number[] }).marked ??= []).push(n);
      return s.write('+OK\r\n');
    },
  });
  const d = deps(srv.port);
  const r = await pollOnce(d, { leaveOnServer: false });
  expect(r.failure).toBeUndefined();
  expect(r.summary.errors).toEqual([expect.objectContaining({ messageId: '<fault-b@poll.test>', code: 'SERVER_REFUSED' })]);
  expect(removed.sort()).toEqual([1, 3]);
  expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 2, processed: 3 });
  const again = await pollOnce(d, { leaveOnServer: false });
  expect(srv.sessions[1].commands.some((c) => c.startsWith('RETR'))).toBe(false);
  expect(again.summary.poll.fetched).toBe(0);
  expect(messageIdsIn(d.processed)).toHaveLength(3);
});

test('a server without UIDL: mails told apart by Message-ID (TOP n 0), with leaveOnServer a second poll fetches nothing', async () => {
  const { server: srv } = await mailbox(mails, { noUidl: true });
  const d = deps(srv.port);
  const warnings: string[] = [];
  d.warn = (m) => void warnings.push(m);
  const r = await pollOnce(d, { leaveOnServer: true });
  expect(r.failure).toBeUndefined();
  expect(r.summary.poll).toMatchObject({ fetched: 3, deleted: 0, dedupe: 'message-id' });
  expect(warnings.join()).toContain('does not offer UIDL');
  expect(new PollJournal(d.store).entries(d.account).map((e) => e.uid).sort()).toEqual(['mid:<fault-a@poll.test>', 'mid:<fault-b@poll.test>', 'mid:<fault-c@poll.test>']);
  const again = await pollOnce(d, { leaveOnServer: true });
  expect(again.summary.poll.fetched).toBe(0);
  expect(srv.sessions[1].commands.some((c) => c.startsWith('RETR'))).toBe(false);
  expect(messageIdsIn(d.processed)).toHaveLength(3);
});
