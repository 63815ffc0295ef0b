/**
 * The profile schema: every setting of SETTINGS.md with its type, default, limit and
 * deviation note. It is the single source of the TypeScript types (`z.infer`), of the
 * defaults, of every validation message and of `.ifaxrc.example` (STYLE.md rule 9).
 * Key names are the contract of SETTINGS.md: camelCase, grouped by section.
 * Pure: no `node:` imports.
 */
import { z } from 'zod';
import { address, bool, host, int, keyMeta, listOf, nullableInt, nullableListOf, oneOf, oneOfOr, optionalText, section, secret, text, textList } from './fields.js';
import { isAddrSpec } from './syntax.js';
import { crossFieldRules, deriveDefaults } from './rules.js';
import { resolutionSummary } from '../fax/vocabulary.js';
import {
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
} from './enums.js';

export {
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
} from './enums.js';

/** Names a password comes from besides the profile file. */
export const SECRET_ENV = {
  'smtp.auth.password': 'IFAX_SMTP_PASSWORD',
  'pop.password': 'IFAX_POP_PASSWORD',
  'ldap.password': 'IFAX_LDAP_PASSWORD',
} as const;

/** Certificate checks, the same group for SMTP, POP and LDAP (SETTINGS.md §4). */
function certVerify(what: string) {
  return section(`Which checks the ${what} server's certificate must pass`, {
    validity: bool(true, 'Reject a certificate outside its validity period'),
    cn: bool(true, 'Reject a certificate whose CN/SAN does not match the host', {
      deviation: 'device default false: without it any certificate of any site is accepted',
    }),
    keyUsage: bool(false, 'Reject a certificate whose keyUsage/extendedKeyUsage does not allow TLS server use'),
    chain: bool(true, 'Reject a certificate whose chain does not lead to a trusted CA (tls.caFile adds CAs)', {
      deviation: 'device default false: without it a self-made certificate passes',
    }),
    revocation: bool(false, 'Check revocation: OCSP first, then the CRL (tls.crlFile)'),
  });
}

const subjectCheck = (s: string): string | null => {
  for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
    if (!(SUBJECT_PLACEHOLDERS as readonly string[]).includes(m[1])) return `unknown placeholder {${m[1]}}`;
  }
  return null;
};

const ldapUrlCheck = (s: string): string | null => {
  const m = /^(ldaps?):\/\/(\[[^\]]+\]|[^:/?#[\]]+)(?::(\d{1,5}))?\/?$/i.exec(s);
  if (!m) return 'not ldap://host[:port] or ldaps://host[:port]';
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return 'port out of 1-65535';
  return null;
};

const httpUrlCheck = (s: string): string | null => {
  if (!/^https?:\/\/[^\s/?#]+/i.test(s)) return 'not an http:// or https:// URL';
  return URL.canParse(s) ? null : 'not a valid URL';
};

const filterCheck = (s: string): string | null => {
  if (!s.includes('{query}')) return 'has no {query}';
  if (!s.startsWith('(') || !s.endsWith(')')) return 'not in parentheses';
  let depth = 0;
  for (const c of s) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return 'unbalanced parentheses';
  }
  return depth === 0 ? null : 'unbalanced parentheses';
};

const PATH = { max: 4096, rule: 'a file or directory path (relative paths are relative to the profile file)' };

/** The settings of one profile: everything of SETTINGS.md, grouped as there. */
export const settingsShape = {
  ifax: section('1. I-Fax function', {
    enabled: bool(false, 'Master switch: with it off, send and poll refuse (device: OFF)'),
  }),
  device: section('2. This system', {
    name: optionalText('Name of this station; used as part of the I-Fax Subject', { max: 80, noSpace: true }),
    email: address("This station's address; the From address of every I-Fax"),
  }),
  header: section('3. Header information: sender names printed on the header line (TTI) and in From', {
    senderNames: textList('Registered sender names, numbered from 1', { noun: 'name', max: 20, itemMax: 30 }),
    defaultSender: int(1, 20, 1, 'Number of the sender name used when a job names none (must be registered when any are)'),
  }),
  smtp: section('4. Sending (SMTP)', {
    enabled: bool(true, 'E-mail sending on/off (needed for I-Fax)'),
    scanToEmail: bool(true, 'Allow send --as-email: mail the pages as an ordinary PDF attachment'),
    alertNotification: bool(true, 'Mail an alert to notify.adminEmail when a job or poll fails'),
    counterNotification: bool(true, 'Allow ifax counters --mail to mail the counters to notify.adminEmail'),
    host: host('SMTP server'),
    port: int(1, 65535, 25, 'SMTP port (plain and STARTTLS)'),
    timeout: int(5, 300, 60, 'Connection/response timeout, seconds'),
    loadReduction: oneOf(LOAD_REDUCTION_MODES, 'off', 'Large mails: split = message/partial fragments of splitSizeKB; stop-if-over / url-if-over = over maxMailSizeKB refuse / mail a download URL; url-always = always a URL'),
    splitSizeKB: int(64, 65535, 1024, 'Fragment size for split, KB'),
    maxMailSizeKB: nullableInt(1, 4194304, 'Server capacity limit for stop-if-over / url-if-over, KB', 'no limit'),
    tls: oneOf(SMTP_TLS_MODES, 'off', 'TLS: smtps = implicit TLS on sslPort, starttls = upgrade on port'),
    sslPort: int(1, 65535, 465, 'Port for smtps'),
    certVerify: certVerify('SMTP'),
    auth: section('SMTP AUTH', {
      enabled: bool(false, 'Use SMTP AUTH'),
      methods: listOf(AUTH_METHODS, [...AUTH_METHODS], 'Mechanisms allowed, tried strongest first among those the server offers', { noun: 'method' }),
      user: optionalText('User ID', { max: 64 }),
      password: secret('Password (env IFAX_SMTP_PASSWORD overrides it)', 'IFAX_SMTP_PASSWORD', 64),
      realm: text('', 'Domain (realm) for DIGEST-MD5 and NTLM; empty = from the server challenge', { min: 0, max: 253 }),
      source: oneOf(['value', 'user'], 'value', 'Credentials: value = smtp.auth.user/password; user = env IFAX_USER/IFAX_PASSWORD or a Kerberos ticket'),
    }),
    envelopeFrom: oneOfOr(['device', 'admin'], 'an e-mail address', 'device', isAddrSpec, 'Envelope sender (MAIL FROM): device = device.email, admin = notify.adminEmail'),
    popBeforeSmtp: section('POP before SMTP', {
      enabled: bool(false, 'Log in to the POP server (pop.*) before sending'),
      waitSeconds: int(0, 60, 5, 'Wait after a successful POP login before SMTP starts, seconds'),
    }),
  }),
  download: section('Download URL modes (smtp.loadReduction url-if-over / url-always)', {
    dir: optionalText('Where the document file is placed for download', PATH),
    baseUrl: optionalText('Public URL prefix of download.dir that is mailed', { max: 2048, rule: 'an http:// or https:// URL', check: httpUrlCheck }),
  }),
  pop: section('5. Receiving (POP)', {
    enabled: bool(true, 'E-mail receiving on/off'),
    host: host('POP server'),
    user: optionalText('Login name', { max: 63 }),
    password: secret('Password (env IFAX_POP_PASSWORD overrides it; no length limit, device: 15)', 'IFAX_POP_PASSWORD'),
    timeout: int(5, 300, 30, 'Connection/response timeout, seconds'),
    port: int(1, 65535, 110, 'POP port (plain and STLS)'),
    autoCheck: bool(true, 'poll --watch keeps polling every pop.intervalMinutes'),
    intervalMinutes: int(1, 1440, 15, 'Polling interval, minutes'),
    apop: bool(false, 'Use APOP (RFC 1939 MD5 digest login)'),
    tls: oneOf(POP_TLS_MODES, 'off', 'TLS: pop3s = implicit TLS on sslPort, stls = STLS upgrade on port (RFC 2595); device checkbox = pop3s'),
    sslPort: int(1, 65535, 995, 'Port for pop3s'),
    certVerify: certVerify('POP'),
    leaveOnServer: bool(false, 'Keep messages on the server and remember their UIDL instead of deleting them'),
  }),
  ifaxAdvanced: section('6. I-Fax advanced settings', {
    mdnRequest: bool(true, 'Ask the receiver for an MDN (Disposition-Notification-To)'),
    dsnRequest: bool(false, 'Ask the mail server for a DSN (NOTIFY=SUCCESS,FAILURE); an MDN request wins'),
    mdnResponse: bool(true, 'Answer MDN requests of received faxes, with this station\'s receive capabilities'),
    responseWatch: section('Waiting for MDN/DSN answers', {
      enabled: bool(true, 'Wait for an MDN/DSN after sending; no answer in time = job timeout'),
      hours: int(1, 168, 24, 'How long to wait, hours (a DSN can take the MTA queue lifetime, Postfix: 5 days)'),
    }),
    maxResolution: oneOf(RESOLUTIONS, 'ultrafine', `Highest resolution this station supports (${resolutionSummary()} dpi)`),
    addContentInfo: bool(false, 'Add an RFC 2912 Content-features header to sent faxes'),
  }),
  receiveCaps: section('7. Receive capabilities, announced in MDN responses', {
    compression: listOf(FAX_COMPRESSIONS, [...FAX_COMPRESSIONS], 'Compressions this station takes', { noun: 'compression' }),
    paperSizes: listOf(PAPER_SIZES, [...PAPER_SIZES], 'Paper sizes this station takes', { noun: 'paper size' }),
    resolutions: nullableListOf(RESOLUTIONS, 'Resolutions this station takes; null = all up to ifaxAdvanced.maxResolution', { noun: 'resolution' }, 'all up to ifaxAdvanced.maxResolution'),
  }),
  compression: section('8. Default compression', {
    bw: oneOf(BW_COMPRESSIONS, 'MMR', 'Black-and-white TIFF compression: MH largest, MMR smallest'),
    color: oneOf(COLOR_COMPRESSIONS, 'jpeg-color', 'Colour/greyscale pages; none = black-and-white with compression.bw, whatever the input'),
  }),
  ldap: section('9. Address search (LDAP / Active Directory)', {
    enabled: bool(false, 'Resolve send --to NAME and ifax lookup through the directory'),
    url: optionalText('Directory server, e.g. ldap://host:389 or ldaps://host:636', { max: 2048, rule: 'ldap://host[:port] or ldaps://host[:port]', check: ldapUrlCheck }),
    startTls: bool(false, 'Upgrade with StartTLS (ldap:// only)'),
    bindDn: optionalText('Simple bind DN; null = anonymous', { max: 1024 }),
    password: secret('Bind password (env IFAX_LDAP_PASSWORD overrides it)', 'IFAX_LDAP_PASSWORD'),
    baseDn: optionalText('Search base', { max: 1024 }),
    filter: text('(|(cn=*{query}*)(mail={query}*))', 'Search filter; {query} is the escaped search text', {
      max: 1024,
      rule: 'an LDAP filter in parentheses that contains {query}',
      check: filterCheck,
    }),
    activeDirectory: bool(false, 'Use AD attributes (displayName, proxyAddresses, sAMAccountName)'),
    certVerify: certVerify('LDAP'),
  }),
  notify: section('11. Notification', {
    adminEmail: address('Where alerts and counter reports go; also the admin envelope-from'),
  }),
  tls: section('12. TLS trust, for all connections (SMTP, POP, LDAP)', {
    caFile: optionalText('PEM file of extra trusted CAs (added to the system\'s)', PATH),
    crlFile: optionalText('PEM/DER CRL for certVerify.revocation when a certificate names no reachable CRL', PATH),
    minVersion: oneOf(TLS_VERSIONS, 'TLSv1.2', 'Lowest TLS version accepted'),
  }),
  send: section('13. Sending defaults', {
    subject: text('Fax from {device} ({pages} pages)', 'Subject template', {
      max: 200,
      rule: 'at most 200 characters; placeholders {device}, {sender}, {pages}, {date}, {to}',
      check: subjectCheck,
    }),
    header: bool(true, 'Print the header line (TTI) atop each page'),
    mode: oneOf(SEND_MODES, 'auto', 'Send mode; auto = simple unless the destination\'s capabilities allow more'),
    resolution: oneOf(RESOLUTIONS, 'fine', 'Default resolution, bounded by ifaxAdvanced.maxResolution and the destination'),
    paper: oneOf(PAPER_SIZES, 'A4', 'Default paper'),
  }),
  stateDir: optionalText('Where jobs, address book, inbox and poll state live; null = $XDG_STATE_HOME/ifax', PATH),
};

/** Profile names: what `--profile NAME` can say without quoting. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const profilesSchema = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .superRefine((rec, ctx) => {
    for (const name of Object.keys(rec)) {
      if (!PROFILE_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', message: JSON.stringify(name), params: { got: JSON.stringify(name) } });
      }
    }
  })
  .default(() => ({}));
profilesSchema.register(keyMeta, {
  kind: 'profiles',
  rule: 'named profiles: letters, digits, "-", "_", "." (up to 64), each a section of settings',
  description: 'Named profiles, chosen with --profile NAME; each is merged deep over the settings above',
});

/** The settings as one strict object (no profiles): for walking keys and checking one profile. */
export const settingsObject = z.strictObject(settingsShape);

/** A profile file's structure alone: every key's own checks, no rules between keys. */
export const fileObject = z.strictObject({ ...settingsShape, profiles: profilesSchema });

/**
 * The schema of a profile file: the settings plus `profiles`, cross-field rules (rules.ts)
 * and the derived defaults (`receiveCaps.resolutions`: all up to maxResolution).
 */
export const configSchema = z
  .strictObject({ ...settingsShape, profiles: profilesSchema })
  .superRefine(crossFieldRules)
  .transform(deriveDefaults);

/** A profile's settings as read from a file, before defaults (every key optional). */
export type IfaxConfigInput = z.input<typeof configSchema>;
/** The parsed file, profiles included. */
export type IfaxConfigFile = z.output<typeof configSchema>;
/** The effective settings every command works with. */
export type IfaxConfig = Omit<IfaxConfigFile, 'profiles'>;
/** The settings before derivation (receiveCaps.resolutions may be null). */
export type IfaxSettings = z.output<typeof settingsObject>;

export type AuthMethod = (typeof AUTH_METHODS)[number];
/** A resolution name (standard, fine, superfine, ultrafine); its dpi are src/fax/vocabulary.ts RESOLUTIONS. */
export type ResolutionName = (typeof RESOLUTIONS)[number];
/** A paper name (A4, B4, A3, letter, legal); its sheet and widths are src/fax/vocabulary.ts PAPERS. */
export type PaperName = (typeof PAPER_SIZES)[number];
export type LoadReductionMode = (typeof LOAD_REDUCTION_MODES)[number];
export type SecretKey = keyof typeof SECRET_ENV;
