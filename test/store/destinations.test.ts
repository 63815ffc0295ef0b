/** Destination capabilities: learned from MDN/DSN, set by hand, cleared. */
import { DestinationStore } from '../../src/store/destinations.js';
import { cleanTempDirs, freshStore, sampleJob } from './store-helpers.js';

afterAll(cleanTempDirs);

test('a learned answer replaces a learned one; a manual entry stays until it is cleared', () => {
  const { store, clock } = freshStore();
  const caps = new DestinationStore(store.database, clock.now);
  const job = store.create(sampleJob());
  const first = caps.upsert({ address: 'Fax1@ifax.test', displayName: 'Front desk', caps: '(& (image-coding=MH) (paper-size=A4))', source: 'mdn', jobId: job.id });
  expect(first).toEqual({ stored: true, entry: { address: 'Fax1@ifax.test', displayName: 'Front desk', caps: '(& (image-coding=MH) (paper-size=A4))', source: 'mdn', learnedAt: '2026-12-01T08:00:00.000Z', jobId: job.id } });
  clock.advance(3_600_000);
  const second = caps.upsert({ address: 'fax1@IFAX.test', caps: '(& (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]))', source: 'dsn' });
  expect(second.stored).toBe(true);
  // The display name is kept when the new answer has none; the address is one entry whatever its case.
  expect(second.entry).toMatchObject({ displayName: 'Front desk', source: 'dsn', learnedAt: '2026-12-01T09:00:00.000Z', jobId: null });
  caps.upsert({ address: 'fax1@ifax.test', caps: '(image-coding=MMR)', source: 'manual' });
  const learned = caps.upsert({ address: 'fax1@ifax.test', caps: '(image-coding=MH)', source: 'mdn' });
  expect([learned.stored, learned.entry.caps, learned.entry.source]).toEqual([false, '(image-coding=MMR)', 'manual']);
  expect(caps.list().map((c) => c.caps)).toEqual(['(image-coding=MMR)']);
  expect(caps.clear('FAX1@ifax.test')).toBe(true);
  expect(caps.clear('fax1@ifax.test')).toBe(false);
  expect(caps.get('fax1@ifax.test')).toBeUndefined();
  store.close();
});

test('an entry outlives the job that taught it; nonsense is refused', () => {
  const { store } = freshStore();
  const caps = new DestinationStore(store.database);
  const job = store.create(sampleJob());
  caps.upsert({ address: 'fax2@ifax.test', caps: '(color=Binary)', source: 'mdn', jobId: job.id });
  store.database.db.prepare('DELETE FROM jobs WHERE id = ?').run(job.id);
  expect(caps.get('fax2@ifax.test')).toMatchObject({ caps: '(color=Binary)', jobId: null });
  expect(() => caps.upsert({ address: 'no-at-sign', caps: '(color=Binary)', source: 'manual' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  expect(() => caps.upsert({ address: 'a@b.test', caps: ' ', source: 'manual' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  // A source the schema does not know (foreign key to capability_sources) is refused by SQLite itself.
  expect(() => caps.upsert({ address: 'a@b.test', caps: '(color=Binary)', source: 'book' as never })).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining('FOREIGN KEY') }));
  store.close();
});
