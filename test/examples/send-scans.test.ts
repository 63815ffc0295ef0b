/**
 * examples/send-scans.sh with the real ifax (dry runs: nothing leaves the machine): a scan that
 * is sent moves to sent/, a broken one to failed/ with its error beside it, a file still being
 * written (modified in the last minute) waits.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve('.');

test('sent scans move to sent/, broken ones to failed/ with the error, fresh ones wait', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-scans-'));
  const inbox = path.join(dir, 'inbox');
  const profile = path.join(dir, 'profile.yaml');
  writeFileSync(profile, 'ifax:\n  enabled: true\ndevice:\n  email: fax@example.com\n');
  chmodSync(profile, 0o600);
  spawnSync('mkdir', ['-p', inbox]);
  const old = new Date(Date.now() - 5 * 60_000);
  copyFileSync('test/fixtures/pdf/scan-g4.pdf', path.join(inbox, 'good.pdf'));
  writeFileSync(path.join(inbox, 'broken.pdf'), '%PDF-1.4\nthis is not a PDF body\n');
  copyFileSync('test/fixtures/pdf/scan-g4.pdf', path.join(inbox, 'fresh.pdf'));
  utimesSync(path.join(inbox, 'good.pdf'), old, old);
  utimesSync(path.join(inbox, 'broken.pdf'), old, old);
  const r = spawnSync('bash', ['examples/send-scans.sh', inbox, 'fax@dest.example', '--dry-run'], {
    cwd: repo,
    env: { ...process.env, IFAX: `${process.execPath} ${path.join(repo, 'bin/ifax.js')} --config ${profile}` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status).toBe(65);
  expect(readdirSync(path.join(inbox, 'sent'))).toEqual(['good.pdf']);
  expect(readdirSync(path.join(inbox, 'failed')).sort()).toEqual(['broken.pdf', 'broken.pdf.err']);
  expect(readFileSync(path.join(inbox, 'failed', 'broken.pdf.err'), 'utf8')).toMatch(/broken\.pdf/);
  expect(readdirSync(inbox).filter((f) => f.endsWith('.pdf'))).toEqual(['fresh.pdf']);
});
