/**
 * What pdf-lib prints, caught. pdf-lib reports what it skips in a damaged file with
 * console.warn ("Trying to parse invalid object: {...})", "Invalid object ref: 2 0 R") and has
 * no option to stop it. Library code prints nothing (STYLE.md), so while its parse runs the
 * console's output is collected and handed back, for the caller to say in ifax's words, at
 * debug level (`-v`). pdf.js is quiet by its own option (`verbosity`, pdfjs.ts) and PDFium's
 * output is silenced where its module is made (pdfium.ts): neither needs this.
 *
 * The console is the process's, so the window is kept as short as it can be: the caller runs
 * pdf-lib's parse without yielding to the event loop (ParseSpeeds.Fastest), so no other task's
 * output can land in it; a call inside another collects into the inner one; the console is
 * restored after, also when the call throws, and the lines are the caller's array, so what was
 * printed before a failure is kept.
 */

import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
type Method = (typeof METHODS)[number];

/** Lines of the calls running now, innermost last. */
const collecting: string[][] = [];
let saved: Record<Method, Console[Method]> | undefined;

function install(): void {
  saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const m of METHODS) {
    console[m] = (...args: unknown[]): void => {
      collecting[collecting.length - 1]?.push(format(...args));
    };
  }
}

function uninstall(): void {
  if (saved === undefined) return;
  for (const m of METHODS) console[m] = saved[m];
  saved = undefined;
}

/**
 * Runs `call` with console output collected into `lines`, in order; returns its value (or
 * throws its error after the console is restored; `lines` then holds what it printed).
 */
export async function collectConsole<T>(lines: string[], call: () => Promise<T> | T): Promise<T> {
  if (collecting.length === 0) install();
  collecting.push(lines);
  try {
    return await call();
  } finally {
    collecting.splice(collecting.lastIndexOf(lines), 1);
    if (collecting.length === 0) uninstall();
  }
}

/** Lines of a library shown in a note: enough to recognise the problem, not a flood. */
const MAX_QUOTED_LINES = 3;

/**
 * One debug note for what `library` printed while ifax was `doing` something, or undefined
 * when it printed nothing: "pdf-lib printed 2 messages while reading the raw objects: ...".
 */
export function libraryNote(library: string, doing: string, lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  const quoted = lines.slice(0, MAX_QUOTED_LINES).map((l) => JSON.stringify(l.trim()));
  const more = lines.length > MAX_QUOTED_LINES ? `, and ${lines.length - MAX_QUOTED_LINES} more` : '';
  return `${library} printed ${lines.length} message${lines.length === 1 ? '' : 's'} while ${doing}: ${quoted.join(', ')}${more}`;
}
