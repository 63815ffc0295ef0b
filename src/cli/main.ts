/**
 * The ifax command line: commander program, the one top-level catch, and the only
 * process.exit of the code base. Commands are loaded lazily, so `ifax --help` and a
 * config command do not pay for the image libraries.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { IfaxError, exitCodeOf, EXIT_CODES, type IfaxErrorCode } from '../errors.js';
import { redact } from '../secrets.js';
import { Output } from './output.js';
import { globalOptions } from './context.js';
import { commandList } from './commands/index.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const increase = (_: string, previous: number): number => previous + 1;

/** Build the program with every command that works today. */
export function buildProgram(): Command {
  const program = new Command('ifax')
    .description('Internet Fax (ITU-T T.37) from the command line: send, receive and convert fax as e-mail.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--config <file>', 'use this profile file instead of searching for one')
    .option('--profile <name>', 'use a named profile inside the file (profiles.<name>)')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option('-q, --quiet', 'print nothing but errors (what --json or a query like config get asks for still goes to stdout)')
    .option('-v, --verbose', 'more detail on stderr (repeat for more)', increase, 0)
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .addOption(new Option('--debug-stack', 'print stack traces of internal errors').hideHelp())
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  $ ifax config init                       write a starter profile (.ifaxrc.yaml)
  $ ifax config validate                   check the profile; exit 78 if it is invalid
  $ ifax convert scan.pbm -o fax.tif       make a fax TIFF (MMR) from a bitmap
  $ ifax convert --info fax.tif --json     describe each page of a fax TIFF

Exit codes (sysexits): 0 ok, 64 usage, 65 bad data, 66 no input, 69 unavailable,
70 internal error, 73 cannot write, 75 try again later, 77 permission, 78 configuration.`,
    );
  for (const make of commandList) program.addCommand(make());
  return program;
}

/** Make every command throw instead of exiting, and show its usage line after an error. */
function prepare(cmd: Command): void {
  cmd.exitOverride();
  const usage = `Usage: ${fullName(cmd)} ${cmd.usage()}`;
  cmd.showHelpAfterError(`${usage}\n(run '${fullName(cmd)} --help' for details)`);
  for (const sub of cmd.commands) prepare(sub);
}

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * The one shape of an error under --json (README): `code`, `message` and `hint` are always
 * there, `hint` null when there is none, so a script can read `.error.hint` without checking.
 */
export function jsonError(code: IfaxErrorCode, message: string, hint: string | undefined): { error: { code: IfaxErrorCode; message: string; hint: string | null } } {
  return { error: { code, message: redact(message), hint: hint ? redact(hint) : null } };
}

/** Print an error the way CLI.md wants it and return the exit code. */
export function reportError(err: unknown, json: boolean, debugStack: boolean, out: Output): number {
  const code = exitCodeOf(err);
  if (err instanceof IfaxError) {
    if (json) {
      out.result(jsonError(err.code, err.message, err.hint), '');
    }
    const lines = [`ifax: ${err.message}`];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (debugStack && err.stack) lines.push(err.stack);
    process.stderr.write(redact(lines.join('\n')) + '\n');
    return code;
  }
  // Anything else is a bug: a short report, exit 70 (EX_SOFTWARE).
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    out.result(jsonError('INTERNAL', message, 'this is a bug in ifax; please report it with the command you ran'), '');
  }
  const lines = [`ifax: internal error: ${message}`, 'This is a bug in ifax. Please report it with the command you ran (run with --debug-stack for the stack).'];
  if (debugStack && err instanceof Error && err.stack) lines.push(err.stack);
  process.stderr.write(redact(lines.join('\n')) + '\n');
  return EXIT_CODES.INTERNAL;
}

/** Run the CLI with `argv` (process.argv form) and exit with the code of CLI.md. */
export async function main(argv: string[]): Promise<never> {
  // A reader that stops early (`ifax --help | head`) closes the pipe: what is left unread is
  // not wanted, so that is the end of the output, not a crash (the Unix convention: no report).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildProgram();
  prepare(program);
  const json = argv.includes('--json');
  const debugStack = argv.includes('--debug-stack');
  let code = 0;
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exitCode 0; every other commander error is a usage error.
      code = err.exitCode === 0 ? 0 : EXIT_CODES.USAGE;
      if (code !== 0 && json) {
        const out = new Output({ ...globalOptions(program), json: true });
        out.result(jsonError('USAGE', err.message.replace(/^error: /, ''), 'run ifax --help'), '');
      }
    } else {
      const opts = safeGlobals(program);
      code = reportError(err, json, debugStack, new Output({ ...opts, json }));
    }
  }
  // Let stdout drain before exiting, so piped JSON is never cut short.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

function safeGlobals(program: Command) {
  try {
    return globalOptions(program);
  } catch {
    return { json: false, quiet: false, verbose: 0, color: false };
  }
}
