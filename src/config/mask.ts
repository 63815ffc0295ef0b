/**
 * Masking passwords by key for display: `config show`, `config get`, the wizard's summary.
 * Pure: no `node:` imports.
 */
import { SECRET_MASK } from '../secrets.js';
import { SECRET_KEYS } from './keys.js';
import { getIn, isPlainObject, setIn } from './merge.js';

/** A copy of a settings object (or a profile file with `profiles`) with every set password as ********. */
export function maskSecrets<T>(obj: T): T {
  if (!isPlainObject(obj)) return obj;
  let out: Record<string, unknown> = obj;
  for (const key of SECRET_KEYS) {
    const p = key.split('.');
    const v = getIn(out, p);
    if (v !== undefined && v !== null) out = setIn(out, p, SECRET_MASK);
  }
  if (isPlainObject(out.profiles)) {
    const profiles: Record<string, unknown> = {};
    for (const [name, prof] of Object.entries(out.profiles)) profiles[name] = maskSecrets(prof);
    out = { ...out, profiles };
  }
  return out as T;
}
