/**
 * The configuration library API: the schema, validation, loading, and the key helpers.
 * `src/index.ts` re-exports this; nothing here prints or exits.
 */
export {
  configSchema,
  fileObject,
  settingsObject,
  settingsShape,
  SECRET_ENV,
  PROFILE_NAME,
  AUTH_METHODS,
  LOAD_REDUCTION_MODES,
  SMTP_TLS_MODES,
  POP_TLS_MODES,
  RESOLUTIONS,
  PAPER_SIZES,
  FAX_COMPRESSIONS,
  BW_COMPRESSIONS,
  COLOR_COMPRESSIONS,
  SEND_MODES,
  TLS_VERSIONS,
  SUBJECT_PLACEHOLDERS,
  type IfaxConfig,
  type IfaxConfigFile,
  type IfaxConfigInput,
  type IfaxSettings,
  type AuthMethod,
  type ResolutionName,
  type PaperName,
  type LoadReductionMode,
  type SecretKey,
} from './schema.js';
export { keyMeta, type KeyMeta, type KeyKind } from './fields.js';
export { listKeys, listSections, keyInfo, isSecretKey, suggestKey, SECRET_KEYS, rawDefaults, type KeyInfo } from './keys.js';
export { validateConfig, defaultConfig, envSecrets, type ValidateOptions, type ValidationResult } from './validate.js';
export { problemText, type Problem } from './messages.js';
export { readinessProblems, assertReady, type Purpose } from './readiness.js';
export { configWarnings } from './warnings.js';
export { hostKind, isIPv4, isIPv6, isHostName, isAddrSpec, type HostKind } from './syntax.js';
export { parseValue, formatValue } from './value.js';
export { renderExample } from './example.js';
export { maskSecrets } from './mask.js';
export {
  loadConfig,
  locateConfig,
  readProfile,
  SEARCH_PLACES,
  type LoadOptions,
  type LoadedConfig,
  type ConfigReason,
  type ProfileFormat,
} from './load.js';
export { atomicWrite, editProfileText, PROFILE_MODE } from './write.js';
export {
  resolveKey,
  initProfile,
  showSettings,
  getSetting,
  setSetting,
  validateProfile,
  locateProfile,
  parseSections,
  type ConfigCommandOptions,
  type ResolvedKey,
  type ShownSettings,
  type GotSetting,
  type SetResult,
  type ValidateReport,
  type LocatedReport,
} from './commands.js';
