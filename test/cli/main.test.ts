import { runCli } from '../helpers/run-cli.js';
import { readFileSync } from 'node:fs';
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
