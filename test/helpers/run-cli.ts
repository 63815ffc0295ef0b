/**
 * Run the built ifax binary (npm test builds first) the way a shell script would, and
 * collect exit code, stdout and stderr.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(repoRoot, 'bin', 'ifax.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string | Uint8Array;
  timeoutMs?: number;
}

/** Environment without the caller's IFAX_* and colour settings, so tests see a clean slate. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('IFAX_') || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  // The sandbox of sandbox-env.ts: the profile search of the child never reaches the real
  // /etc/ifax (IFAX_* was dropped above) nor, unless a test names one, the real home.
  if (process.env.IFAX_SYSTEM_CONFIG_DIR) env.IFAX_SYSTEM_CONFIG_DIR = process.env.IFAX_SYSTEM_CONFIG_DIR;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // A test that gives HOME gets the XDG default under it, not the sandbox's.
  if (extra.HOME !== undefined && !('XDG_CONFIG_HOME' in extra)) delete env.XDG_CONFIG_HOME;
  if (extra.HOME !== undefined && !('XDG_STATE_HOME' in extra)) delete env.XDG_STATE_HOME;
  return env;
}

export function runCli(args: string[], opts: RunOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: cleanEnv(opts.env),
    input: opts.input,
    encoding: 'buffer',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
