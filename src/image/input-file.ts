/**
 * The file side of reading inputs: existence and size checks (INPUT_NOT_FOUND, LIMIT_EXCEEDED
 * before anything is read), reading by offset from an open descriptor (a large PBM is read
 * image by image), and stdin spooled to a temp file so it is read like a file.
 */

import { createWriteStream, mkdtempSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import path from 'node:path';
import { IfaxError, isIfaxError } from '../errors.js';
import { MAX_INPUT_BYTES } from '../limits.js';
import type { ByteSource } from './pbm.js';

const q = (s: string): string => JSON.stringify(s);

/** stat + open checks: INPUT_NOT_FOUND naming the file, LIMIT_EXCEEDED for MAX_INPUT_BYTES. Returns the size. */
export function checkFile(file: string, name: string): number {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) {
      throw new IfaxError('INPUT_NOT_FOUND', `Reading ${q(name)} failed: it is a directory, not a file`, { context: { file: name } });
    }
    size = st.size;
  } catch (err) {
    if (isIfaxError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new IfaxError(
      'INPUT_NOT_FOUND',
      `Reading ${q(name)} failed: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      { cause: err, context: { file: name, errno: code }, hint: code === 'ENOENT' ? 'Check the path; use "-" to read standard input.' : undefined },
    );
  }
  if (size > MAX_INPUT_BYTES) {
    throw new IfaxError('LIMIT_EXCEEDED', `Reading ${q(name)} failed: the file is ${size} bytes, over MAX_INPUT_BYTES (${MAX_INPUT_BYTES})`, {
      context: { file: name, limit: 'MAX_INPUT_BYTES', max: MAX_INPUT_BYTES, value: size },
    });
  }
  return size;
}

/** A ByteSource over an open file descriptor. */
export function fdSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    readInto(offset, target) {
      let got = 0;
      while (got < target.length) {
        const r = readSync(fd, target, got, target.length - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got;
    },
  };
}

/** Stdin spooled to a temp file (bounded by MAX_INPUT_BYTES); remove the dir when done. */
export async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ file: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ifax-stdin-'));
  const file = path.join(dir, 'stdin');
  const out = createWriteStream(file);
  // A write error (disk full) rejects the waits below; without a listener it would crash the process.
  let failed: Error | undefined;
  out.on('error', (err) => {
    failed ??= err;
  });
  let total = 0;
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_INPUT_BYTES) {
        throw new IfaxError('LIMIT_EXCEEDED', `Reading "stdin" failed: more than MAX_INPUT_BYTES (${MAX_INPUT_BYTES}) bytes`, {
          context: { file: 'stdin', limit: 'MAX_INPUT_BYTES', max: MAX_INPUT_BYTES },
        });
      }
      if (failed) throw failed;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    if (failed) throw failed;
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (isIfaxError(err) || failed === undefined) throw err;
    throw new IfaxError('OUTPUT_FAILED', `Reading "stdin" failed: it cannot be spooled to ${JSON.stringify(dir)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      cause: err,
      context: { file: 'stdin' },
      hint: 'Free some space in the temporary directory (TMPDIR), or give the file instead of "-".',
    });
  }
  return { file, dir };
}

