import { InfluxDB, escape } from 'influx';
import type { AlarmEvent, PointValue } from '../contracts';
import { LineEncoder } from './influx-line';
import { InfluxWriterThread } from './influx-writer';
import {
  HOUR_MS,
  MINUTE_MS,
  runHistory,
  type AggBucket,
  type HistoryQuery,
  type HistoryResult,
  type HistorySegment,
} from './history.plan';
import {
  DEFAULT_RETENTION,
  QUALITY_FROM_CODE,
  byTimeThenSeq,
  latestPerAlarmPoint,
  type AlarmJournalStore,
  type JournalQuery,
  type HistoryStore,
  type RawQuery,
  type RetentionOptions,
  type StoreBatch,
  type StoredSample,
  type TelemetryStore,
} from './store.port';

export interface InfluxStoreOptions {
  url: string;
  database: string;
  username?: string;
  password?: string;
  /** Request timeout; a hung database must not hold the write buffer forever. */
  timeoutMs?: number;
  /** Durations of the raw and rollup retention policies (default DEFAULT_RETENTION). */
  retention?: RetentionOptions;
}

/** Retention policies and measurements of the rollups (DESIGN.md §5). */
export const INFLUX_RP = { raw: 'raw', '1m': 'rollup_1m', '1h': 'rollup_1h' } as const;
export const INFLUX_MEASUREMENT = { raw: 'telemetry', '1m': 'telemetry_1m', '1h': 'telemetry_1h' } as const;
/** Continuous query names carry a version: a changed definition gets a new name and the old one is dropped. */
export const INFLUX_CQ = { '1m': 'cq_telemetry_1m_v1', '1h': 'cq_telemetry_1h_v1' } as const;

interface AggRow {
  time: Date;
  min: number | null;
  max: number | null;
  sum: number | null;
  count: number | null;
  last: number | null;
  last_s: string | null;
  last_b: boolean | null;
}

interface TelemetryRow {
  time: Date;
  v: number | null;
  s: string | null;
  b: boolean | null;
  q: number | null;
}

/**
 * InfluxDB 1.x through `influx` (DESIGN.md §5): measurement `telemetry` (tags enterprise, source, tag; fields v
 * number, s discrete state, b boolean, q quality code) and `alarm_event`. One HTTP write per batch, ms precision.
 */
export class InfluxStore implements TelemetryStore, HistoryStore, AlarmJournalStore {
  readonly description: string;
  private readonly influx: InfluxDB;
  private readonly lines = new LineEncoder();
  private readonly writer: InfluxWriterThread;

  constructor(private readonly opts: InfluxStoreOptions) {
    const u = new URL(opts.url);
    this.description = `influxdb ${u.protocol}//${u.host}/${opts.database}`;
    this.influx = new InfluxDB({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'https:' ? 443 : 8086)),
      protocol: u.protocol === 'https:' ? 'https' : 'http',
      database: opts.database,
      username: opts.username ?? 'root',
      password: opts.password ?? 'root',
      options: { timeout: opts.timeoutMs ?? 10_000 },
    });
    const writeUrl = new URL('/write', u);
    writeUrl.search = new URLSearchParams({
      db: opts.database,
      precision: 'ms',
      ...(opts.username ? { u: opts.username, p: opts.password ?? '' } : {}),
    }).toString();
    this.writer = new InfluxWriterThread({
      writeUrl: writeUrl.toString(),
      timeoutMs: opts.timeoutMs ?? 10_000,
      description: this.description,
    });
  }

  async init(): Promise<void> {
    const names = await this.influx.getDatabaseNames();
    if (!names.includes(this.opts.database)) await this.influx.createDatabase(this.opts.database);
    await this.initRollups();
  }

  /**
   * One `POST /write?precision=ms`, put together and sent by the writer thread (influx-writer.ts; the `influx`
   * package opens a connection per request and builds objects per point, see influx-line.ts). Rejects with
   * InfluxDB's own error text on a non-2xx answer.
   */
  async writeBatch(batch: StoreBatch): Promise<void> {
    if (batch.points.length + batch.alarmEvents.length === 0) return;
    await this.writer.write(
      batch.points,
      batch.alarmEvents.map((e) => this.lines.alarmEvent(e)),
    );
  }

  async queryRaw(q: RawQuery): Promise<StoredSample[]> {
    const limit = Math.max(1, Math.floor(q.limit));
    const rows = await this.influx.query<TelemetryRow>(
      `SELECT v, s, b, q FROM telemetry WHERE "tag" = ${escape.stringLit(q.tag)} AND time >= ${Math.floor(q.fromMs)}ms AND time <= ${Math.floor(q.toMs)}ms ORDER BY time ASC LIMIT ${limit}`,
      { database: this.opts.database, precision: 'ms' },
    );
    return rows.map((r) => {
      const v: PointValue =
        r.v !== null && r.v !== undefined ? r.v : r.s !== null && r.s !== undefined ? r.s : r.b === true;
      return { tsMs: r.time.getTime(), v, q: QUALITY_FROM_CODE[r.q ?? 0] ?? 'good' };
    });
  }

  /**
   * InfluxDB orders by time only (points of one instant come in series order), so the rows are sorted by time and
   * seq here; when the limit cuts inside one instant, every row of that instant is fetched so the cut is the same
   * as SQLite's.
   */
  async queryJournal(q: JournalQuery): Promise<AlarmEvent[]> {
    const limit = Math.max(0, Math.floor(q.limit));
    if (limit === 0) return [];
    const first = await this.journalRows(q.fromMs, q.toMs, q, limit);
    let events = first;
    if (first.length === limit) {
      const lastMs = first[limit - 1]!.tsMs;
      const tie = await this.journalRows(lastMs, lastMs, q, null);
      events = first.filter((e) => e.tsMs < lastMs).concat(tie);
    }
    return events.sort(byTimeThenSeq).slice(0, limit);
  }

  private async journalRows(
    fromMs: number,
    toMs: number,
    q: JournalQuery,
    limit: number | null,
  ): Promise<AlarmEvent[]> {
    const where = [`time >= ${Math.floor(fromMs)}ms`, `time <= ${Math.floor(toMs)}ms`];
    // enterprise, source, tag and transition are tags of alarm_event; priority and user are fields.
    if (q.sourceId !== undefined) where.push(`"source" = ${escape.stringLit(q.sourceId)}`);
    if (q.enterpriseId !== undefined) where.push(`"enterprise" = ${escape.stringLit(q.enterpriseId)}`);
    if (q.tag !== undefined) where.push(`"tag" = ${escape.stringLit(q.tag)}`);
    if (q.transition !== undefined) where.push(`"transition" = ${escape.stringLit(q.transition)}`);
    if (q.priority !== undefined) where.push(`"priority" = ${Math.floor(q.priority)}`);
    if (q.user !== undefined) where.push(`"user" = ${escape.stringLit(q.user)}`);
    const rows = await this.influx.query<{ body: string }>(
      `SELECT "body" FROM "alarm_event" WHERE ${where.join(' AND ')} ORDER BY time ASC${limit === null ? '' : ` LIMIT ${limit}`}`,
      { database: this.opts.database, precision: 'ms' },
    );
    return rows.map((r) => JSON.parse(r.body) as AlarmEvent);
  }

  /**
   * The last point of each series (tag × condition × transition) in the range, then the latest per alarm point by
   * time and seq: bounded by the number of series, not the length of the journal.
   */
  async latestAlarmEvents(sinceMs: number, untilMs: number): Promise<AlarmEvent[]> {
    const rows = await this.influx.query<{ body: string }>(
      `SELECT last("body") AS "body" FROM "alarm_event" WHERE time >= ${Math.floor(sinceMs)}ms AND time < ${Math.floor(untilMs)}ms GROUP BY "tag", "condition", "transition"`,
      { database: this.opts.database, precision: 'ms' },
    );
    return latestPerAlarmPoint(rows.map((r) => JSON.parse(r.body) as AlarmEvent));
  }

  private target(res: keyof typeof INFLUX_RP): string {
    return `${escape.quoted(this.opts.database)}.${escape.quoted(INFLUX_RP[res])}.${escape.quoted(INFLUX_MEASUREMENT[res])}`;
  }

  /** The 1-minute rollup of raw samples per series (`GROUP BY *` keeps enterprise, source and tag). */
  private rollup1mSelect(where: string): string {
    return (
      `SELECT min("v") AS "min", max("v") AS "max", sum("v") AS "sum", count("q") AS "count", last("v") AS "last", ` +
      `last("s") AS "last_s", last("b") AS "last_b" INTO ${this.target('1m')} FROM ${this.target('raw')}${where} ` +
      `GROUP BY time(1m), *`
    );
  }

  /** The 1-hour rollup, from the 1-minute one: sums and counts add up, so the hourly mean stays exact. */
  private rollup1hSelect(where: string): string {
    return (
      `SELECT min("min") AS "min", max("max") AS "max", sum("sum") AS "sum", sum("count") AS "count", ` +
      `last("last") AS "last", last("last_s") AS "last_s", last("last_b") AS "last_b" INTO ${this.target('1h')} ` +
      `FROM ${this.target('1m')}${where} GROUP BY time(1h), *`
    );
  }

  /**
   * Retention policies `raw` (the default, where writes go), `rollup_1m` and `rollup_1h`, and the continuous
   * queries that fill the rollups (DESIGN.md §5). Idempotent: creates what is missing, alters changed durations.
   * InfluxDB 1.6 has no IF NOT EXISTS for either, hence SHOW first.
   */
  private async initRollups(): Promise<void> {
    const database = this.opts.database;
    const r = this.opts.retention ?? DEFAULT_RETENTION;
    const existing = await this.influx.showRetentionPolicies(database);
    const wanted: [string, number | null, boolean][] = [
      [INFLUX_RP.raw, r.rawMs, true],
      [INFLUX_RP['1m'], r.rollup1mMs, false],
      [INFLUX_RP['1h'], r.rollup1hMs, false],
    ];
    for (const [name, ms, isDefault] of wanted) {
      const found = existing.find((p) => p.name === name);
      const options = { database, duration: influxDuration(ms), replication: 1, isDefault };
      if (!found) await this.influx.createRetentionPolicy(name, options);
      else if (goDurationMs(found.duration) !== ms || (isDefault && !found.default)) {
        await this.influx.alterRetentionPolicy(name, options);
      }
    }
    const cqs = new Set((await this.influx.showContinousQueries(database)).map((c) => c.name));
    const current: string[] = Object.values(INFLUX_CQ);
    for (const name of cqs) {
      if (name.startsWith('cq_telemetry_') && !current.includes(name))
        await this.influx.dropContinuousQuery(name, database);
    }
    // RESAMPLE … FOR two intervals: samples a second late (the write buffer flushes every second) still count.
    if (!cqs.has(INFLUX_CQ['1m'])) {
      await this.influx.createContinuousQuery(
        INFLUX_CQ['1m'],
        this.rollup1mSelect(''),
        database,
        'RESAMPLE EVERY 1m FOR 2m',
      );
    }
    if (!cqs.has(INFLUX_CQ['1h'])) {
      await this.influx.createContinuousQuery(
        INFLUX_CQ['1h'],
        this.rollup1hSelect(''),
        database,
        'RESAMPLE EVERY 1h FOR 2h',
      );
    }
  }

  /** Runs a statement that needs POST (SELECT … INTO) and fails on an error in its result. */
  private async exec(statement: string): Promise<void> {
    const res = (await this.influx.queryRaw(statement, { database: this.opts.database, method: 'POST' })) as {
      results?: { error?: string }[];
      error?: string;
    };
    const error = res.error ?? res.results?.find((x) => x.error)?.error;
    if (error) throw new Error(`${this.description}: ${error}`);
  }

  async backfillRollups(fromMs: number, toMs: number): Promise<void> {
    const from1m = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
    const until1m = Math.ceil(toMs / MINUTE_MS) * MINUTE_MS;
    // A day of raw samples per statement keeps each SELECT … INTO's memory bounded.
    for (let t = from1m; t < until1m; t += 86_400_000) {
      const until = Math.min(until1m, t + 86_400_000);
      await this.exec(this.rollup1mSelect(` WHERE time >= ${t}ms AND time < ${until}ms`));
    }
    const from1h = Math.floor(from1m / HOUR_MS) * HOUR_MS;
    const until1h = Math.ceil(until1m / HOUR_MS) * HOUR_MS;
    await this.exec(this.rollup1hSelect(` WHERE time >= ${from1h}ms AND time < ${until1h}ms`));
  }

  /** Nothing to do: InfluxDB runs the continuous queries and enforces the retention policies itself. */
  async maintain(_nowMs: number): Promise<void> {
    await Promise.resolve();
  }

  queryHistory(q: HistoryQuery): Promise<HistoryResult> {
    return runHistory(q, (tag, segment, stepMs) => this.aggregate(tag, segment, stepMs));
  }

  private async aggregate(tag: string, seg: HistorySegment, stepMs: number): Promise<AggBucket[]> {
    const fields =
      seg.source === 'raw'
        ? `min("v") AS "min", max("v") AS "max", sum("v") AS "sum", count("q") AS "count", last("v") AS "last", last("s") AS "last_s", last("b") AS "last_b"`
        : `min("min") AS "min", max("max") AS "max", sum("sum") AS "sum", sum("count") AS "count", last("last") AS "last", last("last_s") AS "last_s", last("last_b") AS "last_b"`;
    const rows = await this.influx.query<AggRow>(
      `SELECT ${fields} FROM ${this.target(seg.source)} WHERE "tag" = ${escape.stringLit(tag)} AND time >= ${seg.fromMs}ms AND time < ${seg.untilMs}ms GROUP BY time(${stepMs}ms) fill(none)`,
      { database: this.opts.database, precision: 'ms' },
    );
    return rows.map((r) => ({
      tsMs: r.time.getTime(),
      min: r.min ?? null,
      max: r.max ?? null,
      sum: r.sum ?? null,
      count: r.count ?? 0,
      last: r.last ?? r.last_s ?? r.last_b ?? null,
    }));
  }

  async ping(): Promise<void> {
    const hosts = await this.influx.ping(3000);
    if (!hosts.some((h) => h.online)) throw new Error(`${this.description} does not answer /ping`);
  }

  async close(): Promise<void> {
    // Queries hold no connection between requests; the write path's thread and its keep-alive sockets end here.
    await this.writer.close();
  }
}

/** InfluxQL duration of a retention policy: whole hours (InfluxDB's minimum is 1 h), or INF. */
export function influxDuration(ms: number | null): string {
  return ms === null ? 'INF' : `${Math.max(1, Math.round(ms / HOUR_MS))}h`;
}

/** Milliseconds of a Go duration as SHOW RETENTION POLICIES prints it (`720h0m0s`); `0s` is infinite (null). */
export function goDurationMs(text: string): number | null {
  const units: Record<string, number> = { h: HOUR_MS, m: MINUTE_MS, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) ms += Number(m[1]) * units[m[2]!]!;
  return ms === 0 ? null : Math.round(ms);
}
