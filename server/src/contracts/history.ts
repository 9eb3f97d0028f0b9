import { z } from 'zod';
import type { PointValue } from './telemetry';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 365 * 86_400_000,
};

/**
 * Parses a duration: `500ms`, `30s`, `1m`, `1h`, `7d`, `2w`, `1y` (365 d), or a bare integer of milliseconds.
 * Returns undefined for anything else (callers name the parameter in their error).
 */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] ? UNIT_MS[m[2]]! : 1);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** Parses an instant: epoch milliseconds (digits only) or an ISO 8601 date-time. */
export function parseInstantMs(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const ms = Number(t);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Date.parse accepts much more than ISO 8601 (e.g. "March 7"); insist on the ISO shape first.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** An optional instant query parameter (epoch ms or ISO 8601); the issue names the parameter. */
export const instantParam = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const ms = parseInstantMs(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be epoch ms or ISO 8601 (e.g. 2026-11-23T08:00:00Z)` });
        return z.NEVER;
      }
      return ms;
    });

/** Query string of `GET /api/telemetry/history` (DESIGN.md §3), before defaults are applied. */
export const HistoryQueryParamsSchema = z.object({
  /** 位号 as configured in the site model. */
  tag: z.string({ error: 'tag is required' }).trim().min(1, 'tag is required').max(64),
  /** Start, epoch ms or ISO 8601; default `to` minus one hour. */
  from: instantParam('from'),
  /** End (inclusive), epoch ms or ISO 8601; default now. */
  to: instantParam('to'),
  /** Bucket width: `30s`, `1m`, `1h`, `1d` or ms; default chosen for about 500 buckets. */
  step: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const ms = parseDurationMs(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'step must be like 500ms, 30s, 1m, 1h, 1d or a number of ms' });
        return z.NEVER;
      }
      return ms;
    }),
});
export type HistoryQueryParams = z.infer<typeof HistoryQueryParamsSchema>;

/** Where the buckets of a history answer come from: raw samples or a downsampled rollup (DESIGN.md §5). */
export type HistoryResolution = 'raw' | '1m' | '1h';

/**
 * One time bucket `[tsMs, tsMs + stepMs)`. Numeric tags fill min/max/mean/last; discrete tags (valve, SIS,
 * booleans) have min/max/mean null and `last` the state at the end of the bucket. `count` is the number of samples.
 * Buckets without samples are left out (a gap in the trend is a gap in the data).
 */
export interface HistoryBucket {
  tsMs: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  last: PointValue | null;
  count: number;
}

/** `GET /api/telemetry/history` */
export interface HistoryResponse {
  tag: string;
  unit: string;
  /** The range served; `fromMs` is rounded down to the step. */
  fromMs: number;
  toMs: number;
  resolution: HistoryResolution;
  stepMs: number;
  /** The step asked for (or the default), when the server had to change it. */
  requestedStepMs?: number;
  /** True when the step was widened to stay under HISTORY_MAX_POINTS or rounded to whole rollup buckets. */
  widened: boolean;
  /** Why the step changed, for the screen. */
  note?: string;
  buckets: HistoryBucket[];
}
