/**
 * jest globalTeardown: stops the mail stack when this test run started it (its run name is in
 * <state>/started-by). A stack started by hand (`stack.sh start`) or by another run is left
 * running; IFAX_STACK_KEEP=1 keeps it running after the run for quicker reruns.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

function stack(rootDir: string, command: string): Promise<string> {
  const script = path.join(rootDir, 'test/interop/stack/stack.sh');
  return new Promise((resolve, reject) => {
    execFile('bash', [script, command], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`mail stack ${command} failed: ${stderr.trim() || error.message}`)) : resolve(stdout));
  });
}

export default async function stackTeardown(_global: unknown, project: { rootDir: string }): Promise<void> {
  const run = process.env.IFAX_STACK_RUN;
  if (!run || process.env.IFAX_STACK_KEEP) return;
  // No settings: the stack was never started from this checkout.
  const env = await stack(project.rootDir, 'env').catch(() => undefined);
  if (env === undefined) return;
  const { stateDir } = JSON.parse(env) as { stateDir: string };
  const startedBy = await readFile(path.join(stateDir, 'started-by'), 'utf8').catch(() => '');
  if (startedBy.trim() === run) await stack(project.rootDir, 'stop');
}
