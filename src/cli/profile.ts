/**
 * The profile for a command, as CLI.md promises it for every command: `--config FILE` naming a
 * missing file exits 66 (EX_NOINPUT: the user named an input that is not there), `--profile
 * NAME` naming no profile exits 78 (EX_CONFIG). A command that can work without a profile
 * (convert) still loads it when either flag is given, so a typo is never silently ignored.
 * The config module is imported here, inside the call, so commands that need no profile do
 * not load zod and cosmiconfig.
 */
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
  const loaded = await loadConfig({
    ...(g.config !== undefined ? { configPath: g.config } : {}),
    ...(g.profile !== undefined ? { profile: g.profile } : {}),
    // A file named with --config must be there (the loader says 66); only the search may come up empty.
    allowMissing: needs.allowMissing === true && g.config === undefined,
  });
  for (const w of loaded.warnings) out.warn(w);
  out.debug(loaded.filepath ? `profile: ${loaded.filepath} (${loaded.reasonText})${loaded.profile ? `, profiles.${loaded.profile}` : ''}` : `profile: none found (${loaded.reasonText}); the defaults apply`);
  return loaded;
}
