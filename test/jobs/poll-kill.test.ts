/**
 * kill -9 of a poll at seeded random steps (after RETR, after the spool write, after the
 * journal's "fetched", before and after DELE, before and after QUIT, after processing), then a
 * recovery poll: every mail is processed exactly once and none is lost (Message-IDs counted with
 * Python's email package), the mailbox ends empty, the spool too. Runs the built library in a
 * child process (npm run build). Uses stack user poll3, whose Maildir it empties (no other test uses it).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mailStack } from '../interop/stack.js';
import type { MailStack } from '../interop/stack-types.js';
import { pollOnce } from '../../src/jobs/poll.js';
import { openStore } from '../../src/store/index.js';
import { openPop } from '../../src/transport/pop3/login.js';
import { pollUser, cleanTempDirs, copyingProcessor, deliver, emptyMaildir, maildirCount, messageIdsIn, tempStateDir, testMail } from './poll-helpers.js';

const child = fileURLToPath(new URL('./poll-child.mjs', import.meta.url));
let stack: MailStack;

beforeAll(async () => {
  stack = await mailStack();
});
afterAll(cleanTempDirs);

const STEPS = ['retr-done', 'spool-written', 'journal-fetched', 'before-dele', 'after-dele', 'before-quit', 'after-quit', 'processed'] as const;
const ONCE = new Set(['before-quit', 'after-quit']);

/** mulberry32: the runs are the same every time (seed 20261204). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

test('kill -9 at each step and 2 more, at seeded random mails (10 runs): afterwards every mail processed exactly once, none lost', async () => {
  const user = pollUser(stack, 'poll3');
  const maildir = stack.maildir(user.login);
  const random = prng(20261204);
  const kills: string[] = [];
  for (let run = 0; run < 10; run++) {
    // Every step is reached (runs 0-7, then two more); which mail it hits is the seed's choice.
    const step = run < STEPS.length ? STEPS[run] : STEPS[Math.floor(random() * STEPS.length)];
    const nth = ONCE.has(step) ? 1 : 1 + Math.floor(random() * 5);
    emptyMaildir(maildir);
    const tags = Array.from({ length: 5 }, (_, i) => `kill-${run}-${i}-${Date.now()}`);
    for (const t of tags) deliver(maildir, testMail(t));
    const stateDir = tempStateDir();
    const processed = path.join(stateDir, 'processed');
    const r = await runChild([stateDir, processed, stack.host, String(stack.pop.plain), user.login, user.password, step, String(nth)]);
    expect({ run, step, nth, signal: r.signal }).toEqual({ run, step, nth, signal: 'SIGKILL' });
    kills.push(`${step}#${nth}`);
    const store = openStore(stateDir);
    try {
      const again = await pollOnce(
        {
          stateDir,
          store,
          account: `${user.login}@${stack.host}:${stack.pop.plain}`,
          connect: async () => (await openPop({ host: stack.host, port: stack.pop.plain, sslPort: stack.pop.pop3s, tls: 'off', user: user.login, password: user.password, apop: false, timeout: 20 })).client,
          process: copyingProcessor(processed),
        },
        { leaveOnServer: false },
      );
      expect(again.failure).toBeUndefined();
    } finally {
      store.close();
    }
    expect({ run, step, nth, ids: messageIdsIn(processed).sort() }).toEqual({ run, step, nth, ids: tags.map((t) => `<${t}@poll.test>`).sort() });
    expect(maildirCount(maildir)).toBe(0);
    expect(readdirSync(path.join(stateDir, 'spool'))).toEqual([]);
  }
  expect(new Set(kills.map((k) => k.split('#')[0])).size).toBe(STEPS.length);
}, 120_000);
