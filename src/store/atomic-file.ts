/**
 * The one way ifax puts bytes on disk: a temp file in the target's directory, fsync, then
 * rename over the target (or link, when it must not exist yet), then fsync of the directory,
 * so a crash, a full disk or an interrupted job never leaves half a file under the real name
 * and a finished file survives a power cut. Used by convert's outputs, the profile editor
 * (config/write.ts) and the job store. Memory and stdout are sinks of the same interface, so a
 * page writer does not care where its bytes go (a file, a mail being assembled, a pipe).
 *
 * Writes are queued (write-behind): `write` returns as soon as the bytes are handed to the
 * file, so the next page is decoded while the last one is written (the write runs on libuv's
 * thread pool). At most MAX_WRITE_BEHIND_BYTES wait in the queue; an error surfaces at the
 * next write, `close` or `commit`. Every SYNC_EVERY_BYTES the queue also flushes what it wrote
 * to disk, so the final fsync (which a reader of the file after a power cut relies on) does
 * not wait for the whole file at the end. Any failure is OUTPUT_FAILED (exit 73) naming the target.
 */

import { randomBytes } from 'node:crypto';
import { statSync, type Stats } from 'node:fs';
import { link, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { IfaxError } from '../errors.js';
import { MAX_WRITE_BEHIND_BYTES } from '../limits.js';

/** Written bytes flushed to disk (fdatasync) in the background every this many bytes. */
const SYNC_EVERY_BYTES = 8 * 1024 * 1024;

/** A byte sink: append, overwrite earlier bytes (TIFF patches), then commit or abort. */
export interface ByteSink {
  /** The path the user named, "-" for stdout, "memory" for a MemorySink. */
  readonly target: string;
  /** Bytes appended so far. */
  readonly bytes: number;
  /**
   * Appends; may return before the bytes are on disk (see `close`). The sink may hold on to
   * `bytes` until then: the caller must not change them after the call.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Overwrites bytes already written (files and memory can; stdout cannot). */
  patch(offset: number, bytes: Uint8Array): Promise<void>;
  /** Flushes and closes; for a file, the target does not exist yet (see `commit`). */
  close(): Promise<void>;
  /** Makes the output visible under its name (rename for files). Calls close first. */
  commit(): Promise<void>;
  /** Drops everything written (removes the temp file); never throws. */
  abort(): Promise<void>;
}

export interface AtomicFileOptions {
  /** File mode; default: the existing file's mode, else `defaultMode`. */
  mode?: number;
  /** Mode of a new file when `mode` is not given; default 0644. */
  defaultMode?: number;
  /** Refuse when the target exists (no clobbering, even in a race: link, not rename). */
  exclusive?: boolean;
  /** Write through a symlinked target to the file it names (profiles); default false. */
  followSymlink?: boolean;
  /** Names the operation in messages: "Writing" (default), "writing profile"... */
  what?: string;
}

/**
 * OUTPUT_FAILED for `target`, the errno turned into a hint a person can act on. The same errno
 * means different things depending on the directory: ENOENT is a missing directory, or a file
 * system that takes no new files (/proc, /sys); EACCES is no permission, or a parent that cannot
 * be searched. So the directory is looked at (in this error path only) before the hint is
 * chosen, and the hint never claims a directory is missing when it is there.
 */
export function outputFailed(target: string, what: string, err: unknown, operation = 'Writing'): IfaxError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // The errno code alone: the system's text ("no such file or directory, open '/x/.x.tif.123.tmp'")
  // names our temp file and says "no such file" where the directory is there; the hint says what it means.
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return new IfaxError('OUTPUT_FAILED', `${operation} ${JSON.stringify(target)} failed: ${what} (${reason})`, {
    cause: err,
    context: { path: target, errno: code },
    hint: outputHint(target, code),
  });
}

/**
 * OUTPUT_FAILED for a target that is an existing directory (exit 73), before anything is
 * written; `example` is a file name to suggest inside it (fax.tif).
 */
export function directoryError(target: string, operation = 'Writing', example?: string): IfaxError {
  return new IfaxError('OUTPUT_FAILED', `${operation} ${JSON.stringify(target)} failed: it is a directory`, {
    context: { path: target, errno: 'EISDIR' },
    hint: example ? `Name a file, e.g. ${JSON.stringify(path.join(target, example))}.` : 'Name a file, not a directory.',
  });
}

/** What the user can do about errno `code` on `target`, from what its directory is. */
function outputHint(target: string, code: string | undefined): string | undefined {
  const shown = JSON.stringify(path.dirname(target));
  if (code === 'EISDIR') return `${JSON.stringify(target)} is a directory; name a file.`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'The disk is full (or the quota reached); nothing was written under the real name.';
  if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return undefined;
  let dir: Stats;
  try {
    dir = statSync(path.dirname(path.resolve(target)));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code;
    if (why === 'ENOENT') return `The directory ${shown} does not exist.`;
    if (why === 'ENOTDIR') return `A part of ${shown} is a file, not a directory.`;
    return `The directory ${shown} cannot be reached (${why ?? 'unknown'}): check the permissions of the directories above it.`;
  }
  if (!dir.isDirectory()) return `${shown} is a file, not a directory.`;
  // The directory is there: the system refused the file itself.
  if (code === 'EROFS') return `${shown} is on a read-only file system; write somewhere else.`;
  if (code === 'EACCES' || code === 'EPERM') return `No permission to create files in ${shown}.`;
  return `The system refused to create a file in ${shown}, which exists (a special file system such as /proc or /sys takes no files); write somewhere else.`;
}

/** Makes a rename durable; not every platform or file system lets a directory be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort: the data itself was fsynced */
  }
}

/**
 * Renames `from` to `to` (a finished file or a whole folder) and fsyncs the directories
 * involved, so the new name survives a power cut and the old one is gone with it.
 */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(path.dirname(to));
  if (path.dirname(path.resolve(from)) !== path.dirname(path.resolve(to))) await fsyncDir(path.dirname(from));
}

/** A file written through a temp file in the same directory and renamed when complete. */
export class AtomicFile implements ByteSink {
  private written = 0;
  private closed = false;
  private committed = false;
  /** The queue of writes in flight, and the first error any of them met. */
  private pending: Promise<void> = Promise.resolve();
  private queued = 0;
  private unsynced = 0;
  private failure: unknown;

  private constructor(
    /** The name the user gave (messages). */
    readonly target: string,
    /** Where the file lands (the symlink's target when followed). */
    private readonly finalPath: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
    private readonly opts: AtomicFileOptions,
  ) {}

  /** Creates the temp file next to `target`; OUTPUT_FAILED when the directory cannot take it. */
  static async create(target: string, opts: AtomicFileOptions = {}): Promise<AtomicFile> {
    const what = opts.what ?? 'Writing';
    let finalPath = path.resolve(target);
    let mode = opts.mode;
    try {
      if (opts.followSymlink) finalPath = await realpath(finalPath);
      const st = await stat(finalPath);
      if (st.isDirectory()) throw directoryError(target, what);
      if (opts.exclusive) throw new IfaxError('OUTPUT_FAILED', `${what} ${JSON.stringify(target)} failed: it exists`, { hint: 'Use --force to overwrite it.', context: { path: target, errno: 'EEXIST' } });
      mode ??= st.mode & 0o777;
    } catch (err) {
      if (err instanceof IfaxError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw outputFailed(target, 'cannot look at the target', err, what);
    }
    mode ??= opts.defaultMode ?? 0o644;
    const dir = path.dirname(finalPath);
    const temp = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(temp, 'wx', mode);
    } catch (err) {
      throw outputFailed(target, `cannot create a file in ${JSON.stringify(dir)}`, err, what);
    }
    try {
      // open() applies the umask; a profile holding passwords must get exactly the mode meant.
      if (opts.mode !== undefined || opts.defaultMode !== undefined) await handle.chmod(mode);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw outputFailed(target, 'cannot set the file mode', err, what);
    }
    return new AtomicFile(target, finalPath, temp, handle, opts);
  }

  get bytes(): number {
    return this.written;
  }

  private fail(what: string, err: unknown): IfaxError {
    return err instanceof IfaxError ? err : outputFailed(this.target, what, err, this.opts.what);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const h = this.handle;
    if (!h) throw this.fail('write after close', new Error('closed'));
    const at = this.written;
    this.written += bytes.length;
    this.queued += bytes.length;
    this.pending = this.pending.then(async () => {
      if (this.failure !== undefined) return;
      try {
        let off = 0;
        while (off < bytes.length) {
          const { bytesWritten } = await h.write(bytes, off, bytes.length - off, at + off);
          off += bytesWritten;
        }
        // Flushed to disk as the file grows, on the thread pool while the next page is made,
        // so the fsync before the rename finds little left to do.
        this.unsynced += bytes.length;
        if (this.unsynced >= SYNC_EVERY_BYTES) {
          this.unsynced = 0;
          await h.datasync();
        }
      } catch (err) {
        this.failure ??= this.fail('cannot write', err);
      } finally {
        this.queued -= bytes.length;
      }
    });
    if (this.queued > MAX_WRITE_BEHIND_BYTES) await this.drain();
  }

  /** Waits for every queued write; throws the first write error. */
  private async drain(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }

  async patch(offset: number, bytes: Uint8Array): Promise<void> {
    await this.drain();
    if (!this.handle) throw this.fail('patch after close', new Error('closed'));
    try {
      await this.handle.write(bytes, 0, bytes.length, offset);
    } catch (err) {
      throw this.fail('cannot write', err);
    }
  }

  async close(): Promise<void> {
    if (this.closed || !this.handle) return;
    await this.drain();
    const h = this.handle;
    this.handle = undefined;
    this.closed = true;
    try {
      await h.sync();
      await h.close();
    } catch (err) {
      await h.close().catch(() => undefined);
      throw this.fail('cannot finish writing', err);
    }
  }

  async commit(): Promise<void> {
    await this.close();
    try {
      if (this.opts.exclusive) {
        try {
          await link(this.tempPath, this.finalPath);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') throw new IfaxError('OUTPUT_FAILED', `${this.opts.what ?? 'Writing'} ${JSON.stringify(this.target)} failed: it exists`, { hint: 'Use --force to overwrite it.', context: { path: this.target, errno: 'EEXIST' } });
          // No hard links here (some network and FAT file systems): fall back to rename.
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
          await rename(this.tempPath, this.finalPath);
        }
        await unlink(this.tempPath).catch(() => undefined);
      } else {
        await rename(this.tempPath, this.finalPath);
      }
      this.committed = true;
    } catch (err) {
      await unlink(this.tempPath).catch(() => undefined);
      throw this.fail('cannot move the finished file into place', err);
    }
    await fsyncDir(path.dirname(this.finalPath));
  }

  /** The path the file was (or will be) committed to. */
  get path(): string {
    return this.finalPath;
  }

  async abort(): Promise<void> {
    if (this.committed) return;
    await this.pending;
    const h = this.handle;
    this.handle = undefined;
    this.closed = true;
    if (h) await h.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

/** Writes `bytes` to `target` atomically (temp file, fsync, rename, fsync of the directory). */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string, opts: AtomicFileOptions = {}): Promise<string> {
  const file = await AtomicFile.create(target, opts);
  try {
    await file.write(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
  return file.path;
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

/**
 * Bytes kept in memory (a fax TIFF for a mail, a PDF for `receive`): `result()` after commit.
 * Bounded by `maxBytes` (LIMIT_EXCEEDED), so a caller states how much it is ready to hold.
 */
export class MemorySink implements ByteSink {
  readonly target = 'memory';
  private chunks: Uint8Array[] = [];
  private written = 0;
  private joined: Uint8Array | undefined;
  private aborted = false;

  constructor(private readonly maxBytes = Number.MAX_SAFE_INTEGER) {}

  get bytes(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.aborted) throw new IfaxError('INTERNAL', 'Writing to memory failed: the sink was aborted');
    if (this.written + bytes.length > this.maxBytes) {
      throw new IfaxError('LIMIT_EXCEEDED', `Writing to memory failed: more than ${this.maxBytes} bytes`, { context: { max: this.maxBytes } });
    }
    this.joined = undefined;
    // Copied: a writer may reuse its buffer after the write.
    this.chunks.push(bytes.slice());
    this.written += bytes.length;
  }

  async patch(offset: number, bytes: Uint8Array): Promise<void> {
    const all = this.join();
    if (offset < 0 || offset + bytes.length > all.length) throw new IfaxError('INTERNAL', `Writing to memory failed: patch at ${offset} beyond ${all.length} bytes`);
    all.set(bytes, offset);
  }

  private join(): Uint8Array {
    if (!this.joined) {
      const out = new Uint8Array(this.written);
      let at = 0;
      for (const c of this.chunks) {
        out.set(c, at);
        at += c.length;
      }
      this.joined = out;
      this.chunks = [out];
    }
    return this.joined;
  }

  /** Everything written, as one array. */
  result(): Uint8Array {
    return this.join();
  }

  async close(): Promise<void> {}
  async commit(): Promise<void> {}
  async abort(): Promise<void> {
    this.aborted = true;
    this.chunks = [];
    this.joined = undefined;
  }
}
