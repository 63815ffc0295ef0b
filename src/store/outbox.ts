/**
 * The outbox: each job's mail, exactly as it was handed to the server, kept in the state
 * directory so that `ifax jobs retry` sends the same bytes (same Message-ID, so an MDN to either
 * attempt finds the job). Written atomically with mode 0600 (a fax is as private as the job
 * that names its destination), before the job is sent.
 */
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { JOB_ID_PATTERN } from './job-ids.js';
import { ensureStateDir } from './state-dir.js';

/** The outbox folder of a state directory. */
export function outboxDir(stateDir: string): string {
  return path.join(stateDir, 'outbox');
}

function mailPath(stateDir: string, jobId: string, seq: number): string {
  // The id is checked: it becomes a file name.
  if (!JOB_ID_PATTERN.test(jobId) || !Number.isInteger(seq) || seq < 1) throw new IfaxError('INTERNAL', `storing a mail failed: ${JSON.stringify(jobId)} #${seq} is not a job id and mail number`);
  return path.join(outboxDir(stateDir), seq === 1 ? `${jobId}.eml` : `${jobId}-${seq}.eml`);
}

/** Writes mail `seq` (1-based) of job `jobId` to the outbox; returns its path. */
export async function saveOutboxMail(stateDir: string, jobId: string, mail: Uint8Array | string, seq = 1): Promise<string> {
  ensureStateDir(outboxDir(stateDir), `storing the mail of job ${jobId}`);
  return writeFileAtomic(mailPath(stateDir, jobId, seq), mail, { mode: 0o600, what: 'storing the mail of a job in' });
}

/** Reads a stored mail back (for a retry). INPUT_NOT_FOUND when it is gone. */
export async function readOutboxMail(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', `reading the stored mail ${JSON.stringify(file)} failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err, hint: 'The outbox copy was removed; send the document again.' });
  }
}

/** Removes a stored mail once its job needs no retry; a missing file is fine. */
export async function removeOutboxMail(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new IfaxError('STORE_FAILED', `removing the stored mail ${JSON.stringify(file)} failed: ${err.code ?? String(err)}`, { cause: err });
  });
}
