import { configSchema, type IfaxConfig } from '../../src/config/schema.js';
import { defaultConfig } from '../../src/config/validate.js';
import { isSecretKey, keyInfo, listKeys, suggestKey } from '../../src/config/keys.js';
import { getIn } from '../../src/config/merge.js';
import { parseValue } from '../../src/config/value.js';
import { SETTINGS_KEYS } from './settings-keys.js';

describe('profile schema', () => {
  test.each(SETTINGS_KEYS)('%s is in the schema with the default of SETTINGS.md', (key, def) => {
    const info = keyInfo(key);
    expect(info).toBeDefined();
    expect(info!.meta.description.length).toBeGreaterThan(3);
    expect(getIn(configSchema.parse({}), key.split('.'))).toEqual(def);
  });

  test('the schema has no setting SETTINGS.md lacks (additions must be added to the list)', () => {
    const documented = new Set(SETTINGS_KEYS.map(([k]) => k));
    expect(listKeys().map((k) => k.key).filter((k) => !documented.has(k))).toEqual([]);
  });

  test('the deviations from the device are noted on their keys', () => {
    for (const p of ['smtp', 'pop', 'ldap']) {
      expect(keyInfo(`${p}.certVerify.cn`)!.meta.deviation).toMatch(/device default false/);
      expect(keyInfo(`${p}.certVerify.chain`)!.meta.deviation).toMatch(/device default false/);
    }
  });

  test('the passwords are marked secret, with their environment variable', () => {
    expect(listKeys().filter((k) => k.meta.secret).map((k) => [k.key, k.meta.env])).toEqual([
      ['smtp.auth.password', 'IFAX_SMTP_PASSWORD'],
      ['pop.password', 'IFAX_POP_PASSWORD'],
      ['ldap.password', 'IFAX_LDAP_PASSWORD'],
    ]);
    expect(isSecretKey('profiles.office.pop.password')).toBe(true);
    expect(isSecretKey('pop.user')).toBe(false);
  });

  test('the types come from the schema', () => {
    const c: IfaxConfig = defaultConfig();
    const port: number = c.smtp.port;
    const tls: 'off' | 'smtps' | 'starttls' = c.smtp.tls;
    const host: string | null = c.smtp.host;
    expect([port, tls, host]).toEqual([25, 'off', null]);
  });

  test.each([
    ['smtp.hots', 'smtp.host'],
    ['smtp.sslport', 'smtp.sslPort'],
    ['smtp.auth.pasword', 'smtp.auth.password'],
    ['smpt.host', 'smtp.host'],
    ['smtp.leaveOnServer', 'pop.leaveOnServer'],
    ['ifaxAdvanced.mdnReqest', 'ifaxAdvanced.mdnRequest'],
    ['profiles.office.smtp.hots', 'profiles.office.smtp.host'],
    ['completely.different', undefined],
  ])('nearest key of %s is %s', (typo, expected) => {
    expect(suggestKey(typo)).toBe(expected);
  });

  test.each([
    ['ifax.enabled', 'yes', true],
    ['ifax.enabled', 'off', false],
    ['smtp.port', '587', 587],
    ['smtp.port', 'abc', 'abc'],
    ['device.name', 'null', null],
    ['smtp.auth.realm', 'null', 'null'],
    ['device.name', '"null"', 'null'],
    ['smtp.auth.methods', 'CRAM-MD5, PLAIN', ['CRAM-MD5', 'PLAIN']],
    ['smtp.auth.methods', '["LOGIN"]', ['LOGIN']],
    ['header.senderNames', '[]', []],
    ['header.senderNames', '', []],
    ['smtp.maxMailSizeKB', 'null', null],
    ['smtp.auth.password', ' pass word ', ' pass word '],
  ])('set %s %j parses as %j', (key, text, value) => {
    expect(parseValue(keyInfo(key)!.meta, text)).toEqual(value);
  });
});
