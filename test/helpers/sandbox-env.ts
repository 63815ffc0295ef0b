/**
 * jest setupFiles: every test file runs with a home directory, an XDG_CONFIG_HOME, an XDG_STATE_HOME and a
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
// The job store's default place ($XDG_STATE_HOME/ifax): a test that sends never writes the machine's.
process.env.XDG_STATE_HOME = path.join(sandbox, '.local', 'state');
process.env.IFAX_SYSTEM_CONFIG_DIR = path.join(sandbox, 'etc-ifax');
