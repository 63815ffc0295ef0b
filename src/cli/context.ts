/**
 * What every command needs from the command line: the global options and an Output.
 */
import type { Command } from 'commander';
import { Output, type GlobalOptions } from './output.js';

/** The global options (--config, --profile, --json, --quiet, -v, --no-color) as seen by `cmd`. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    config: typeof o.config === 'string' ? o.config : undefined,
    profile: typeof o.profile === 'string' ? o.profile : undefined,
    json: o.json === true,
    quiet: o.quiet === true,
    verbose: typeof o.verbose === 'number' ? o.verbose : 0,
    color: o.color !== false,
  };
}

/** An Output for `cmd`, honouring its global options. */
export function outputFor(cmd: Command): Output {
  return new Output(globalOptions(cmd));
}
