/**
 * The schema steps: from an empty file to the latest, and from a store at version 1 with jobs in
 * it (built here by applying only step 1, then recording jobs as that version could) to the latest.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IfaxError } from '../../src/errors.js';
import { openDatabase, APPLICATION_ID } from '../../src/store/database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from '../../src/store/migrations/index.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { JobStore } from '../../src/store/jobs.js';
import { DestinationStore } from '../../src/store/destinations.js';
import { cleanTempDirs, sampleJob, tempDir } from './store-helpers.js';

afterAll(cleanTempDirs);

const tables = (file: string): string[] => {
  const db = openSqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
};

test('the steps are numbered 1..n, each with its reason', () => {
  expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  for (const m of MIGRATIONS) expect(m.why.length).toBeGreaterThan(10);
  expect(SCHEMA_VERSION).toBe(3);
});

test('an empty file becomes the latest schema, tagged as an ifax store', () => {
  const file = path.join(tempDir(), 'ifax.db');
  const s = openDatabase(file);
  expect(schemaVersion(s.db)).toBe(SCHEMA_VERSION);
  expect(Number(s.db.pragma('application_id', { simple: true }))).toBe(APPLICATION_ID);
  s.close();
  expect(tables(file)).toEqual(['capability_sources', 'destinations', 'job_destinations', 'job_events', 'job_messages', 'job_reports', 'jobs', 'poll_journal']);
  // Opening again applies nothing.
  const again = openDatabase(file);
  expect(migrate(again.db, file)).toEqual([]);
  again.close();
});

test('a store at version 1 with jobs in it is brought to the latest, its jobs intact and usable', () => {
  const dir = tempDir();
  const file = path.join(dir, 'ifax.db');
  const v1 = openDatabase(file, { schemaVersion: 1 });
  expect(schemaVersion(v1.db)).toBe(1);
  expect(tables(file)).not.toContain('destinations');
  const old = new JobStore(v1);
  const a = old.create(sampleJob({ messages: ['<v1.a@st.test>'] }));
  old.recordSend(a.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true, reply: '250 ok' }] });
  const b = old.create(sampleJob({ messages: ['<v1.b@st.test>'] }));
  const before = { a: old.get(a.id), b: old.get(b.id), history: old.history(a.id) };
  old.close();

  const now = openDatabase(file);
  expect(schemaVersion(now.db)).toBe(SCHEMA_VERSION);
  const jobs = new JobStore(now);
  expect(jobs.get(a.id)).toEqual(before.a);
  expect(jobs.get(b.id)).toEqual(before.b);
  expect(jobs.history(a.id)).toEqual(before.history);
  expect(jobs.findByMessageId('<v1.a@st.test>')?.id).toBe(a.id);
  // The new step's tables work, and point at the old jobs.
  const caps = new DestinationStore(now);
  caps.upsert({ address: 'fax1@ifax.test', caps: '(& (image-coding=[MH,MR,MMR]))', source: 'mdn', jobId: a.id });
  expect(caps.get('FAX1@ifax.test')?.jobId).toBe(a.id);
  expect(jobs.recordReport(a.id, { type: 'mdn', disposition: 'processed' }).job.state).toBe('processed');
  jobs.close();
});

test('a failing step keeps nothing of itself: the version and the tables stay as they were', () => {
  const file = path.join(tempDir(), 'ifax.db');
  const s = openDatabase(file, { schemaVersion: 1 });
  const broken = [...MIGRATIONS.slice(0, 1), { version: 2, why: 'a step whose second statement fails', sql: 'CREATE TABLE half (x); CREATE TABLE jobs (y);' }];
  expect(() => migrate(s.db, file, 2, broken)).toThrow(/updating the job store .* to schema version 2 failed: table jobs already exists/);
  expect(schemaVersion(s.db)).toBe(1);
  expect((s.db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get() as { n: number }).n).toBe(0);
  s.close();
});

test('a store from a newer ifax is refused with 73 and left byte for byte as it was', () => {
  const file = path.join(tempDir(), 'ifax.db');
  openDatabase(file).close();
  const raw = openSqlite(file, {});
  raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
  raw.close();
  const hash = (): string => createHash('sha256').update(readFileSync(file)).digest('hex');
  const h = hash();
  let err: unknown;
  try {
    openDatabase(file);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IfaxError);
  expect((err as IfaxError).exitCode).toBe(73);
  expect((err as IfaxError).message).toBe(`opening the job store ${JSON.stringify(file)} failed: it was written by a newer ifax (schema version ${SCHEMA_VERSION + 5}; this ifax knows up to ${SCHEMA_VERSION})`);
  expect(hash()).toBe(h);
});

test('a damaged file and another program\'s SQLite database are refused with 73, naming the file', () => {
  const dir = tempDir();
  const junk = path.join(dir, 'junk.db');
  writeFileSync(junk, Buffer.alloc(8192, 'this is not SQLite '));
  expect(() => openDatabase(junk)).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining(JSON.stringify(junk)), hint: expect.stringContaining('Move it aside') }));

  const foreign = path.join(dir, 'foreign.db');
  const other = openSqlite(foreign, {});
  other.exec('CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (\'keep me\')');
  other.close();
  expect(() => openDatabase(foreign)).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining('a SQLite database of another program') }));
  expect(tables(foreign)).toEqual(['notes']);
});
