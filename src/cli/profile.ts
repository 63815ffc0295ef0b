/**
 * The profile for a command, as CLI.md promises it for every command: `--config FILE` naming a
 * missing file exits 66 (EX_NOINPUT: the user named an input that is not there), `--profile
 * NAME` naming no profile exits 78 (EX_CONFIG). A command that can work without a profile
 * (convert) still loads it when either flag is given, so a typo is never silently ignored.
 * The config module is imported here, inside the call, so commands that need no profile do
 * not load zod and cosmiconfig.
 */
import { IfaxError, isIfaxError } from '../errors.js';
import type { LoadedConfig } from '../config/index.js';
import type { GlobalOptions } from './output.js';
import type { Output } from './output.js';

export interface ProfileNeeds {
  /** Without --config and with no profile file found, go on with the defaults (convert). */
  allowMissing?: boolean;
}

/**
 * Loads the effective settings for `g` (--config, --profile), prints the profile's warnings,
 * and says under -v which file was used and why. Throws INPUT_NOT_FOUND (66) for a missing
 * --config file, CONFIG_NOT_FOUND / CONFIG_INVALID (78) otherwise.
 */
export async function loadProfile(g: Pick<GlobalOptions, 'config' | 'profile'>, out: Output, needs: ProfileNeeds = {}): Promise<LoadedConfig> {
  const { loadConfig } = await import('../config/index.js');
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig({
      ...(g.config !== undefined ? { configPath: g.config } : {}),
      ...(g.profile !== undefined ? { profile: g.profile } : {}),
      // A file named with --config must be there; only the search may come up empty.
      allowMissing: needs.allowMissing === true && g.config === undefined,
    });
  } catch (err) {
    throw missingConfigFile(err, g.config) ?? err;
  }
  for (const w of loaded.warnings) out.warn(w);
  out.debug(loaded.filepath ? `profile: ${loaded.filepath} (${loaded.reasonText})${loaded.profile ? `, profiles.${loaded.profile}` : ''}` : `profile: none found (${loaded.reasonText}); the defaults apply`);
  return loaded;
}

/**
 * The loader reports any unreadable profile file as CONFIG_NOT_FOUND (78); a file the user
 * named with --config that does not exist is a missing input (66, CLI.md), as a missing FILE
 * argument is. Undefined when `err` is something else.
 */
function missingConfigFile(err: unknown, config: string | undefined): IfaxError | undefined {
  if (config === undefined || !isIfaxError(err, 'CONFIG_NOT_FOUND')) return undefined;
  if ((err.cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return undefined;
  return new IfaxError('INPUT_NOT_FOUND', `Reading profile failed: --config ${JSON.stringify(config)} does not exist`, {
    cause: err,
    hint: "Check the path, or write one with 'ifax --config FILE config init'.",
    context: { ...err.context, option: '--config' },
  });
}
