import { z } from 'zod';
import { ALARM_TRANSITION_KINDS, type AlarmEvent } from './alarm';
import { instantParam } from './history';

const id = (name: string) => z.string().trim().min(1, `${name} must not be empty`).max(128).optional();

/**
 * Query string of `GET /api/alarms/journal` (DESIGN.md §3, docs/alarm-lifecycle.md "Journal"), before defaults.
 * Every filter is an exact match; all given filters must hold. Unknown parameters are refused (a misspelt filter
 * would otherwise return the whole journal).
 */
export const JournalQueryParamsSchema = z.strictObject({
  /** Start (inclusive), epoch ms or ISO 8601; default `to` minus 24 hours. */
  from: instantParam('from'),
  /** End (inclusive), epoch ms or ISO 8601; default now. */
  to: instantParam('to'),
  /** Hazard source id. */
  source: id('source'),
  /** Enterprise id (one operator position in the statistics). */
  enterprise: id('enterprise'),
  /** 位号 (or composite id). */
  tag: id('tag'),
  /** Alarm priority at the transition, 1 (urgent) … 4 (low). */
  priority: z
    .enum(['1', '2', '3', '4'], { error: 'priority must be 1, 2, 3 or 4' })
    .transform((p) => Number(p) as 1 | 2 | 3 | 4)
    .optional(),
  /** Transition kind (`raise`, `ack`, `shelve`, …). */
  kind: z
    .enum(ALARM_TRANSITION_KINDS, { error: `kind must be one of ${ALARM_TRANSITION_KINDS.join(', ')}` })
    .optional(),
  /** The operator of operator actions (`system` for the shelving timer). */
  user: id('user'),
  /** Most rows, 1 … JOURNAL_MAX_ROWS (the default and the cap). */
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'limit must be at least 1'))
    .optional(),
  /** `json` (default) or `csv` (UTF-8 with BOM, for Excel); `Accept: text/csv` also selects CSV. */
  format: z.enum(['json', 'csv'], { error: 'format must be json or csv' }).optional(),
});
export type JournalQueryParams = z.infer<typeof JournalQueryParamsSchema>;

/** `GET /api/alarms/journal` as JSON: transitions oldest first (time, then stream `seq`). */
export interface JournalResponse {
  fromMs: number;
  toMs: number;
  /** The row cap applied (the request's `limit`, at most JOURNAL_MAX_ROWS). */
  limit: number;
  /** True when more transitions match than `limit`: narrow the range or page on with `from`. */
  truncated: boolean;
  events: AlarmEvent[];
}
