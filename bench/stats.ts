/**
 * Small, dependency-free statistics for the benchmark: median and spread.
 *
 * Quantiles use linear interpolation between closest ranks (type 7, the default of R and
 * NumPy), so the median of an even-sized sample is the mean of the two middle values.
 */

export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length === 1) return sorted[0]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { n: sorted.length, median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75) };
}

/** Element-wise ratios a[i] / b[i] (the rounds were interleaved, so each pair shares its noise). */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a[i]! / b[i]!);
  return out;
}

/** Significant-figure formatting for tables: 3 significant digits, thousands kept whole. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return "n/a";
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString("en-US");
  if (abs === 0) return "0";
  return Number(v.toPrecision(digits)).toString();
}

/** "median (p25–p75)" */
export function fmtSummary(s: Summary, unit = "", digits = 3): string {
  return `${fmt(s.median, digits)}${unit} (${fmt(s.p25, digits)}–${fmt(s.p75, digits)})`;
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "n/a";
  const sign = bytes < 0 ? "-" : "";
  const b = Math.abs(bytes);
  if (b < 1024) return `${sign}${Math.round(b)} B`;
  if (b < 1024 * 1024) return `${sign}${fmt(b / 1024)} KiB`;
  return `${sign}${fmt(b / (1024 * 1024))} MiB`;
}
