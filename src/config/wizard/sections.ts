/**
 * The wizard's sections, in the order of SETTINGS.md (the order of the device's own web
 * pages): which keys each asks, and when a key is worth asking at all (the port of smtps
 * only with smtps, the AUTH user only with AUTH on). Pure: no `node:` imports.
 */

/** Read the value a key has at this point of the wizard (answers so far included). */
export type Get = (key: string) => unknown;

export type Step =
  | { key: string; when?: (get: Get) => boolean }
  | { custom: 'senderNames' | 'defaultSender' | 'envelopeFrom' | 'resolutions'; when?: (get: Get) => boolean };

export interface SectionDef {
  id: string;
  title: string;
  steps: Step[];
}

const on = (key: string) => (get: Get) => get(key) === true;
const is = (key: string, ...values: string[]) => (get: Get) => values.includes(String(get(key)));
const certChecks = (prefix: string, when: (get: Get) => boolean): Step[] =>
  ['validity', 'cn', 'keyUsage', 'chain', 'revocation'].map((k) => ({ key: `${prefix}.certVerify.${k}`, when }));

export const SECTIONS: SectionDef[] = [
  { id: 'ifax', title: 'I-Fax function', steps: [{ key: 'ifax.enabled' }] },
  { id: 'device', title: 'This station', steps: [{ key: 'device.name' }, { key: 'device.email' }] },
  { id: 'header', title: 'Sender names', steps: [{ custom: 'senderNames' }, { custom: 'defaultSender' }] },
  {
    id: 'smtp',
    title: 'Sending (SMTP)',
    steps: [
      { key: 'smtp.enabled' },
      { key: 'smtp.host', when: on('smtp.enabled') },
      { key: 'smtp.port', when: (g) => g('smtp.enabled') === true && g('smtp.tls') !== 'smtps' },
      { key: 'smtp.timeout', when: on('smtp.enabled') },
      { custom: 'envelopeFrom', when: on('smtp.enabled') },
      { key: 'smtp.loadReduction', when: on('smtp.enabled') },
      { key: 'smtp.splitSizeKB', when: is('smtp.loadReduction', 'split') },
      { key: 'smtp.maxMailSizeKB', when: is('smtp.loadReduction', 'stop-if-over', 'url-if-over') },
      { key: 'download.dir', when: is('smtp.loadReduction', 'url-if-over', 'url-always') },
      { key: 'download.baseUrl', when: is('smtp.loadReduction', 'url-if-over', 'url-always') },
      { key: 'smtp.scanToEmail', when: on('smtp.enabled') },
      { key: 'smtp.alertNotification', when: on('smtp.enabled') },
      { key: 'smtp.counterNotification', when: on('smtp.enabled') },
    ],
  },
  {
    id: 'tls',
    title: 'TLS and certificate checks',
    steps: [
      { key: 'smtp.tls' },
      { key: 'smtp.sslPort', when: is('smtp.tls', 'smtps') },
      ...certChecks('smtp', (g) => g('smtp.tls') !== 'off'),
      { key: 'tls.minVersion' },
      { key: 'tls.caFile' },
      { key: 'tls.crlFile', when: (g) => g('smtp.certVerify.revocation') === true || g('pop.certVerify.revocation') === true || g('ldap.certVerify.revocation') === true },
    ],
  },
  {
    id: 'auth',
    title: 'SMTP AUTH',
    steps: [
      { key: 'smtp.auth.enabled' },
      { key: 'smtp.auth.methods', when: on('smtp.auth.enabled') },
      { key: 'smtp.auth.source', when: on('smtp.auth.enabled') },
      { key: 'smtp.auth.user', when: (g) => g('smtp.auth.enabled') === true && g('smtp.auth.source') === 'value' },
      { key: 'smtp.auth.password', when: (g) => g('smtp.auth.enabled') === true && g('smtp.auth.source') === 'value' },
      {
        key: 'smtp.auth.realm',
        when: (g) => g('smtp.auth.enabled') === true && ((g('smtp.auth.methods') as string[] | undefined) ?? []).some((m) => m === 'DIGEST-MD5' || m === 'NTLM'),
      },
    ],
  },
  {
    id: 'pop-before-smtp',
    title: 'POP before SMTP',
    steps: [{ key: 'smtp.popBeforeSmtp.enabled' }, { key: 'smtp.popBeforeSmtp.waitSeconds', when: on('smtp.popBeforeSmtp.enabled') }],
  },
  {
    id: 'pop',
    title: 'Receiving (POP)',
    steps: [
      { key: 'pop.enabled' },
      // POP before SMTP needs the server and login even when receiving is off.
      ...['pop.host', 'pop.user', 'pop.password'].map((key) => ({ key, when: (g: Get) => g('pop.enabled') === true || g('smtp.popBeforeSmtp.enabled') === true })),
      { key: 'pop.apop', when: on('pop.enabled') },
      { key: 'pop.tls', when: on('pop.enabled') },
      { key: 'pop.port', when: (g) => g('pop.enabled') === true && g('pop.tls') !== 'pop3s' },
      { key: 'pop.sslPort', when: (g) => g('pop.enabled') === true && g('pop.tls') === 'pop3s' },
      ...certChecks('pop', (g) => g('pop.enabled') === true && g('pop.tls') !== 'off'),
      { key: 'pop.timeout', when: on('pop.enabled') },
      { key: 'pop.autoCheck', when: on('pop.enabled') },
      { key: 'pop.intervalMinutes', when: (g) => g('pop.enabled') === true && g('pop.autoCheck') === true },
      { key: 'pop.leaveOnServer', when: on('pop.enabled') },
    ],
  },
  {
    id: 'advanced',
    title: 'I-Fax advanced settings',
    steps: [
      { key: 'ifaxAdvanced.mdnRequest' },
      { key: 'ifaxAdvanced.dsnRequest', when: (g) => g('ifaxAdvanced.mdnRequest') !== true },
      { key: 'ifaxAdvanced.mdnResponse' },
      { key: 'ifaxAdvanced.responseWatch.enabled' },
      { key: 'ifaxAdvanced.responseWatch.hours', when: on('ifaxAdvanced.responseWatch.enabled') },
      { key: 'ifaxAdvanced.maxResolution' },
      { key: 'ifaxAdvanced.addContentInfo' },
    ],
  },
  {
    id: 'receive-caps',
    title: 'Receive capabilities',
    steps: [{ key: 'receiveCaps.compression' }, { key: 'receiveCaps.paperSizes' }, { custom: 'resolutions' }],
  },
  { id: 'compression', title: 'Default compression', steps: [{ key: 'compression.bw' }, { key: 'compression.color' }] },
  {
    id: 'ldap',
    title: 'Address search (LDAP)',
    steps: [
      { key: 'ldap.enabled' },
      { key: 'ldap.url', when: on('ldap.enabled') },
      { key: 'ldap.startTls', when: (g) => g('ldap.enabled') === true && !/^ldaps:/i.test(String(g('ldap.url') ?? '')) },
      { key: 'ldap.bindDn', when: on('ldap.enabled') },
      { key: 'ldap.password', when: (g) => g('ldap.enabled') === true && g('ldap.bindDn') !== null },
      { key: 'ldap.baseDn', when: on('ldap.enabled') },
      { key: 'ldap.filter', when: on('ldap.enabled') },
      { key: 'ldap.activeDirectory', when: on('ldap.enabled') },
      ...certChecks('ldap', (g) => g('ldap.enabled') === true && (g('ldap.startTls') === true || /^ldaps:/i.test(String(g('ldap.url') ?? '')))),
    ],
  },
  { id: 'notify', title: 'Notification', steps: [{ key: 'notify.adminEmail' }] },
  {
    id: 'send',
    title: 'Sending defaults',
    steps: [{ key: 'send.subject' }, { key: 'send.header' }, { key: 'send.mode' }, { key: 'send.resolution' }, { key: 'send.paper' }, { key: 'stateDir' }],
  },
];

export const SECTION_IDS = SECTIONS.map((s) => s.id);

/**
 * The first run's short path (issue 8 item 11): what a station needs to send and receive
 * (about ten questions); every other key keeps its default, and the sections stay reachable
 * with `--section` or "all settings". The SMTP login is asked with AUTH on only.
 */
export const BASIC: SectionDef = {
  id: 'basic',
  title: 'Basic set-up',
  steps: [
    { key: 'ifax.enabled' },
    { key: 'device.name' },
    { key: 'device.email' },
    { key: 'smtp.host' },
    { key: 'smtp.tls' },
    { key: 'smtp.port', when: (g) => g('smtp.tls') !== 'smtps' },
    { key: 'smtp.sslPort', when: is('smtp.tls', 'smtps') },
    { key: 'smtp.auth.enabled' },
    { key: 'smtp.auth.user', when: (g) => g('smtp.auth.enabled') === true && g('smtp.auth.source') === 'value' },
    { key: 'smtp.auth.password', when: (g) => g('smtp.auth.enabled') === true && g('smtp.auth.source') === 'value' },
    { key: 'pop.host' },
    // No POP server: a send-only station; the warning before writing says what that leaves.
    { key: 'pop.user', when: (g) => g('pop.host') !== null },
    { key: 'pop.password', when: (g) => g('pop.host') !== null },
  ],
};
