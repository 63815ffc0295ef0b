/**
 * Helpers for integration tests that drive clients which are not ours (python3's smtplib,
 * poplib and ssl, curl, openssl, ldapsearch, kinit) and wait for mail in a Maildir.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (bounded by `timeoutMs`); a non-zero exit is a result, not a throw. */
export function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 8 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && code === -1) reject(new Error(`${file} did not finish: ${error.message}\n${stderr}`));
        else resolve({ code, stdout, stderr });
      },
    );
    // A program that never reads its input may exit before it is written: EPIPE is no failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * Runs a python3 program that prints one JSON document; `args` arrive as sys.argv[1:].
 * A failing program fails the caller with its stderr.
 */
export async function python<T>(program: string, args: string[] = [], timeoutMs = 60_000): Promise<T> {
  const result = await run('python3', ['-c', program, ...args], { timeoutMs });
  if (result.code !== 0) throw new Error(`python3 exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** One message file of a Maildir. */
export interface MaildirMessage {
  file: string;
  text: string;
}

/**
 * Waits until a message in `maildir` (new/ or cur/) satisfies `match`, polling every 100 ms up to
 * `timeoutMs`; rejects, naming what it waited for, when none arrives.
 */
export async function waitForMail(
  maildir: string,
  match: (text: string) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<MaildirMessage> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    for (const sub of ['new', 'cur']) {
      const dir = path.join(maildir, sub);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const file = path.join(dir, name);
        if (seen.has(file)) continue;
        const text = await readFile(file, 'latin1').catch(() => undefined);
        if (text === undefined) continue; // moved from new/ to cur/ meanwhile: seen next round
        seen.add(file);
        if (match(text)) return { file, text };
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail ${what} in ${maildir} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
