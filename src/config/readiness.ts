/**
 * What `send` and `poll` need beyond a valid profile. These are not validation errors (a
 * profile is built up step by step, and a receive-only station needs no SMTP host): the
 * commands call `assertReady` when they start, and `ifax config validate` shows the same
 * list as warnings while `ifax.enabled` is on. Pure: no `node:` imports.
 */
import { IfaxError } from '../errors.js';
import type { Problem } from './messages.js';
import { problemText } from './messages.js';
import type { IfaxConfig } from './schema.js';

export type Purpose = 'send' | 'poll';

/** The keys `purpose` still needs, each as a problem naming the key. */
export function readinessProblems(c: IfaxConfig, purpose: Purpose): Problem[] {
  const out: Problem[] = [];
  const need = (ok: boolean, key: string, message: string) => {
    if (!ok) out.push({ key, message });
  };
  if (purpose === 'send') {
    need(c.smtp.enabled, 'smtp.enabled', 'true to send (I-Fax needs e-mail sending); got false');
    need(c.smtp.host !== null, 'smtp.host', 'required to send; got null');
    need(c.device.email !== null, 'device.email', 'required to send (the From address of every I-Fax); got null');
  } else {
    need(c.pop.enabled, 'pop.enabled', 'true to poll; got false');
    need(c.pop.host !== null, 'pop.host', 'required to poll; got null');
    need(c.pop.user !== null, 'pop.user', 'required to poll; got null');
    need(c.pop.password !== null, 'pop.password', 'required to poll (or set IFAX_POP_PASSWORD); got null');
  }
  return out;
}

/** A function switched on that cannot work as the profile stands, with the keys it lacks. */
export interface IncompleteFunction {
  what: Purpose | 'alerts';
  problems: Problem[];
}

/**
 * The functions switched on (while `ifax.enabled` is on) that cannot work: sending with
 * smtp.enabled, polling with pop.enabled, alert mails with smtp.alertNotification. Warnings
 * for `config validate` and the wizard, errors for `config validate --strict`: a profile
 * deployed by a script should not wait for the first cron run to show it is incomplete.
 */
export function incompleteFunctions(c: IfaxConfig): IncompleteFunction[] {
  if (!c.ifax.enabled) return [];
  const out: IncompleteFunction[] = [];
  // A receive-only station switches sending off (smtp.enabled false), a send-only one
  // receiving (pop.enabled false): nothing to warn about then.
  if (c.smtp.enabled) out.push({ what: 'send', problems: readinessProblems(c, 'send') });
  if (c.pop.enabled) out.push({ what: 'poll', problems: readinessProblems(c, 'poll') });
  if (c.smtp.alertNotification && c.notify.adminEmail === null) {
    out.push({ what: 'alerts', problems: [{ key: 'notify.adminEmail', message: 'required by smtp.alertNotification (where alerts go); got null' }] });
  }
  return out.filter((f) => f.problems.length > 0);
}

/**
 * Throw unless `c` can `purpose`: IFAX_DISABLED (exit 78) naming `ifax.enabled` when the
 * master switch is off, CONFIG_INVALID listing the missing keys otherwise.
 */
export function assertReady(c: IfaxConfig, purpose: Purpose): void {
  if (!c.ifax.enabled) {
    throw new IfaxError('IFAX_DISABLED', `${purpose} failed: I-Fax is disabled (ifax.enabled is false)`, {
      hint: "turn it on with 'ifax config set ifax.enabled true' (or the wizard: ifax config --section ifax)",
      context: { key: 'ifax.enabled' },
    });
  }
  const problems = readinessProblems(c, purpose);
  if (problems.length > 0) {
    throw new IfaxError('CONFIG_INVALID', `${purpose} failed: the profile lacks what ${purpose} needs:\n  ${problems.map(problemText).join('\n  ')}`, {
      hint: "set them with 'ifax config set KEY VALUE' or the wizard (ifax config)",
      context: { problems },
    });
  }
}
