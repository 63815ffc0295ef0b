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
    // The shared writer's errors, in the profile editor's words (the file named as given); one
    // without a system error behind it (the target is a directory) is already in words.
    if (isIfaxError(err) && err.context?.errno === 'EEXIST') throw existsError(filepath);
    if (isIfaxError(err) && err.cause === undefined) throw err;
    throw writeFailed(filepath, isIfaxError(err) ? err.cause : err);
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
  // What the admin wrote stays as written: the new value is spliced into the text where
  // it can be ([MH, MR] is not rewritten as [ MH, MR ], long lines are not folded, the
  // indentation and the spaces before comments stay). Only a removal, or a parent that is
  // null or written in flow style, has the document written out again, in the file's style.
  const spliced = value === undefined ? null : splice(text, doc, keyPath, value);
  if (spliced !== null) return spliced;
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
  return doc.toString(styleOf(text));
}

/** The file's own style, for the rare edit that writes the whole document out again. */
function styleOf(text: string): YAML.ToStringOptions {
  const m = /^[^\s#][^\n]*:[ \t]*(?:#[^\n]*)?\n( +)\S/m.exec(text);
  return {
    indent: m ? m[1].length : 2,
    // Padded lists ([ A, B ]) only where the file mostly writes them so.
    flowCollectionPadding: (text.match(/: *\[ \S/g) ?? []).length > (text.match(/: *\[[^\s\]]/g) ?? []).length,
    // No folding: a long value stays on one line, as written.
    lineWidth: 0,
  };
}

/** A value as YAML text on its own (a flow list for arrays), in the file's style. */
function render(value: unknown, text: string, like?: YAML.Scalar): string {
  const d = new YAML.Document(value, { flow: Array.isArray(value) } as YAML.CreateNodeOptions);
  if (like && YAML.isScalar(d.contents) && typeof like.value === typeof value && typeof value === 'string') d.contents.type = like.type;
  return d.toString(styleOf(text)).replace(/\n$/, '');
}

/** The column a node starts at. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * Set `keyPath` to `value` by editing the text only: replace an existing one-line value
 * (scalar or flow list) in place, or add the key (and the maps leading to it) at the end of
 * the nearest block map on its path. Null when the edit needs the whole document.
 */
function splice(text: string, doc: YAML.Document, keyPath: string[], value: unknown): string | null {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return null;
  const existing = doc.getIn(keyPath, true);
  if (existing !== undefined) {
    const oneLine = (YAML.isScalar(existing) && (existing.type === 'PLAIN' || existing.type === 'QUOTE_DOUBLE' || existing.type === 'QUOTE_SINGLE')) || (YAML.isSeq(existing) && existing.flow);
    if (!oneLine || !YAML.isNode(existing) || !existing.range) return null;
    const [start, end] = existing.range;
    if (text.slice(start, end).includes('\n')) return null;
    const out = render(value, text, YAML.isScalar(existing) ? existing : undefined);
    if (out.includes('\n')) return null;
    return text.slice(0, start) + out + text.slice(end);
  }
  // The nearest map on the path that exists.
  let depth = keyPath.length - 1;
  let parent: unknown = undefined;
  for (; depth >= 0; depth--) {
    parent = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
    if (parent !== undefined) break;
  }
  if (!YAML.isMap(parent) || parent.flow || parent.items.length === 0 || !parent.range) return null;
  const firstKey = parent.items[0].key;
  if (!YAML.isNode(firstKey) || !firstKey.range) return null;
  const column = columnOf(text, firstKey.range[0]);
  const nested = keyPath.slice(depth).reduceRight<unknown>((v, k) => ({ [k]: v }), value);
  const d = new YAML.Document(nested);
  YAML.visit(d, { Seq: (_k, n) => void (n.flow = true) });
  const block = d
    .toString(styleOf(text))
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => ' '.repeat(column) + l)
    .join('\n');
  const at = parent.range[1];
  const before = text.slice(0, at);
  return `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${block}\n${text.slice(at)}`;
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
