/**
 * ifaxAdvanced.responseWatch (SETTINGS.md §6): a job that waited longer than `hours` for its
 * MDN or DSN becomes `timeout`. Checked after every poll and whenever `ifax jobs` looks.
 */
import type { IfaxConfig } from '../config/index.js';
import type { Job } from '../store/job-types.js';
import type { JobStore } from '../store/jobs.js';

/** Times out the jobs past the watch; returns them (none when the watch is off). */
export function expireUnanswered(jobs: JobStore, config: Pick<IfaxConfig, 'ifaxAdvanced'>, now: Date = new Date()): Job[] {
  const watch = config.ifaxAdvanced.responseWatch;
  return watch.enabled ? jobs.expireDue(now, watch.hours) : [];
}
