import type { HistoryBucket, HistoryResolution, PointValue } from '../contracts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Buckets aimed at when the caller gives no step (about one per pixel column of a trend). */
export const DEFAULT_HISTORY_BUCKETS = 500;

/** Steps the server widens to: round numbers a chart axis can label. Beyond the last, whole days. */
const NICE_STEPS_MS = [
  1000,
  2000,
  5000,
  10_000,
  15_000,
  30_000,
  MINUTE_MS,
  2 * MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
];

/** Where a part of a history answer is read from. */
export type HistorySource = HistoryResolution;

/** A bucket as the stores aggregate it: with the sum so that buckets can be merged with an exact mean. */
export interface AggBucket {
  tsMs: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  count: number;
  last: PointValue | null;
}

/** One read of the plan: `source` aggregated into `stepMs` buckets over `[fromMs, untilMs)`. */
export interface HistorySegment {
  source: HistorySource;
  fromMs: number;
  untilMs: number;
}

/** The store port's history query. */
export interface HistoryQuery {
  tag: string;
  fromMs: number;
  /** Inclusive. */
  toMs: number;
  /** Wanted bucket width; default: about DEFAULT_HISTORY_BUCKETS buckets over the range. */
  stepMs?: number;
  /** Upper bound on buckets (HISTORY_MAX_POINTS); the step is widened to respect it. */
  maxPoints: number;
  /** The present, for the rollup horizon (default Date.now()). */
  nowMs?: number;
}

export interface HistoryPlan {
  resolution: HistoryResolution;
  stepMs: number;
  requestedStepMs: number;
  widened: boolean;
  note?: string;
  /** Rounded down to the step. */
  fromMs: number;
  toMs: number;
  segments: HistorySegment[];
}

/** The store port's history answer. */
export interface HistoryResult {
  resolution: HistoryResolution;
  stepMs: number;
  requestedStepMs: number;
  widened: boolean;
  note?: string;
  fromMs: number;
  toMs: number;
  buckets: HistoryBucket[];
}

const floorTo = (ms: number, stepMs: number) => Math.floor(ms / stepMs) * stepMs;

/** Buckets of width `stepMs`, aligned to the epoch, that `[fromMs, toMs]` touches. */
export function bucketCount(fromMs: number, toMs: number, stepMs: number): number {
  return Math.floor(toMs / stepMs) - Math.floor(fromMs / stepMs) + 1;
}

/**
 * Which data serves a step (DESIGN.md §5): below a minute the raw samples, from a minute the 1-minute rollup,
 * from an hour the 1-hour rollup. Rollup steps are whole rollup buckets.
 */
export function resolutionFor(stepMs: number): { resolution: HistoryResolution; granularityMs: number } {
  if (stepMs >= HOUR_MS) return { resolution: '1h', granularityMs: HOUR_MS };
  if (stepMs >= MINUTE_MS) return { resolution: '1m', granularityMs: MINUTE_MS };
  return { resolution: 'raw', granularityMs: 1 };
}

/** The smallest round step at least `minStepMs` wide. */
export function niceStepAtLeast(minStepMs: number): number {
  for (const s of NICE_STEPS_MS) if (s >= minStepMs) return s;
  return Math.ceil(minStepMs / DAY_MS) * DAY_MS;
}

/**
 * How far each rollup is complete at `nowMs`. InfluxDB's 1 m query runs on the minute and resamples the previous
 * two minutes; its 1 h query runs on the hour from the 1 m rollup; the SQLite job runs every minute. Anything newer
 * is read from raw samples so a trend is never missing its last minutes.
 */
export function rollupHorizonMs(resolution: Exclude<HistoryResolution, 'raw'>, nowMs: number): number {
  return resolution === '1m' ? floorTo(nowMs, MINUTE_MS) - 2 * MINUTE_MS : floorTo(nowMs, HOUR_MS) - HOUR_MS;
}

/** Chooses step, resolution and the raw / rollup segments of a history query (pure; `nowMs` is a parameter). */
export function planHistory(q: HistoryQuery): HistoryPlan {
  const nowMs = q.nowMs ?? Date.now();
  const maxPoints = Math.max(1, Math.floor(q.maxPoints));
  const spanMs = Math.max(1, q.toMs - q.fromMs + 1);
  const requestedStepMs = Math.max(1, Math.round(q.stepMs ?? niceStepAtLeast(spanMs / DEFAULT_HISTORY_BUCKETS)));
  let stepMs = requestedStepMs;
  let note: string | undefined;
  if (bucketCount(q.fromMs, q.toMs, stepMs) > maxPoints) {
    stepMs = niceStepAtLeast(spanMs / maxPoints);
    // Alignment to the epoch can add one bucket; the next round step always fits.
    for (let i = 0; i < 3 && bucketCount(q.fromMs, q.toMs, stepMs) > maxPoints; i++) {
      stepMs = niceStepAtLeast(stepMs + 1);
    }
    note = `step widened from ${requestedStepMs} ms to ${stepMs} ms: at most ${maxPoints} buckets per request`;
  }
  const { resolution, granularityMs } = resolutionFor(stepMs);
  if (stepMs % granularityMs !== 0) {
    const rounded = Math.ceil(stepMs / granularityMs) * granularityMs;
    note ??= `step rounded from ${stepMs} ms to ${rounded} ms: whole ${resolution} rollup buckets`;
    stepMs = rounded;
  }
  const fromMs = floorTo(q.fromMs, stepMs);
  const untilMs = q.toMs + 1;
  const segments: HistorySegment[] = [];
  if (resolution === 'raw') {
    segments.push({ source: 'raw', fromMs, untilMs });
  } else {
    const cutoffMs = Math.max(fromMs, Math.min(untilMs, floorTo(rollupHorizonMs(resolution, nowMs), granularityMs)));
    if (cutoffMs > fromMs) segments.push({ source: resolution, fromMs, untilMs: cutoffMs });
    if (untilMs > cutoffMs) segments.push({ source: 'raw', fromMs: cutoffMs, untilMs });
  }
  return {
    resolution,
    stepMs,
    requestedStepMs,
    widened: stepMs !== requestedStepMs,
    ...(note ? { note } : {}),
    fromMs,
    toMs: q.toMs,
    segments,
  };
}

/**
 * Merges bucket lists ordered oldest segment first into one list by bucket time: min of mins, max of maxes,
 * sums and counts added (so the mean stays exact), `last` from the newest segment that has one.
 */
export function mergeBuckets(parts: readonly (readonly AggBucket[])[]): AggBucket[] {
  const byTs = new Map<number, AggBucket>();
  for (const part of parts) {
    for (const b of part) {
      const prev = byTs.get(b.tsMs);
      if (!prev) {
        byTs.set(b.tsMs, { ...b });
        continue;
      }
      prev.min = minOf(prev.min, b.min);
      prev.max = maxOf(prev.max, b.max);
      prev.sum = prev.sum === null ? b.sum : b.sum === null ? prev.sum : prev.sum + b.sum;
      prev.count += b.count;
      if (b.last !== null) prev.last = b.last;
    }
  }
  return [...byTs.values()].sort((a, b) => a.tsMs - b.tsMs);
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** The wire bucket: mean from sum and count; discrete buckets (no numeric samples) have no mean. */
export function toHistoryBucket(b: AggBucket): HistoryBucket {
  return {
    tsMs: b.tsMs,
    min: b.min,
    max: b.max,
    mean: b.sum === null || b.count === 0 ? null : b.sum / b.count,
    last: b.last,
    count: b.count,
  };
}

/** Runs a plan against an adapter's aggregation and assembles the answer (shared by both adapters). */
export async function runHistory(
  q: HistoryQuery,
  aggregate: (tag: string, segment: HistorySegment, stepMs: number) => Promise<AggBucket[]>,
): Promise<HistoryResult> {
  const plan = planHistory(q);
  const parts = await Promise.all(plan.segments.map((s) => aggregate(q.tag, s, plan.stepMs)));
  const { segments: _segments, ...rest } = plan;
  return { ...rest, buckets: mergeBuckets(parts).map(toHistoryBucket) };
}
