/**
 * `ifax demo` end to end: the binary, no profile, no mail server. It must pass every step, and
 * what it says it made must be there: a PDF that poppler reads, a job the store has as
 * processed, nothing listening any more.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { JobStore } from '../../src/store/jobs.js';

test('every step passes; the received PDF is there and the job is processed', () => {
  const r = runCli(['--json', 'demo']);
  expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
  const report = JSON.parse(r.stdout) as { ok: boolean; stateDir: string; job: string; pdf: string; steps: { step: string; ok: boolean }[] };
  expect(report.ok).toBe(true);
  expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
    ['station', true],
    ['convert', true],
    ['send', true],
    ['receive', true],
    ['answer', true],
    ['match', true],
  ]);
  expect(existsSync(report.pdf)).toBe(true);
  const images = spawnSync('pdfimages', ['-list', report.pdf], { encoding: 'utf8' });
  expect(images.status).toBe(0);
  expect(images.stdout).toMatch(/ccitt/);
  const store = JobStore.open(report.stateDir);
  try {
    expect(store.get(report.job).state).toBe('processed');
  } finally {
    store.close();
  }
  expect(path.dirname(path.dirname(path.dirname(report.pdf)))).toBe(report.stateDir);
});

test('without --json each step is marked on stderr and stdout names the PDF', () => {
  const r = runCli(['demo']);
  expect(r.code).toBe(0);
  for (const step of ['station', 'convert', 'send', 'receive', 'answer', 'match']) expect(r.stderr).toMatch(new RegExp(`${step}: `));
  expect(r.stdout).toMatch(/^received fax: .*fax\.pdf$/m);
  expect(r.stdout).toMatch(/: processed$/m);
});
