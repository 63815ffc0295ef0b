/**
 * Secret redaction: the last line of defence that keeps passwords out of output, logs,
 * `--json` and error messages. The config loader registers every secret it loads; every
 * text the CLI prints passes through `redact`. Pure: no `node:` imports.
 */

const MASK = '********';
const secrets = new Set<string>();

/** Remember a secret value so that `redact` hides it wherever it turns up. */
export function registerSecret(value: string | undefined | null): void {
  // One- and two-character "secrets" would mask ordinary text everywhere; such passwords
  // are still never printed by the commands, which mask by key, not by value.
  if (typeof value === 'string' && value.length >= 3) secrets.add(value);
}

/** Replace every registered secret in `text` with the mask. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}

/** The mask shown in place of a secret. */
export const SECRET_MASK = MASK;

/** For tests: forget all registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
}
