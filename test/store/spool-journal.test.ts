/**
 * The spool and the poll journal on their own: a spool name exists only for a whole mail, a
 * failed write leaves nothing, temp files of a killed write are swept, names sort in fetch
 * order, Message-IDs are read from folded headers; the journal's steps and pruning, and the
 * case a crash leaves behind (spool file renamed, row still "fetching").
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/index.js';
import { PollJournal } from '../../src/store/poll-journal.js';
import { messageIdOfHeader, newSpoolName, readMessageId, Spool } from '../../src/store/spool.js';
import { cleanTempDirs, tempDir } from './store-helpers.js';

afterAll(cleanTempDirs);

test('a spool file appears under its name only once whole; a failed write leaves nothing', async () => {
  const spool = new Spool(tempDir());
  const name = newSpoolName();
  await spool.write(name, async (write) => {
    await write(Buffer.from('Message-ID:\r\n <folded@spool.test>\r\n\r\nbody\r\n'));
  });
  expect(spool.list()).toEqual([name]);
  expect(await readMessageId(spool.path(name))).toBe('<folded@spool.test>');
  const bad = newSpoolName();
  await expect(
    spool.write(bad, async (write) => {
      await write(Buffer.from('From: x\r\n'));
      throw new Error('connection lost');
    }),
  ).rejects.toThrow('connection lost');
  expect(readdirSync(spool.dir)).toEqual([name]);
  writeFileSync(path.join(spool.dir, `.${bad}.123.abcd.tmp`), 'half');
  expect(spool.list()).toEqual([name]);
  expect(await spool.removeTemps()).toBe(1);
  expect(readdirSync(spool.dir)).toEqual([name]);
  await spool.remove(name);
  expect(spool.list()).toEqual([]);
});

test('spool names sort in fetch order; a Message-ID is read from the header only', () => {
  const names = Array.from({ length: 50 }, (_, i) => newSpoolName(new Date(1_700_000_000_000 + Math.floor(i / 10))));
  expect([...names].sort()).toEqual(names);
  expect(messageIdOfHeader('Subject: x\r\n\r\nMessage-ID: <in-body@x>\r\n')).toBeNull();
  expect(messageIdOfHeader('message-id:   <a@b>\nSubject: y\n\n')).toBe('<a@b>');
});

test('a permanent failure moves the mail to other/ with its note', async () => {
  const stateDir = tempDir();
  const spool = new Spool(stateDir);
  const name = newSpoolName();
  await spool.write(name, (write) => write(Buffer.from('x\r\n')));
  const moved = await spool.moveToOther(name, { code: 'DATA_INVALID' });
  expect(existsSync(moved)).toBe(true);
  expect(existsSync(`${moved}.json`)).toBe(true);
  expect(spool.list()).toEqual([]);
});

test('the journal: fetching -> fetched -> deleted -> processed, kept across a reopen; pruned once gone from the server', () => {
  const stateDir = tempDir();
  let store = openStore(stateDir);
  let j = new PollJournal(store);
  j.beginFetch('u@h:110', 'UID1', 'a.eml');
  j.beginFetch('u@h:110', 'UID2', 'b.eml');
  // A retried fetch of a row still "fetching" takes the new spool name.
  j.beginFetch('u@h:110', 'UID2', 'c.eml');
  j.fetched('u@h:110', 'UID1', '<1@x>');
  store.close();
  store = openStore(stateDir);
  j = new PollJournal(store);
  expect(j.get('u@h:110', 'UID1')).toMatchObject({ state: 'fetched', messageId: '<1@x>', spoolFile: 'a.eml' });
  expect(j.get('u@h:110', 'UID2')).toMatchObject({ state: 'fetching', spoolFile: 'c.eml' });
  // A fetched row keeps its spool name.
  j.beginFetch('u@h:110', 'UID1', 'z.eml');
  expect(j.get('u@h:110', 'UID1')?.spoolFile).toBe('a.eml');
  j.deleted('u@h:110', ['UID1']);
  expect(j.get('u@h:110', 'UID1')?.state).toBe('deleted');
  expect(j.prune('u@h:110', new Set())).toBe(0);
  j.processed('a.eml', 'done');
  expect(j.bySpoolFile('a.eml')?.outcome).toBe('done');
  expect(j.prune('u@h:110', new Set(['UID1']))).toBe(0);
  expect(j.prune('u@h:110', new Set())).toBe(1);
  expect(j.entries('u@h:110').map((e) => e.uid)).toEqual(['UID2']);
  store.close();
});
