// The benchmark report: one markdown document (stdout and bench/out/results.md).
import { fmtInt, fmtMs, fmtRatio, fmtSizeRatio } from './stats.js';

/** Benchmark targets of the issue: they are reported, never turned into test failures. */
export const TARGETS = {
  encodeRatio: 1.0, // ifax encode time <= 1.0x libtiff's, every page and codec
  decodeRatio: 1.5, // ifax decode time <= 1.5x libtiff's
  mmrSize: 1.005, // MMR output within 0.5% of libtiff's
  mrSize: 1.0, // MR (K=4) output no larger than libtiff's
  peakRssMb: 300, // 50-page 600-dpi convert
  wholeDecodeRatio: 1.5, // issue 7: 12-page document, ifax convert G4 -> PBM vs tiffcp -c none
  wholeEncodeRatio: 1.0, // issue 7: ifax convert PBM -> MH / MMR vs tiffcp -c g3 / g4
};

function rowCells(r) {
  const wrong = r.problems.length > 0;
  const mark = (s) => (wrong ? `${s} ✗` : s);
  return [
    r.page, r.codec === 'MR' ? 'MR K=4' : r.codec,
    fmtInt(r.libtiff.bytes), mark(fmtInt(r.ifax.bytes)), fmtSizeRatio(r.ifax.bytes / r.libtiff.bytes),
    fmtMs(r.libtiff.encodeMs), fmtMs(r.ifax.encodeMs), fmtRatio(r.ifax.encodeMs / r.libtiff.encodeMs),
    fmtMs(r.libtiff.decodeMs), fmtMs(r.ifax.decodeMs), fmtRatio(r.ifax.decodeMs / r.libtiff.decodeMs),
  ];
}

function worst(rows, key) {
  let w = null;
  for (const r of rows) if (Number.isFinite(key(r)) && (!w || key(r) > key(w))) w = r;
  return w;
}

function jobTargetLines(jobs) {
  const ok = (b) => (b ? 'met' : '**MISSED**');
  return jobs.rows.map((r) => {
    const limit = r.job.startsWith('decode') ? TARGETS.wholeDecodeRatio : TARGETS.wholeEncodeRatio;
    return `- whole process, ${r.job}: <= ${limit.toFixed(1)}x tiffcp: ${ok(r.ratio <= limit)} (${fmtRatio(r.ratio)})`;
  });
}

function targetLines(rows, whole) {
  const ok = (b) => (b ? 'met' : '**MISSED**');
  const lines = [];
  const encR = (r) => r.ifax.encodeMs / r.libtiff.encodeMs;
  const decR = (r) => r.ifax.decodeMs / r.libtiff.decodeMs;
  const sizeR = (r) => r.ifax.bytes / r.libtiff.bytes;
  const add = (label, subset, key, limit, fmt) => {
    const w = worst(subset, key);
    if (!w) return lines.push(`- ${label}: not measured`);
    const misses = subset.filter((r) => key(r) > limit).map((r) => `${r.page} ${r.codec}`);
    lines.push(`- ${label}: ${ok(misses.length === 0)} (worst ${fmt(key(w))}, ${w.page} ${w.codec})` +
      (misses.length ? `; missed on ${misses.join(', ')}` : ''));
  };
  add(`encode <= ${TARGETS.encodeRatio.toFixed(1)}x libtiff`, rows, encR, TARGETS.encodeRatio, fmtRatio);
  add(`decode <= ${TARGETS.decodeRatio.toFixed(1)}x libtiff`, rows, decR, TARGETS.decodeRatio, fmtRatio);
  add('MMR size within 0.5% of libtiff', rows.filter((r) => r.codec === 'MMR'), sizeR, TARGETS.mmrSize, fmtSizeRatio);
  add('MR (K=4) size no larger than libtiff', rows.filter((r) => r.codec === 'MR'), sizeR, TARGETS.mrSize, fmtSizeRatio);
  if (whole) {
    const mb = whole.ifax.maxRssKb / 1024;
    lines.push(`- peak RSS < ${TARGETS.peakRssMb} MB converting ${whole.pages} pages at 600 dpi: ${ok(mb < TARGETS.peakRssMb)} (${mb.toFixed(0)} MB)`);
  } else {
    lines.push('- peak RSS: not measured (--no-doc)');
  }
  return lines;
}

function stripTable(out, stripRows) {
  out.push('', '## Decode in-process: libtiff-written pages of many strips', '');
  out.push('Pages written by `tiffcp -c g3|g4` from an uncompressed TIFF with libtiff\'s default RowsPerStrip (13 rows at 600 dpi), ' +
    'read into memory; libtiff: TIFFReadEncodedStrip over every strip, ifax: `decodePage` (dist/tiff). Median of ' +
    `${stripRows[0].ifaxRuns.length} runs in 3 interleaved rounds.`, '');
  out.push('| page | codec | strips | libtiff ms | ifax ms | ratio |');
  out.push('|---|---|--:|--:|--:|--:|');
  for (const r of stripRows) {
    const mark = r.problems.length ? ' ✗' : '';
    out.push(`| ${r.page} | ${r.codec} | ${r.strips} | ${fmtMs(r.libtiffMs)} | ${fmtMs(r.ifaxMs)}${mark} | ${fmtRatio(r.ifaxMs / r.libtiffMs)} |`);
  }
}

function jobsTable(out, jobs) {
  out.push('', `## Whole process: ${jobs.pages}-page 600-dpi document against tiffcp`, '');
  out.push(`Pages: ${jobs.cycle.join(', ')}, repeated. ifax reads the multi-page PBM or the G4 TIFF, tiffcp the same pixels as ` +
    'an uncompressed TIFF or the same G4 TIFF. Wall time of the whole child process (start-up included), ' +
    `median of ${jobs.rows[0].runs} runs, ifax and tiffcp in turn; the ratio is the median of the pair by pair ratios.`, '');
  out.push('| job | tiffcp | tiffcp s | ifax s | ratio | tiffcp cpu s | ifax cpu s | ifax peak RSS MB |');
  out.push('|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of jobs.rows) {
    const mark = r.problems.length ? ' ✗' : '';
    const peer = r.peerCommand.split(' ').slice(0, 3).join(' ');
    out.push(`| ${r.job} | \`${peer}\` | ${(r.peerMs / 1000).toFixed(2)} | ${(r.ifaxMs / 1000).toFixed(2)}${mark} | ${fmtRatio(r.ratio)} | ` +
      `${(r.peerCpuMs / 1000).toFixed(2)} | ${(r.ifaxCpuMs / 1000).toFixed(2)} | ${(r.ifaxRssKb / 1024).toFixed(0)} |`);
  }
  out.push('', 'ifax commands: ' + jobs.rows.map((r) => `\`${r.ifaxCommand}\``).join(', ') + '.');
}

export function renderReport({ env, rows, stripRows = [], jobs = null, whole, failures, settings }) {
  const out = [];
  out.push('# ifax codec benchmark', '');
  out.push(`- date: ${env.date}`);
  out.push(`- machine: ${env.cpu}, ${env.cores} cores, ${env.memGb} GB RAM, ${env.os}; load average at start ${env.load}`);
  out.push(`- node ${env.node}, libtiff ${env.libtiff}, Ghostscript ${env.gs}`);
  out.push(`- method: codec in-process and in memory, median of ${settings}; ` +
    'libtiff via TIFFWrite/ReadEncodedStrip on a TIFFClientOpen memory file, ifax via encodeFax/decodeFax. ' +
    'Both decoders decode libtiff\'s stream. Ratios are ifax / libtiff.', '');
  out.push('| page | codec | libtiff bytes | ifax bytes | size ratio | libtiff encode ms | ifax encode ms | ratio | libtiff decode ms | ifax decode ms | ratio |');
  out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) out.push(`| ${rowCells(r).join(' | ')} |`);
  const identical = rows.filter((r) => r.identicalStream).length;
  out.push('', `Identical bitstreams (ifax = libtiff byte for byte): ${identical} of ${rows.length}.`);
  if (stripRows.length) stripTable(out, stripRows);
  if (jobs) jobsTable(out, jobs);
  if (whole) {
    const t = whole.tiffcp;
    const f = whole.ifax;
    out.push('', `## Whole process: ${whole.pages}-page 600-dpi document to MMR TIFF`, '');
    out.push(`Pages cycle through ${whole.cycle.join(', ')}; input ${fmtInt(whole.inputBytes)} bytes ` +
      `(multi-page PBM for ifax, the same pixels as an uncompressed TIFF for tiffcp). Median of ${t.ms.length} runs, interleaved.`, '');
    out.push('| tool | command | median s | ms per page | peak RSS MB | output bytes |');
    out.push('|---|---|--:|--:|--:|--:|');
    for (const [name, s] of [['tiffcp', t], ['ifax', f]]) {
      out.push(`| ${name} | \`${s.command}\` | ${(s.medianMs / 1000).toFixed(2)} | ${fmtMs(s.medianMs / whole.pages)} | ${(s.maxRssKb / 1024).toFixed(0)} | ${fmtInt(s.outputBytes)} |`);
    }
    out.push('', `ifax / tiffcp wall time: ${fmtRatio(f.medianMs / t.medianMs)}; output size ratio ${fmtSizeRatio(f.outputBytes / t.outputBytes)}.`);
  }
  out.push('', '## Targets', '', ...targetLines(rows, whole), ...(jobs ? jobTargetLines(jobs) : []));
  if (failures.length) {
    out.push('', '## WRONG OUTPUT: these measurements are void', '');
    for (const f of failures) out.push(`- ${f}`);
  }
  return out.join('\n') + '\n';
}
