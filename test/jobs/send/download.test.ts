import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeDocument } from '../../../src/jobs/send/download.js';

describe('placeDocument (smtp.loadReduction url modes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ifax-dl-'));
  });
  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes the bytes under an unguessable name and gives its URL, size and SHA-256', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const placed = await placeDocument(bytes, 'tif', { dir, baseUrl: 'https://files.example.com/fax/' });
    const name = path.basename(placed.file);
    expect(name).toMatch(/^[a-z2-7]{26}\.tif$/);
    expect(placed.url).toBe(`https://files.example.com/fax/${name}`);
    expect(placed.size).toBe(5);
    expect(placed.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(readFileSync(placed.file)).toEqual(Buffer.from(bytes));
    expect(statSync(placed.file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual([name]);
  });

  test('two documents never share a name', async () => {
    const a = await placeDocument(new Uint8Array([1]), 'tif', { dir, baseUrl: 'https://h/f' });
    const b = await placeDocument(new Uint8Array([1]), 'tif', { dir, baseUrl: 'https://h/f' });
    expect(a.file).not.toBe(b.file);
    expect(a.url.startsWith('https://h/f/')).toBe(true);
  });

  test('a URL mode without download.dir or baseUrl is a profile error naming both keys', async () => {
    await expect(placeDocument(new Uint8Array([1]), 'tif', { dir: null, baseUrl: 'https://h/' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('download.dir and download.baseUrl') });
  });

  test('a directory that cannot be written is an output error (73) and leaves nothing', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a missing directory stands in for an unwritable one.
      await expect(placeDocument(new Uint8Array([1]), 'tif', { dir: path.join(dir, 'missing'), baseUrl: 'https://h/' })).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });
      return;
    }
    chmodSync(dir, 0o500);
    await expect(placeDocument(new Uint8Array([1]), 'tif', { dir, baseUrl: 'https://h/' })).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
