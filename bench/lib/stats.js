// Small numeric helpers of the benchmark report.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** "12.3" / "0.84": three significant digits are plenty for timings that drift 20%. */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function fmtInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmtRatio(r) {
  return Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a';
}

/** Size ratio with four digits: the MMR target is about 0.5%. */
export function fmtSizeRatio(r) {
  return Number.isFinite(r) ? r.toFixed(4) : 'n/a';
}
