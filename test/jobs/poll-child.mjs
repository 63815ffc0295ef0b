// A poll in a process of its own, on the built library (npm run build), that kills itself with
// SIGKILL at a chosen step: node poll-child.mjs STATE_DIR PROCESSED_DIR HOST PORT USER PASSWORD STEP N
// (STEP as PollStep of src/jobs/poll.ts, N: at its N-th occurrence). Its processor copies each
// mail into PROCESSED_DIR, as the test's in-process processor does.
import { copyFile, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pollOnce } from '../../dist/jobs/poll.js';
import { openStore } from '../../dist/store/index.js';
import { openPop } from '../../dist/transport/pop3/index.js';

const [stateDir, processed, host, port, user, password, step, nth] = process.argv.slice(2);
let seen = 0;
await mkdir(processed, { recursive: true });
const store = openStore(stateDir);
const result = await pollOnce(
  {
    stateDir,
    store,
    account: `${user}@${host}:${port}`,
    connect: async () => (await openPop({ host, port: Number(port), sslPort: 995, tls: 'off', user, password, apop: false, timeout: 20 })).client,
    process: async (file) => {
      const target = path.join(processed, path.basename(file));
      await copyFile(file, `${target}.part`);
      await rename(`${target}.part`, target);
      return { other: 1 };
    },
    trace: (s) => {
      if (s === step && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
    },
  },
  { leaveOnServer: false },
);
process.stdout.write(JSON.stringify(result.summary.poll) + '\n');
store.close();
