/**
 * What the poll tests share: a processor of their own (it copies each spooled mail into a
 * "processed" directory with the same write-fsync-rename discipline, as receive stores what it
 * keeps), Python's email package as the oracle of the Message-IDs that came through, and mails
 * put into a stack user's Maildir the way an MTA delivers them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SpoolOutcome } from '../../src/jobs/poll.js';
import type { MailStack, StackUser } from '../interop/stack-types.js';

const dirs: string[] = [];

export function tempStateDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ifax-poll-'));
  dirs.push(d);
  return d;
}

export function cleanTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A processor that keeps each mail in `dir` (copy, then the spool file may go). */
export function copyingProcessor(dir: string): (file: string) => Promise<SpoolOutcome> {
  mkdirSync(dir, { recursive: true });
  return async (file) => {
    const target = path.join(dir, path.basename(file));
    await copyFile(file, `${target}.part`);
    renameSync(`${target}.part`, target);
    return { other: 1 };
  };
}

/** The Message-IDs of every mail file in `dir`, as Python's email parser reads them. */
export function messageIdsIn(dir: string): string[] {
  const out = execFileSync('python3', ['-c', `
import email, email.policy, os, sys
d = sys.argv[1]
for n in sorted(os.listdir(d)):
    if n.endswith('.part'):
        continue
    with open(os.path.join(d, n), 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.compat32)
    print(m['Message-ID'])
`, dir], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

/** A small test mail with Message-ID `<tag@poll.test>`. */
export function testMail(tag: string, body = 'hello'): string {
  return `From: sender@ifax.test\r\nTo: fax@ifax.test\r\nSubject: poll ${tag}\r\nMessage-ID: <${tag}@poll.test>\r\nDate: Fri, 04 Dec 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n${body}\r\n.leading dot line\r\n`;
}

/** Put a mail into `maildir` as an MTA does (tmp/ then new/). */
export function deliver(maildir: string, message: string): void {
  const name = `${Date.now()}.ifaxpolltest${randomBytes(6).toString('hex')}`;
  const tmp = path.join(maildir, 'tmp', name);
  writeFileSync(tmp, message, 'latin1');
  const owner = statSync(maildir);
  if (process.getuid?.() === 0) chownSync(tmp, owner.uid, owner.gid);
  renameSync(tmp, path.join(maildir, 'new', name));
}

/** Mails in the Maildir (new/ and cur/). */
export function maildirCount(maildir: string): number {
  return ['new', 'cur'].reduce((n, sub) => n + readdirSync(path.join(maildir, sub)).length, 0);
}

/** A stack user reserved for the poll tests (their mailboxes are emptied: no other test uses them). */
export function pollUser(stack: MailStack, login: 'poll1' | 'poll2' | 'poll3'): StackUser {
  const u = stack.users.find((x) => x.login === login);
  if (!u) throw new Error(`the mail stack has no user ${login}: restart it (test/interop/stack/stack.sh stop) so that it is made`);
  return u;
}

/** Empty the Maildir (a poll user's, see pollUser). */
export function emptyMaildir(maildir: string): void {
  for (const sub of ['new', 'cur']) for (const f of readdirSync(path.join(maildir, sub))) rmSync(path.join(maildir, sub, f));
}
