// A second (third...) ifax process for the job store tests, on the built library (npm run build):
// node store-child.mjs ROLE STATE_DIR [ARGS]. It says what it did on stdout, one line per step,
// and waits for a line on stdin where the test has to act in between.
import { createInterface } from 'node:readline';
import { JobStore, openStore } from '../../dist/store/index.js';

const [role, stateDir, ...args] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async () => (await lines.next()).value;
const say = (text) => process.stdout.write(text + '\n');
const job = (tag, i) => ({
  destinations: [{ address: 'fax1@ifax.test', kind: 'address' }],
  messages: [`<${tag}.${i}.${process.pid}@child.test>`],
  watch: 'mdn',
  subject: `${tag} ${i}`,
});

if (role === 'crash') {
  // Records a job and says so once create() has returned; the test then kills it (SIGKILL).
  const store = JobStore.open(stateDir);
  const j = store.create(job('crash', 1));
  say(`queued ${j.id}`);
  setInterval(() => {}, 1 << 30);
} else if (role === 'hold') {
  // Takes the write lock, records a job inside it, and holds it until told to commit.
  const store = JobStore.open(stateDir);
  store.database.db.exec('BEGIN IMMEDIATE');
  const j = store.create(job('hold', 1));
  say(`holding ${j.id}`);
  await nextLine();
  store.database.db.exec('COMMIT');
  say('committed');
  store.close();
} else if (role === 'contend') {
  // Proves the lock is held by someone else (a connection that does not wait gets SQLITE_BUSY),
  // then at once records a job with the normal busy timeout: it must wait, not fail. The store
  // is opened first, so that between the probe and the write there is nothing but the write.
  const store = JobStore.open(stateDir);
  const probe = openStore(stateDir, { busyTimeoutMs: 0 });
  try {
    probe.db.exec('BEGIN IMMEDIATE');
    say('not busy');
    process.exit(3);
  } catch (err) {
    say(`busy ${err.code}`);
  } finally {
    probe.close();
  }
  const j = store.create(job('contend', 1));
  say(`created ${j.id}`);
  store.close();
} else if (role === 'bulk') {
  // N jobs through their whole life (create, send, MDN), once the test says go.
  const n = Number(args[0]);
  const tag = args[1];
  const store = JobStore.open(stateDir);
  say('ready');
  await nextLine();
  for (let i = 0; i < n; i++) {
    const j = store.create(job(tag, i));
    store.recordSend(j.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true, reply: '250 ok' }] });
    const found = store.findByMessageId(`<${tag}.${i}.${process.pid}@child.test>`);
    store.recordReport(found.id, { type: 'mdn', disposition: 'processed' });
  }
  say('done');
  store.close();
} else if (role === 'open') {
  const store = JobStore.open(stateDir);
  say(`open ${store.list().length}`);
  store.close();
} else {
  say(`unknown role ${role}`);
  process.exit(2);
}
process.stdin.destroy();
