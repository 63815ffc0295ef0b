/**
 * examples/receive/ checked with the real tools: the systemd units by `systemd-analyze verify`
 * when the machine has it (and always by a parser of their sections and keys, so a typo in a
 * key or a missing one fails even where systemd is absent); the Postfix pipe transport by
 * `postconf -M/-P/-n` on a configuration directory holding Postfix's default master.cf with the
 * example appended, and the transport map by `postmap -q`; the crontab by a parser of its time
 * fields; and every `ifax ...` command line in them by the real CLI: `--help` of the command
 * exits 0, the options parse (a profile with ifax.enabled off makes poll and serve exit 78 only
 * after the options were taken), and the MTA pipe command, given a real fax mail on stdin as
 * Postfix gives it (flags=R: Return-Path first), stores it, exits 0 and prints nothing.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binPath, cleanEnv, repoRoot, runCli } from '../helpers/run-cli.js';

const dir = path.join(repoRoot, 'examples', 'receive');
const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
const UNITS = ['ifax-poll.service', 'ifax-poll.timer', 'ifax-serve.service'];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'ifax-recv-examples-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function which(tool: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ---- systemd units ----------------------------------------------------------------------

type Unit = Map<string, Map<string, string[]>>;

/** systemd.syntax(7): [Section] headers, Key=Value lines, # and ; comments, \ continuations. */
function parseUnit(text: string, name: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      if (unit.has(header[1])) throw new Error(`${name}:${i + 1}: section [${header[1]}] twice`);
      section = new Map();
      unit.set(header[1], section);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv) throw new Error(`${name}:${i + 1}: not Key=Value: ${JSON.stringify(line)}`);
    if (!section) throw new Error(`${name}:${i + 1}: key before any section`);
    section.set(kv[1], [...(section.get(kv[1]) ?? []), kv[2]]);
  });
  return unit;
}

const BOOL = /^(yes|no|true|false|on|off|1|0)$/;
const TIMESPAN = /^\d+(us|ms|s|sec|min|m|h|d)?$/;
/** The keys the examples may use, each with what its value must look like. */
const KNOWN: Record<string, Record<string, RegExp>> = {
  Unit: { Description: /.+/, Wants: /\.target$/, After: /\.target$/, Documentation: /^(https?|man):/ },
  Service: {
    Type: /^(simple|oneshot|exec|notify)$/,
    User: /^[a-z_][a-z0-9_-]*$/,
    Group: /^[a-z_][a-z0-9_-]*$/,
    ExecStart: /^\/\S+( .*)?$/,
    StateDirectory: /^[a-z0-9_-]+$/,
    StateDirectoryMode: /^0[0-7]{3}$/,
    UMask: /^0[0-7]{3}$/,
    TimeoutStartSec: TIMESPAN,
    TimeoutStopSec: TIMESPAN,
    Restart: /^(no|on-success|on-failure|on-abnormal|always)$/,
    RestartSec: TIMESPAN,
    AmbientCapabilities: /^(CAP_[A-Z_]+ ?)*$/,
    CapabilityBoundingSet: /^(CAP_[A-Z_]+ ?)*$/,
    NoNewPrivileges: BOOL,
    ProtectSystem: /^(yes|full|strict)$/,
    ProtectHome: /^(yes|read-only|tmpfs)$/,
    PrivateTmp: BOOL,
    PrivateDevices: BOOL,
    ProtectKernelTunables: BOOL,
    ProtectKernelModules: BOOL,
    ProtectKernelLogs: BOOL,
    ProtectControlGroups: BOOL,
    ProtectClock: BOOL,
    ProtectHostname: BOOL,
    RestrictAddressFamilies: /^(AF_[A-Z0-9]+ ?)+$/,
    RestrictNamespaces: BOOL,
    RestrictRealtime: BOOL,
    RestrictSUIDSGID: BOOL,
    LockPersonality: BOOL,
    SystemCallArchitectures: /^native$/,
  },
  Timer: { OnBootSec: TIMESPAN, OnUnitActiveSec: TIMESPAN, RandomizedDelaySec: TIMESPAN, Persistent: BOOL },
  Install: { WantedBy: /\.target$/ },
};

/** Every key known with a value of its shape; the sections each kind of unit needs, with its keys. */
function checkUnit(name: string): Unit {
  const unit = parseUnit(read(name), name);
  for (const [section, keys] of unit) {
    const known = KNOWN[section];
    if (!known) throw new Error(`${name}: unknown section [${section}]`);
    for (const [key, values] of keys) {
      const shape = known[key];
      if (!shape) throw new Error(`${name}: unknown key ${key} in [${section}]`);
      for (const v of values) if (!shape.test(v)) throw new Error(`${name}: ${key}=${JSON.stringify(v)} is not of the form ${String(shape)}`);
    }
  }
  const one = (section: string, key: string): string | undefined => unit.get(section)?.get(key)?.at(-1);
  expect(one('Unit', 'Description')).toBeDefined();
  if (name.endsWith('.timer')) {
    expect(one('Timer', 'OnUnitActiveSec')).toBeDefined();
    expect(one('Install', 'WantedBy')).toBe('timers.target');
    return unit;
  }
  expect(one('Service', 'ExecStart')).toMatch(/^\/usr\/bin\/ifax /);
  expect(one('Service', 'User')).toBe('ifax');
  // Read-only file system, yet the state directory writable: systemd makes StateDirectory=
  // (/var/lib/ifax) writable for User= under ProtectSystem=strict, and ProtectHome= keeps
  // home directories out of reach, so a stateDir under ~ would not be writable.
  expect(one('Service', 'ProtectSystem')).toBe('strict');
  expect(one('Service', 'StateDirectory')).toBe('ifax');
  expect(one('Service', 'NoNewPrivileges')).toBe('yes');
  return unit;
}

test('the unit files: known sections and keys only, values of the right form, the keys each unit needs (unit-file parser)', () => {
  const poll = checkUnit('ifax-poll.service');
  expect(poll.get('Service')?.get('Type')).toEqual(['oneshot']);
  expect(poll.get('Install')).toBeUndefined(); // started by the timer, not enabled itself
  checkUnit('ifax-poll.timer');
  const serve = checkUnit('ifax-serve.service');
  expect(serve.get('Service')?.get('Type')).toEqual(['simple']);
  expect(serve.get('Service')?.get('Restart')).toEqual(['on-failure']);
  expect(serve.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  // The parser is not lenient: a misspelt key is refused.
  expect(() => checkUnitText('[Service]\nProtectHom=yes\n')).toThrow(/unknown key ProtectHom/);
  expect(() => parseUnit('[Service]\nProtectHome yes\n', 'x')).toThrow(/not Key=Value/);
});

function checkUnitText(text: string): void {
  for (const [section, keys] of parseUnit(text, 'x')) for (const key of keys.keys()) if (!KNOWN[section]?.[key]) throw new Error(`x: unknown key ${key} in [${section}]`);
}

const systemdAnalyze = which('systemd-analyze');
(systemdAnalyze ? test : test.skip)(
  `the units pass ${systemdAnalyze ? '`systemd-analyze verify`' : '`systemd-analyze verify` (ABSENT on this machine: only the unit-file parser above ran)'} with no warning`,
  () => {
    // verify insists that ExecStart's program exists: the units are checked with /usr/bin/ifax
    // replaced by an executable that runs this checkout's ifax.
    const unitDir = path.join(tmp, 'units');
    mkdirSync(unitDir);
    const wrapper = path.join(unitDir, 'ifax');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    for (const u of UNITS) writeFileSync(path.join(unitDir, u), read(u).replaceAll('/usr/bin/ifax', wrapper));
    const r = spawnSync(systemdAnalyze!, ['verify', ...UNITS.map((u) => `./${u}`)], { cwd: unitDir, encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stderr.trim()]).toEqual([0, '']);
    // verify speaks up on a bad value (it still exits 0 there, hence the stderr check above).
    writeFileSync(path.join(unitDir, 'bad.service'), read('ifax-poll.service').replaceAll('/usr/bin/ifax', wrapper).replace('ProtectSystem=strict', 'ProtectSystem=strictly'));
    const bad = spawnSync(systemdAnalyze!, ['verify', './bad.service'], { cwd: unitDir, encoding: 'utf8', timeout: 60_000 });
    expect(bad.stderr).toMatch(/ProtectSystem|protect system/i);
  },
);

// ---- Postfix ------------------------------------------------------------------------------

/** Postfix's own default master.cf, as the package ships it. */
function defaultMasterCf(): string {
  const found = ['/etc/postfix/master.cf.proto', '/usr/share/postfix/master.cf.dist'].find((f) => existsSync(f));
  if (!found) throw new Error("Postfix's default master.cf is not on this machine (install postfix)");
  return readFileSync(found, 'utf8');
}

test('the Postfix pipe transport: postconf reads it from a default master.cf, the transport map routes to it, main.cf settings bind to it', () => {
  expect(which('postconf')).toBeDefined();
  const cf = path.join(tmp, 'postfix');
  mkdirSync(cf);
  writeFileSync(path.join(cf, 'master.cf'), defaultMasterCf() + '\n' + read('postfix-master.cf'));
  // The main.cf lines postfix-transport asks for, taken from its comments.
  const mainLines = read('postfix-transport')
    .split('\n')
    .map((l) => /^#\s+([a-z_]+ = .+)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
  expect(mainLines.map((l) => l.split(' = ')[0])).toEqual(['transport_maps', 'ifax_destination_recipient_limit']);
  const transport = path.join(cf, 'transport');
  copyFileSync(path.join(dir, 'postfix-transport'), transport);
  const main = mainLines.map((l) => l.replace(/^transport_maps = .*/, `transport_maps = texthash:${transport}`));
  writeFileSync(path.join(cf, 'main.cf'), ['compatibility_level = 3.6', ...main].join('\n') + '\n');

  const postconf = (...args: string[]): { stdout: string; stderr: string; status: number | null } => spawnSync('postconf', ['-c', cf, ...args], { encoding: 'utf8' });
  const m = postconf('-M', 'ifax/unix');
  expect([m.status, m.stderr]).toEqual([0, '']);
  const [service, type, priv, unpriv, chroot, wakeup, maxproc, command, ...attrs] = m.stdout.trim().split(/\s+/);
  expect([service, type, priv, unpriv, chroot, wakeup, maxproc, command]).toEqual(['ifax', 'unix', '-', 'n', 'n', '-', '4', 'pipe']);
  expect(attrs).toContain('flags=R');
  expect(attrs).toContain('user=ifax');
  expect(attrs.slice(attrs.indexOf('argv=/usr/bin/ifax'))).toEqual(['argv=/usr/bin/ifax', '--config', '/etc/ifax/config.yaml', '--quiet', 'receive', '-']);
  const p = postconf('-P', 'ifax/unix');
  expect([p.status, p.stderr, p.stdout.trim()]).toEqual([0, '', 'ifax/unix/syslog_name = postfix/ifax']);
  // Every service of the default master.cf is still there (the snippet appends, breaks nothing).
  const all = postconf('-M');
  expect([all.status, all.stderr]).toEqual([0, '']);
  expect(all.stdout).toMatch(/^smtp +inet /m);
  // ifax_destination_recipient_limit binds to the ifax service: postconf warns "unused
  // parameter" when no master.cf service has that name.
  const n = postconf('-n');
  expect([n.status, n.stderr]).toEqual([0, '']);
  expect(n.stdout).toContain('ifax_destination_recipient_limit = 1');
  writeFileSync(path.join(cf, 'master.cf'), defaultMasterCf());
  expect(postconf('-n').stderr).toMatch(/unused parameter: ifax_destination_recipient_limit/);

  const q = (key: string): string => spawnSync('postmap', ['-c', cf, '-q', key, `texthash:${transport}`], { encoding: 'utf8' }).stdout.trim();
  expect(q('fax@example.com')).toBe('ifax:');
  expect(q('fax.example.com')).toBe('ifax:');
  expect(q('someone@example.com')).toBe('');
});

// ---- cron -----------------------------------------------------------------------------------

const CRON_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/** crontab(5): a time field is a list of *, N or N-M, each with an optional /step, in range. */
function cronField(field: string, [lo, hi]: [number, number]): boolean {
  return field.split(',').every((part) => {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return false;
    const nums = [m[2], m[3]].filter((x) => x !== undefined).map(Number);
    if (nums.some((n) => n < lo || n > hi)) return false;
    if (nums.length === 2 && nums[0] > nums[1]) return false;
    return m[4] === undefined || Number(m[4]) >= 1;
  });
}

/** The entries of a crontab (and commented-out entries, also checked): [fields, command]. */
function cronEntries(text: string): { fields: string[]; command: string; active: boolean }[] {
  const entries: { fields: string[]; command: string; active: boolean }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const commented = /^#\s*([\d*][\d*,/-]*(?:\s+[\d*][\d*,/-]*){4}\s+\S.*)$/.exec(line);
    if (line.startsWith('#') && !commented) return;
    if (!commented && /^[A-Z_][A-Z0-9_]*=/.test(line)) return; // MAILTO=, PATH=
    const parts = (commented ? commented[1] : line).split(/\s+/);
    const fields = parts.slice(0, 5);
    if (parts.length < 6 || !fields.every((f, k) => cronField(f, CRON_RANGES[k]))) throw new Error(`crontab:${i + 1}: not five time fields and a command: ${JSON.stringify(line)}`);
    entries.push({ fields, command: parts.slice(5).join(' '), active: !commented });
  });
  return entries;
}

test('the crontab: five valid time fields and a command per entry, a poll every 5 minutes with --quiet, MAILTO set', () => {
  const text = read('crontab');
  const entries = cronEntries(text);
  const active = entries.filter((e) => e.active);
  expect(active).toEqual([{ fields: ['*/5', '*', '*', '*', '*'], command: 'ifax poll --quiet', active: true }]);
  expect(text).toMatch(/^MAILTO=\S+@\S+$/m);
  expect(() => cronEntries('*/5 * * 13 * ifax poll\n')).toThrow(/not five time fields/);
  expect(() => cronEntries('*/5 * * * ifax poll\n')).toThrow(/not five time fields/);
});

test('the .forward recipe pipes to ifax receive -', () => {
  expect(read('dot-forward')).toBe('"|/usr/bin/ifax receive -"\n');
});

// ---- every ifax command line, through the real CLI ----------------------------------------

interface IfaxLine {
  source: string;
  args: string[];
}

/** The ifax command lines of the examples, as argument lists (the program name dropped). */
function ifaxLines(): IfaxLine[] {
  const lines: IfaxLine[] = [];
  for (const e of cronEntries(read('crontab'))) lines.push({ source: `crontab: ${e.command}`, args: e.command.split(/\s+/).slice(1) });
  for (const u of UNITS.filter((x) => x.endsWith('.service'))) {
    for (const exec of parseUnit(read(u), u).get('Service')?.get('ExecStart') ?? []) lines.push({ source: `${u}: ${exec}`, args: exec.split(/\s+/).slice(1) });
  }
  const master = read('postfix-master.cf').replace(/\n\s+/g, ' ');
  const argv = /argv=\S*ifax (.+)$/m.exec(master);
  lines.push({ source: 'postfix-master.cf', args: argv![1].trim().split(/\s+/) });
  const forward = /^"\|\S*ifax ([^"]+)"$/m.exec(read('dot-forward'));
  lines.push({ source: 'dot-forward', args: forward![1].split(/\s+/) });
  return lines;
}

/** The args with their --config replaced by `profile` (or given it when they name none). */
function withProfile(args: string[], profile: string): string[] {
  const i = args.indexOf('--config');
  return i >= 0 ? [...args.slice(0, i + 1), profile, ...args.slice(i + 2)] : ['--config', profile, ...args];
}

const subcommand = (args: string[]): string => args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '--config')[0];

test('every ifax command line of the examples: its --help exits 0, and its options parse', () => {
  const lines = ifaxLines();
  expect(lines.map((l) => subcommand(l.args)).sort()).toEqual(['poll', 'poll', 'receive', 'receive', 'serve', 'poll'].sort());
  const disabled = path.join(tmp, 'disabled.json');
  writeFileSync(disabled, JSON.stringify({ ifax: { enabled: false }, stateDir: path.join(tmp, 'disabled-state') }));
  chmodSync(disabled, 0o600);
  for (const line of lines) {
    const help = runCli([...line.args, '--help']);
    expect([line.source, help.code, help.stdout]).toEqual([line.source, 0, expect.stringContaining(`Usage: ifax ${subcommand(line.args)} `)]);
    // --help wins over an unknown option in commander; a run that reaches the profile's check
    // proves each option was taken (an unknown one exits 64 first).
    if (subcommand(line.args) !== 'receive') {
      const r = runCli(withProfile(line.args, disabled));
      expect([line.source, r.code, r.stderr]).toEqual([line.source, 78, expect.stringContaining('ifax.enabled is off')]);
    }
  }
  expect(runCli(withProfile(['poll', '--quiet', '--bogus'], disabled)).code).toBe(64);
});

test('the MTA pipe command (Postfix, .forward) takes a fax mail from stdin as Postfix gives it: stored, exit 0, silent', () => {
  const home = path.join(tmp, 'pipe');
  mkdirSync(home);
  const profile = path.join(home, 'ifax.json');
  writeFileSync(profile, JSON.stringify({ ifax: { enabled: true }, device: { email: 'fax@example.com' }, stateDir: path.join(home, 'state'), ifaxAdvanced: { mdnResponse: false } }));
  chmodSync(profile, 0o600);
  const pipes = ifaxLines().filter((l) => subcommand(l.args) === 'receive');
  expect(pipes.map((l) => l.source)).toEqual(['postfix-master.cf', 'dot-forward']);
  for (const line of pipes) {
    // A mail of its own (Message-ID) each: a second delivery of one mail is rightly a no-op.
    const eml = path.join(home, 'fax.eml');
    const built = runCli(['--config', profile, 'send', path.join(repoRoot, 'test/fixtures/pdf/scan-g4.pdf'), '--to', 'fax@example.com', '--dry-run', '--out', eml]);
    expect(built.code).toBe(0);
    // pipe(8) flags=R: the envelope sender as Return-Path: before the mail.
    const mail = Buffer.concat([Buffer.from('Return-Path: <sender@example.org>\n'), readFileSync(eml)]);
    const r = spawnSync(process.execPath, [binPath, ...withProfile(line.args, profile)], { input: mail, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
    // --quiet (postfix-master.cf): nothing at all; without it the account goes to stdout,
    // which Postfix and local(8) discard on success.
    expect([line.source, r.status, line.args.includes('--quiet') ? r.stdout : '']).toEqual([line.source, 0, '']);
    if (!line.args.includes('--quiet')) expect(r.stdout).toMatch(/^fax \S+: 1 page from fax@example.com/);
  }
  expect(readdirSync(path.join(home, 'state', 'inbox')).filter((d) => !d.startsWith('.'))).toHaveLength(2);
});
