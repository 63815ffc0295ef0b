#!/usr/bin/env node
// `npm run bench:send`: the sending issue's targets, measured in one run. Not part of `npm test`.
//   1. `ifax send --dry-run` of a 10-page scanned PDF, fine, MMR (the destination's stored
//      capabilities allow MMR), whole process, against Ghostscript's PDF -> G4 TIFF plus
//      `base64` of its output (what a mail needs), interleaved, minimum of 9 runs after a
//      warm-up; target <= 1.5x.
//   2. A broadcast of one page to 200 destinations through the loopback Postfix of the test
//      stack (test/interop/stack/stack.sh; started here when not running, stopped after) over
//      STARTTLS + AUTH, every certificate check on: mails per second (one SMTP transaction per
//      destination: DSN with ORCPT, as a per-destination receipt needs), one connection, and
//      peak RSS; target >= 20 mails/s and < 300 MB.
// Needs root for the mail stack, Ghostscript, libtiff's tiffcp/tiff2pdf, netpbm.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generatePages } from './pages/generate.js';
import { compare, run } from './lib/interleave.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const outDir = join(benchDir, 'out', 'send');
const bin = join(repoDir, 'bin', 'ifax.js');
const stackSh = join(repoDir, 'test', 'interop', 'stack', 'stack.sh');
const REPS = 9;
const progress = (m) => process.stderr.write(m + '\n');
const compareN = (a, b) => compare(a, b, REPS);



mkdirSync(outDir, { recursive: true });
const pages = Object.fromEntries(generatePages(join(benchDir, 'out', 'pages-src')).map((p) => [p.name, p.path]));
const tifs = [];
for (let i = 0; i < 10; i++) {
  const src = i % 5 === 4 ? pages['photo-ht-fine'] : pages['text-fine'];
  const tif = join(outDir, `scan-${i}.tif`);
  run('sh', ['-c', `pnmtotiff -g4 -xresolution 204 -yresolution 196 "${src}" > "${tif}"`]);
  tifs.push(tif);
}
run('tiffcp', ['-c', 'g4', ...tifs, join(outDir, 'scan-10.tif')]);
const scanPdf = join(outDir, 'scan-10.pdf');
run('tiff2pdf', ['-o', scanPdf, join(outDir, 'scan-10.tif')]);
run('tiffcp', [tifs[0], join(outDir, 'page-1.tif')]);

// A profile and a state directory whose destination is known to take MMR (RFC 2879 example).
const home = join(outDir, 'home');
rmSync(home, { recursive: true, force: true });
mkdirSync(home, { recursive: true });
const caps = '(& (image-file-structure=TIFF-minimal) (color=Binary) (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))))';
const { JobStore } = await import(join(repoDir, 'dist/store/jobs.js'));
const { DestinationStore } = await import(join(repoDir, 'dist/store/destinations.js'));
const store = JobStore.open(join(home, 'state'));
new DestinationStore(store.database).upsert({ address: 'fax@dest.example', caps, source: 'manual' });
store.close();
const writeProfile = (extra) => {
  const file = join(home, '.ifaxrc.yaml');
  writeFileSync(file, `ifax:\n  enabled: true\ndevice:\n  name: bench\n  email: fax1@ifax.test\nstateDir: ${join(home, 'state')}\n${extra}`);
  chmodSync(file, 0o600);
  return file;
};
const profile = writeProfile('send:\n  header: false\n');
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };

progress('dry run of a 10-page scanned PDF ...');
const eml = join(outDir, 'scan.eml');
const ifaxDry = [process.execPath, [bin, '--config', profile, 'send', scanPdf, '--to', 'fax@dest.example', '--resolution', 'fine', '--compression', 'MMR', '--no-mdn', '--dry-run', '--out', eml], { env }];
const gsTif = join(outDir, 'scan-gs.tif');
const gsB64 = [
  'sh',
  ['-c', `gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=tiffg4 -r204x196 -o "${gsTif}" "${scanPdf}" && base64 "${gsTif}" > "${gsTif}.b64"`],
];
const [dryIfax, dryGs] = compareN(ifaxDry, gsB64);
const dryJson = JSON.parse(spawnSync(process.execPath, [bin, '--config', profile, '--json', 'send', scanPdf, '--to', 'fax@dest.example', '--resolution', 'fine', '--compression', 'MMR', '--no-mdn', '--dry-run', '--out', eml], { env, encoding: 'utf8' }).stdout);
const chosen = dryJson.groups[0].format;

progress('broadcast of one page to 200 destinations through the loopback Postfix ...');
const status = spawnSync('bash', [stackSh, 'status'], { encoding: 'utf8' });
const startedHere = status.status !== 0;
if (startedHere) run('bash', [stackSh, 'start'], { timeout: 180_000 });
let broadcast;
try {
  const stack = JSON.parse(spawnSync('bash', [stackSh, 'env'], { encoding: 'utf8' }).stdout);
  const user = stack.users[0];
  const smtpProfile = writeProfile(
    `smtp:\n  host: 127.0.0.1\n  port: ${stack.smtp.starttls}\n  tls: starttls\n  certVerify:\n    keyUsage: true\n    revocation: true\n  auth:\n    enabled: true\n    user: ${user.login}\n    password: ${user.password}\n    methods: [CRAM-MD5]\ntls:\n  caFile: ${stack.pki.caFile}\nsend:\n  header: false\n`,
  );
  const to = Array.from({ length: 200 }, (_, i) => ['--to', `dest${String(i + 1).padStart(3, '0')}@${stack.relayDomain}`]).flat();
  const hook = join(outDir, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.IFAX_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n");
  const rssFile = join(outDir, 'rss.txt');
  const args = ['--require', hook, bin, '--config', smtpProfile, '--json', 'send', join(outDir, 'page-1.tif'), ...to, '--no-mdn', '--dsn', '--subject', 'bench broadcast'];
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...env, IFAX_BENCH_RSS: rssFile }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`broadcast failed (${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  const accepted = result.recipients.filter((x) => x.accepted).length;
  broadcast = { ms, accepted, perSecond: (accepted * 1000) / ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
} finally {
  if (startedHere) spawnSync('bash', [stackSh, 'stop'], { encoding: 'utf8' });
}

const r2 = (x) => x.toFixed(2);
const lines = [
  `## Send benchmark (${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`,
  '',
  '| job | peer | peer s | ifax s | ratio | target |',
  '|---|---|--:|--:|--:|---|',
  `| \`send --dry-run\`, 10-page scanned PDF, ${chosen.resolution} ${chosen.coding} (profile ${chosen.profile}) | \`gs -sDEVICE=tiffg4 -r204x196\` + \`base64\` | ${r2(dryGs / 1000)} | ${r2(dryIfax / 1000)} | ${r2(dryIfax / dryGs)}x | <= 1.5x |`,
  '',
  '| broadcast | destinations accepted | wall s | mails/s | peak RSS MB | target |',
  '|---|--:|--:|--:|--:|---|',
  `| 1 page, STARTTLS + AUTH CRAM-MD5, all certificate checks, DSN per destination | ${broadcast.accepted} | ${r2(broadcast.ms / 1000)} | ${broadcast.perSecond.toFixed(1)} | ${broadcast.rssMb.toFixed(0)} | >= 20 mails/s, < 300 MB |`,
];
console.log(lines.join('\n'));
