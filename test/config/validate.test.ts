import { validateConfig, defaultConfig } from '../../src/config/validate.js';
import { problemText } from '../../src/config/messages.js';
import { hostKind } from '../../src/config/syntax.js';
import { configSchema } from '../../src/config/schema.js';
import { INVALID_CASES } from './cases.js';

function problems(input: unknown, options = {}) {
  const r = validateConfig(input, options);
  return r.ok ? [] : r.problems;
}

describe('validation: every limit and enum names the key, the rule and the bad value', () => {
  test.each(INVALID_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = problems(c.profile);
    const hit = found.find((p) => p.key === c.key);
    if (!hit) throw new Error(`no problem on ${c.key}; got:\n${found.map(problemText).join('\n')}`);
    expect(hit.message).toMatch(c.message);
  });

  test('the message has the form "key: rule; got value" (SETTINGS.md example)', () => {
    const [p] = problems({ device: { name: 'x'.repeat(81) } });
    expect(problemText(p)).toBe('device.name: at most 80 characters, no white space; got 81');
  });

  test('every problem of a profile is reported at once, including rules between keys', () => {
    const found = problems({
      device: { name: 'a b' },
      smtp: { port: 0, hots: 'x', popBeforeSmtp: { enabled: true } },
      compression: { bw: 'JBIG' },
    }).map((p) => p.key);
    expect(found).toEqual(expect.arrayContaining(['device.name', 'smtp.port', 'smtp.hots', 'compression.bw', 'pop.host', 'pop.user', 'pop.password']));
  });

  test('a profile file that is not a map is one problem', () => {
    expect(problems(['a', 'b'])[0].message).toMatch(/a profile is a map of settings.*got a list/);
    expect(problems('smtp.host: x')[0].message).toMatch(/got a string/);
  });
});

describe('validation: what is accepted', () => {
  test('an empty profile is valid and gives every default', () => {
    const r = validateConfig({});
    expect(r.ok).toBe(true);
    expect(validateConfig(undefined).ok).toBe(true);
    expect(defaultConfig().smtp.port).toBe(25);
  });

  test.each([
    ['host.example.com', 'hostname'],
    ['mail', 'hostname'],
    ['xn--bcher-kva.example', 'hostname'],
    ['3com.com', 'hostname'],
    ['192.168.1.1', 'ipv4'],
    ['0.0.0.0', 'ipv4'],
    ['255.255.255.255', 'ipv4'],
    ['fe80::220:6bff:fe10:2f16', 'ipv6'],
    ['fe80::220:6bff:fe10:2f16%eth0', 'ipv6'],
    ['::1', 'ipv6'],
    ['::', 'ipv6'],
    ['2001:db8::192.0.2.1', 'ipv6'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', 'ipv6'],
  ])('host %s is a %s', (host, kind) => {
    expect(hostKind(host)).toBe(kind);
    expect(validateConfig({ smtp: { host }, pop: { host } }).ok).toBe(true);
  });

  test.each([
    'http://mail.example.com', 'mail.example.com:25', '[::1]', '[fe80::1]:25', 'mail example.com', ' mail.example.com',
    '999.1.1.1', '192.168.1', '192.168.01.1', '1.2.3.4.5', '-mail.example.com', 'mail-.example.com', 'mail..example.com',
    `${'a'.repeat(64)}.example.com`, 'mail.example.com.', 'fe80::1::2', '12345::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%', 'fe80::1%eth 0',
    'mail_1.example.com', 'mail.example.com/path', '',
  ])('host %j is refused', (host) => {
    expect(hostKind(host)).toBeNull();
    expect(problems({ smtp: { host } }).map((p) => p.key)).toContain('smtp.host');
  });

  test.each([
    [{ device: { name: 'x'.repeat(80) } }],
    [{ device: { email: 'fax+office@[192.0.2.1]' } }],
    [{ device: { email: '"odd.name"@example.com' } }],
    [{ header: { senderNames: Array.from({ length: 20 }, () => 'y'.repeat(30)), defaultSender: 20 } }],
    [{ header: { senderNames: [], defaultSender: 5 } }],
    [{ smtp: { port: 1, sslPort: 65535, timeout: 5, splitSizeKB: 64 } }],
    [{ smtp: { timeout: 300, splitSizeKB: 65535, popBeforeSmtp: { waitSeconds: 0 } } }],
    [{ smtp: { auth: { realm: '', methods: ['PLAIN'] } } }],
    [{ smtp: { auth: { enabled: true, source: 'user' } } }],
    [{ smtp: { envelopeFrom: 'bounces@example.com' } }],
    [{ smtp: { loadReduction: 'url-if-over', maxMailSizeKB: 10240 }, download: { dir: '/srv/fax', baseUrl: 'https://files.example.com/fax/' } }],
    [{ pop: { intervalMinutes: 1440, password: 'x'.repeat(200) } }],
    [{ ifaxAdvanced: { maxResolution: 'fine' }, receiveCaps: { resolutions: ['standard', 'fine'] } }],
    [{ ldap: { enabled: true, url: 'ldaps://[2001:db8::1]:636', baseDn: 'dc=example,dc=com' } }],
    [{ profiles: { office: { smtp: { host: 'mail.example.com' } }, 'branch-2': {} } }],
  ])('boundary values pass: %j', (profile) => {
    const r = validateConfig(profile);
    if (!r.ok) throw new Error(r.problems.map(problemText).join('\n'));
  });

  test('receiveCaps.resolutions defaults to every resolution up to maxResolution', () => {
    const r = validateConfig({ ifaxAdvanced: { maxResolution: 'fine' } });
    expect(r.ok && r.config.receiveCaps.resolutions).toEqual(['standard', 'fine']);
    expect(configSchema.parse({}).receiveCaps.resolutions).toEqual(['standard', 'fine', 'superfine', 'ultrafine']);
  });
});

describe('validation: named profiles and environment', () => {
  const file = {
    device: { name: 'main', email: 'fax@example.com' },
    smtp: { host: 'mail.example.com', certVerify: { revocation: true } },
    profiles: {
      branch: { device: { name: 'branch' }, smtp: { port: 587, certVerify: { keyUsage: true } } },
      home: { smtp: { host: '192.0.2.5' } },
    },
  };

  test('the top level is merged deep under the named profile', () => {
    const r = validateConfig(file, { profile: 'branch' });
    if (!r.ok) throw new Error('invalid');
    expect(r.config.device).toEqual({ name: 'branch', email: 'fax@example.com' });
    expect(r.config.smtp.host).toBe('mail.example.com');
    expect(r.config.smtp.port).toBe(587);
    expect(r.config.smtp.certVerify).toMatchObject({ revocation: true, keyUsage: true, chain: true });
    expect(r.profiles).toEqual(['branch', 'home']);
    expect('profiles' in r.config).toBe(false);
  });

  test('an unknown profile name lists the known ones', () => {
    const r = validateConfig(file, { profile: 'brnach' });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toEqual({ key: 'profiles', message: 'no profile "brnach"; known: branch, home' });
  });

  test('a rule broken only in a named profile is reported under profiles.NAME', () => {
    const found = problems({ profiles: { office: { smtp: { auth: { enabled: true } } } } });
    expect(found.map((p) => p.key)).toEqual(['profiles.office.smtp.auth.user', 'profiles.office.smtp.auth.password']);
  });

  test('profiles do not nest', () => {
    expect(problems({ profiles: { a: { profiles: { b: {} } } } }).map(problemText)).toContain('profiles.a.profiles: profiles do not nest: a named profile holds settings only');
  });

  test('IFAX_*_PASSWORD override the file and satisfy the rules that need a password', () => {
    const profile = { smtp: { auth: { enabled: true, user: 'fax', password: 'from-file' } } };
    const r = validateConfig(profile, { env: { IFAX_SMTP_PASSWORD: 'from-env-1', IFAX_POP_PASSWORD: '' } });
    expect(r.ok && r.config.smtp.auth.password).toBe('from-env-1');
    expect(r.fromEnv).toEqual(['smtp.auth.password']);
    const r2 = validateConfig({ smtp: { popBeforeSmtp: { enabled: true } }, pop: { host: 'pop.example.com', user: 'fax' } }, { env: { IFAX_POP_PASSWORD: 'pw-env-22' } });
    expect(r2.ok).toBe(true);
  });

  test('a bad password from the environment names the variable and never the value', () => {
    const secret = 'Z'.repeat(65);
    const found = problems({}, { env: { IFAX_SMTP_PASSWORD: secret } });
    expect(problemText(found[0])).toBe('smtp.auth.password: at most 64 characters; got 65 (from IFAX_SMTP_PASSWORD)');
  });

  test('no message ever quotes a password', () => {
    const secrets = ['pw with spaces\nand a newline', 'P'.repeat(70), 'x'];
    for (const pw of secrets) {
      for (const key of ['smtp', 'pop', 'ldap']) {
        const profile = key === 'smtp' ? { smtp: { auth: { password: pw } } } : { [key]: { password: pw } };
        const text = problems(profile).map(problemText).join('\n');
        if (pw.length > 1) expect(text).not.toContain(pw);
      }
    }
    const num = problems({ pop: { password: 123456 } });
    expect(problemText(num[0])).toBe('pop.password: at least 1 character; got a number (quote it in YAML)');
  });
});

describe('validation: the note about quotes', () => {
  test('"(a string: no quotes)" only where quotes made a number or a switch text', () => {
    const msg = (profile: unknown) => (validateConfig(profile) as { problems: Array<{ message: string }> }).problems[0].message;
    expect(msg({ smtp: { port: '25' } })).toMatch(/got "25" \(a string: no quotes\)$/);
    expect(msg({ ifax: { enabled: 'true' } })).toMatch(/got "true" \(a string: no quotes\)$/);
    expect(msg({ smtp: { port: 'abc' } })).toMatch(/got "abc"$/);
    expect(msg({ ifax: { enabled: 'on' } })).toMatch(/got "on"$/);
  });
});

describe('validation: warnings for valid but doubtful settings', () => {
  test.each([
    [{ smtp: { port: 465 } }, /smtp\.port 465 is the SMTPS/],
    [{ smtp: { tls: 'smtps', port: 587 } }, /smtp\.port 587 is not used with smtp\.tls smtps/],
    [{ pop: { port: 995 } }, /pop\.port 995 is the POP3S/],
    [{ smtp: { tls: 'starttls', certVerify: { chain: false } } }, /smtp\.certVerify\.chain is off/],
    [{ tls: { minVersion: 'TLSv1' } }, /RFC 8996/],
    [{ ifaxAdvanced: { dsnRequest: true } }, /dsnRequest has no effect/],
    [{ ifaxAdvanced: { maxResolution: 'fine' }, send: { resolution: 'superfine' } }, /send\.resolution superfine is above/],
    [{ ifax: { enabled: true } }, /send will refuse until these are set: smtp\.host/],
  ])('%j warns', (profile, warning) => {
    const r = validateConfig(profile);
    expect(r.ok).toBe(true);
    expect(r.warnings.join('\n')).toMatch(warning);
  });

  test('the defaults give no warning', () => {
    expect(validateConfig({}).warnings).toEqual([]);
  });
});
