import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { IfaxError } from '../../src/errors.js';
import { createInboxEntry, getInbox, listInbox, metaJson, newInboxId, removeStaleIncoming, inboxDir, type InboxMeta } from '../../src/store/inbox.js';
import { listOther, saveOther } from '../../src/store/other-mail.js';
import { addFragment, finishSet, withSetLock } from '../../src/store/partials.js';
import { cleanTempDirs, tempDir } from './store-helpers.js';

afterAll(cleanTempDirs);

function meta(id: string, subject: string): InboxMeta {
  return { id, receivedAt: '2026-12-04T09:00:00.000Z', from: { address: 'a@b.test' }, to: [], subject, date: null, messageId: `<${id}@b.test>`, note: null, tiffs: [], pages: [], warnings: [] };
}

describe('inbox', () => {
  test('an entry appears whole under inbox/<id> (mode 0600 files), and is listed newest first and found by a part of its id', async () => {
    const stateDir = tempDir();
    const a = newInboxId(new Date('2026-12-04T09:00:00Z'));
    const b = newInboxId(new Date('2026-12-04T10:00:00Z'));
    for (const [id, s] of [[a, 'first'], [b, 'second']]) {
      await createInboxEntry(stateDir, id, async (w) => {
        await w.write('original.eml', 'x');
        await w.write('meta.json', metaJson(meta(id, s)));
      });
    }
    expect(readdirSync(inboxDir(stateDir)).sort()).toEqual([a, b].sort());
    expect(statSync(path.join(inboxDir(stateDir), a, 'original.eml')).mode & 0o777).toBe(0o600);
    expect(listInbox(stateDir).map((e) => e.subject)).toEqual(['second', 'first']);
    expect(getInbox(stateDir, b.slice(16)).subject).toBe('second');
    expect(getInbox(stateDir, a).subject).toBe('first');
    expect(() => getInbox(stateDir, 'nope')).toThrow(IfaxError);
    expect(() => getInbox(stateDir, '2026')).toThrow(/matches several/);
  });

  test('a failure while filling leaves nothing behind, and the error comes through', async () => {
    const stateDir = tempDir();
    const id = newInboxId(new Date());
    await expect(
      createInboxEntry(stateDir, id, async (w) => {
        await w.write('original.eml', 'x');
        throw new IfaxError('TIFF_INVALID', 'bad tiff');
      }),
    ).rejects.toThrow('bad tiff');
    expect(readdirSync(inboxDir(stateDir))).toEqual([]);
    expect(removeStaleIncoming(inboxDir(stateDir), new Date())).toBe(0);
  });
});

describe('other/', () => {
  test('a mail is kept with its note, and listed', async () => {
    const stateDir = tempDir();
    const { dir, note } = await saveOther(stateDir, { original: new TextEncoder().encode('mail') }, { reason: 'not a fax', kind: 'other', from: 'a@b.test' }, new Date('2026-12-04T09:00:00Z'));
    expect(readFileSync(path.join(dir, 'original.eml'), 'utf8')).toBe('mail');
    expect(note).toMatchObject({ reason: 'not a fax', kind: 'other', from: 'a@b.test', receivedAt: '2026-12-04T09:00:00.000Z' });
    expect(listOther(stateDir)).toEqual([expect.objectContaining({ reason: 'not a fax', dir })]);
  });
});

describe('partials', () => {
  const now = new Date('2026-12-04T09:00:00Z');
  test('a set completes in any order, a fragment held already is a duplicate, a finished set is remembered', async () => {
    const stateDir = tempDir();
    const bytes = (n: number): Uint8Array => new TextEncoder().encode(`fragment ${n}`);
    expect(await addFragment(stateDir, { id: 'set@x', number: 3, total: 3 }, bytes(3), now)).toMatchObject({ state: 'waiting', have: 1, total: 3 });
    expect(await addFragment(stateDir, { id: 'set@x', number: 3, total: 3 }, bytes(3), now)).toMatchObject({ state: 'duplicate', have: 1 });
    expect(await addFragment(stateDir, { id: 'set@x', number: 1 }, bytes(1), now)).toMatchObject({ state: 'waiting', have: 2, total: 3 });
    const done = await addFragment(stateDir, { id: 'set@x', number: 2 }, bytes(2), now);
    expect(done.state).toBe('complete');
    if (done.state === 'complete') expect(done.fragments.map((f) => new TextDecoder().decode(f))).toEqual(['fragment 1', 'fragment 2', 'fragment 3']);
    await finishSet(stateDir, 'set@x', now, null);
    expect(await addFragment(stateDir, { id: 'set@x', number: 2 }, bytes(2), now)).toMatchObject({ state: 'done-before' });
  });

  test('a set held by another process gives LOCK_HELD (exit 75), and the lock is released after', async () => {
    const stateDir = tempDir();
    let inner: unknown;
    await withSetLock(stateDir, 'busy@x', now, async () => {
      try {
        await withSetLock(stateDir, 'busy@x', now, async () => undefined);
      } catch (err) {
        inner = err;
      }
    });
    expect(inner).toBeInstanceOf(IfaxError);
    expect((inner as IfaxError).code).toBe('LOCK_HELD');
    await expect(withSetLock(stateDir, 'busy@x', now, async () => 'again')).resolves.toBe('again');
    expect(existsSync(path.join(stateDir, 'partials'))).toBe(true);
  });
});
