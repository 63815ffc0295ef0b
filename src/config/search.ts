/**
 * Where a profile is looked for, in order (CLI.md): the project search of cosmiconfig (from
 * the working directory up to the project root), then the user's profile in
 * `$XDG_CONFIG_HOME/ifax/`, then `~/.ifaxrc*`, then the system's `/etc/ifax/config.yaml`.
 * The last three are what cron finds: a cron job runs in the home directory, where there is
 * no project. The places come from the environment passed in (HOME, XDG_CONFIG_HOME), so the
 * search is the same in tests and never reaches the real home or /etc there.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where cosmiconfig looks, in each directory from the start up (CLI.md). No `.ts`: loading it needs a compiler at run time. */
export const SEARCH_PLACES = [
  '.ifaxrc',
  '.ifaxrc.json',
  '.ifaxrc.yaml',
  '.ifaxrc.yml',
  '.ifaxrc.js',
  '.ifaxrc.cjs',
  '.ifaxrc.mjs',
  'ifax.config.json',
  'ifax.config.yaml',
  'ifax.config.yml',
  'ifax.config.js',
  'ifax.config.cjs',
  'ifax.config.mjs',
  'package.json',
] as const;

/** The names looked for in `$XDG_CONFIG_HOME/ifax/` (cosmiconfig's own names for a global profile). */
export const USER_CONFIG_NAMES = ['config.yaml', 'config.yml', 'config.json', 'config', 'config.js', 'config.cjs', 'config.mjs'] as const;

/** The names looked for in the home directory: the rc files of the project search. */
export const HOME_RC_NAMES = SEARCH_PLACES.filter((p) => p.startsWith('.ifaxrc'));

/** The system profile's directory; IFAX_SYSTEM_CONFIG_DIR moves it (packagers, tests). */
export const SYSTEM_CONFIG_DIR = '/etc/ifax';

/** The system profile's name in SYSTEM_CONFIG_DIR (CLI.md: one name, as a packager ships it). */
export const SYSTEM_CONFIG_NAME = 'config.yaml';

/** The file `config init --global` writes: the first user place. */
export const USER_CONFIG_FILE = USER_CONFIG_NAMES[0];

/** The directories outside the project that are searched. */
export interface SearchDirs {
  /** `$XDG_CONFIG_HOME/ifax` (default `~/.config/ifax`). */
  userDir: string;
  /** The home directory (`~/.ifaxrc*`). */
  home: string;
  /** `/etc/ifax`, or IFAX_SYSTEM_CONFIG_DIR. */
  systemDir: string;
}

/** Where a profile found outside the project was found. */
export type OutsideReason = 'user' | 'home' | 'system';

/**
 * The user and system directories for `env`. What `env` lacks comes from the process
 * (HOME through os.homedir(), IFAX_SYSTEM_CONFIG_DIR), as the paths in a profile do; a
 * relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
 */
export function searchDirs(env: Record<string, string | undefined>, systemDir?: string): SearchDirs {
  const home = env.HOME || homedir();
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const sys = systemDir ?? (env.IFAX_SYSTEM_CONFIG_DIR || process.env.IFAX_SYSTEM_CONFIG_DIR || SYSTEM_CONFIG_DIR);
  return { userDir: path.join(xdg, 'ifax'), home, systemDir: path.resolve(sys) };
}

/** One step of the search, for `config path` and the "not found" message. */
export interface SearchStep {
  where: 'project' | OutsideReason;
  /** In words, with the paths. */
  text: string;
}

/** The search order from `cwd`, in words. */
export function searchOrder(cwd: string, dirs: SearchDirs): SearchStep[] {
  return [
    { where: 'project', text: `from ${cwd} up to the project root (the nearest package.json): ${SEARCH_PLACES.slice(0, -1).join(', ')}, the "ifax" key of package.json` },
    { where: 'user', text: `${dirs.userDir}/: ${USER_CONFIG_NAMES.join(', ')}` },
    { where: 'home', text: `${dirs.home}/: ${HOME_RC_NAMES.join(', ')}` },
    { where: 'system', text: path.join(dirs.systemDir, SYSTEM_CONFIG_NAME) },
  ];
}

/**
 * A profile this user can read. One that exists but is not readable (a root-owned 0600
 * /etc/ifax/config.yaml holding passwords, seen from a user's cron) is passed over, as if it
 * were not there: it is somebody else's, and the search goes on to the defaults.
 */
function isReadableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first profile file outside the project, in search order, or null. */
export function findOutsideProject(dirs: SearchDirs): { filepath: string; reason: OutsideReason } | null {
  const places: Array<[string, OutsideReason]> = [
    ...USER_CONFIG_NAMES.map((n): [string, OutsideReason] => [path.join(dirs.userDir, n), 'user']),
    ...HOME_RC_NAMES.map((n): [string, OutsideReason] => [path.join(dirs.home, n), 'home']),
    [path.join(dirs.systemDir, SYSTEM_CONFIG_NAME), 'system'],
  ];
  for (const [filepath, reason] of places) if (isReadableFile(filepath)) return { filepath, reason };
  return null;
}
