/**
 * Everything the CLI prints goes through here: results on stdout (human text or one JSON
 * document), messages on stderr, colour and progress only on a TTY (CLI.md).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from '../secrets.js';

export interface GlobalOptions {
  config?: string;
  profile?: string;
  json: boolean;
  quiet: boolean;
  verbose: number;
  color: boolean;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Colour is for people at a terminal: a TTY on stderr, no NO_COLOR, no --no-color, no --json. */
export function colorLevel(opts: Pick<GlobalOptions, 'color' | 'json'>, io: OutputStreams): 0 | 1 | 2 | 3 {
  if (!opts.color || opts.json) return 0;
  // NO_COLOR (no-color.org): present and not empty disables colour. chalk ignores it on a
  // real terminal (DEPENDENCIES.md), so we decide ourselves.
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 0;
  if (!io.stderr.isTTY) return 0;
  if (io.env.TERM === 'dumb') return 0;
  return io.env.COLORTERM === 'truecolor' ? 3 : 2;
}

export class Output {
  readonly opts: GlobalOptions;
  readonly color: ChalkInstance;
  private readonly io: OutputStreams;
  private progressShown = false;

  constructor(opts: GlobalOptions, io: OutputStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env }) {
    this.opts = opts;
    this.io = io;
    this.color = new Chalk({ level: colorLevel(opts, io) });
  }

  get json(): boolean {
    return this.opts.json;
  }

  /** The command's result: `value` as JSON with --json, else the human text. */
  result(value: unknown, human: string | (() => string)): void {
    if (this.opts.json) {
      this.io.stdout.write(redact(JSON.stringify(value, null, 2)) + '\n');
    } else {
      const text = typeof human === 'function' ? human() : human;
      if (text !== '') this.io.stdout.write(redact(text.endsWith('\n') ? text : text + '\n'));
    }
  }

  /**
   * The account of a command whose product is a file (convert's "wrote fax.tif: ..."): the
   * JSON document with --json (scripts asked for it), else a line on stdout for people, which
   * --quiet drops: with --quiet a successful run prints nothing, and only errors show.
   */
  summary(value: unknown, human: string | (() => string)): void {
    if (this.opts.quiet && !this.opts.json) return;
    this.result(value, human);
  }

  /** A progress or status line for people: stderr, not with --quiet or --json. */
  info(message: string): void {
    if (this.opts.quiet || this.opts.json) return;
    this.clearProgress();
    this.io.stderr.write(redact(message) + '\n');
  }

  /** A warning: stderr, shown even with --json (stdout stays one JSON document); not with --quiet. */
  warn(message: string): void {
    if (this.opts.quiet) return;
    this.clearProgress();
    this.io.stderr.write(this.color.yellow('warning: ') + redact(message) + '\n');
  }

  /** Detail for -v (level 1) or -vv (level 2). */
  debug(message: string, level = 1): void {
    if (this.opts.verbose < level) return;
    this.clearProgress();
    this.io.stderr.write(this.color.dim(redact(message)) + '\n');
  }

  /** Page n of m: drawn in place on a TTY only; nothing in pipes, --json or --quiet. */
  progress(done: number, total: number, label = ''): void {
    if (!this.io.stderr.isTTY || this.opts.json || this.opts.quiet) return;
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.io.stderr.write(`\r${this.color.cyan(bar)} ${done}/${total} ${label}`.padEnd(60) + '\r');
    this.progressShown = true;
    if (done >= total) this.clearProgress();
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.io.stderr.write('\r' + ' '.repeat(60) + '\r');
      this.progressShown = false;
    }
  }
}
