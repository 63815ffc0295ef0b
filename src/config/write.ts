/**
 * Writing profiles: edits that keep the file's format (YAML keeps its comments and layout,
 * JSON its indentation, package.json its other keys), and an atomic write (temp file in the
 * same directory, fsync, rename) so that a crash or a full disk never leaves half a profile.
 */
import { randomBytes } from 'node:crypto';
import { link, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { IfaxError } from '../errors.js';
import { isPlainObject, setIn } from './merge.js';
import type { ProfileFormat } from './load.js';

/** Profiles hold passwords: new files are readable by their owner only. */
export const PROFILE_MODE = 0o600;

export interface WriteOptions {
  /** File mode; default: the existing file's mode, else 0600. */
  mode?: number;
  /** Refuse when the file exists (no clobbering, even in a race). */
  exclusive?: boolean;
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename durable; not every platform/file system allows opening a directory.
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

function writeFailed(target: string, err: unknown): IfaxError {
  const code = (err as NodeJS.ErrnoException).code;
  return new IfaxError('OUTPUT_FAILED', `writing profile failed: ${target}: ${code ?? (err as Error).message}`, {
    cause: err,
    hint: code === 'EACCES' || code === 'EPERM' ? 'check the permissions of the file and its directory' : code === 'ENOENT' ? 'the directory does not exist' : undefined,
    context: { file: target },
  });
}

function existsError(filepath: string): IfaxError {
  return new IfaxError('OUTPUT_FAILED', `writing profile failed: ${filepath} exists`, { hint: 'use --force to overwrite it', context: { file: filepath } });
}

/**
 * Write `text` to `filepath` atomically: a temp file beside it (same file system), fsync,
 * then rename over the target (or link, when `exclusive`, which fails if it exists). A
 * symlinked profile is written through the link. Returns the path written.
 */
export async function atomicWrite(filepath: string, text: string, options: WriteOptions = {}): Promise<string> {
  let target = path.resolve(filepath);
  let mode = options.mode;
  try {
    target = await realpath(target);
    if (options.exclusive) throw existsError(filepath);
    mode ??= (await stat(target)).mode & 0o777;
  } catch (err) {
    if (err instanceof IfaxError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(filepath, err);
  }
  try {
    await replaceFile(target, text, mode ?? PROFILE_MODE, options.exclusive === true);
  } catch (err) {
    // EEXIST here is the link of an exclusive write losing a race with another writer.
    if (options.exclusive && (err as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(filepath);
    throw writeFailed(filepath, err);
  }
  return target;
}

/**
 * The atomic replacement itself, apart from the profile policy of atomicWrite (symlinks,
 * the mode kept, the messages) so that it can be swapped for the shared atomic writer later:
 * a temp file in the target's directory with exactly `mode`, written and fsynced, then renamed
 * over `target`, or, when `exclusive`, hard-linked to it (failing with EEXIST if it exists).
 * The temp file is removed on any failure; errors are the file system's, unwrapped.
 */
async function replaceFile(target: string, text: string, mode: number, exclusive: boolean): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(text, 'utf8');
      // open() applies the umask; set the exact mode we mean.
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (exclusive) {
      try {
        await link(tmp, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
        // No hard links here (some network and FAT file systems): fall back to rename.
        await rename(tmp, target);
      }
      await unlink(tmp).catch(() => undefined);
    } else {
      await rename(tmp, target);
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** Detect the indentation of a JSON text (default two spaces). */
function jsonIndent(text: string): string | number {
  const m = /^[{[]\s*\n([ \t]+)\S/.exec(text);
  return m ? m[1] : 2;
}

/**
 * Set (value) or remove (undefined) the key at `keyPath` in a profile file's text, keeping
 * its format. For package.json the key is inside `ifax`. `.js` profiles cannot be edited.
 */
export function editProfileText(text: string, format: ProfileFormat, keyPath: string[], value: unknown, filepath = 'the profile'): string {
  if (format === 'js') {
    throw new IfaxError('OUTPUT_FAILED', `editing profile failed: ${filepath} is JavaScript, which ifax cannot edit`, {
      hint: 'change it by hand, or move the settings to .ifaxrc.yaml (ifax config show prints them)',
      context: { file: filepath },
    });
  }
  const treatAsJson = format === 'json' || format === 'package-json' || (format === 'yaml' && looksLikeJson(text));
  if (treatAsJson) {
    const doc = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    if (!isPlainObject(doc)) throw notAMap(filepath);
    const full = format === 'package-json' ? ['ifax', ...keyPath] : keyPath;
    const out = setIn(doc, full, value);
    const trailing = text.endsWith('\n') || text.trim() === '' ? '\n' : '';
    return JSON.stringify(out, null, jsonIndent(text)) + trailing;
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    throw new IfaxError('CONFIG_INVALID', `editing profile failed: ${filepath} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!YAML.isMap(doc.contents)) throw notAMap(filepath);
  if (value === undefined) {
    doc.deleteIn(keyPath);
  } else {
    const existing = doc.getIn(keyPath, true);
    if (YAML.isScalar(existing) && (value === null || typeof value !== 'object')) {
      // Change the value in place: the key's comments (before and after it) stay.
      if (typeof existing.value !== typeof value) existing.type = undefined;
      existing.value = value;
    } else {
      // Lists go in flow style, as `.ifaxrc.example` writes them: [PLAIN, LOGIN].
      const node = doc.createNode(value, { flow: Array.isArray(value) });
      if (YAML.isNode(existing)) {
        node.comment = existing.comment;
        node.commentBefore = existing.commentBefore;
      }
      ensureMaps(doc, keyPath);
      doc.setIn(keyPath, node);
    }
  }
  return doc.toString();
}

/**
 * `setIn` would fail where a parent on the way is null (`profiles: ` with no value, or
 * `smtp: null`); make such parents empty block maps first.
 */
function ensureMaps(doc: YAML.Document, keyPath: string[]): void {
  for (let i = 1; i < keyPath.length; i++) {
    const parent = keyPath.slice(0, i);
    const node = doc.getIn(parent, true);
    if (node === undefined || node === null || (YAML.isScalar(node) && node.value === null)) {
      doc.setIn(parent, doc.createNode({}));
    }
  }
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

function notAMap(filepath: string): IfaxError {
  return new IfaxError('CONFIG_INVALID', `editing profile failed: ${filepath} does not hold a map of settings (key: value)`);
}
