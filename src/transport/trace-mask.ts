/**
 * The per-connection half of secret masking: the password of one session (and the forms it may
 * take on the wire) replaced by the mask in that session's protocol trace and in what the
 * server echoes. src/secrets.ts `redact` is the process-wide last line of defence; this one
 * also covers a library caller who never loaded a profile.
 */
import { SECRET_MASK } from '../secrets.js';

/** Secrets of one connection, masked wherever they turn up in a line. */
export class TraceMask {
  private readonly secrets: string[] = [];

  /** Mask each of `values` from now on (empty ones are ignored: they would mask everything). */
  add(...values: string[]): void {
    for (const v of values) if (v.length > 0 && !this.secrets.includes(v)) this.secrets.push(v);
  }

  /** `text` with every secret replaced by the mask. */
  apply(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(SECRET_MASK);
    return out;
  }
}
