/**
 * other/: every mail `ifax receive` could not make a fax or a report of is kept, never dropped:
 * `stateDir/other/<id>/original.eml` with `note.json` saying why (not a fax, unreadable, a
 * TIFF that does not decode, fragments that expired...), who sent it and when it came. Written
 * as the inbox is (inbox.ts createStoredFolder: the whole folder or nothing).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createStoredFolder } from './inbox.js';
import { JOB_ID_PATTERN, newJobId } from './job-ids.js';

/** note.json of a kept mail. */
export interface OtherNote {
  id: string;
  /** ISO 8601 UTC. */
  receivedAt: string;
  /** Why it is here, in words. */
  reason: string;
  /** What it was read as: fax (that failed), mdn, dsn, partial, other, unreadable. */
  kind: string;
  from: string | null;
  subject: string | null;
  messageId: string | null;
  /** The error code when reading or processing failed. */
  code?: string;
  /** Extra files kept with it (the fragments of an expired set). */
  files?: string[];
}

/** The other/ folder of a state directory. */
export function otherDir(stateDir: string): string {
  return path.join(stateDir, 'other');
}

/** What saveOther is given. */
export interface OtherInput {
  reason: string;
  kind: string;
  from?: string | null;
  subject?: string | null;
  messageId?: string | null;
  code?: string;
}

/**
 * Keeps `mails` (the mail, or the fragments of an expired set: `original.eml`, then
 * `fragment-N.eml`) with a note. Returns the folder and the note.
 */
export async function saveOther(stateDir: string, mails: { original?: Uint8Array; fragments?: Array<{ number: number; bytes: Uint8Array }> }, input: OtherInput, now: Date): Promise<{ dir: string; note: OtherNote }> {
  const id = newJobId(now);
  const files: string[] = [];
  if (mails.original) files.push('original.eml');
  for (const f of mails.fragments ?? []) files.push(`fragment-${f.number}.eml`);
  const note: OtherNote = {
    id,
    receivedAt: now.toISOString(),
    reason: input.reason,
    kind: input.kind,
    from: input.from ?? null,
    subject: input.subject ?? null,
    messageId: input.messageId ?? null,
    ...(input.code ? { code: input.code } : {}),
    ...(files.length > 1 || !mails.original ? { files } : {}),
  };
  const dir = await createStoredFolder(otherDir(stateDir), id, 'keeping a mail in other/', async (w) => {
    if (mails.original) await w.write('original.eml', mails.original);
    for (const f of mails.fragments ?? []) await w.write(`fragment-${f.number}.eml`, f.bytes);
    await w.write('note.json', `${JSON.stringify(note, null, 2)}\n`);
  });
  return { dir, note };
}

/** The notes of the kept mails, newest first. */
export function listOther(stateDir: string): Array<OtherNote & { dir: string }> {
  const root = otherDir(stateDir);
  if (!existsSync(root)) return [];
  const out: Array<OtherNote & { dir: string }> = [];
  for (const id of readdirSync(root).filter((n) => JOB_ID_PATTERN.test(n)).sort().reverse()) {
    const dir = path.join(root, id);
    try {
      out.push({ ...(JSON.parse(readFileSync(path.join(dir, 'note.json'), 'utf8')) as OtherNote), dir });
    } catch {
      /* a folder without its note is skipped, not fatal for the listing */
    }
  }
  return out;
}
