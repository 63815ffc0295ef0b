#!/usr/bin/env node
// `npm run bench:receive`: the receiving issue's target, measured end to end. Not part of `npm test`.
//   N one-page faxes (IFAX_BENCH_N, default 500; a dry-run .eml of a one-page PDF, each copy
//   with its own Message-ID) are put into a mailbox of the loopback test stack
//   (test/interop/stack/stack.sh; started here when not running, stopped after) the way an MTA
//   delivers: written to the Maildir's tmp/ and renamed into new/. Then one `ifax poll` over
//   POP3S (every certificate check on, revocation by OCSP included) fetches them, deletes them
//   on the server, and stores each in the inbox with its TIFF and PDF (no MDN:
//   ifaxAdvanced.mdnResponse off). Printed: faxes per second of the whole process and its peak
//   RSS (reported by the child through a --require hook); target >= 50 faxes/s.
// The mailbox is the stack's recv1, which only this benchmark empties.
// Needs root for the mail stack.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib/interleave.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const outDir = join(benchDir, 'out', 'receive');
const bin = join(repoDir, 'bin', 'ifax.js');
const stackSh = join(repoDir, 'test', 'interop', 'stack', 'stack.sh');
const N = Number(process.env.IFAX_BENCH_N ?? 500);
const LOGIN = 'recv1';
const progress = (m) => process.stderr.write(m + '\n');
if (!Number.isInteger(N) || N < 1 || N > 100_000) throw new Error(`IFAX_BENCH_N must be a whole number from 1 to 100000, got ${JSON.stringify(process.env.IFAX_BENCH_N)}`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const home = join(outDir, 'home');
mkdirSync(home);
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
const writeProfile = (name, body) => {
  const file = join(home, name);
  writeFileSync(file, JSON.stringify(body));
  chmodSync(file, 0o600);
  return file;
};

// The fax: what ifax's own sender makes of a one-page scanned PDF.
const sender = writeProfile('sender.json', { ifax: { enabled: true }, device: { name: 'bench', email: 'sender@ifax.test' }, stateDir: join(home, 'sender-state'), send: { header: false } });
const eml = join(outDir, 'one-page.eml');
run(process.execPath, [bin, '--config', sender, 'send', join(repoDir, 'test/fixtures/pdf/scan-g4.pdf'), '--to', `${LOGIN}@ifax.test`, '--dry-run', '--out', eml], { env });
const mail = readFileSync(eml, 'latin1');
if (!/^Message-ID: <[^>]+>$/m.test(mail)) throw new Error(`no Message-ID line in ${eml}`);

const status = spawnSync('bash', [stackSh, 'status'], { encoding: 'utf8' });
const startedHere = status.status !== 0;
if (startedHere) {
  progress('starting the loopback mail stack ...');
  run('bash', [stackSh, 'start'], { timeout: 180_000 });
}
let result;
try {
  const stack = JSON.parse(spawnSync('bash', [stackSh, 'env'], { encoding: 'utf8' }).stdout);
  const user = stack.users.find((u) => u.login === LOGIN);
  if (!user) throw new Error(`the mail stack has no user ${LOGIN} (test/interop/stack/stack.sh USERS)`);
  const maildir = join(stack.maildirBase, LOGIN, 'Maildir');
  for (const d of ['new', 'cur']) for (const f of readdirSync(join(maildir, d))) rmSync(join(maildir, d, f));

  progress(`delivering ${N} one-page faxes into ${LOGIN}'s Maildir ...`);
  const owner = statSync(maildir);
  const stamp = Date.now();
  for (let i = 0; i < N; i++) {
    const name = `${stamp}.bench${i}.localhost`;
    const copy = `Return-Path: <sender@ifax.test>\r\n${mail.replace(/^Message-ID: <([^>]+)>$/m, `Message-ID: <bench${i}.$1>`)}`;
    const tmp = join(maildir, 'tmp', name);
    writeFileSync(tmp, copy, 'latin1');
    chownSync(tmp, owner.uid, owner.gid);
    renameSync(tmp, join(maildir, 'new', name));
  }

  const stateDir = join(home, 'state');
  const profile = writeProfile('receiver.json', {
    ifax: { enabled: true },
    device: { name: 'bench', email: user.email },
    stateDir,
    ifaxAdvanced: { mdnResponse: false },
    tls: { caFile: stack.pki.caFile },
    pop: { host: stack.host, tls: 'pop3s', sslPort: stack.pop.pop3s, user: user.login, password: user.password, certVerify: { validity: true, cn: true, keyUsage: true, chain: true, revocation: true } },
  });
  const hook = join(outDir, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.IFAX_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n");
  const rssFile = join(outDir, 'rss.txt');

  progress(`ifax poll over POP3S (${N} mails) ...`);
  const ms = run(process.execPath, ['--require', hook, bin, '--config', profile, '--quiet', 'poll'], { env: { ...env, IFAX_BENCH_RSS: rssFile }, timeout: 3_600_000 });

  // Counted from what was stored, not from what the poll says: a fax counts once its inbox
  // entry holds the TIFF, the PDF and meta.json.
  const inbox = join(stateDir, 'inbox');
  const stored = readdirSync(inbox).filter((id) => !id.startsWith('.') && ['fax.tif', 'fax.pdf', 'meta.json'].every((f) => existsSync(join(inbox, id, f))));
  const left = ['new', 'cur'].reduce((n, d) => n + readdirSync(join(maildir, d)).length, 0);
  if (stored.length !== N || left !== 0) throw new Error(`poll stored ${stored.length} of ${N} faxes and left ${left} on the server`);
  result = { ms, stored: stored.length, perSecond: (stored.length * 1000) / ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
} finally {
  if (startedHere) spawnSync('bash', [stackSh, 'stop'], { encoding: 'utf8' });
}

const lines = [
  `## Receive benchmark (${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`,
  '',
  '| poll | faxes stored | wall s | faxes/s | peak RSS MB | target |',
  '|---|--:|--:|--:|--:|---|',
  `| 1-page faxes over POP3S (all certificate checks, OCSP), deleted on the server, inbox with TIFF + PDF, no MDN | ${result.stored} | ${(result.ms / 1000).toFixed(2)} | ${result.perSecond.toFixed(1)} | ${result.rssMb.toFixed(0)} | >= 50 faxes/s |`,
];
console.log(lines.join('\n'));
