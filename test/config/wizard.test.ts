import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { runWizardSession } from '../../src/config/wizard/session.js';
import { runWizard } from '../../src/config/wizard/run.js';
import { validateConfig } from '../../src/config/validate.js';
import { SECTIONS } from '../../src/config/wizard/sections.js';
import { settingsObject } from '../../src/config/schema.js';
import { checkOnly, choose, correctedInPlace, drive, enter, no, type, yes } from './wizard-harness.js';
import { repoRoot } from '../helpers/run-cli.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ifax-wizard-'));
}

function readYaml(file: string): Record<string, unknown> {
  return YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('config wizard', () => {
  test('a full first run asks every section in order, corrects a wrong answer in place, masks passwords and writes a valid 0600 profile', async () => {
    const dir = tempDir();
    const printed: string[] = [];
    const seen: string[] = [];
    const d = drive([
      // Issue 8 item 11: the first question chooses the path; this run takes all settings.
      { match: /^What to set up\?/, act: choose('All settings, section by section') },
      { match: /\[ifax\.enabled\]/, act: yes() },
      { match: /\[device\.name\]/, act: correctedInPlace('office fax', /no white space; got "office fax"/, 'office-fax', seen) },
      { match: /\[device\.email\]/, act: type('fax@example.com') },
      { match: /\[header\.senderNames\]/, act: choose('Add a name') },
      { match: /Sender name 1/, act: type('Sales') },
      { match: /\[header\.senderNames\]/, act: choose('Add a name') },
      { match: /Sender name 2/, act: type('Support') },
      { match: /\[header\.senderNames\]/, act: choose('Done') },
      { match: /\[header\.defaultSender\]/, act: choose('2. Support') },
      { match: /\[smtp\.host\]/, act: correctedInPlace('smtp://mail.example.com', /a host name, IPv4 or IPv6 address.*a URL/, 'mail.example.com', seen) },
      { match: /\[smtp\.port\]/, act: correctedInPlace('70000', /a whole number 1-65535; got 70000/, '587', seen) },
      { match: /\[smtp\.tls\]/, act: choose('starttls') },
      { match: /\[smtp\.auth\.enabled\]/, act: yes() },
      { match: /\[smtp\.auth\.methods\]/, act: checkOnly(['CRAM-MD5', 'LOGIN', 'PLAIN']) },
      { match: /\[smtp\.auth\.user\]/, act: type('faxuser') },
      { match: /\[smtp\.auth\.password\]/, act: type('s3cret-Smtp') },
      { match: /\[pop\.host\]/, act: type('fe80::220:6bff:fe10:2f16') },
      { match: /\[pop\.user\]/, act: type('faxuser') },
      { match: /\[pop\.password\]/, act: type('s3cret-Pop') },
      { match: /\[notify\.adminEmail\]/, act: type('admin@example.com') },
      { match: /^Write \d+ changes to /, act: yes() },
    ]);
    const r = await runWizardSession({ prompts: d.prompts, cwd: dir, env: {}, print: (l) => printed.push(l) });
    expect(d.left()).toBe(0);
    const file = path.join(dir, '.ifaxrc.yaml');
    expect(r.written?.filepath).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Sections in the order of SETTINGS.md.
    const titles = printed.filter((l) => l.startsWith('\n== ')).map((l) => l.replace(/\n== | ==/g, ''));
    expect(titles).toEqual(SECTIONS.map((s) => s.title));
    // The prompts' validation showed the schema's own messages.
    expect(seen).toHaveLength(3);

    const raw = readYaml(file);
    expect(raw).toMatchObject({
      ifax: { enabled: true },
      device: { name: 'office-fax', email: 'fax@example.com' },
      header: { senderNames: ['Sales', 'Support'], defaultSender: 2 },
      smtp: { host: 'mail.example.com', port: 587, tls: 'starttls', auth: { enabled: true, methods: ['CRAM-MD5', 'LOGIN', 'PLAIN'], user: 'faxuser', password: 's3cret-Smtp' } },
      pop: { host: 'fe80::220:6bff:fe10:2f16', user: 'faxuser', password: 's3cret-Pop' },
      notify: { adminEmail: 'admin@example.com' },
    });
    expect(validateConfig(raw).ok).toBe(true);
    // The starter's comments are there: a new file starts as `ifax config init` writes it.
    expect(readFileSync(file, 'utf8')).toMatch(/# SMTP server/);
    // The passwords were typed masked and the summary masks them.
    const everything = [...printed, ...d.screens].join('\n');
    expect(everything).not.toContain('s3cret-Smtp');
    expect(everything).not.toContain('s3cret-Pop');
    expect(printed.join('\n')).toMatch(/smtp\.auth\.password: +null -> \*{8}/);
  });

  test('a one-section edit asks only that section and changes only its keys, keeping the comments', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    const original = '# our fax station\ndevice:\n  name: office # the label\n  email: fax@example.com\nsmtp:\n  host: old.example.com # the old relay\n';
    writeFileSync(file, original, { mode: 0o640 });
    const d = drive([
      { match: /\[smtp\.enabled\]/, act: enter() },
      { match: /\[smtp\.host\]/, act: (r) => { for (let i = 0; i < 20; i++) r.events.keypress('backspace'); r.events.type('new.example.com'); r.events.keypress('enter'); } },
      { match: /\[smtp\.port\]/, act: type('2525') },
      { match: /^Write 2 changes/, act: yes() },
    ]);
    const printed: string[] = [];
    await runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['smtp'], env: {}, print: (l) => printed.push(l) });
    expect(d.left()).toBe(0);
    expect(d.asked.every((m) => /\[(smtp|download)\.|^Write/.test(m))).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# our fax station');
    expect(text).toContain('# the label');
    expect(YAML.parse(text)).toEqual({ device: { name: 'office', email: 'fax@example.com' }, smtp: { host: 'new.example.com', port: 2525 } });
    // No password in it: the mode is kept as it was.
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(printed.join('\n')).toMatch(/smtp\.host: old\.example\.com -> new\.example\.com/);
  });

  test('with a named profile the answers go under profiles.NAME', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    writeFileSync(file, 'smtp:\n  host: main.example.com\nprofiles:\n  branch:\n    device:\n      name: branch\n');
    const d = drive([
      { match: /\[device\.name\]/, act: enter() },
      { match: /\[device\.email\]/, act: type('branch@example.com') },
      { match: /^Write 1 change /, act: yes() },
    ]);
    await runWizardSession({ prompts: d.prompts, cwd: dir, profile: 'branch', sections: ['device'], env: {}, print: () => undefined });
    expect(readYaml(file)).toEqual({ smtp: { host: 'main.example.com' }, profiles: { branch: { device: { name: 'branch', email: 'branch@example.com' } } } });
  });

  test('a password left empty keeps the existing one; no change, nothing written', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.ifaxrc.yaml');
    const text = 'smtp:\n  auth:\n    enabled: true\n    user: fax\n    password: "old-Secret-1"\n';
    writeFileSync(file, text, { mode: 0o600 });
    const printed: string[] = [];
    const d = drive([{ match: /\[smtp\.auth\.password\].*kept when left empty/, act: enter() }]);
    const r = await runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['auth'], env: {}, print: (l) => printed.push(l) });
    expect(d.left()).toBe(0);
    expect(r.written).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(printed).toContain('\nNo changes.');
    expect([...printed, ...d.screens].join('\n')).not.toContain('old-Secret-1');
  });

  test('a rule between keys asks again for the key it names (POP before SMTP needs the POP login)', async () => {
    const dir = tempDir();
    const d = drive([
      { match: /\[smtp\.popBeforeSmtp\.enabled\]/, act: yes() },
      { match: /\[smtp\.popBeforeSmtp\.waitSeconds\]/, act: enter() },
      { match: /^Fix them now/, act: yes() },
      { match: /\[pop\.host\]/, act: correctedInPlace('', /required by smtp\.popBeforeSmtp\.enabled/, 'pop.example.com') },
      { match: /\[pop\.user\]/, act: type('fax') },
      { match: /\[pop\.password\]/, act: type('pw-12345') },
      { match: /^Write 4 changes/, act: yes() },
    ], { strict: true });
    const printed: string[] = [];
    await runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['pop-before-smtp'], env: {}, print: (l) => printed.push(l) });
    expect(printed.join('\n')).toMatch(/pop\.host: required by smtp\.popBeforeSmtp\.enabled; got null/);
    const raw = readYaml(path.join(dir, '.ifaxrc.yaml'));
    expect(raw).toMatchObject({ smtp: { popBeforeSmtp: { enabled: true } }, pop: { host: 'pop.example.com', user: 'fax', password: 'pw-12345' } });
  });

  test('declining to fix leaves the file alone and reports the problems', async () => {
    const dir = tempDir();
    const d = drive([
      { match: /\[smtp\.popBeforeSmtp\.enabled\]/, act: yes() },
      { match: /\[smtp\.popBeforeSmtp\.waitSeconds\]/, act: enter() },
      { match: /^Fix them now/, act: no() },
    ], { strict: true });
    await expect(runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['pop-before-smtp'], env: {}, print: () => undefined })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/nothing written[\s\S]*pop\.host: required/),
    });
    expect(() => statSync(path.join(dir, '.ifaxrc.yaml'))).toThrow();
  });

  test('sender names: edit and delete renumber, and the default follows its name', async () => {
    const d = drive([
      { match: /\[header\.senderNames\]/, act: choose('Edit 1. Anna') },
      { match: /Sender name 1/, act: (r) => { for (let i = 0; i < 4; i++) r.events.keypress('backspace'); r.events.type('Anne'); r.events.keypress('enter'); } },
      { match: /\[header\.senderNames\]/, act: choose('Delete 2. Bob') },
      { match: /\[header\.senderNames\]/, act: choose('Add a name') },
      { match: /Sender name 3/, act: correctedInPlace('x'.repeat(31), /each 1-30 characters; got 31 characters/, 'Dora') },
      { match: /\[header\.senderNames\]/, act: choose('Done') },
      { match: /\[header\.defaultSender\]/, act: enter() },
      { match: /^Write/, act: yes() },
    ], { strict: true });
    const current = settingsObject.parse({ header: { senderNames: ['Anna', 'Bob', 'Carl'], defaultSender: 3 } }) as Record<string, unknown>;
    const r = await runWizard({ prompts: d.prompts, current, sections: ['header'], print: () => undefined, target: 'test', check: () => [] });
    expect(r.confirmed).toBe(true);
    expect(r.changes).toEqual([
      { key: 'header.senderNames', value: ['Anne', 'Carl', 'Dora'] },
      { key: 'header.defaultSender', value: 2 },
    ]);
  });

  test('tls.caFile that holds no certificate is rejected in place, naming the file', async () => {
    const dir = tempDir();
    const ca = path.join(repoRoot, 'test/fixtures/tls/ca.pem');
    const d = drive([
      { match: /\[tls\.caFile\]/, act: correctedInPlace('package.json', /tls\.caFile|holds no certificate/, ca) },
      { match: /^Write 1 change/, act: yes() },
    ]);
    writeFileSync(path.join(dir, 'package.json'), '{}');
    await runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['tls'], env: {}, print: () => undefined });
    expect(d.left()).toBe(0);
    expect(readYaml(path.join(dir, '.ifaxrc.yaml'))).toMatchObject({ tls: { caFile: ca } });
  });

  test('before writing, the wizard warns about functions switched on that cannot work, naming the keys', async () => {
    const dir = tempDir();
    const d = drive([
      { match: /\[ifax\.enabled\]/, act: yes() },
      { match: /^Write 1 change/, act: yes() },
    ], { strict: true });
    const printed: string[] = [];
    await runWizardSession({ prompts: d.prompts, cwd: dir, sections: ['ifax'], env: {}, print: (l) => printed.push(l) });
    const text = printed.join('\n');
    expect(text).toMatch(/Warnings \(the profile is valid, but\):\n {2}send will refuse until these are set: smtp\.host: .*device\.email/);
    expect(text).toMatch(/poll will refuse until these are set: pop\.host/);
    expect(text).toMatch(/alerts cannot be mailed until this is set: notify\.adminEmail/);
    expect(text.indexOf('Warnings')).toBeLessThan(text.indexOf('Changes for'));
  });

  test('the first run offers a basic path: about ten questions, a working profile, defaults for the rest', async () => {
    const dir = tempDir();
    const printed: string[] = [];
    const d = drive([
      { match: /^What to set up\?/, act: enter() },
      { match: /\[ifax\.enabled\]/, act: yes() },
      { match: /\[device\.name\]/, act: type('office-fax') },
      { match: /\[device\.email\]/, act: type('fax@example.com') },
      { match: /\[smtp\.host\]/, act: type('mail.example.com') },
      { match: /\[smtp\.tls\]/, act: choose('starttls') },
      { match: /\[smtp\.port\]/, act: correctedInPlace('abc', /a whole number 1-65535; got "abc"$/m, '587') },
      { match: /\[smtp\.auth\.enabled\]/, act: yes() },
      { match: /\[smtp\.auth\.user\]/, act: type('fax') },
      { match: /\[smtp\.auth\.password\]/, act: type('Smtp-pw-1') },
      { match: /\[pop\.host\]/, act: type('pop.example.com') },
      { match: /\[pop\.user\]/, act: type('fax') },
      { match: /\[pop\.password\]/, act: type('Pop-pw-1') },
      { match: /^Write \d+ changes/, act: yes() },
    ], { strict: true });
    await runWizardSession({ prompts: d.prompts, cwd: dir, env: {}, print: (l) => printed.push(l) });
    expect(d.left()).toBe(0);
    expect(d.asked.length).toBeLessThanOrEqual(14);
    const raw = readYaml(path.join(dir, '.ifaxrc.yaml'));
    expect(raw).toMatchObject({ ifax: { enabled: true }, smtp: { host: 'mail.example.com', tls: 'starttls', port: 587, auth: { enabled: true, user: 'fax' } }, pop: { host: 'pop.example.com', user: 'fax' } });
    expect(validateConfig(raw).ok).toBe(true);
    const text = printed.join('\n');
    expect(text).toMatch(/== Basic set-up ==/);
    expect(text).toMatch(/--section NAME/);
    // Only the alert address is missing: the warning names it before writing.
    expect(text).toMatch(/alerts cannot be mailed until this is set: notify\.adminEmail/);
    // The rejected "abc" was not typed in quotes: no note about quotes.
    expect(d.screens.join('\n')).not.toMatch(/no quotes/);
  });

  test('a rejected answer is cleared for re-typing; empty lists show as (none); long keys keep the summary in columns', async () => {
    const seen: string[] = [];
    const d = drive([
      { match: /\[device\.name\]/, act: async (r) => {
        r.events.type('two words');
        r.events.keypress('enter');
        await r.nextRender();
        seen.push(r.getScreen());
        // No backspaces: the line was cleared.
        r.events.type('one-word');
        r.events.keypress('enter');
      } },
      { match: /\[device\.email\]/, act: enter() },
      { match: /\[header\.senderNames\]/, act: choose('Delete 1. Anna') },
      { match: /\[header\.senderNames\]/, act: choose('Done') },
      { match: /\[ifaxAdvanced\.mdnRequest\]/, act: enter() },
      { match: /\[ifaxAdvanced\.mdnResponse\]/, act: enter() },
      { match: /\[ifaxAdvanced\.responseWatch\.enabled\]/, act: enter() },
      { match: /\[ifaxAdvanced\.responseWatch\.hours\]/, act: (r) => { r.events.keypress('backspace'); r.events.keypress('backspace'); r.events.type('48'); r.events.keypress('enter'); } },
      { match: /^Write/, act: yes() },
    ]);
    const printed: string[] = [];
    const current = settingsObject.parse({ header: { senderNames: ['Anna'] } }) as Record<string, unknown>;
    const r = await runWizard({ prompts: d.prompts, current, sections: ['device', 'header', 'advanced'], print: (l) => printed.push(l), target: 'test', check: () => [] });
    expect(r.changes).toContainEqual({ key: 'device.name', value: 'one-word' });
    expect(seen[0]).toMatch(/no white space/);
    const summary = printed.slice(printed.findIndex((l) => l.startsWith('\nChanges'))).join('\n');
    expect(summary).toMatch(/^ {2}header\.senderNames: +Anna -> \(none\)$/m);
    const cols = summary.split('\n').filter((l) => l.includes(' -> ')).map((l) => l.search(/\S+ -> /));
    expect(new Set(cols).size).toBe(1);
    expect(printed).toContain('  Sender names: (none)');
  });

  test('Ctrl-C (the prompt rejects) writes nothing', async () => {
    const dir = tempDir();
    const cancel = () => Promise.reject(Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' }));
    const prompts = { input: cancel, password: cancel, confirm: cancel, select: cancel, checkbox: cancel };
    await expect(runWizardSession({ prompts, cwd: dir, env: {}, print: () => undefined })).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(() => statSync(path.join(dir, '.ifaxrc.yaml'))).toThrow();
  });
});
