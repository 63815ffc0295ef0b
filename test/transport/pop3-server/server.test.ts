/**
 * The station's POP3 server against a client that is not ours (Python's poplib) and against
 * ifax's own POP3 client: login, STAT/LIST/UIDL, RETR byte for byte with dot-stuffing undone,
 * DELE taking effect only at QUIT, a wrong password refused, loopback only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPop3Server, type Pop3Server } from '../../../src/transport/pop3-server/server.js';
import { openPop } from '../../../src/transport/pop3/index.js';

const MAILS: Record<string, string> = {
  '0001-a.eml': 'From: a@x.example\r\nSubject: one\r\n\r\nline one\r\n.starts with a dot\r\n..two dots\r\n',
  '0002-b.eml': 'From: b@x.example\r\nSubject: two\r\n\r\n' + ('x'.repeat(900) + '\r\n').repeat(6),
  '0003-c.eml': 'From: c@x.example\r\nSubject: three\r\n\r\n.\r\nend\r\n',
};

let dir: string;
let server: Pop3Server;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-pop3d-'));
  for (const [name, text] of Object.entries(MAILS)) writeFileSync(path.join(dir, name), text, 'latin1');
  server = await startPop3Server({ host: '127.0.0.1', port: 0, dir, user: 'station', password: 's3cret' });
});
afterEach(() => server.close());

const POPLIB = String.raw`
import poplib, sys, json
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
out = {}
try:
    p.user('station'); p.pass_(sys.argv[2])
except poplib.error_proto as e:
    print(json.dumps({'error': str(e)})); sys.exit(0)
out['stat'] = list(p.stat())
out['uidl'] = [x.decode() for x in p.uidl()[1]]
out['mails'] = [b'\r\n'.join(p.retr(i)[1]).decode('latin1') + '\r\n' for i in range(1, out['stat'][0] + 1)]
p.dele(2)
if sys.argv[3] == 'quit': p.quit()
else: p.sock.close()
print(json.dumps(out))
`;

/** Runs the poplib client; asynchronously, as the server under test lives in this process. */
function poplib(password: string, end: 'quit' | 'drop'): Promise<{ error?: string; stat?: number[]; uidl?: string[]; mails?: string[] }> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', POPLIB, String(server.port), password, end], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err || stderr) reject(new Error(`poplib failed: ${stderr || (err as Error).message}`));
      else resolve(JSON.parse(stdout) as never);
    });
  });
}

test('Python poplib logs in, lists, and reads every mail byte for byte (dot-stuffing undone)', async () => {
  const r = await poplib('s3cret', 'quit');
  expect(r.stat).toEqual([3, Object.values(MAILS).reduce((n, m) => n + m.length, 0)]);
  expect(r.uidl).toEqual(['1 0001-a', '2 0002-b', '3 0003-c']);
  expect(r.mails).toEqual(Object.values(MAILS));
});

test('DELE removes the mail at QUIT, and a dropped connection removes nothing', async () => {
  await poplib('s3cret', 'drop');
  expect(readdirSync(dir).sort()).toEqual(Object.keys(MAILS));
  await poplib('s3cret', 'quit');
  expect(readdirSync(dir).sort()).toEqual(['0001-a.eml', '0003-c.eml']);
});

test('a wrong password is refused with [AUTH]', async () => {
  expect((await poplib('wrong', 'quit')).error).toMatch(/\[AUTH\]/);
});

test("ifax's own POP3 client reads the same bytes, with APOP too", async () => {
  for (const apop of [false, true]) {
    const { client } = await openPop({ host: '127.0.0.1', port: server.port, sslPort: 995, tls: 'off', user: 'station', password: 's3cret', apop, timeout: 10 });
    const got: string[] = [];
    for (const n of [1, 2, 3]) {
      const chunks: Buffer[] = [];
      await client.retr(n, (c) => void chunks.push(c));
      got.push(Buffer.concat(chunks).toString('latin1'));
    }
    await client.quit();
    expect([apop, got]).toEqual([apop, Object.values(MAILS)]);
  }
});

test('only a loopback address is taken', async () => {
  await expect(startPop3Server({ host: '0.0.0.0', port: 0, dir, user: 'u', password: 'p' })).rejects.toMatchObject({ code: 'USAGE' });
});
