// The benchmark report: one markdown document (stdout and bench/out/results.md).
import { fmtInt, fmtMs, fmtRatio, fmtSizeRatio } from './stats.js';

/** Benchmark targets of the issue: they are reported, never turned into test failures. */
export const TARGETS = {
  encodeRatio: 1.0, // ifax encode time <= 1.0x libtiff's, every page and codec
  decodeRatio: 1.5, // ifax decode time <= 1.5x libtiff's
  mmrSize: 1.005, // MMR output within 0.5% of libtiff's
  mrSize: 1.0, // MR (K=4) output no larger than libtiff's
  peakRssMb: 300, // 50-page 600-dpi convert
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

export function renderReport({ env, rows, whole, failures, settings }) {
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
  out.push('', '## Targets', '', ...targetLines(rows, whole));
  if (failures.length) {
    out.push('', '## WRONG OUTPUT: these measurements are void', '');
    for (const f of failures) out.push(`- ${f}`);
  }
  return out.join('\n') + '\n';
}
