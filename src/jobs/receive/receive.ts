/**
 * `ifax receive`: one raw mail, already safe on disk, classified (mime/parse) and acted on:
 * a fax stored in the inbox (and answered with an MDN when asked), an MDN or DSN applied to
 * its job, a message/partial fragment kept until its set is complete (then reassembled,
 * RFC 2046 §5.2.2.1, and handled as the whole mail: its MDN only then), anything else kept
 * in other/ with a note. Nothing is ever dropped.
 *
 * For an MTA pipe the outcome decides the exit code: trouble that may pass (a full disk, a
 * busy store, a set locked by a parallel delivery) throws TEMPORARY_FAILURE (75: the MTA
 * keeps the mail and tries again) with nothing half-written; a mail that cannot be read or
 * whose fax cannot be decoded is kept in other/ and reported with exitCode 65.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { IfaxError, isIfaxError } from '../../errors.js';
import { MAX_MAIL_BYTES } from '../../limits.js';
import { reassemble } from '../../mime/index.js';
import { classifyMail, qualityText, type ClassifiedMail, type MdnResult } from '../../mime/parse/index.js';
import { inboxDir, markSeen, removeStaleIncoming, seenBefore } from '../../store/inbox.js';
import { otherDir, saveOther } from '../../store/other-mail.js';
import { addFragment, expireSets, finishSet, withSetLock } from '../../store/partials.js';
import { PARTIAL_EXPIRY_DAYS } from '../../limits.js';
import { answerMdn } from './answer-mdn.js';
import { alternativeDecision } from './negotiate.js';
import { applyDsn, applyMdn } from './reports.js';
import { copyOut, storeFax } from './store-fax.js';
import type { ReceiveDeps, ReceiveOutcome, ReceivedFax } from './types.js';

export type { ReceiveDeps, ReceiveOutcome, ReceivedFax, ReceivedReport, ReceiveError } from './types.js';

/** Codes that mean the mail (its fax) is bad: kept in other/, answered processed/error. */
const DATA_CODES = new Set(['DATA_INVALID', 'TIFF_INVALID', 'FAX_DECODE_FAILED', 'UNSUPPORTED_INPUT', 'LIMIT_EXCEEDED', 'INPUT_NOT_FOUND']);

/** Reassembled mails nested as message/partial again (RFC 2046 §5.2.2 allows it): at most this deep. */
const MAX_REASSEMBLY_ROUNDS = 3;

/** Store and I/O trouble as TEMPORARY_FAILURE (75): the MTA keeps the mail and delivers it again. */
function temporary(err: unknown, what: string): IfaxError {
  if (isIfaxError(err) && (err.code === 'TEMPORARY_FAILURE' || err.code === 'LOCK_HELD')) return err;
  const errno = (err as NodeJS.ErrnoException).code ?? ((err as { cause?: NodeJS.ErrnoException }).cause?.code);
  const reason = err instanceof Error ? err.message : String(err);
  return new IfaxError('TEMPORARY_FAILURE', `${what} failed: ${reason}`, {
    cause: err,
    hint: `Nothing was stored; the mail system keeps the mail and delivers it again${errno === 'ENOSPC' ? ' (the disk is full)' : ''}.`,
    ...(errno ? { context: { errno } } : {}),
  });
}

function emptyOutcome(): ReceiveOutcome {
  return { received: [], reports: [], mdnSent: 0, partial: 0, other: 0, errors: [], exitCode: 0 };
}

function who(c: ClassifiedMail): string | null {
  return c.summary.from?.address ?? null;
}

/** Keeps a mail in other/; store trouble is temporary. */
async function keepOther(bytes: Uint8Array, c: ClassifiedMail | null, reason: string, kind: string, deps: ReceiveDeps, code?: string): Promise<string> {
  try {
    const { dir } = await saveOther(
      deps.stateDir,
      { original: bytes },
      { reason, kind, from: c ? who(c) : null, subject: c?.summary.subject ?? null, messageId: c?.summary.messageId ?? null, ...(code ? { code } : {}) },
      deps.now(),
    );
    return dir;
  } catch (err) {
    throw temporary(err, 'keeping the mail in other/');
  }
}

/** Handles one classified mail (the mail, or a reassembled one). */
async function handle(bytes: Uint8Array, c: ClassifiedMail, deps: ReceiveDeps, out: ReceiveOutcome, round: number, reassembledFrom?: { id: string; fragments: number }): Promise<void> {
  switch (c.kind) {
    case 'fax': {
      const digest = createHash('sha256').update(bytes).digest('hex');
      const before = seenBefore(deps.stateDir, digest);
      if (before !== undefined) {
        deps.io.warn(`this mail was received before and stored as fax ${before}: not stored again, no MDN sent again`);
        return;
      }
      let stored;
      try {
        stored = await storeFax(c, bytes, deps, reassembledFrom ? { reassembledFrom } : {});
      } catch (err) {
        if (!isIfaxError(err) || !DATA_CODES.has(err.code)) throw temporary(err, 'storing the fax');
        const dir = await keepOther(bytes, c, `the fax could not be read: ${err.message}`, 'fax', deps, err.code);
        out.other++;
        out.exitCode = 65;
        out.errors.push({ messageId: c.summary.messageId ?? null, code: err.code, message: `${err.message} (kept in ${dir})` });
        const mdn = await answerMdn(c.summary, { processed: false, error: err.message }, deps);
        if (mdn.sent) out.mdnSent++;
        if (mdn.error) out.errors.push({ messageId: c.summary.messageId ?? null, ...mdn.error });
        return;
      }
      try {
        await markSeen(deps.stateDir, digest, stored.id);
      } catch (err) {
        // The fax is safe; without the mark a redelivery of this mail would only store it twice.
        deps.io.warn(`recording the mail's digest failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      const files = [...stored.files];
      if (deps.out) {
        try {
          files.push(...(await copyOut(stored, deps.out)));
        } catch (err) {
          // The fax is safe in the inbox: a failed copy is reported, never a reason to deliver the mail again.
          const e = isIfaxError(err) ? err : new IfaxError('OUTPUT_FAILED', `writing the --out copy failed: ${String(err)}`);
          deps.io.warn(e.message);
          out.errors.push({ messageId: c.summary.messageId ?? null, code: e.code, message: e.message });
        }
      }
      for (const d of stored.meta.pages.filter((p) => p.damagedRows > 0 || p.missingRows > 0)) {
        deps.io.warn(`fax ${stored.id} page ${d.page}: ${d.damagedRows} damaged row${d.damagedRows === 1 ? '' : 's'}${d.missingRows ? `, ${d.missingRows} missing` : ''}`);
      }
      // Full mode (RFC 4142): the MDN may ask for a better alternative; the fax is kept all the same (negotiate.ts says why).
      const negotiation = alternativeDecision(c, deps);
      const fax: ReceivedFax = { id: stored.id, from: who(c), subject: c.summary.subject ?? null, messageId: c.summary.messageId ?? null, pages: stored.meta.pages.length, files };
      let result: MdnResult = { processed: true };
      if ('prefer' in negotiation) {
        result = { alternativePreferred: `${qualityText(negotiation.prefer.quality)} rather than ${qualityText(negotiation.received)}` };
        fax.alternativePreferred = negotiation.prefer.text;
        deps.io.debug(`fax ${stored.id}: asking for the alternative ${negotiation.prefer.text} (kept what came)`);
      } else {
        deps.io.debug(`fax ${stored.id}: ${negotiation.skip}`);
      }
      out.received.push(fax);
      const mdn = await answerMdn(c.summary, result, deps);
      if (mdn.sent) out.mdnSent++;
      if (mdn.error) out.errors.push({ messageId: c.summary.messageId ?? null, ...mdn.error });
      return;
    }
    case 'mdn':
      try {
        out.reports.push(applyMdn(c, deps));
      } catch (err) {
        throw temporary(err, 'recording the MDN');
      }
      return;
    case 'dsn':
      try {
        out.reports.push(...applyDsn(c, deps));
      } catch (err) {
        throw temporary(err, 'recording the DSN');
      }
      return;
    case 'partial':
      await handlePartial(bytes, c, deps, out, round);
      return;
    case 'other': {
      const dir = await keepOther(bytes, c, c.reason, 'other', deps);
      deps.io.warn(`not a fax or a report; kept in ${dir}: ${c.reason}`);
      out.other++;
      return;
    }
  }
}

async function handlePartial(bytes: Uint8Array, c: Extract<ClassifiedMail, { kind: 'partial' }>, deps: ReceiveDeps, out: ReceiveOutcome, round: number): Promise<void> {
  out.partial++;
  const info = c.partial;
  let whole: Uint8Array | null = null;
  let count = 0;
  try {
    await withSetLock(deps.stateDir, info.id, deps.now(), async () => {
      let r;
      try {
        r = await addFragment(deps.stateDir, info, bytes, deps.now());
      } catch (err) {
        if (isIfaxError(err) && err.code === 'LIMIT_EXCEEDED') throw err;
        throw temporary(err, 'keeping the fragment');
      }
      if (r.state === 'done-before') {
        deps.io.warn(`fragment ${info.number} of message/partial ${JSON.stringify(info.id)} came again; its fax was made on ${r.doneAt}: nothing to do`);
        return;
      }
      if (r.state !== 'complete') {
        deps.io.debug(`fragment ${info.number}${info.total ? ` of ${info.total}` : ''} of ${JSON.stringify(info.id)} kept (${r.have} held${r.state === 'duplicate' ? '; this one was held already' : ''})`);
        return;
      }
      count = r.fragments.length;
      try {
        whole = reassemble(r.fragments);
      } catch (err) {
        if (!isIfaxError(err)) throw err;
        // A set that does not go together (forged, mixed) is kept whole in other/ and forgotten.
        await saveOther(deps.stateDir, { fragments: r.fragments.map((b, i) => ({ number: i + 1, bytes: b })) }, { reason: `message/partial ${JSON.stringify(info.id)} could not be reassembled: ${err.message}`, kind: 'partial', from: who(c), subject: c.summary.subject ?? null, messageId: c.summary.messageId ?? null, code: err.code }, deps.now());
        await finishSet(deps.stateDir, info.id, deps.now(), null);
        out.other++;
        out.exitCode = 65;
        out.errors.push({ messageId: c.summary.messageId ?? null, code: err.code, message: err.message });
        return;
      }
      // Handled inside the lock: a parallel delivery of the same set waits (75) and then finds it done.
      const mail = whole;
      const inner = classifyOrKeep(mail);
      const before = out.received.length;
      if (inner.ok) {
        if (inner.c.kind === 'partial' && round + 1 >= MAX_REASSEMBLY_ROUNDS) {
          await keepOther(mail, inner.c, `message/partial nested more than ${MAX_REASSEMBLY_ROUNDS} deep`, 'partial', deps);
          out.other++;
        } else {
          await handle(mail, inner.c, deps, out, round + 1, { id: info.id, fragments: count });
        }
      } else {
        await keepOther(mail, null, inner.reason, 'unreadable', deps, inner.code);
        out.other++;
        out.exitCode = 65;
        out.errors.push({ messageId: null, code: inner.code, message: inner.reason });
      }
      try {
        await finishSet(deps.stateDir, info.id, deps.now(), out.received[before]?.id ?? null);
      } catch (err) {
        throw temporary(err, 'finishing the message/partial set');
      }
    });
  } catch (err) {
    if (isIfaxError(err) && err.code === 'LIMIT_EXCEEDED') {
      await keepOther(bytes, c, `fragment refused: ${err.message}`, 'partial', deps, err.code);
      out.other++;
      out.exitCode = 65;
      out.errors.push({ messageId: c.summary.messageId ?? null, code: err.code, message: err.message });
      return;
    }
    throw isIfaxError(err) && (err.code === 'TEMPORARY_FAILURE' || err.code === 'LOCK_HELD') ? err : temporary(err, 'handling the fragment');
  }
}

function classifyOrKeep(bytes: Uint8Array): { ok: true; c: ClassifiedMail } | { ok: false; code: string; reason: string } {
  try {
    return { ok: true, c: classifyMail(bytes) };
  } catch (err) {
    const code = isIfaxError(err) ? err.code : 'DATA_INVALID';
    return { ok: false, code, reason: `the mail cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Housekeeping after each mail: sets of fragments waiting PARTIAL_EXPIRY_DAYS moved to other/
 * with a note; temporary folders a crash left in inbox/ and other/ (an hour old) removed.
 */
async function expire(deps: ReceiveDeps, out: ReceiveOutcome): Promise<void> {
  try {
    for (const root of [inboxDir(deps.stateDir), otherDir(deps.stateDir)]) {
      const n = removeStaleIncoming(root, deps.now());
      if (n > 0) deps.io.warn(`removed ${n} half-written folder${n === 1 ? '' : 's'} a crash left in ${root}`);
    }
    const sets = await expireSets(deps.stateDir, deps.now(), async (set) => {
      await saveOther(
        deps.stateDir,
        { fragments: set.fragments },
        { reason: `message/partial ${JSON.stringify(set.id)}: ${set.fragments.length} of ${set.total ?? 'an unknown number of'} fragments came; the rest did not within ${PARTIAL_EXPIRY_DAYS} days (since ${set.firstSeen})`, kind: 'partial' },
        deps.now(),
      );
    });
    for (const s of sets) deps.io.warn(`message/partial ${JSON.stringify(s.id)} expired incomplete (${s.fragments.length} fragment${s.fragments.length === 1 ? '' : 's'}): kept in other/`);
    out.other += sets.length;
  } catch (err) {
    // Expiry is housekeeping: it never makes the mail at hand fail.
    deps.io.warn(`expiring old message/partial fragments failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Receives the raw mail in `file`. Throws TEMPORARY_FAILURE / LOCK_HELD (75) on trouble that
 * may pass, INPUT_NOT_FOUND (66) when the file cannot be read; a bad mail is not thrown but
 * kept in other/ and reported (exitCode 65).
 */
export async function receiveMail(file: string, deps: ReceiveDeps): Promise<ReceiveOutcome> {
  const out = emptyOutcome();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'EISDIR' || errno === 'EACCES') {
      throw new IfaxError('INPUT_NOT_FOUND', `receiving failed: cannot read ${JSON.stringify(file)} (${errno})`, { cause: err });
    }
    throw temporary(err, `reading ${JSON.stringify(file)}`);
  }
  if (bytes.length > MAX_MAIL_BYTES) {
    const reason = `the mail is ${bytes.length} bytes (at most ${MAX_MAIL_BYTES}, MAX_MAIL_BYTES)`;
    await keepOther(bytes, null, reason, 'unreadable', deps, 'LIMIT_EXCEEDED');
    return { ...out, other: 1, exitCode: 65, errors: [{ messageId: null, code: 'LIMIT_EXCEEDED', message: `receiving failed: ${reason}` }] };
  }
  const classified = classifyOrKeep(bytes);
  if (!classified.ok) {
    const dir = await keepOther(bytes, null, classified.reason, 'unreadable', deps, classified.code);
    out.other++;
    out.exitCode = 65;
    out.errors.push({ messageId: null, code: classified.code, message: `${classified.reason} (kept in ${dir})` });
  } else {
    await handle(bytes, classified.c, deps, out, 0);
  }
  await expire(deps, out);
  return out;
}
