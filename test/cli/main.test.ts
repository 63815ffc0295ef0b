import { runCli } from '../helpers/run-cli.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportError } from '../../src/cli/main.js';
import { Output } from '../../src/cli/output.js';
import { IfaxError, EXIT_CODES, exitCodeOf } from '../../src/errors.js';
import { registerSecret, redact, clearSecrets } from '../../src/secrets.js';
import { commandList } from '../../src/cli/commands/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('ifax command frame', () => {
  test('--help lists every registered command with its purpose, and examples', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: ifax/);
    expect(r.stdout).toMatch(/Examples:/);
    for (const make of commandList) {
      const cmd = make();
      expect(r.stdout).toContain(cmd.name());
      expect(cmd.description().length).toBeGreaterThan(10);
    }
  });

  test('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  test('an unknown flag exits 64 with the usage line', () => {
    const r = runCli(['--no-such-flag']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect(r.stderr).toMatch(/Usage: ifax /);
    expect(r.stdout).toBe('');
  });

  test('an unknown command exits 64', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown command/);
  });

  test('with --json a usage error is one JSON document on stdout', () => {
    const r = runCli(['--json', '--no-such-flag']);
    expect(r.code).toBe(64);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('USAGE');
    expect(doc.error.message).toMatch(/no-such-flag/);
  });

  test('each command has its own --help with examples', () => {
    for (const make of commandList) {
      const name = make().name();
      const r = runCli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: ifax ${name}`));
      expect(r.stdout).toMatch(/Examples?:/);
    }
  });
});

describe('error model', () => {
  test('every code maps to a sysexits code of CLI.md', () => {
    const allowed = new Set([64, 65, 66, 69, 70, 73, 75, 77, 78]);
    for (const [code, exit] of Object.entries(EXIT_CODES)) {
      expect([code, allowed.has(exit)]).toEqual([code, true]);
    }
    expect(exitCodeOf(new IfaxError('CONFIG_INVALID', 'x'))).toBe(78);
    expect(exitCodeOf(new Error('plain'))).toBe(70);
    expect(exitCodeOf('thrown string')).toBe(70);
  });

  function capture(fn: (out: Output) => number) {
    let stdout = '';
    const stderrWrites: string[] = [];
    const io = {
      stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => (stderrWrites.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream,
      env: {},
    };
    const orig = process.stderr.write.bind(process.stderr);
    let stderr = '';
    (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => ((stderr += s), true);
    try {
      const code = fn(new Output({ json: true, quiet: false, verbose: 0, color: false }, io));
      return { code, stdout, stderr };
    } finally {
      (process.stderr as unknown as { write: typeof orig }).write = orig;
    }
  }

  test('an IfaxError in --json mode gives {error:{code,message,hint}} and its exit code', () => {
    const r = capture((out) => reportError(new IfaxError('INPUT_NOT_FOUND', 'read failed: "a.tif" does not exist', { hint: 'check the path' }), true, false, out));
    expect(r.code).toBe(66);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'INPUT_NOT_FOUND', message: 'read failed: "a.tif" does not exist', hint: 'check the path' } });
    expect(r.stderr).toMatch(/hint: check the path/);
  });

  test('an IfaxError without a hint gives hint null in --json mode, never a missing key', () => {
    const r = capture((out) => reportError(new IfaxError('DATA_INVALID', 'reading "a.pbm" failed: truncated'), true, false, out));
    expect(r.code).toBe(65);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'DATA_INVALID', message: 'reading "a.pbm" failed: truncated', hint: null } });
    expect(r.stderr).not.toMatch(/hint:/);
  });

  test('every --json error of the binary has code, message and hint (null when none), and the exit code of its code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ifax-json-errors-'));
    try {
      const cases: Array<{ args: string[]; exit: number; code: string; hint: 'string' | 'null' }> = [
        { args: ['--json', '--no-such-flag'], exit: 64, code: 'USAGE', hint: 'string' },
        { args: ['--json', 'convert', '--compression', 'G5', 'a.pbm', '-o', 'x.tif'], exit: 64, code: 'USAGE', hint: 'string' },
        { args: ['--json', 'convert', '--info', 'a.tif', 'b.tif'], exit: 64, code: 'USAGE', hint: 'null' },
        { args: ['--json', 'convert', path.join(dir, 'nope.pbm'), '-o', path.join(dir, 'x.tif')], exit: 66, code: 'INPUT_NOT_FOUND', hint: 'string' },
        { args: ['--json', '--config', path.join(dir, 'nope.yaml'), 'convert', 'a.pbm', '-o', 'x.tif'], exit: 66, code: 'INPUT_NOT_FOUND', hint: 'string' },
        { args: ['--json', 'convert', 'a.pbm', '-o', dir], exit: 73, code: 'OUTPUT_FAILED', hint: 'string' },
        { args: ['--json', 'config', 'validate'], exit: 78, code: 'CONFIG_NOT_FOUND', hint: 'string' },
      ];
      for (const c of cases) {
        const r = runCli(c.args, { cwd: dir, env: { XDG_CONFIG_HOME: path.join(dir, 'xdg'), HOME: dir } });
        const doc = JSON.parse(r.stdout) as { error: Record<string, unknown> };
        expect([c.args, r.code, Object.keys(doc).sort(), Object.keys(doc.error).sort()]).toEqual([c.args, c.exit, ['error'], ['code', 'hint', 'message']]);
        expect([c.args, doc.error.code, typeof doc.error.message, doc.error.hint === null ? 'null' : typeof doc.error.hint]).toEqual([c.args, c.code, 'string', c.hint]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an uncaught error prints a short report and exits 70', () => {
    const r = capture((out) => reportError(new TypeError('cannot read x of undefined'), false, false, out));
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/internal error: cannot read x of undefined/);
    expect(r.stderr).toMatch(/bug/);
    expect(r.stderr.split('\n').length).toBeLessThan(5);
  });

  test('registered secrets never reach an error message', () => {
    clearSecrets();
    registerSecret('hunter2-secret');
    const r = capture((out) => reportError(new IfaxError('AUTH_FAILED', 'login failed: server said "bad password hunter2-secret"'), true, false, out));
    expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
    expect(redact('x hunter2-secret y')).toBe('x ******** y');
    clearSecrets();
  });
});

test('a reader that stops early (`ifax --help | head -1`) ends the output quietly, no EPIPE report', () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/ifax.js --help | head -1; "${process.execPath}" bin/ifax.js convert --help | head -1`], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stdout.split('\n').filter(Boolean)).toEqual(['Usage: ifax [options] [command]', expect.stringMatching(/^Usage: ifax convert/)]);
  expect(r.stderr).toBe('');
});
