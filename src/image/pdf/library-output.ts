/**
 * What the PDF libraries print, caught. pdf-lib reports what it skips in a damaged file with
 * console.warn ("Trying to parse invalid object: {...})", "Invalid object ref: 2 0 R"), pdf.js
 * its notes with console.log (stdout: it would corrupt `ifax convert -o -`). Library code
 * prints nothing (STYLE.md), so while such a call runs the console's output is collected and
 * handed back, for the caller to say in ifax's words, at debug level (`-v`). PDFium's output
 * is silenced where its module is made (pdfium.ts).
 *
 * The console is the process's: it is replaced only for the duration of the call (pages are
 * read one at a time; a call inside another collects into the inner one) and restored after.
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
 * Runs `call` with console output collected: its value (or its error, thrown after the
 * console is restored) and the lines printed meanwhile, in order.
 */
export async function collectConsole<T>(call: () => Promise<T> | T): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  if (collecting.length === 0) install();
  collecting.push(lines);
  try {
    return { value: await call(), lines };
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
