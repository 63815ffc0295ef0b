/**
 * Rules between keys: a setting that switches a feature on needs the settings that feature
 * cannot work without. Each problem is reported on the key that needs a value, with the key
 * that needs it in the rule ("pop.host: required by smtp.popBeforeSmtp.enabled; got null"),
 * so that the wizard can ask for exactly that key again. Pure: no `node:` imports.
 *
 * What is deliberately NOT a rule here (see readiness.ts): `ifax.enabled` without
 * device.email or smtp.host. Those are checked when `send`/`poll` start, and `config
 * validate` shows them as warnings, so that a profile can be built up step by step with
 * `ifax config set` in any order.
 */
import type { z } from 'zod';
import type { ResolutionName } from '../fax/vocabulary.js';
import { RESOLUTIONS } from './enums.js';

type Ctx = z.RefinementCtx;

/**
 * The settings the rules read. Declared here rather than imported as schema.ts's IfaxSettings
 * because schema.ts imports this file (no import cycle, not even of types); the compiler still
 * checks that IfaxSettings fits it where schema.ts hands the rules to zod.
 */
interface RuleSettings {
  header: { senderNames: readonly unknown[]; defaultSender: number };
  smtp: {
    loadReduction: string;
    maxMailSizeKB: unknown;
    envelopeFrom: string;
    auth: { enabled: boolean; source: string; user: unknown; password: unknown };
    popBeforeSmtp: { enabled: boolean };
  };
  download: { dir: unknown; baseUrl: unknown };
  notify: { adminEmail: unknown };
  pop: { host: unknown; user: unknown; password: unknown };
  ldap: { enabled: boolean; url: string | null; baseDn: unknown; bindDn: unknown; password: unknown; startTls: boolean };
  ifaxAdvanced: { maxResolution: ResolutionName };
  receiveCaps: { resolutions: readonly ResolutionName[] | null };
}

function problem(ctx: Ctx, path: string, rule: string, got: string): void {
  ctx.addIssue({ code: 'custom', path: path.split('.'), message: `${rule}; got ${got}`, params: { rule, got } });
}

function required(ctx: Ctx, path: string, value: unknown, by: string, env?: string): void {
  if (value === null || value === undefined || value === '') {
    problem(ctx, path, `required by ${by}${env ? ` (or set ${env})` : ''}`, 'null');
  }
}

/** The cross-field rules of SETTINGS.md, run after every key passed its own checks. */
export function crossFieldRules(c: RuleSettings, ctx: Ctx): void {
  // header.defaultSender "must exist": a fresh profile has no sender names, and then the
  // default 1 simply means "no name" (From shows device.name); once names are registered,
  // the number must point at one of them.
  const names = c.header.senderNames.length;
  if (names > 0 && c.header.defaultSender > names) {
    problem(ctx, 'header.defaultSender', `the number of a registered sender name, 1-${names}`, String(c.header.defaultSender));
  }

  const mode = c.smtp.loadReduction;
  if (mode === 'url-if-over' || mode === 'url-always') {
    required(ctx, 'download.dir', c.download.dir, `smtp.loadReduction ${mode}`);
    required(ctx, 'download.baseUrl', c.download.baseUrl, `smtp.loadReduction ${mode}`);
  }
  // Without a limit "over the limit" never happens: the mode would silently do nothing.
  if (mode === 'stop-if-over' || mode === 'url-if-over') {
    required(ctx, 'smtp.maxMailSizeKB', c.smtp.maxMailSizeKB, `smtp.loadReduction ${mode}`);
  }

  if (c.smtp.auth.enabled && c.smtp.auth.source === 'value') {
    required(ctx, 'smtp.auth.user', c.smtp.auth.user, 'smtp.auth.enabled with smtp.auth.source value');
    required(ctx, 'smtp.auth.password', c.smtp.auth.password, 'smtp.auth.enabled with smtp.auth.source value', 'IFAX_SMTP_PASSWORD');
  }
  if (c.smtp.envelopeFrom === 'admin') {
    required(ctx, 'notify.adminEmail', c.notify.adminEmail, 'smtp.envelopeFrom admin');
  }

  if (c.smtp.popBeforeSmtp.enabled) {
    const by = 'smtp.popBeforeSmtp.enabled';
    required(ctx, 'pop.host', c.pop.host, by);
    required(ctx, 'pop.user', c.pop.user, by);
    required(ctx, 'pop.password', c.pop.password, by, 'IFAX_POP_PASSWORD');
  }

  if (c.ldap.enabled) {
    required(ctx, 'ldap.url', c.ldap.url, 'ldap.enabled');
    required(ctx, 'ldap.baseDn', c.ldap.baseDn, 'ldap.enabled');
    // A bind DN without a password is an "unauthenticated bind" (RFC 4513 §5.1.2): servers
    // treat it as anonymous or refuse it; either way not what the admin meant.
    if (c.ldap.bindDn !== null) required(ctx, 'ldap.password', c.ldap.password, 'ldap.bindDn', 'IFAX_LDAP_PASSWORD');
  }
  if (c.ldap.startTls && c.ldap.url !== null && /^ldaps:/i.test(c.ldap.url)) {
    problem(ctx, 'ldap.startTls', 'false with an ldaps:// URL (the connection is TLS already)', 'true');
  }

  const max = RESOLUTIONS.indexOf(c.ifaxAdvanced.maxResolution);
  for (const r of c.receiveCaps.resolutions ?? []) {
    if (RESOLUTIONS.indexOf(r) > max) {
      problem(ctx, 'receiveCaps.resolutions', `resolutions up to ifaxAdvanced.maxResolution (${c.ifaxAdvanced.maxResolution})`, r);
      break;
    }
  }
}

type Derived<T extends RuleSettings> = Omit<T, 'receiveCaps'> & {
  receiveCaps: Omit<T['receiveCaps'], 'resolutions'> & { resolutions: Array<(typeof RESOLUTIONS)[number]> };
};

/** Fill the defaults that depend on other keys: receiveCaps.resolutions = all up to maxResolution. */
export function deriveDefaults<T extends RuleSettings>(c: T): Derived<T> {
  const max = RESOLUTIONS.indexOf(c.ifaxAdvanced.maxResolution);
  const resolutions = c.receiveCaps.resolutions ?? RESOLUTIONS.slice(0, max + 1);
  return { ...c, receiveCaps: { ...c.receiveCaps, resolutions: [...resolutions] } } as Derived<T>;
}
