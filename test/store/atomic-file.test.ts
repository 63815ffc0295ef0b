import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AtomicFile, MemorySink, writeFileAtomic } from '../../src/store/atomic-file.js';
import { MAX_WRITE_BEHIND_BYTES } from '../../src/limits.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ifax-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AtomicFile', () => {
  it('shows nothing under the name until commit, then exactly what was written and patched', async () => {
    const target = path.join(dir, 'out.bin');
    const f = await AtomicFile.create(target);
    await f.write(new Uint8Array([1, 2, 3]));
    await f.write(new Uint8Array([4, 5]));
    await f.patch(1, new Uint8Array([9]));
    expect(() => statSync(target)).toThrow();
    await f.commit();
    expect([...readFileSync(target)]).toEqual([1, 9, 3, 4, 5]);
    expect(f.bytes).toBe(5);
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('write-behind: many queued writes beyond the queue bound land in order', async () => {
    const target = path.join(dir, 'big.bin');
    const f = await AtomicFile.create(target);
    const chunk = 4 * 1024 * 1024;
    const n = Math.ceil((2 * MAX_WRITE_BEHIND_BYTES) / chunk) + 1;
    for (let i = 0; i < n; i++) await f.write(new Uint8Array(chunk).fill(i & 0xff));
    await f.commit();
    const got = readFileSync(target);
    expect(got.length).toBe(n * chunk);
    for (let i = 0; i < n; i++) expect(got[i * chunk + 123]).toBe(i & 0xff);
  });

  it('abort leaves nothing behind, not even the temp file', async () => {
    const f = await AtomicFile.create(path.join(dir, 'x.tif'));
    await f.write(new Uint8Array(1000));
    await f.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names a directory as a directory (OUTPUT_FAILED), and a missing directory as missing', async () => {
    await expect(AtomicFile.create(dir)).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringMatching(/is a directory/) });
    await expect(AtomicFile.create(path.join(dir, 'nope', 'x.tif'))).rejects.toMatchObject({ code: 'OUTPUT_FAILED', hint: expect.stringMatching(/does not exist/) });
  });

  it('exclusive: refuses an existing file, and gives a new one exactly the mode asked for', async () => {
    const target = path.join(dir, 'profile.yaml');
    await writeFileAtomic(target, 'a: 1\n', { exclusive: true, defaultMode: 0o600 });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    await expect(writeFileAtomic(target, 'b: 2\n', { exclusive: true })).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringMatching(/exists/) });
    expect(readFileSync(target, 'utf8')).toBe('a: 1\n');
  });

  it('keeps an existing file\'s mode, and writes through a symlink when asked', async () => {
    const real = path.join(dir, 'real.yaml');
    writeFileSync(real, 'old');
    chmodSync(real, 0o640);
    const link = path.join(dir, 'link.yaml');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new', { followSymlink: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });
});

describe('MemorySink', () => {
  it('collects writes and patches, and keeps to its bound', async () => {
    const m = new MemorySink(6);
    const buf = new Uint8Array([1, 2, 3]);
    await m.write(buf);
    buf[0] = 7; // the writer may reuse its buffer
    await m.patch(2, new Uint8Array([8]));
    await m.write(new Uint8Array([4, 5, 6]));
    expect([...m.result()]).toEqual([1, 2, 8, 4, 5, 6]);
    await expect(m.write(new Uint8Array([0]))).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });
});
