/**
 * jest setupFiles: every test file runs with a home directory, an XDG_CONFIG_HOME and a
 * system profile directory of its own (empty), so that the profile search (src/config/search.ts)
 * never finds the real ~/.ifaxrc, ~/.config/ifax or /etc/ifax of the machine running the tests,
 * in the test process or in the ifax processes it starts (run-cli.ts passes these on).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const sandbox = mkdtempSync(path.join(tmpdir(), 'ifax-test-home-'));
process.env.HOME = sandbox;
process.env.XDG_CONFIG_HOME = path.join(sandbox, '.config');
process.env.IFAX_SYSTEM_CONFIG_DIR = path.join(sandbox, 'etc-ifax');
