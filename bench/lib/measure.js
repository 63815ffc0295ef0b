// One table row: libtiff and ifax on one page and coding, timed in interleaved rounds (the
// harness, then ifax, then the harness again...) so that a burst of load on the machine hits
// both sides alike, then checked for correctness both ways.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProblems, ifaxOptions, t4OptionsOf, timeDecode, timeEncode } from './ifax-codec.js';
import { median } from './stats.js';

const ROUNDS = 3;

/** Splits reps over the rounds: 9 -> 3,3,3; 5 -> 2,2,1. */
function split(reps) {
  const base = Math.floor(reps / ROUNDS);
  return Array.from({ length: ROUNDS }, (_, i) => base + (i < reps % ROUNDS ? 1 : 0)).filter((n) => n > 0);
}

export function measure({ harness, codec, page, bitmap, coding, warmup, reps, streamsDir }) {
  const rawLibtiff = join(streamsDir, `${page.name}-${coding}.libtiff`);
  const rawIfax = join(streamsDir, `${page.name}-${coding}.ifax`);
  const opts = ifaxOptions(coding, page);
  const runs = { ltEnc: [], ltDec: [], ifEnc: [], ifDec: [] };
  const problems = [];
  let bytes = NaN;
  let ifaxBytes = NaN;
  let identicalStream = false;
  let encoded = null;
  let decoded = null;
  let failed = false;
  split(reps).forEach((n, round) => {
    // libtiff has no JIT to warm: one call for caches, and at 600 dpi only in the first round
    const ltWarm = page.res === 'fine' || round === 0 ? 1 : 0;
    const lt = harness.bench(page, coding, ltWarm, n, rawLibtiff);
    bytes = lt.bytes;
    runs.ltEnc.push(...lt.encodeMs);
    runs.ltDec.push(...lt.decodeMs);
    if (failed) return;
    const ifWarm = round === 0 ? warmup : 0;
    try {
      const enc = timeEncode(codec, bitmap, opts, ifWarm, n);
      runs.ifEnc.push(...enc.ms);
      encoded = enc.data;
    } catch (err) {
      problems.push(`ifax encode threw: ${err.stack ?? err}`);
      failed = true;
      return;
    }
    try {
      const dec = timeDecode(codec, new Uint8Array(readFileSync(rawLibtiff)), opts, ifWarm, n);
      runs.ifDec.push(...dec.ms);
      decoded = dec.result;
    } catch (err) {
      problems.push(`ifax decode threw: ${err.stack ?? err}`);
      failed = true;
    }
  });

  if (encoded) {
    writeFileSync(rawIfax, encoded);
    ifaxBytes = encoded.length;
    identicalStream = Buffer.compare(Buffer.from(encoded), readFileSync(rawLibtiff)) === 0;
    const v = harness.verify(rawIfax, coding, page, t4OptionsOf(coding));
    if (!v.ok) {
      problems.push(`libtiff decoding ifax's stream: ${v.decoded < 0 ? 'failed' : `first bad row ${v.firstBadRow}`}` +
        (v.libtiffMessages ? `, ${v.libtiffMessages} libtiff messages, first: ${v.firstMessage}` : '') + (v.stderr ? ` ${v.stderr.trim()}` : ''));
    }
  }
  if (decoded) {
    for (const p of decodeProblems({ ...page, data: bitmap.data }, decoded)) problems.push(`ifax decoding libtiff's stream: ${p}`);
  }
  return {
    page: page.name, codec: coding, reps, problems, identicalStream,
    libtiff: { bytes, encodeMs: median(runs.ltEnc), decodeMs: median(runs.ltDec), encodeRuns: runs.ltEnc, decodeRuns: runs.ltDec },
    ifax: { bytes: ifaxBytes, encodeMs: median(runs.ifEnc), decodeMs: median(runs.ifDec), encodeRuns: runs.ifEnc, decodeRuns: runs.ifDec },
  };
}
