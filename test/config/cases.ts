/**
 * Invalid profiles, one per limit and enum of SETTINGS.md: the profile, the key the message
 * must name, and what the message must say. Used by the library tests (validate.test.ts)
 * and, through the binary, by test/cli/config-command.test.ts.
 */

export interface InvalidCase {
  name: string;
  profile: Record<string, unknown>;
  key: string;
  message: RegExp;
}

const s = (n: number, c = 'x') => c.repeat(n);

export const INVALID_CASES: InvalidCase[] = [
  // §2 device
  { name: 'device.name longer than 80', profile: { device: { name: s(81) } }, key: 'device.name', message: /at most 80 characters, no white space; got 81/ },
  { name: 'device.name with white space', profile: { device: { name: 'office fax' } }, key: 'device.name', message: /no white space; got "office fax"/ },
  { name: 'device.name empty', profile: { device: { name: '' } }, key: 'device.name', message: /got an empty string/ },
  { name: 'device.email longer than 320', profile: { device: { email: `${s(64)}@${s(60)}.${s(60)}.${s(60)}.${s(60)}.${s(60)}.com` } }, key: 'device.email', message: /at most 320 characters/ },
  { name: 'device.email not an addr-spec', profile: { device: { email: 'fax.example.com' } }, key: 'device.email', message: /an e-mail address.*got "fax\.example\.com"/ },
  { name: 'device.email with white space', profile: { device: { email: 'fax @example.com' } }, key: 'device.email', message: /no white space/ },
  // §3 header
  { name: 'more than 20 sender names', profile: { header: { senderNames: Array.from({ length: 21 }, (_, i) => `n${i}`) } }, key: 'header.senderNames', message: /at most 20 names.*got 21 entries/ },
  { name: 'a sender name longer than 30', profile: { header: { senderNames: ['ok', s(31)] } }, key: 'header.senderNames', message: /each 1-30 characters; got 31 characters \(entry 2\)/ },
  { name: 'an empty sender name', profile: { header: { senderNames: [''] } }, key: 'header.senderNames', message: /got an empty string \(entry 1\)/ },
  { name: 'defaultSender above 20', profile: { header: { defaultSender: 21 } }, key: 'header.defaultSender', message: /a whole number 1-20; got 21/ },
  { name: 'defaultSender 0', profile: { header: { defaultSender: 0 } }, key: 'header.defaultSender', message: /a whole number 1-20; got 0/ },
  { name: 'defaultSender not registered', profile: { header: { senderNames: ['A', 'B'], defaultSender: 3 } }, key: 'header.defaultSender', message: /registered sender name, 1-2; got 3/ },
  // §4 SMTP
  { name: 'smtp.host a URL', profile: { smtp: { host: 'smtp://mail.example.com' } }, key: 'smtp.host', message: /a host name, IPv4 or IPv6 address \(no URL, no port\); got "smtp:\/\/mail\.example\.com"/ },
  { name: 'smtp.host with a port', profile: { smtp: { host: 'mail.example.com:25' } }, key: 'smtp.host', message: /has a port/ },
  { name: 'smtp.host with a space', profile: { smtp: { host: 'mail example.com' } }, key: 'smtp.host', message: /white space/ },
  { name: 'smtp.host 999.1.1.1', profile: { smtp: { host: '999.1.1.1' } }, key: 'smtp.host', message: /not a valid IPv4 address/ },
  { name: 'smtp.host bad IPv6', profile: { smtp: { host: 'fe80::220::2f16' } }, key: 'smtp.host', message: /got "fe80::220::2f16"/ },
  { name: 'smtp.host label with underscore', profile: { smtp: { host: 'mail_relay.example.com' } }, key: 'smtp.host', message: /underscores/ },
  { name: 'smtp.port 0', profile: { smtp: { port: 0 } }, key: 'smtp.port', message: /a whole number 1-65535; got 0/ },
  { name: 'smtp.port 65536', profile: { smtp: { port: 65536 } }, key: 'smtp.port', message: /a whole number 1-65535; got 65536/ },
  { name: 'smtp.port not whole', profile: { smtp: { port: 25.5 } }, key: 'smtp.port', message: /a whole number 1-65535; got 25\.5/ },
  { name: 'smtp.port as a string', profile: { smtp: { port: '25' } }, key: 'smtp.port', message: /got "25" \(a string: no quotes\)/ },
  { name: 'smtp.sslPort 70000', profile: { smtp: { sslPort: 70000 } }, key: 'smtp.sslPort', message: /1-65535; got 70000/ },
  { name: 'smtp.timeout 4', profile: { smtp: { timeout: 4 } }, key: 'smtp.timeout', message: /a whole number 5-300; got 4/ },
  { name: 'smtp.timeout 301', profile: { smtp: { timeout: 301 } }, key: 'smtp.timeout', message: /a whole number 5-300; got 301/ },
  { name: 'smtp.loadReduction unknown', profile: { smtp: { loadReduction: 'zip' } }, key: 'smtp.loadReduction', message: /one of off, split, stop-if-over, url-if-over, url-always; got "zip"/ },
  { name: 'smtp.splitSizeKB 63', profile: { smtp: { splitSizeKB: 63 } }, key: 'smtp.splitSizeKB', message: /a whole number 64-65535; got 63/ },
  { name: 'smtp.splitSizeKB 65536', profile: { smtp: { splitSizeKB: 65536 } }, key: 'smtp.splitSizeKB', message: /64-65535; got 65536/ },
  { name: 'smtp.maxMailSizeKB 0', profile: { smtp: { maxMailSizeKB: 0 } }, key: 'smtp.maxMailSizeKB', message: /got 0/ },
  { name: 'url mode without download.dir', profile: { smtp: { loadReduction: 'url-always' }, download: { baseUrl: 'https://files.example.com/fax/' } }, key: 'download.dir', message: /required by smtp\.loadReduction url-always/ },
  { name: 'url mode without download.baseUrl', profile: { smtp: { loadReduction: 'url-if-over', maxMailSizeKB: 10240 }, download: { dir: '/srv/fax' } }, key: 'download.baseUrl', message: /required by smtp\.loadReduction url-if-over/ },
  { name: 'stop-if-over without a limit', profile: { smtp: { loadReduction: 'stop-if-over' } }, key: 'smtp.maxMailSizeKB', message: /required by smtp\.loadReduction stop-if-over/ },
  { name: 'download.baseUrl not http', profile: { download: { baseUrl: 'ftp://files.example.com/' } }, key: 'download.baseUrl', message: /an http:\/\/ or https:\/\/ URL/ },
  { name: 'smtp.tls unknown mode', profile: { smtp: { tls: 'ssl' } }, key: 'smtp.tls', message: /one of off, smtps, starttls; got "ssl"/ },
  { name: 'smtp.tls misspelt', profile: { smtp: { tls: 'startls' } }, key: 'smtp.tls', message: /did you mean starttls\?/ },
  { name: 'certVerify not a boolean', profile: { smtp: { certVerify: { chain: 'yes' } } }, key: 'smtp.certVerify.chain', message: /true or false; got "yes"/ },
  { name: 'unknown AUTH method', profile: { smtp: { auth: { methods: ['PLAIN', 'XOAUTH2'] } } }, key: 'smtp.auth.methods', message: /GSSAPI, NTLM, DIGEST-MD5, CRAM-MD5, LOGIN, PLAIN; got unknown method "XOAUTH2"/ },
  { name: 'AUTH method in lower case', profile: { smtp: { auth: { methods: ['plain'] } } }, key: 'smtp.auth.methods', message: /unknown method "plain"; did you mean PLAIN\?/ },
  { name: 'no AUTH method', profile: { smtp: { auth: { methods: [] } } }, key: 'smtp.auth.methods', message: /got an empty list/ },
  { name: 'an AUTH method twice', profile: { smtp: { auth: { methods: ['PLAIN', 'PLAIN'] } } }, key: 'smtp.auth.methods', message: /got PLAIN twice/ },
  { name: 'smtp.auth.user longer than 64', profile: { smtp: { auth: { user: s(65) } } }, key: 'smtp.auth.user', message: /at most 64 characters; got 65/ },
  { name: 'smtp.auth.password longer than 64', profile: { smtp: { auth: { password: s(65, 'p') } } }, key: 'smtp.auth.password', message: /at most 64 characters; got 65/ },
  { name: 'smtp.auth.realm longer than 253', profile: { smtp: { auth: { realm: s(254) } } }, key: 'smtp.auth.realm', message: /at most 253 characters; got 254/ },
  { name: 'smtp.auth.source unknown', profile: { smtp: { auth: { source: 'kerberos' } } }, key: 'smtp.auth.source', message: /one of value, user/ },
  { name: 'AUTH on without user', profile: { smtp: { auth: { enabled: true, password: 'pw-12345' } } }, key: 'smtp.auth.user', message: /required by smtp\.auth\.enabled/ },
  { name: 'AUTH on without password', profile: { smtp: { auth: { enabled: true, user: 'fax' } } }, key: 'smtp.auth.password', message: /required by smtp\.auth\.enabled.*IFAX_SMTP_PASSWORD/ },
  { name: 'envelopeFrom neither keyword nor address', profile: { smtp: { envelopeFrom: 'postmaster' } }, key: 'smtp.envelopeFrom', message: /device, admin or an e-mail address; got "postmaster"/ },
  { name: 'envelopeFrom admin without adminEmail', profile: { smtp: { envelopeFrom: 'admin' } }, key: 'notify.adminEmail', message: /required by smtp\.envelopeFrom admin/ },
  { name: 'popBeforeSmtp.waitSeconds 61', profile: { smtp: { popBeforeSmtp: { waitSeconds: 61 } } }, key: 'smtp.popBeforeSmtp.waitSeconds', message: /a whole number 0-60; got 61/ },
  { name: 'POP before SMTP without POP host', profile: { smtp: { popBeforeSmtp: { enabled: true } }, pop: { user: 'fax', password: 'pw-12345' } }, key: 'pop.host', message: /required by smtp\.popBeforeSmtp\.enabled/ },
  { name: 'POP before SMTP without POP password', profile: { smtp: { popBeforeSmtp: { enabled: true } }, pop: { host: 'pop.example.com', user: 'fax' } }, key: 'pop.password', message: /required by smtp\.popBeforeSmtp\.enabled/ },
  // §5 POP
  { name: 'pop.host with a port', profile: { pop: { host: '192.168.1.1:110' } }, key: 'pop.host', message: /has a port/ },
  { name: 'pop.user longer than 63', profile: { pop: { user: s(64) } }, key: 'pop.user', message: /at most 63 characters; got 64/ },
  { name: 'pop.timeout 301', profile: { pop: { timeout: 301 } }, key: 'pop.timeout', message: /a whole number 5-300; got 301/ },
  { name: 'pop.port 0', profile: { pop: { port: 0 } }, key: 'pop.port', message: /1-65535; got 0/ },
  { name: 'pop.sslPort 65536', profile: { pop: { sslPort: 65536 } }, key: 'pop.sslPort', message: /1-65535; got 65536/ },
  { name: 'pop.intervalMinutes 0', profile: { pop: { intervalMinutes: 0 } }, key: 'pop.intervalMinutes', message: /a whole number 1-1440; got 0/ },
  { name: 'pop.intervalMinutes 1441', profile: { pop: { intervalMinutes: 1441 } }, key: 'pop.intervalMinutes', message: /1-1440; got 1441/ },
  { name: 'pop.tls unknown mode', profile: { pop: { tls: 'starttls' } }, key: 'pop.tls', message: /one of off, pop3s, stls; got "starttls"/ },
  // §6
  { name: 'responseWatch.hours 0', profile: { ifaxAdvanced: { responseWatch: { hours: 0 } } }, key: 'ifaxAdvanced.responseWatch.hours', message: /a whole number 1-168; got 0/ },
  { name: 'maxResolution unknown', profile: { ifaxAdvanced: { maxResolution: 'hyperfine' } }, key: 'ifaxAdvanced.maxResolution', message: /one of standard, fine, superfine, ultrafine; got "hyperfine"/ },
  // §7
  { name: 'receiveCaps compression unknown', profile: { receiveCaps: { compression: ['MH', 'JBIG2'] } }, key: 'receiveCaps.compression', message: /a list of MH, MR, MMR, JPEG; got unknown compression "JBIG2"/ },
  { name: 'receiveCaps paper unknown', profile: { receiveCaps: { paperSizes: ['A4', 'A5'] } }, key: 'receiveCaps.paperSizes', message: /got unknown paper size "A5"/ },
  { name: 'receiveCaps resolution unknown', profile: { receiveCaps: { resolutions: ['fine', 'photo'] } }, key: 'receiveCaps.resolutions', message: /got unknown resolution "photo"/ },
  { name: 'receiveCaps resolution above maxResolution', profile: { ifaxAdvanced: { maxResolution: 'fine' }, receiveCaps: { resolutions: ['standard', 'superfine'] } }, key: 'receiveCaps.resolutions', message: /up to ifaxAdvanced\.maxResolution \(fine\); got superfine/ },
  { name: 'receiveCaps compression not a list', profile: { receiveCaps: { compression: 'MH' } }, key: 'receiveCaps.compression', message: /a list of MH, MR, MMR, JPEG; got "MH"/ },
  // §8
  { name: 'compression.bw unknown', profile: { compression: { bw: 'JBIG' } }, key: 'compression.bw', message: /one of MH, MR, MMR; got "JBIG"/ },
  { name: 'compression.bw lower case', profile: { compression: { bw: 'mmr' } }, key: 'compression.bw', message: /did you mean MMR\?/ },
  { name: 'compression.color unknown', profile: { compression: { color: 'png' } }, key: 'compression.color', message: /one of jpeg-color, jpeg-gray, none; got "png"/ },
  // §9 LDAP
  { name: 'ldap.url not ldap', profile: { ldap: { url: 'http://dc.example.com' } }, key: 'ldap.url', message: /ldap:\/\/host\[:port\] or ldaps:\/\/host\[:port\]/ },
  { name: 'ldap on without url', profile: { ldap: { enabled: true, baseDn: 'dc=example,dc=com' } }, key: 'ldap.url', message: /required by ldap\.enabled/ },
  { name: 'ldap on without baseDn', profile: { ldap: { enabled: true, url: 'ldap://dc.example.com' } }, key: 'ldap.baseDn', message: /required by ldap\.enabled/ },
  { name: 'ldap bindDn without password', profile: { ldap: { enabled: true, url: 'ldap://dc.example.com', baseDn: 'dc=example,dc=com', bindDn: 'cn=fax,dc=example,dc=com' } }, key: 'ldap.password', message: /required by ldap\.bindDn.*IFAX_LDAP_PASSWORD/ },
  { name: 'ldap StartTLS over ldaps', profile: { ldap: { url: 'ldaps://dc.example.com', startTls: true } }, key: 'ldap.startTls', message: /false with an ldaps:\/\/ URL/ },
  { name: 'ldap.filter without {query}', profile: { ldap: { filter: '(cn=*)' } }, key: 'ldap.filter', message: /has no \{query\}/ },
  // §11-13
  { name: 'notify.adminEmail not an address', profile: { notify: { adminEmail: 'admin' } }, key: 'notify.adminEmail', message: /an e-mail address/ },
  { name: 'tls.minVersion unknown', profile: { tls: { minVersion: 'SSLv3' } }, key: 'tls.minVersion', message: /one of TLSv1, TLSv1\.1, TLSv1\.2, TLSv1\.3; got "SSLv3"/ },
  { name: 'send.subject unknown placeholder', profile: { send: { subject: 'Fax {pagez}' } }, key: 'send.subject', message: /unknown placeholder \{pagez\}/ },
  { name: 'send.subject with a line break', profile: { send: { subject: 'Fax\r\nBcc: x@example.com' } }, key: 'send.subject', message: /control character/ },
  { name: 'send.mode unknown', profile: { send: { mode: 'fast' } }, key: 'send.mode', message: /one of auto, simple, full; got "fast"/ },
  { name: 'send.resolution unknown', profile: { send: { resolution: 'high' } }, key: 'send.resolution', message: /one of standard, fine, superfine, ultrafine; got "high"/ },
  { name: 'send.paper unknown', profile: { send: { paper: 'A5' } }, key: 'send.paper', message: /one of A4, B4, A3, letter, legal; got "A5"/ },
  { name: 'send.header not a boolean', profile: { send: { header: 1 } }, key: 'send.header', message: /true or false; got 1/ },
  { name: 'ifax.enabled as a string', profile: { ifax: { enabled: 'on' } }, key: 'ifax.enabled', message: /true or false; got "on"/ },
  // structure
  { name: 'unknown key with a suggestion', profile: { smtp: { hots: 'mail.example.com' } }, key: 'smtp.hots', message: /unknown key; did you mean smtp\.host\?/ },
  { name: 'unknown section', profile: { smpt: { host: 'x' } }, key: 'smpt', message: /unknown key; did you mean smtp\?/ },
  { name: 'a key in the wrong section', profile: { smtp: { leaveOnServer: true } }, key: 'smtp.leaveOnServer', message: /did you mean pop\.leaveOnServer\?/ },
  { name: 'a key one level too high', profile: { smtp: { password: 'x' } }, key: 'smtp.password', message: /did you mean smtp\.auth\.password\?/ },
  { name: 'unknown key without a near one', profile: { frobnicate: 1 }, key: 'frobnicate', message: /unknown key$/ },
  { name: 'a section given as a scalar', profile: { smtp: 'mail.example.com' }, key: 'smtp', message: /a section of settings/ },
  { name: 'a profile name with a space', profile: { profiles: { 'head office': {} } }, key: 'profiles', message: /got "head office"/ },
  { name: 'an invalid key in a named profile', profile: { profiles: { office: { smtp: { port: 0 } } } }, key: 'profiles.office.smtp.port', message: /1-65535; got 0/ },
  { name: 'an unknown key in a named profile', profile: { profiles: { office: { smtp: { prot: 25 } } } }, key: 'profiles.office.smtp.prot', message: /unknown key; did you mean smtp\.port\?/ },
];
