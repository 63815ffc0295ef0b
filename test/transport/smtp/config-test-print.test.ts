/** The printer of `ifax config test smtp` (src/cli/commands/config-test.ts), on a real probe run. */
import { Writable } from 'node:stream';
import { formatProbeReport, configTestSmtp } from '../../../src/cli/commands/config-test.js';
import { Output } from '../../../src/cli/output.js';
import { configSchema } from '../../../src/config/schema.js';
import type { ProbeReport } from '../../../src/transport/smtp/probe.js';
import { scriptedServer, type ScriptedServer } from './scripted-server.js';

const failed: ProbeReport = {
  server: 'mail.example:587',
  tls: 'starttls',
  ok: false,
  steps: [
    { step: 'connect', ok: true, detail: 'connected to mail.example:587 (starttls), server mail.example' },
    { step: 'tls', ok: true, detail: 'TLSv1.3 TLS_AES_256_GCM_SHA384', lines: ['subject: CN=mail.example', 'chain: ok'] },
    { step: 'login', ok: false, detail: 'SMTP login failed: AUTH PLAIN at mail.example:587 was refused' },
  ],
  error: { code: 'AUTH_FAILED', exitCode: 77, message: 'SMTP login failed', hint: 'Check smtp.auth.user' },
};

test('on a terminal: ✓ and ✗ marks', () => {
  const text = formatProbeReport(failed, true);
  expect(text.split('\n')).toEqual([
    'SMTP mail.example:587 (starttls)',
    '✓ connect       connected to mail.example:587 (starttls), server mail.example',
    '✓ TLS           TLSv1.3 TLS_AES_256_GCM_SHA384',
    '                subject: CN=mail.example',
    '                chain: ok',
    '✗ login         SMTP login failed: AUTH PLAIN at mail.example:587 was refused',
  ]);
  // The hint is the error's: the CLI prints it once, after the steps.
  expect(text).not.toContain('Check smtp.auth.user');
});

test('not on a terminal: plain "ok" and "FAILED", no marks', () => {
  const text = formatProbeReport(failed, false);
  expect(text).not.toMatch(/[✓✗]/);
  expect(text.split('\n')[1]).toBe('ok     connect       connected to mail.example:587 (starttls), server mail.example');
  expect(text.split('\n')[5]).toBe('FAILED login         SMTP login failed: AUTH PLAIN at mail.example:587 was refused');
});

describe('configTestSmtp', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await scriptedServer({ ehlo: ['AUTH PLAIN', 'DSN'], answer: (l) => (l.startsWith('AUTH PLAIN') ? '535 5.7.8 bad credentials' : undefined) });
  });
  afterAll(() => server.close());

  function capture() {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk);
        cb();
      },
    });
    return { stream, text: () => text };
  }

  test('--json: one JSON document with every step; the exit code of the failure', async () => {
    const out = capture();
    const err = capture();
    const config = configSchema.parse({ smtp: { host: '127.0.0.1', port: server.port, auth: { enabled: true, user: 'u', password: 'Pr1nted-never', methods: ['PLAIN'] } } });
    const o = new Output({ json: true, quiet: false, verbose: 0, color: false }, { stdout: out.stream, stderr: err.stream, env: {} });
    const { exitCode } = await configTestSmtp(config, {}, o, false);
    expect(exitCode).toBe(77);
    const doc = JSON.parse(out.text()) as ProbeReport;
    expect(doc.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(['connect:true', 'ehlo:true', 'auth-mechanisms:true', 'login:false']);
    expect(doc.error?.message).toContain('535 5.7.8 bad credentials');
    expect(out.text()).not.toContain('Pr1nted-never');
  });

  test('human text without a terminal', async () => {
    const out = capture();
    const config = configSchema.parse({ smtp: { host: '127.0.0.1', port: server.port } });
    const o = new Output({ json: false, quiet: false, verbose: 0, color: false }, { stdout: out.stream, stderr: capture().stream, env: {} });
    const { exitCode } = await configTestSmtp(config, {}, o, false);
    expect(exitCode).toBe(0);
    expect(out.text()).toMatch(/^ok {5}login {9}not used \(smtp.auth.enabled is false\)$/m);
    expect(out.text()).toMatch(/^ok {5}quit/m);
  });
});
