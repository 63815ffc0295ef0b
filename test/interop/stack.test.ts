/**
 * Self-tests of the loopback mail stack: every service and policy the integration tests rely
 * on, proven with clients that are not ours (Python's smtplib/poplib/ssl/email, curl, openssl,
 * ldapsearch, kinit). When this file fails, the stack is wrong, not ifax.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { mailStack, runStackScript, stackScript } from './stack.js';
import type { MailStack, TlsVariant } from './stack-types.js';
import { python, run, waitForMail } from './clients.js';
import { parseDsn, popBeforeSmtp, popCases, sendWithDsn, smtpAuthCases, smtpPolicies, tlsProbe } from './stack-oracles.js';

let s: MailStack;
let work: string;
// Each run marks its mail, so that mail of earlier runs in the same Maildirs never counts.
const token = `st-${randomBytes(6).toString('hex')}`;
const fax1 = () => s.users[0];
const fax2 = () => s.users[1];

beforeAll(async () => {
  s = await mailStack();
  work = await mkdtemp(path.join(tmpdir(), 'ifax-stack-test-'));
}, 180_000);

describe('SMTP ports and SASL mechanisms', () => {
  const mechanisms = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
  const cases = () => [
    ...mechanisms.map((m) => `${s.smtp.starttls}:starttls:${m}`),
    ...mechanisms.map((m) => `${s.smtp.smtps}:ssl:${m}`),
    ...mechanisms.map((m) => `${s.smtp.submission}:starttls:${m}`),
  ];
  let results: Record<string, string>;

  beforeAll(async () => {
    results = await python(smtpAuthCases, [s.host, s.pki.caFile, fax1().email, fax1().password, fax2().email, `auth ${token}`, ...cases()]);
  });

  it('logs in with PLAIN, LOGIN and CRAM-MD5 (smtplib) on the STARTTLS, SMTPS and submission ports, certificate verified, and delivers', async () => {
    expect(results).toEqual(Object.fromEntries(cases().map((c) => [c, 'ok'])));
    for (const c of cases()) {
      await waitForMail(s.maildir(fax2().login), (t) => t.includes(`Subject: auth ${token} ${c}\n`), `"auth ${c}"`);
    }
  });

  it('offers AUTH before TLS on the STARTTLS port, refuses a wrong password and mail without AUTH', async () => {
    const r = await python<Record<string, unknown>>(smtpPolicies, [s.host, String(s.smtp.starttls), String(s.smtp.submission), s.pki.caFile, fax1().email, fax1().password]);
    expect(r.authBeforeTls).toBe(true);
    expect(r.wrongPassword).toMatch(/^535 5\.7\.8 /);
    expect(r.withoutAuth).toMatch(/^554 5\.7\.1 .*Access denied/);
  });

  it('offers AUTH on the submission port only after STARTTLS, and refuses mail before it', async () => {
    const r = await python<Record<string, unknown>>(smtpPolicies, [s.host, String(s.smtp.starttls), String(s.smtp.submission), s.pki.caFile, fax1().email, fax1().password]);
    expect(r.submissionAuthBeforeTls).toBe(false);
    expect(r.submissionMailBeforeTls).toMatch(/^530 5\.7\.0 Must issue a STARTTLS command first/);
    expect(String(r.submissionAuthAfterTls).split(' ')).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'NTLM', 'GSSAPI']));
  });

  /** curl over STARTTLS with one SASL mechanism; its -v transcript shows the server's replies. */
  async function curlSend(mechanism: string, user: string, env: NodeJS.ProcessEnv = process.env) {
    const message = path.join(work, `${mechanism}.eml`);
    await writeFile(message, `From: ${fax1().email}\r\nTo: ${fax2().email}\r\nSubject: curl ${token} ${mechanism}\r\n\r\nbody\r\n`);
    return run('curl', ['-sS', '-v', '--url', `smtp://localhost:${s.smtp.starttls}`, '--ssl-reqd', '--cacert', s.pki.caFile,
      '--login-options', `AUTH=${mechanism}`, '-u', user, '--mail-from', fax1().email, '--mail-rcpt', fax2().email, '-T', message], { env });
  }

  it.each(['DIGEST-MD5', 'NTLM'])('logs in with %s (curl) and delivers', async (mechanism) => {
    const r = await curlSend(mechanism, `${fax1().email}:${fax1().password}`);
    expect(r.stderr).toMatch(/^< 235 2\.7\.0 Authentication successful/m);
    expect(r.code).toBe(0);
    await waitForMail(s.maildir(fax2().login), (t) => t.includes(`Subject: curl ${token} ${mechanism}`), `"curl ${mechanism}"`);
  });

  it('logs in with GSSAPI using a ticket from the stack KDC (kinit -kt, curl) and refuses without one', async () => {
    const env = { ...process.env, KRB5_CONFIG: s.kerberos.krb5Conf, KRB5CCNAME: `FILE:${path.join(work, 'krb5cc-gssapi')}` };
    const without = await curlSend('GSSAPI', ':', env);
    expect(without.stderr).not.toMatch(/^< 235 /m);
    expect(without.code).not.toBe(0);
    const kinit = await run('kinit', ['-kt', s.kerberos.keytab('fax1'), `fax1@${s.kerberos.realm}`], { env });
    expect(kinit).toMatchObject({ code: 0, stderr: '' });
    const logFile = path.join(s.stateDir, 'log/postfix.log');
    const logBefore = (await readFile(logFile, 'utf8')).length;
    const r = await curlSend('GSSAPI', ':', env);
    expect(r.stderr).toMatch(/^< 235 2\.7\.0 Authentication successful/m);
    await waitForMail(s.maildir(fax2().login), (t) => t.includes(`Subject: curl ${token} GSSAPI`), '"curl GSSAPI"');
    // Postfix names the mechanism and the principal it mapped to the user.
    expect((await readFile(logFile, 'utf8')).slice(logBefore)).toMatch(/sasl_method=GSSAPI, sasl_username=fax1@/);
  });

  it('also listens on ::1 when the machine has an IPv6 loopback', async () => {
    const r = await run('curl', ['-sS', '-v', '--url', `smtp://[::1]:${s.smtp.starttls}`, '--ssl-reqd', '--cacert', s.pki.caFile,
      '--login-options', 'AUTH=PLAIN', '-u', `${fax1().email}:${fax1().password}`, '--mail-from', fax1().email, '--mail-rcpt', fax2().email, '-T', '/dev/null']);
    if (s.ipv6) expect(r.stderr).toMatch(/^< 235 /m);
    else expect(r.code).not.toBe(0);
  });
});

describe('POP3', () => {
  it('serves the mailbox with USER/PASS, APOP, STLS and on POP3S (poplib, certificate verified), refusing a wrong password', async () => {
    const subject = `auth ${token} ${s.smtp.smtps}:ssl:PLAIN`;
    await waitForMail(s.maildir(fax2().login), (t) => t.includes(`Subject: ${subject}\n`), JSON.stringify(subject));
    const r = await python<Record<string, string>>(popCases, [s.host, String(s.pop.plain), String(s.pop.pop3s), s.pki.caFile, fax2().email, fax2().password, subject]);
    expect(r).toEqual({
      userPass: 'found', apop: 'found', stls: 'found', pop3s: 'found', apopOverPop3s: 'found',
      wrongPassword: expect.stringMatching(/^error_proto: b'-ERR \[AUTH\] Authentication failed/),
    });
  });
});

describe('POP3 SASL', () => {
  /** curl's POP3 client with one SASL mechanism; -v shows the server's replies. */
  function curlPop(url: string, mechanism: string, user: string, env: NodeJS.ProcessEnv = process.env) {
    return run('curl', ['-sS', '-v', '--cacert', s.pki.caFile, '--login-options', `AUTH=${mechanism}`, '-u', user, url], { env });
  }

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5'])('logs in with AUTH %s (curl)', async (mechanism) => {
    const r = await curlPop(`pop3://127.0.0.1:${s.pop.plain}/`, mechanism, `${fax2().email}:${fax2().password}`);
    expect(r.stderr).toMatch(/^< \+OK Logged in/m);
  });

  it('logs in with AUTH GSSAPI over POP3S with a ticket from the stack KDC (curl)', async () => {
    const env = { ...process.env, KRB5_CONFIG: s.kerberos.krb5Conf, KRB5CCNAME: `FILE:${path.join(work, 'krb5cc-pop')}` };
    expect((await run('kinit', ['-kt', s.kerberos.keytab('fax2'), `fax2@${s.kerberos.realm}`], { env })).code).toBe(0);
    const r = await curlPop(`pop3s://localhost:${s.pop.pop3s}/`, 'GSSAPI', ':', env);
    expect(r.stderr).toMatch(/^< \+OK Logged in/m);
  });
});

describe('certificates', () => {
  // What Python's ssl (OpenSSL) says of each bad certificate; revoked is only seen with the CRLs.
  const expected: Record<TlsVariant, { verify: RegExp; verifyWithCrl: RegExp }> = {
    expired: { verify: /^verify: certificate has expired$/, verifyWithCrl: /^verify: certificate has expired$/ },
    wrongcn: { verify: /^verify: Hostname mismatch/, verifyWithCrl: /^verify: Hostname mismatch/ },
    untrusted: { verify: /^verify: unable to get local issuer certificate$/, verifyWithCrl: /^verify: unable to get local issuer certificate$/ },
    badku: { verify: /^verify: unsuitable certificate purpose$/, verifyWithCrl: /^verify: unsuitable certificate purpose$/ },
    revoked: { verify: /^ok$/, verifyWithCrl: /^verify: certificate revoked$/ },
    nochain: { verify: /^verify: unable to get local issuer certificate$/, verifyWithCrl: /^verify: unable to get local issuer certificate$/ },
  };
  const variants = Object.keys(expected) as TlsVariant[];
  let probe: Record<string, { presents: boolean; verify: string; verifyWithCrl: string }>;

  beforeAll(async () => {
    const cases = [
      `valid-smtps:${s.smtp.smtps}:ssl:${s.pki.certFile('valid')}`,
      `valid-starttls:${s.smtp.starttls}:smtp:${s.pki.certFile('valid')}`,
      `valid-pop3s:${s.pop.pop3s}:ssl:${s.pki.certFile('valid')}`,
      ...variants.flatMap((v) => [
        `${v}-smtps:${s.tls[v].smtps}:ssl:${s.pki.certFile(v)}`,
        `${v}-starttls:${s.tls[v].starttls}:smtp:${s.pki.certFile(v)}`,
        `${v}-pop3s:${s.tls[v].pop3s}:ssl:${s.pki.certFile(v)}`,
      ]),
    ];
    probe = await python(tlsProbe, [s.host, s.pki.caFile, s.pki.crlFile, ...cases]);
  });

  it('the main ports present the good certificate, which verifies with and without the CRLs', () => {
    for (const port of ['smtps', 'starttls', 'pop3s']) {
      expect([port, probe[`valid-${port}`]]).toEqual([port, { presents: true, verify: 'ok', verifyWithCrl: 'ok' }]);
    }
  });

  it.each(variants)('the %s ports (SMTPS, STARTTLS, POP3S) present that certificate and fail verification for its reason', (v) => {
    for (const port of ['smtps', 'starttls', 'pop3s']) {
      const r = probe[`${v}-${port}`];
      expect([port, r.presents]).toEqual([port, true]);
      expect([port, r.verify]).toEqual([port, expect.stringMatching(expected[v].verify)]);
      expect([port, r.verifyWithCrl]).toEqual([port, expect.stringMatching(expected[v].verifyWithCrl)]);
    }
  });

  /** How many certificates a server sends (openssl s_client -showcerts). */
  async function chainLength(port: number): Promise<number> {
    const r = await run('openssl', ['s_client', '-connect', `${s.host}:${port}`, '-showcerts'], { timeoutMs: 15_000 });
    return (r.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  }

  it('the good servers send the intermediate after their certificate; the nochain servers send no intermediate', async () => {
    expect(await chainLength(s.smtp.smtps)).toBe(2);
    expect(await chainLength(s.pop.pop3s)).toBe(2);
    expect(await chainLength(s.tls.nochain.smtps)).toBe(1);
    expect(await chainLength(s.tls.nochain.pop3s)).toBe(1);
  });

  it('the OCSP responder named in the certificates answers revoked for the revoked certificate and good for the good one (openssl ocsp)', async () => {
    const aia = await run('openssl', ['x509', '-noout', '-ocsp_uri', '-in', s.pki.certFile('valid')]);
    expect(aia.stdout.trim()).toBe(s.pki.ocspUrl);
    for (const [variant, status] of [['revoked', 'revoked'], ['valid', 'good']]) {
      const r = await run('openssl', ['ocsp', '-issuer', s.pki.intermediateFile, '-cert', s.pki.certFile(variant as 'valid'),
        '-url', s.pki.ocspUrl, '-CAfile', s.pki.caFile, '-verify_other', s.pki.intermediateFile]);
      expect(r.stderr).toMatch(/Response verify OK/);
      expect(r.stdout).toContain(`${s.pki.certFile(variant as 'valid')}: ${status}`);
    }
  });

  it('the CRL at the certificates\' distribution point lists the revoked certificate, and only it', async () => {
    const text = (await run('openssl', ['x509', '-noout', '-text', '-in', s.pki.certFile('valid')])).stdout;
    const url = /X509v3 CRL Distribution Points:[\s\S]*?URI:(\S+)/.exec(text)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    const crlFile = path.join(work, 'inter.crl');
    await writeFile(crlFile, Buffer.from(await response.arrayBuffer()));
    const crl = (await run('openssl', ['crl', '-inform', 'DER', '-noout', '-text', '-in', crlFile])).stdout;
    const serial = (await run('openssl', ['x509', '-noout', '-serial', '-in', s.pki.certFile('revoked')])).stdout.trim().replace('serial=', '');
    expect([...crl.matchAll(/Serial Number: (\S+)/g)].map((m) => m[1])).toEqual([serial]);
  });
});

describe('DSN', () => {
  it.each([
    ['relay', 'relayed', /^2\./],
    ['fail', 'failed', /^5\.1\.1$/],
  ])('a mail to the %s domain brings a "%s" DSN with the ENVID into the sender\'s Maildir', async (which, action, status) => {
    const envid = `${token}-${which}`;
    const to = `someone@${which === 'relay' ? s.relayDomain : s.failDomain}`;
    await python(sendWithDsn, [s.host, String(s.smtp.starttls), s.pki.caFile, fax1().email, fax1().password, fax1().email, to, envid]);
    const dsn = await waitForMail(s.maildir(fax1().login), (t) => t.includes(`Original-Envelope-Id: ${envid}`), `with ENVID ${envid}`);
    const report = await python<{ type: string; reportType: string; envid: string; recipients: { final: string; original: string; action: string; status: string }[] }>(parseDsn, [dsn.file]);
    expect(report).toMatchObject({ type: 'multipart/report', reportType: 'delivery-status', envid });
    expect(report.recipients).toHaveLength(1);
    expect(report.recipients[0]).toMatchObject({ final: `rfc822; ${to}`, original: `rfc822;${to}`, action });
    expect(report.recipients[0].status).toMatch(status);
  });
});

describe('POP-before-SMTP', () => {
  it('refuses a client address until it logs in to POP3, then accepts and delivers its mail until the window ends', async () => {
    // A fresh loopback address: no earlier run's POP3 login counts for it.
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    const subject = `pbs ${token}`;
    const record = path.join(s.stateDir, 'pbs', address);
    const r = await python<{ before: string; after: string; expired: string }>(popBeforeSmtp, [s.host, String(s.smtp.popBeforeSmtp),
      String(s.pop.plain), address, fax1().email, fax1().password, fax2().email, subject, record, String(s.popBeforeSmtpWindow)]);
    expect(r.before).toMatch(/^554 5\.7\.1 .*POP-before-SMTP: no POP3 login from /);
    expect(r.after).toBe('accepted');
    expect(r.expired).toMatch(/^554 5\.7\.1 .*POP-before-SMTP: no POP3 login from /);
    await waitForMail(s.maildir(fax2().login), (t) => t.includes(`Subject: ${subject}`), JSON.stringify(subject));
  });
});

describe('LDAP and Kerberos', () => {
  const ldapEnv = () => ({ ...process.env, LDAPTLS_CACERT: s.pki.caFile, LDAPTLS_REQCERT: 'demand' });

  it('answers searches over StartTLS (admin bind) and LDAPS (user bind), certificate verified', async () => {
    const startTls = await run('ldapsearch', ['-LLL', '-x', '-ZZ', '-H', `ldap://127.0.0.1:${s.ldap.port}`, '-D', s.ldap.adminDn,
      '-w', s.ldap.adminPassword, '-b', s.ldap.baseDn, '(uid=fax2)', 'mail', 'facsimileTelephoneNumber'], { env: ldapEnv() });
    expect(startTls.stderr).toBe('');
    expect(startTls.stdout).toContain(`mail: ${fax2().email}`);
    expect(startTls.stdout).toMatch(/^facsimileTelephoneNumber: \+49 /m);
    const ldaps = await run('ldapsearch', ['-LLL', '-x', '-H', `ldaps://127.0.0.1:${s.ldap.ldapsPort}`, '-D', `uid=fax1,ou=people,${s.ldap.baseDn}`,
      '-w', fax1().password, '-b', s.ldap.baseDn, '(proxyAddresses=smtp:faxgateway@ifax.test)', 'cn'], { env: ldapEnv() });
    expect(ldaps.stdout).toContain('cn: Fax Gateway');
    const wrong = await run('ldapwhoami', ['-x', '-H', `ldaps://127.0.0.1:${s.ldap.ldapsPort}`, '-D', `uid=fax1,ou=people,${s.ldap.baseDn}`, '-w', 'wrong'], { env: ldapEnv() });
    expect(wrong.stderr).toMatch(/Invalid credentials \(49\)/);
  });

  it('issues tickets for a password and for a keytab (kinit, klist)', async () => {
    const env = { ...process.env, KRB5_CONFIG: s.kerberos.krb5Conf, KRB5CCNAME: `FILE:${path.join(work, 'krb5cc-kinit')}` };
    const byPassword = await run('kinit', [`fax2@${s.kerberos.realm}`], { env, input: `${fax2().password}\n` });
    expect(byPassword.code).toBe(0);
    expect((await run('klist', [], { env })).stdout).toMatch(new RegExp(`Default principal: fax2@IFAX\\.TEST[\\s\\S]*krbtgt/IFAX\\.TEST@IFAX\\.TEST`));
    const byKeytab = await run('kinit', ['-kt', s.kerberos.keytab('fax3'), `fax3@${s.kerberos.realm}`], { env });
    expect(byKeytab.code).toBe(0);
    expect((await run('klist', [], { env })).stdout).toContain('Default principal: fax3@IFAX.TEST');
    const wrong = await run('kinit', [`fax2@${s.kerberos.realm}`], { env, input: 'wrong\n' });
    expect(wrong.stderr).toMatch(/Password incorrect/);
  });
});

describe('the stack itself', () => {
  it('listens only on loopback: every socket on its ports (ss) and its own check', async () => {
    const ports = new Set<number>([
      ...Object.values(s.smtp), ...Object.values(s.pop), s.ldap.port, s.ldap.ldapsPort, Number(new URL(s.pki.ocspUrl).port),
      ...Object.values(s.tls).flatMap((p) => Object.values(p)),
    ]);
    const ss = await run('ss', ['-Hltun']);
    const ours = ss.stdout.split('\n').map((l) => l.trim().split(/\s+/)[4]).filter((a) => a && ports.has(Number(a.slice(a.lastIndexOf(':') + 1))));
    expect(ours.length).toBeGreaterThanOrEqual(ports.size);
    expect(ours.filter((a) => !/^(127\.0\.0\.1|\[::1\]):\d+$/.test(a))).toEqual([]);
    expect(await runStackScript('status', 30_000)).toMatch(/every listener is on loopback/);
  });

  it('a second start finds it running and leaves it as it is', async () => {
    const before = await run('bash', [stackScript, 'status']);
    await runStackScript('start');
    expect((await run('bash', [stackScript, 'status'])).stdout).toBe(before.stdout);
  });

  it('CI installs every package the stack needs (.ci/run PACKAGES)', async () => {
    const ci = await readFile(path.join(path.dirname(stackScript), '../../../.ci/run'), 'utf8');
    const listed = new Set(/^PACKAGES="([^"]*)"/m.exec(ci)?.[1].split(/\s+/) ?? []);
    const needed = (await runStackScript('packages', 10_000)).split('\n').filter(Boolean);
    expect(needed.filter((p) => !listed.has(p))).toEqual([]);
  });
});
