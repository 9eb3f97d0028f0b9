/**
 * Full or quick mode. The figures we publish come from a full run on a quiet machine; `BENCH_QUICK=1` shrinks every
 * count and duration about ten times, so a case can be developed and checked end to end on a busy one. A quick run
 * writes only `test/bench/results/`, never docs/performance.md.
 */
export const QUICK = process.env.BENCH_QUICK === '1';

/** The full-mode value, or the quick-mode one under `BENCH_QUICK=1`. */
export function pick<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}

/** A positive number from the environment (a settable fallback), or `fallback` when unset. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

/** A comma-separated list from the environment (`BENCH_SIZES=1,100`); undefined when unset or empty. */
export function listFromEnv(name: string): string[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A nice value (an integer from 0 to 19) from the environment. */
export function niceFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`${name}=${raw}: expected an integer from 0 to 19`);
  return n;
}
