/** Shared by the job store tests: a fresh state directory and a clock the test moves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JobStore } from '../../src/store/jobs.js';
import type { NewJob } from '../../src/store/job-types.js';

export class TestClock {
  constructor(public t = Date.parse('2026-12-01T08:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

const made: string[] = [];

/** A new, empty directory under the system's temp folder (removed after all tests). */
export function tempDir(prefix = 'ifax-store-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A store in a fresh state directory, with its clock. */
export function freshStore(): { store: JobStore; clock: TestClock; stateDir: string } {
  const clock = new TestClock();
  const stateDir = path.join(tempDir(), 'state');
  return { store: JobStore.open(stateDir, { now: clock.now }), clock, stateDir };
}

let n = 0;
/** A plausible job: one destination unless given, one mail with a unique Message-ID. */
export function sampleJob(over: Partial<NewJob> = {}): NewJob {
  n++;
  return {
    destinations: [{ address: 'fax1@ifax.test', kind: 'address' }],
    messages: [`<job${n}.${process.pid}@station.ifax.test>`],
    watch: 'mdn',
    subject: `Fax ${n}`,
    senderName: 'Accounts',
    mode: 'simple',
    pages: 2,
    bytes: 12345,
    format: { coding: 'MH', resolution: 'fine', why: 'simple mode minimum' },
    ...over,
  };
}
