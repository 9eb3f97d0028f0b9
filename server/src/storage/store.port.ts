import type { AlarmEvent, AlarmPriority, AlarmTransitionKind, PointValue, Quality, SamplePoint } from '../contracts';
import type { HistoryQuery, HistoryResult } from './history.plan';

/** One batch handed to the store in a single request (DESIGN.md §5: no request per point). */
export interface StoreBatch {
  points: readonly SamplePoint[];
  alarmEvents: readonly AlarmEvent[];
}

/** A stored sample read back. */
export interface StoredSample {
  tsMs: number;
  v: PointValue;
  q: Quality;
}

/** Query of raw samples of one tag, oldest first. */
export interface RawQuery {
  tag: string;
  fromMs: number;
  toMs: number;
  limit: number;
}

/**
 * The time-series store port. Adapters: InfluxDB 1.x (production) and SQLite (embedded default). Both pass the
 * same contract suite (storage/store.contract.ts).
 */
export interface TelemetryStore {
  /** What and where, for health output (no secrets). */
  readonly description: string;
  /** Creates the database and schema when missing. */
  init(): Promise<void>;
  /** Writes a batch in one request; rejects when the store is unreachable (the write buffer retries). */
  writeBatch(batch: StoreBatch): Promise<void>;
  queryRaw(q: RawQuery): Promise<StoredSample[]>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How long each series is kept; null is forever (DESIGN.md §5: raw at least 30 days). */
export interface RetentionOptions {
  rawMs: number | null;
  rollup1mMs: number | null;
  rollup1hMs: number | null;
}

/** Raw 30 days, 1-minute rollup a year, 1-hour rollup forever. */
export const DEFAULT_RETENTION: RetentionOptions = {
  rawMs: 30 * 86_400_000,
  rollup1mMs: 365 * 86_400_000,
  rollup1hMs: null,
};

/**
 * Trends over any span (DESIGN.md §5): 1-minute and 1-hour rollups of min, max, mean, last and count per tag,
 * kept by the store (InfluxDB continuous queries, a SQLite job), and one query that picks raw or a rollup by step.
 * Kept apart from TelemetryStore so the write path does not depend on it.
 */
export interface HistoryStore {
  /** Buckets of one tag; see history.plan.ts for how the step and the source are chosen. */
  queryHistory(q: HistoryQuery): Promise<HistoryResult>;
  /** Recomputes the rollups of `[fromMs, toMs)` from raw samples (idempotent; also for operators after an outage). */
  backfillRollups(fromMs: number, toMs: number): Promise<void>;
  /** Periodic upkeep, called every minute: rollups of closed buckets and retention where the database does not. */
  maintain(nowMs: number): Promise<void>;
}

/**
 * A query of the alarm journal (every transition and operator action, `alarm_event`). All filters are exact
 * matches on the event; results are ordered by time, then stream `seq`, and cut at `limit`.
 */
export interface JournalQuery {
  /** Inclusive. */
  fromMs: number;
  /** Inclusive. */
  toMs: number;
  sourceId?: string;
  enterpriseId?: string;
  tag?: string;
  /** The alarm's priority after the transition. */
  priority?: AlarmPriority;
  transition?: AlarmTransitionKind;
  user?: string;
  limit: number;
}

/**
 * The alarm journal (docs/alarm-lifecycle.md "Journal"): appended through `TelemetryStore.writeBatch`, read here.
 * Rewriting an event (the spool replays what the store had not confirmed) is idempotent: an event is identified
 * by tag, condition, transition and time, as InfluxDB identifies a point by series and time.
 */
export interface AlarmJournalStore {
  queryJournal(q: JournalQuery): Promise<AlarmEvent[]>;
  /**
   * The latest event (by time, then seq) of every alarm point that has one in `[sinceMs, untilMs)`: what the
   * alarm states are rebuilt from at start, and the state at the start of a statistics range.
   */
  latestAlarmEvents(sinceMs: number, untilMs: number): Promise<AlarmEvent[]>;
}

/** Orders journal events as every adapter must: time, then the stream sequence. */
export const byTimeThenSeq = (a: AlarmEvent, b: AlarmEvent): number => a.tsMs - b.tsMs || a.seq - b.seq;

/** The latest event (by time, then seq) of each alarm point among `events`. */
export function latestPerAlarmPoint(events: Iterable<AlarmEvent>): AlarmEvent[] {
  const latest = new Map<string, AlarmEvent>();
  for (const e of events) {
    const seen = latest.get(e.alarm.key);
    if (!seen || byTimeThenSeq(seen, e) < 0) latest.set(e.alarm.key, e);
  }
  return [...latest.values()];
}

/** Nest injection token of the TelemetryStore. */
export const TELEMETRY_STORE = Symbol('TELEMETRY_STORE');

/** Quality encoded as a small integer for compact storage. */
export const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
export const QUALITY_FROM_CODE: readonly Quality[] = ['good', 'uncertain', 'bad'];
