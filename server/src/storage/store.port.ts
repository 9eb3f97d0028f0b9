import type { AlarmEvent, PointValue, Quality, SamplePoint } from '../contracts';

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

/** Nest injection token of the TelemetryStore. */
export const TELEMETRY_STORE = Symbol('TELEMETRY_STORE');

/** Quality encoded as a small integer for compact storage. */
export const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
export const QUALITY_FROM_CODE: readonly Quality[] = ['good', 'uncertain', 'bad'];
