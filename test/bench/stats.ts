/** Summary statistics for benchmark figures: every figure is a median over repeated runs, with its spread. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many runs the figure summarises. */
  runs: number;
}

/** The value at quantile `q` (0…1) of `values`, nearest-rank (no interpolation: every figure was observed). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** Median, min and max of the per-run figures. */
export function spread(values: readonly number[]): Spread {
  return {
    median: quantile(values, 0.5),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** `12 345 (12 001–12 800)` with the given number of decimals; `—` when there is nothing to show. */
export function formatSpread(s: Spread | undefined, decimals = 0): string {
  if (!s || s.runs === 0 || !Number.isFinite(s.median)) return '—';
  const f = (v: number) => formatNumber(v, decimals);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** Thousands separated by a thin space, so large rates stay readable in a table; `—` when not a number. */
export function formatNumber(v: number, decimals = 0): string {
  if (!Number.isFinite(v)) return '—';
  const fixed = v.toFixed(decimals);
  const [int = '', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
