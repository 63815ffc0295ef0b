// Whole commands timed against each other, interleaved: what a user pays (start-up, imports,
// I/O), with the two tools taking turns so that load from elsewhere hits both alike.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Runs `cmd args` (spawnSync options in `opts`), throws on a non-zero exit; returns wall ms. */
export function run(cmd, args, opts = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/**
 * Wall times of a and b ([cmd, args, opts?] each), interleaved, after one warm-up each: the
 * minimum of `reps` runs, the figure least disturbed by other load (start-up dominates short
 * runs, and its jitter would swamp small differences).
 */
export function compare(a, b, reps) {
  run(...a);
  run(...b);
  const ta = [];
  const tb = [];
  for (let i = 0; i < reps; i++) {
    ta.push(run(...a));
    tb.push(run(...b));
  }
  return [Math.min(...ta), Math.min(...tb)];
}
