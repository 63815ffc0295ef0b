/**
 * Writing profiles: edits that keep the file's format (YAML keeps its comments and layout,
 * JSON its indentation, package.json its other keys), and an atomic write (store/atomic-file.ts:
 * temp file in the same directory, fsync, rename, fsync of the directory) so that a crash or a
 * full disk never leaves half a profile.
 */
import YAML from 'yaml';
import { IfaxError, isIfaxError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';
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
  try {
    return await writeFileAtomic(filepath, text, {
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      defaultMode: PROFILE_MODE,
      ...(options.exclusive ? { exclusive: true } : {}),
      followSymlink: true,
    });
  } catch (err) {
    // The shared writer's errors, in the profile editor's words (the file named as given).
    if (isIfaxError(err) && /failed: it exists$/.test(err.message)) throw existsError(filepath);
    throw writeFailed(filepath, isIfaxError(err) && err.cause !== undefined ? err.cause : err);
  }
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
