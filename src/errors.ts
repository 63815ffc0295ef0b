/**
 * The one error type of ifax, its codes, and the table that maps codes to the sysexits exit
 * codes of CLI.md. Pure: no `node:` imports, so codec/, tiff/ and mime/ may throw it.
 */

/** Every error code, with the exit code a script or mail transfer agent acts on. */
export const EXIT_CODES = {
  /** Bad flags or arguments. */
  USAGE: 64,
  /** A destination name that is neither an address nor in the address book. */
  DESTINATION_UNKNOWN: 64,
  /** A job id that the job store does not hold. */
  JOB_NOT_FOUND: 64,
  /** An interactive command was run without a terminal. */
  NOT_A_TTY: 64,
  /** Input data is malformed: an unreadable image, a malformed mail. */
  DATA_INVALID: 65,
  /** A TIFF file is malformed or uses something we do not read. */
  TIFF_INVALID: 65,
  /** T.4/T.6 coded data cannot be decoded at all. */
  FAX_DECODE_FAILED: 65,
  /** An image format or feature (compression, colour model) is not supported. */
  UNSUPPORTED_INPUT: 65,
  /** Input exceeds one of the size limits of src/limits.ts. */
  LIMIT_EXCEEDED: 65,
  /** An input file does not exist or cannot be opened. */
  INPUT_NOT_FOUND: 66,
  /** A permanent refusal: 5xx from the server, destination cannot take the document. */
  UNAVAILABLE: 69,
  /** A mail server refused a command for good (5xx reply); the reply is in the message. */
  SERVER_REFUSED: 69,
  /** TLS was asked for (STARTTLS, STLS) and the server does not offer it: never sent in plain text. */
  TLS_NOT_OFFERED: 69,
  /** A destination cannot take the document (capabilities, size) and nothing can be converted to fit. */
  DESTINATION_INCAPABLE: 69,
  /** The mail is larger than smtp.maxMailSizeKB with loadReduction stop-if-over. */
  MAIL_TOO_LARGE: 69,
  /** A bug: something that should not happen. */
  INTERNAL: 70,
  /** An output file or directory cannot be written. */
  OUTPUT_FAILED: 73,
  /** The job store (state directory database) cannot be opened or written. */
  STORE_FAILED: 73,
  /** Try again later: server unreachable, 4xx, timeout. */
  TEMPORARY_FAILURE: 75,
  /** A network connection failed or timed out (refused, reset, DNS): worth another try. */
  NETWORK_FAILED: 75,
  /** Another process holds the lock (a poll is running). */
  LOCK_HELD: 75,
  /** Authentication rejected. */
  AUTH_FAILED: 77,
  /** A server certificate was rejected by the certVerify settings. */
  CERT_REJECTED: 77,
  /** No profile was found where one is needed. */
  CONFIG_NOT_FOUND: 78,
  /** The profile is invalid. */
  CONFIG_INVALID: 78,
  /** `ifax.enabled` is off. */
  IFAX_DISABLED: 78,
} as const;

export type IfaxErrorCode = keyof typeof EXIT_CODES;

export interface IfaxErrorOptions {
  /** What the user can do about it; printed on its own line. Never holds a secret. */
  hint?: string;
  /** Machine-readable detail (file, key, limit...). Never holds a secret. */
  context?: Record<string, unknown>;
  /** The lower-level error this one explains. */
  cause?: unknown;
}

/**
 * The only error type ifax throws on purpose. `message` follows the house form
 * "<operation> failed: <reason>" with the bad value quoted.
 */
export class IfaxError extends Error {
  readonly code: IfaxErrorCode;
  readonly hint?: string;
  readonly context?: Record<string, unknown>;

  constructor(code: IfaxErrorCode, message: string, options: IfaxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IfaxError';
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.context !== undefined) this.context = options.context;
  }

  /** The sysexits code of CLI.md for this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** The exit code for any thrown value: IfaxError by its code, anything else is a bug (70). */
export function exitCodeOf(err: unknown): number {
  return err instanceof IfaxError ? err.exitCode : EXIT_CODES.INTERNAL;
}

export function isIfaxError(err: unknown, code?: IfaxErrorCode): err is IfaxError {
  return err instanceof IfaxError && (code === undefined || err.code === code);
}
