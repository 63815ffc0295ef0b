/**
 * The whole I-Fax loop on the loopback mail stack (Postfix, Dovecot), with the built binary:
 * station A sends a fax asking for an MDN; the mail as Postfix/Dovecot delivered it to B's
 * Maildir is given to `ifax receive` at station B, which stores it and sends its MDN through
 * the stack; that MDN, delivered to A's Maildir, given to `ifax receive` at A, makes A's job
 * processed and teaches A B's capabilities. Then a DSN from the stack's failing domain fails
 * A's job. Nothing is stubbed: the mails are the ones the real servers delivered.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mailStack } from '../interop/stack.js';
import type { MailStack } from '../interop/stack-types.js';
import { fixture } from '../image/oracles.js';
import { ifax, json, waitForMail, writeProfile } from './send-helpers.js';
import { DestinationStore, JobStore } from '../../src/store/index.js';

let stack: MailStack;
let root: string;

beforeAll(async () => {
  stack = await mailStack();
  root = mkdtempSync(path.join(tmpdir(), 'ifax-receive-stack-'));
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface SendJson {
  job: string;
  envid: string;
  groups: { mails: { messageId: string }[] }[];
}

test('send -> receive (stored, MDN through the stack) -> the MDN received makes the job processed and the capabilities known', async () => {
  const [fax1, fax2] = stack.users;
  const a = writeProfile(path.join(root, 'a'), stack);
  const b = writeProfile(path.join(root, 'b'), stack, { device: { name: 'STATION-B', email: fax2.email }, smtp: { auth: { user: fax2.login, password: fax2.password } } });
  const subject = `ifax-loop-${process.pid}-${Date.now()}`;
  const sent = json<SendJson>(ifax(a, ['--json', 'send', fixture('itu1-top.pbm'), '--to', fax2.email, '--subject', subject]));
  const messageId = sent.groups[0].mails[0].messageId;
  const [delivered] = await waitForMail(stack, fax2.login, subject);
  expect(delivered).toBeDefined();
  expect(readFileSync(delivered, 'latin1')).toMatch(/^Return-Path: /m);

  const r = ifax(b, ['--json', 'receive', delivered]);
  expect([r.code, r.stderr.replace(/^warning: (poll will refuse|alerts cannot be mailed).*\n/gm, '')]).toEqual([0, '']);
  const got = json<{ received: { id: string; pages: number; messageId: string }[]; mdnSent: number }>(r);
  expect(got.mdnSent).toBe(1);
  expect(got.received[0]).toMatchObject({ messageId, pages: 1 });

  const [mdn] = await waitForMail(stack, fax1.login, `Original-Message-ID: ${messageId}`);
  expect(mdn).toBeDefined();
  expect(readFileSync(mdn, 'latin1')).toMatch(/^Return-Path: <>/m);
  const back = ifax(a, ['--json', 'receive', mdn]);
  expect([back.code, back.stderr.replace(/^warning: (poll will refuse|alerts cannot be mailed).*\n/gm, '')]).toEqual([0, '']);
  expect(json<{ reports: unknown[] }>(back).reports).toEqual([expect.objectContaining({ type: 'mdn', job: sent.job, state: 'processed', applied: true, capabilitiesLearned: true })]);
  const store = JobStore.open(path.join(root, 'a', 'state'));
  try {
    expect(store.get(sent.job).state).toBe('processed');
    expect(new DestinationStore(store.database).get(fax2.email)).toMatchObject({ source: 'mdn', jobId: sent.job });
  } finally {
    store.close();
  }
});

test("the stack's failure DSN, received, fails the job it names by ENVID", async () => {
  const a = writeProfile(path.join(root, 'dsn'), stack);
  const sent = json<SendJson>(ifax(a, ['--json', 'send', fixture('itu1-top.pbm'), '--to', `nobody@${stack.failDomain}`, '--no-mdn', '--dsn', '--subject', `ifax-dsn-${process.pid}-${Date.now()}`]));
  const [dsn] = await waitForMail(stack, stack.users[0].login, `Original-Envelope-Id: ${sent.envid}`);
  expect(dsn).toBeDefined();
  const r = ifax(a, ['--json', 'receive', dsn]);
  expect([r.code, r.stderr.replace(/^warning: (poll will refuse|alerts cannot be mailed).*\n/gm, '')]).toEqual([0, '']);
  expect(json<{ reports: unknown[] }>(r).reports).toEqual([expect.objectContaining({ type: 'dsn', job: sent.job, state: 'failed', applied: true })]);
});
