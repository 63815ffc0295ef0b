/**
 * Where converted bytes go: a file written atomically (a temp file in the target's directory,
 * renamed over the target only when complete, so a failed or interrupted convert never leaves
 * a half-written file under the real name), or stdout (`-o -`).
 * Any failure to create, write or rename is OUTPUT_FAILED (exit 73) naming the target path.
 */

import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';

/** A byte sink: append, overwrite earlier bytes (TIFF patches), then commit or abort. */
export interface ByteSink {
  /** The path the user named (or "-" for stdout). */
  readonly target: string;
  /** Bytes appended so far. */
  readonly bytes: number;
  write(bytes: Uint8Array): Promise<void>;
  /** Overwrites bytes already written (only files can do this). */
  patch(offset: number, bytes: Uint8Array): Promise<void>;
  /** Flushes and closes; for a file, the target does not exist yet (see `commit`). */
  close(): Promise<void>;
  /** Makes the output visible under its name (rename for files). Call after close. */
  commit(): Promise<void>;
  /** Drops everything written (removes the temp file); never throws. */
  abort(): Promise<void>;
}

function outputFailed(target: string, what: string, err: unknown): IfaxError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = err instanceof Error ? err.message : String(err);
  return new IfaxError('OUTPUT_FAILED', `Writing ${JSON.stringify(target)} failed: ${what} (${reason})`, {
    cause: err,
    context: { path: target, errno: code },
    hint:
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `The directory ${JSON.stringify(path.dirname(target))} does not exist.`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `No permission to create files in ${JSON.stringify(path.dirname(target))}.`
          : code === 'EISDIR'
            ? `${JSON.stringify(target)} is a directory; name a file.`
            : undefined,
  });
}

/** A file written through a temp file in the same directory and renamed when complete. */
export class AtomicFile implements ByteSink {
  private written = 0;
  private closed = false;
  private committed = false;

  private constructor(
    readonly target: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Creates the temp file next to `target`; OUTPUT_FAILED when the directory cannot take it. */
  static async create(target: string): Promise<AtomicFile> {
    const dir = path.dirname(path.resolve(target));
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      return new AtomicFile(target, temp, handle);
    } catch (err) {
      throw outputFailed(target, `cannot create a file in ${JSON.stringify(dir)}`, err);
    }
  }

  get bytes(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.handle) throw outputFailed(this.target, 'write after close', new Error('closed'));
    try {
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off, this.written + off);
        off += bytesWritten;
      }
      this.written += bytes.length;
    } catch (err) {
      throw outputFailed(this.target, 'cannot write', err);
    }
  }

  async patch(offset: number, bytes: Uint8Array): Promise<void> {
    if (!this.handle) throw outputFailed(this.target, 'patch after close', new Error('closed'));
    try {
      await this.handle.write(bytes, 0, bytes.length, offset);
    } catch (err) {
      throw outputFailed(this.target, 'cannot write', err);
    }
  }

  async close(): Promise<void> {
    if (this.closed || !this.handle) return;
    const h = this.handle;
    this.handle = undefined;
    this.closed = true;
    try {
      await h.sync();
      await h.close();
    } catch (err) {
      throw outputFailed(this.target, 'cannot finish writing', err);
    }
  }

  async commit(): Promise<void> {
    await this.close();
    try {
      await rename(this.tempPath, this.target);
      this.committed = true;
    } catch (err) {
      throw outputFailed(this.target, 'cannot move the finished file into place', err);
    }
  }

  async abort(): Promise<void> {
    if (this.committed) return;
    const h = this.handle;
    this.handle = undefined;
    this.closed = true;
    if (h) await h.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** Standard output as a sink: bytes go out as they come; nothing can be taken back. */
export class StdoutSink implements ByteSink {
  readonly target = '-';
  private written = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  get bytes(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.written += bytes.length;
    await new Promise<void>((resolve, reject) => {
      this.stream.write(bytes, (err) => (err ? reject(outputFailed('-', 'cannot write to standard output', err)) : resolve()));
    });
  }

  async patch(): Promise<void> {
    throw new IfaxError('INTERNAL', 'Writing "-" failed: standard output cannot be patched (page count must be known)');
  }

  async close(): Promise<void> {}
  async commit(): Promise<void> {}
  async abort(): Promise<void> {}
}
