/**
 * JobStore in one process: recording, the state machine (legal moves only), MDN/DSN correlation,
 * ids and prefixes, timeouts, retries.
 */
import { IfaxError } from '../../src/errors.js';
import { JOB_ID_PATTERN } from '../../src/store/job-ids.js';
import { JobStore } from '../../src/store/jobs.js';
import { cleanTempDirs, freshStore, sampleJob } from './store-helpers.js';

afterAll(cleanTempDirs);

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof IfaxError) return `${err.code} ${err.exitCode}`;
    throw err;
  }
  throw new Error('expected an IfaxError');
};

describe('recording a job', () => {
  test('a new job is queued, with every field kept and an ENVID derived from its id', () => {
    const { store, clock } = freshStore();
    const job = store.create(
      sampleJob({
        destinations: [
          { address: 'fax1@ifax.test', kind: 'address' },
          { address: 'remote=+4930123@gw.ifax.test', kind: 'fax', given: 'FAX=+4930123@gw.ifax.test' },
          { address: 'fax2@ifax.test', kind: 'book', given: 'Berlin office' },
        ],
        messages: ['<a.1@st.test>', { messageId: 'a.2@st.test', partNumber: 1, partTotal: 2 }],
        outboxPath: '/state/outbox/x.eml',
      }),
    );
    expect(job.id).toMatch(JOB_ID_PATTERN);
    expect(job.id.startsWith('20261201-080000-')).toBe(true);
    expect(job.envid).toBe(`ifax-${job.id}`);
    expect(job).toMatchObject({
      state: 'queued',
      watch: 'mdn',
      createdAt: '2026-12-01T08:00:00.000Z',
      sentAt: null,
      subject: expect.stringMatching(/^Fax \d+$/),
      senderName: 'Accounts',
      pages: 2,
      bytes: 12345,
      format: { coding: 'MH', resolution: 'fine', why: 'simple mode minimum' },
      outboxPath: '/state/outbox/x.eml',
      attempts: 0,
      error: null,
    });
    expect(job.messages.map((m) => [m.messageId, m.partNumber, m.partTotal])).toEqual([
      ['a.1@st.test', null, null],
      ['a.2@st.test', 1, 2],
    ]);
    expect(job.destinations.map((d) => [d.address, d.kind, d.given, d.state])).toEqual([
      ['fax1@ifax.test', 'address', 'fax1@ifax.test', 'queued'],
      ['remote=+4930123@gw.ifax.test', 'fax', 'FAX=+4930123@gw.ifax.test', 'queued'],
      ['fax2@ifax.test', 'book', 'Berlin office', 'queued'],
    ]);
    expect(store.history(job.id)).toEqual([{ at: '2026-12-01T08:00:00.000Z', address: null, from: null, to: 'queued', detail: 'recorded: 3 destinations' }]);
    clock.advance(1000);
    store.close();
  });

  test('a job without destination, with one named twice, or a Message-ID used before is refused', () => {
    const { store } = freshStore();
    expect(codeOf(() => store.create(sampleJob({ destinations: [] })))).toBe('USAGE 64');
    expect(codeOf(() => store.create(sampleJob({ destinations: [{ address: 'a@x.test', kind: 'address' }, { address: 'A@X.test', kind: 'address' }] })))).toBe('USAGE 64');
    store.create(sampleJob({ messages: ['<same@x.test>'] }));
    expect(codeOf(() => store.create(sampleJob({ messages: ['same@x.test'] })))).toBe('DATA_INVALID 65');
    // The refused job left nothing behind (one transaction).
    expect(store.list()).toHaveLength(1);
    store.close();
  });

  test('texts from outside are kept on one line, without control characters or registered secrets', async () => {
    const { registerSecret, clearSecrets } = await import('../../src/secrets.js');
    registerSecret('hunter2-secret');
    const { store } = freshStore();
    const job = store.create(sampleJob());
    store.recordSend(job.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true, reply: '250 2.0.0 Ok: queued as 4F' }] });
    const r = store.recordReport(job.id, { type: 'dsn', disposition: 'failed', diagnostic: 'smtp; 550 \u001b[31mno\u001b[0m\r\nAUTH hunter2-secret', address: 'rfc822;fax1@ifax.test' });
    expect(r.applied).toBe(true);
    const d = store.get(job.id).destinations[0];
    expect(d.smtpReply).toBe('failed smtp; 550  [31mno [0m AUTH ********');
    // eslint-disable-next-line no-control-regex
    expect(store.reports(job.id)[0].diagnostic).not.toMatch(/[\u0000-\u001f]/);
    clearSecrets();
    store.close();
  });
});

describe('state transitions', () => {
  test('queued -> sent -> delivered (DSN) -> processed (MDN), each logged', () => {
    const { store, clock } = freshStore();
    const job = store.create(sampleJob());
    clock.advance(5000);
    let j = store.recordSend(job.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true, reply: '250 2.0.0 Ok' }] });
    expect([j.state, j.sentAt, j.attempts, j.destinations[0].smtpReply]).toEqual(['sent', '2026-12-01T08:00:05.000Z', 1, '250 2.0.0 Ok']);
    j = store.recordReport(job.id, { type: 'dsn', disposition: 'relayed', status: '2.0.0', address: 'rfc822; FAX1@ifax.test' }).job;
    expect(j.state).toBe('delivered');
    const r = store.recordReport(job.id, { type: 'mdn', disposition: 'automatic-action/MDN-sent-automatically; processed', features: '(& (image-coding=[MH,MR]) (paper-size=A4))' });
    expect([r.applied, r.outcome, r.job.state]).toEqual([true, 'processed', 'processed']);
    expect(store.history(job.id).filter((e) => e.address === null).map((e) => `${e.from}->${e.to}`)).toEqual(['null->queued', 'queued->sent', 'sent->delivered', 'delivered->processed']);
    expect(store.reports(job.id).map((x) => [x.type, x.disposition, x.ignored])).toEqual([
      ['dsn', 'relayed', false],
      ['mdn', 'automatic-action/MDN-sent-automatically; processed', false],
    ]);
    store.close();
  });

  test('an MDN processed/error or a DSN failed fails the job for good; a later report is ignored', () => {
    const { store } = freshStore();
    const a = store.create(sampleJob());
    store.recordSend(a.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true }] });
    const r = store.recordReport(a.id, { type: 'mdn', disposition: 'automatic-action/MDN-sent-automatically; processed/error' });
    expect([r.job.state, r.job.error?.code, r.job.error?.temporary]).toEqual(['failed', 'UNAVAILABLE', false]);
    const late = store.recordReport(a.id, { type: 'dsn', disposition: 'delivered' });
    expect([late.applied, late.ignoredReason, late.job.state]).toEqual([false, 'fax1@ifax.test is already failed', 'failed']);
    expect(store.reports(a.id).map((x) => x.ignored)).toEqual([false, true]);

    const b = store.create(sampleJob({ watch: 'dsn' }));
    store.recordSend(b.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true }] });
    expect(store.recordReport(b.id, { type: 'dsn', disposition: 'failed with cause code - call rejected (21)', status: '5.6.1' }).job.state).toBe('failed');
    store.close();
  });

  test('illegal moves are refused and change nothing: a processed job is not sent again, a sent one not recorded sent twice', () => {
    const { store } = freshStore();
    const job = store.create(sampleJob());
    store.recordSend(job.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true }] });
    expect(codeOf(() => store.recordSend(job.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true }] }))).toBe('INTERNAL 70');
    store.recordReport(job.id, { type: 'mdn', disposition: 'processed' });
    expect(codeOf(() => store.requeue(job.id))).toBe('USAGE 64');
    // A DSN after the MDN cannot move processed back to delivered.
    expect(store.recordReport(job.id, { type: 'dsn', disposition: 'delivered' }).applied).toBe(false);
    expect(store.get(job.id).state).toBe('processed');
    // A send outcome naming no destination of the job, with no error, leaves the job queued.
    const other = store.create(sampleJob());
    expect(codeOf(() => store.recordSend(other.id, { destinations: [{ address: 'who@else.test', accepted: true }] }))).toBe('INTERNAL 70');
    expect(codeOf(() => store.recordSend(other.id, { destinations: [] }))).toBe('INTERNAL 70');
    expect(store.get(other.id)).toMatchObject({ state: 'queued', attempts: 0 });
    store.close();
  });

  test('a broadcast: the job waits for every destination; one failed destination fails it once all are done', () => {
    const { store } = freshStore();
    const job = store.create(sampleJob({ destinations: ['a', 'b', 'c'].map((x) => ({ address: `${x}@ifax.test`, kind: 'address' as const })) }));
    let j = store.recordSend(job.id, {
      destinations: [
        { address: 'a@ifax.test', accepted: true, reply: '250 ok' },
        { address: 'b@ifax.test', accepted: true, reply: '250 ok' },
        { address: 'c@ifax.test', accepted: false, reply: '550 5.1.1 no such user', temporary: false },
      ],
    });
    expect(j.state).toBe('sent');
    expect(store.recordReport(job.id, { type: 'mdn', disposition: 'processed', address: 'a@ifax.test' }).job.state).toBe('sent');
    // No address and several destinations: kept, matched to none.
    const vague = store.recordReport(job.id, { type: 'mdn', disposition: 'processed' });
    expect([vague.applied, vague.ignoredReason]).toEqual([false, 'it names no destination, and the job has several']);
    j = store.recordReport(job.id, { type: 'mdn', disposition: 'dispatched', address: 'b@ifax.test' }).job;
    expect(j.state).toBe('failed');
    expect(j.error).toEqual({ code: 'UNAVAILABLE', message: 'c@ifax.test: 550 5.1.1 no such user', temporary: false });
    expect(j.destinations.map((d) => d.state)).toEqual(['processed', 'processed', 'failed']);
    store.close();
  });

  test('a temporary failure can be retried: failed -> queued (only its failed destinations) -> sent', () => {
    const { store } = freshStore();
    const job = store.create(sampleJob({ destinations: [{ address: 'a@ifax.test', kind: 'address' }, { address: 'b@ifax.test', kind: 'address' }] }));
    store.recordSend(job.id, {
      destinations: [
        { address: 'a@ifax.test', accepted: true },
        { address: 'b@ifax.test', accepted: false, reply: '451 4.3.0 try later', temporary: true },
      ],
    });
    let j = store.recordReport(job.id, { type: 'mdn', disposition: 'processed', address: 'a@ifax.test' }).job;
    expect([j.state, j.error?.temporary]).toEqual(['failed', true]);
    j = store.requeue(job.id.slice(16, 22));
    expect([j.state, j.destinations.map((d) => d.state)]).toEqual(['queued', ['processed', 'queued']]);
    j = store.recordSend(job.id, { destinations: [{ address: 'b@ifax.test', accepted: true }] });
    expect([j.state, j.attempts]).toEqual(['sent', 2]);
    store.close();
  });

  test('a job that reached no server (network) fails temporarily; a permanent one is not retried', () => {
    const { store } = freshStore();
    const a = store.create(sampleJob());
    const j = store.fail(a.id, { code: 'NETWORK_FAILED', message: 'connecting to mail.ifax.test:25 failed: ECONNREFUSED', temporary: true });
    expect([j.state, j.attempts, j.error?.code, j.destinations[0].state, j.destinations[0].temporary]).toEqual(['failed', 1, 'NETWORK_FAILED', 'failed', true]);
    expect(store.requeue(a.id).state).toBe('queued');
    const b = store.create(sampleJob());
    store.fail(b.id, { code: 'SERVER_REFUSED', message: '554 5.7.1 relay denied', temporary: false });
    expect(() => store.requeue(b.id)).toThrow(/failed for good \(554 5.7.1 relay denied\)/);
    store.close();
  });
});

describe('correlation (RFC 3249 §4.2-4.3)', () => {
  test('an MDN finds its job by any of its Message-IDs, with or without brackets; a resend by its Original-Message-ID', () => {
    const { store } = freshStore();
    const job = store.create(sampleJob({ messages: ['<frag1.x@st.test>', '<frag2.x@st.test>'] }));
    store.create(sampleJob({ messages: ['<other@st.test>'] }));
    expect(store.findByMessageId('<frag2.x@st.test>')?.id).toBe(job.id);
    expect(store.findByMessageId(' <frag1.x@st.test\r\n >')?.id).toBe(job.id);
    expect(store.findByMessageId('frag1.x@st.test')?.id).toBe(job.id);
    expect(store.findByMessageId('<nope@st.test>')).toBeUndefined();
    // Original-Message-ID missing: the caller's next candidates (In-Reply-To, References) are tried in order.
    expect(store.findByMessageId(undefined, '', '<nope@st.test>', '<frag2.x@st.test>')?.id).toBe(job.id);
    store.addMessage(job.id, { messageId: '<resend@st.test>', originalMessageId: '<first-lost@st.test>' });
    expect(store.findByMessageId('<resend@st.test>')?.id).toBe(job.id);
    expect(store.findByMessageId('<first-lost@st.test>')?.id).toBe(job.id);
    store.close();
  });

  test('a DSN finds its job by ENVID, also xtext-encoded or in another case', () => {
    const { store } = freshStore();
    const job = store.create(sampleJob());
    expect(store.findByEnvid(job.envid)?.id).toBe(job.id);
    expect(store.findByEnvid(job.envid.toUpperCase())?.id).toBe(job.id);
    expect(store.findByEnvid(job.envid.replace(/-/g, '+2D'))?.id).toBe(job.id);
    expect(store.findByEnvid('ifax-20000101-000000-00000000')).toBeUndefined();
    expect(store.findByEnvid('')).toBeUndefined();
    store.close();
  });
});

describe('ids, lookups and lists', () => {
  test('ids sort by time and are found by a unique prefix of the id or of its random part', () => {
    let i = 0;
    const fixed = [new Uint8Array([0, 0, 0, 0, 1]), new Uint8Array([0, 0, 0, 0, 2]), new Uint8Array([255, 255, 255, 255, 255])];
    const { store, clock, stateDir } = freshStore();
    store.close();
    const s = JobStore.open(stateDir, { now: clock.now, random: () => fixed[i++] });
    const a = s.create(sampleJob());
    const b = s.create(sampleJob());
    clock.advance(86_400_000);
    const c = s.create(sampleJob());
    expect([a.id, b.id, c.id]).toEqual(['20261201-080000-00000001', '20261201-080000-00000002', '20261202-080000-zzzzzzzz']);
    expect(s.get('zzzz').id).toBe(c.id);
    expect(s.get('20261202').id).toBe(c.id);
    expect(codeOf(() => s.get('0000000'))).toBe('USAGE 64');
    expect(s.get('00000001').id).toBe(a.id);
    expect(s.get('00000002').id).toBe(b.id);
    expect(s.get(c.id.toUpperCase()).id).toBe(c.id);
    expect(codeOf(() => s.get('2026120'))).toBe('USAGE 64'); // ambiguous: lists the candidates
    expect(() => s.get('20261201')).toThrow(/matches several jobs: 20261201-080000-00000002, 20261201-080000-00000001/);
    expect(codeOf(() => s.get('zzz'))).toBe('JOB_NOT_FOUND 64'); // shorter than 4: exact ids only
    expect(codeOf(() => s.get('qqqq'))).toBe('JOB_NOT_FOUND 64');
    expect(codeOf(() => s.get('%%%%'))).toBe('JOB_NOT_FOUND 64');
    expect(s.list().map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    s.close();
  });

  test('list filters by state and time, newest first, up to the limit', () => {
    const { store, clock } = freshStore();
    const ids: string[] = [];
    for (let k = 0; k < 5; k++) {
      const j = store.create(sampleJob({ destinations: [{ address: `d${k}@ifax.test`, kind: 'address' }, { address: `e${k}@ifax.test`, kind: 'address' }] }));
      ids.push(j.id);
      if (k % 2 === 0) store.recordSend(j.id, { destinations: [], error: { code: 'NETWORK_FAILED', message: 'down', temporary: true } });
      clock.advance(60_000);
    }
    expect(store.list({ state: 'failed' }).map((j) => j.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect(store.list({ limit: 2 }).map((j) => j.id)).toEqual([ids[4], ids[3]]);
    expect(store.list({ since: new Date('2026-12-01T08:02:00Z') }).map((j) => j.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(store.list({ limit: 1 })[0]).toEqual({ id: ids[4], state: 'failed', createdAt: '2026-12-01T08:04:00.000Z', updatedAt: '2026-12-01T08:04:00.000Z', subject: expect.any(String), pages: 2, attempts: 1, destinations: ['d4@ifax.test', 'e4@ifax.test'] });
    expect(codeOf(() => store.list({ limit: 0 }))).toBe('USAGE 64');
    store.close();
  });
});

describe('responseWatch timeouts', () => {
  test('jobs waiting longer than the hours are due; an MDN job waits through delivered, a DSN job does not', () => {
    const { store, clock } = freshStore();
    const mdn = store.create(sampleJob({ watch: 'mdn' }));
    const dsn = store.create(sampleJob({ watch: 'dsn' }));
    const none = store.create(sampleJob({ watch: 'none' }));
    const queued = store.create(sampleJob({ watch: 'mdn' }));
    for (const j of [mdn, dsn, none]) store.recordSend(j.id, { destinations: [{ address: 'fax1@ifax.test', accepted: true }] });
    expect(store.get(none.id).state).toBe('sent');
    store.recordReport(mdn.id, { type: 'dsn', disposition: 'delivered' });
    store.recordReport(dsn.id, { type: 'dsn', disposition: 'delivered' });
    const sentAt = clock.now();
    clock.advance(24 * 3_600_000 - 1);
    expect(store.dueForTimeout(clock.now(), 24)).toEqual([]);
    clock.advance(1);
    expect(store.dueForTimeout(clock.now(), 24).map((j) => j.id)).toEqual([mdn.id]);
    const moved = store.expireDue(clock.now(), 24);
    expect(moved.map((j) => [j.id, j.state, j.destinations[0].state])).toEqual([[mdn.id, 'timeout', 'timeout']]);
    // A late MDN is kept but changes nothing (SETTINGS.md §6).
    const late = store.recordReport(mdn.id, { type: 'mdn', disposition: 'processed' });
    expect([late.applied, late.ignoredReason, late.job.state]).toEqual([false, 'the job had already ended (timeout)', 'timeout']);
    expect(store.dueForTimeout(new Date(sentAt.getTime() + 1000 * 3_600_000), 24)).toEqual([]);
    expect(store.get(queued.id).state).toBe('queued');
    store.close();
  });
});
