import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlarmEvent, PointValue } from '../contracts';
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
  QUALITY_CODE,
  type AlarmJournalStore,
  type JournalQuery,
  QUALITY_FROM_CODE,
  type HistoryStore,
  type RawQuery,
  type RetentionOptions,
  type StoreBatch,
  type StoredSample,
  type TelemetryStore,
} from './store.port';

interface Row {
  ts: number;
  v: number | null;
  s: string | null;
  b: number | null;
  q: number;
}

interface AggRow {
  bucket: number;
  mn: number | null;
  mx: number | null;
  sm: number | null;
  n: number;
  lv: number | null;
  ls: string | null;
  lb: number | null;
}

/**
 * Embedded store: one SQLite file in WAL mode (DESIGN.md §5). A batch is one transaction with prepared
 * statements; numbers go to `v`, discrete states to `s`, booleans to `b`.
 */
export class SqliteStore implements TelemetryStore, HistoryStore, AlarmJournalStore {
  readonly description: string;
  private db: Database.Database | undefined;
  private insertPoint: Database.Statement | undefined;
  private insertAlarm: Database.Statement | undefined;

  constructor(
    private readonly file: string,
    private readonly retention: RetentionOptions = DEFAULT_RETENTION,
  ) {
    this.description = `sqlite ${file}`;
  }

  async init(): Promise<void> {
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS telemetry (
        ts INTEGER NOT NULL, enterprise TEXT NOT NULL, source TEXT NOT NULL, tag TEXT NOT NULL,
        v REAL, s TEXT, b INTEGER, q INTEGER NOT NULL DEFAULT 0
      );
    `);
    // The alarm journal (append-only; docs/alarms.md). A file from before the ISA-18.2 lifecycle (no `condition`
    // column) keeps its old rows in alarm_event_v1.
    const cols = db.prepare("SELECT name FROM pragma_table_info('alarm_event')").pluck().all() as string[];
    if (cols.length > 0 && !cols.includes('condition')) db.exec('ALTER TABLE alarm_event RENAME TO alarm_event_v1');
    db.exec(`
      CREATE TABLE IF NOT EXISTS alarm_event (
        seq INTEGER NOT NULL, ts INTEGER NOT NULL, alarm_id TEXT NOT NULL, alarm_key TEXT NOT NULL, tag TEXT NOT NULL,
        enterprise TEXT NOT NULL, source TEXT NOT NULL, transition TEXT NOT NULL, from_state TEXT NOT NULL,
        state TEXT NOT NULL, condition TEXT NOT NULL, priority INTEGER NOT NULL, value REAL, limit_value REAL,
        user TEXT, comment TEXT, body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS alarm_event_ts ON alarm_event (ts);
      CREATE INDEX IF NOT EXISTS alarm_event_key_ts ON alarm_event (alarm_key, ts);
    `);
    // Discrete values (valve and SIS states, booleans) as text; `value` holds numbers only.
    const eventCols = db.prepare("SELECT name FROM pragma_table_info('alarm_event')").pluck().all() as string[];
    if (!eventCols.includes('value_s')) db.exec('ALTER TABLE alarm_event ADD COLUMN value_s TEXT');
    // One event per tag, condition, transition and instant, as InfluxDB keeps one point per series and time: the
    // spool replays events the store may already hold, and a replay must not double them.
    const hasEventKey = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'alarm_event_identity_u'")
      .get();
    if (!hasEventKey) {
      db.transaction(() => {
        db.exec(
          'DELETE FROM alarm_event WHERE rowid NOT IN (SELECT MAX(rowid) FROM alarm_event GROUP BY tag, condition, transition, ts)',
        );
        db.exec('CREATE UNIQUE INDEX alarm_event_identity_u ON alarm_event (tag, condition, transition, ts)');
      })();
    }
    // One sample per tag and instant, as in InfluxDB (same series and time = same point): replaying the spool
    // after a crash rewrites what may already be stored, and must not double it. Older files had a plain index.
    const hasUnique = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'telemetry_tag_ts_u'")
      .get();
    if (!hasUnique) {
      db.transaction(() => {
        db.exec('DELETE FROM telemetry WHERE rowid NOT IN (SELECT MAX(rowid) FROM telemetry GROUP BY tag, ts)');
        db.exec('CREATE UNIQUE INDEX telemetry_tag_ts_u ON telemetry (tag, ts)');
        db.exec('DROP INDEX IF EXISTS telemetry_tag_ts');
      })();
    }
    this.insertPoint = db.prepare(
      'INSERT OR REPLACE INTO telemetry (ts, enterprise, source, tag, v, s, b, q) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertAlarm = db.prepare(
      `INSERT OR REPLACE INTO alarm_event (seq, ts, alarm_id, alarm_key, tag, enterprise, source, transition,
        from_state, state, condition, priority, value, value_s, limit_value, user, comment, body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db = db;
    this.initRollups(db);
    await Promise.resolve();
  }

  private open(): Database.Database {
    if (!this.db) throw new Error(`${this.description} is not open`);
    return this.db;
  }

  async writeBatch(batch: StoreBatch): Promise<void> {
    const db = this.open();
    const insertPoint = this.insertPoint!;
    const insertAlarm = this.insertAlarm!;
    db.transaction(() => {
      for (const p of batch.points) {
        const v = p.v;
        insertPoint.run(
          p.tsMs,
          p.enterpriseId,
          p.sourceId,
          p.tag,
          typeof v === 'number' ? v : null,
          typeof v === 'string' ? v : null,
          typeof v === 'boolean' ? (v ? 1 : 0) : null,
          QUALITY_CODE[p.q],
        );
      }
      for (const e of batch.alarmEvents) {
        const a = e.alarm;
        insertAlarm.run(
          e.seq,
          e.tsMs,
          a.id,
          a.key,
          a.tag,
          a.enterpriseId,
          a.sourceId,
          e.transition,
          e.fromState,
          a.state,
          a.condition,
          a.priority,
          typeof a.value === 'number' ? a.value : null,
          a.value === null || typeof a.value === 'number' ? null : String(a.value),
          a.limit,
          e.user ?? null,
          e.comment ?? null,
          JSON.stringify(e),
        );
      }
    })();
    await Promise.resolve();
  }

  async queryRaw(q: RawQuery): Promise<StoredSample[]> {
    const rows = this.open()
      .prepare('SELECT ts, v, s, b, q FROM telemetry WHERE tag = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?')
      .all(q.tag, q.fromMs, q.toMs, q.limit) as Row[];
    await Promise.resolve();
    return rows.map((r) => {
      const v: PointValue = r.v !== null ? r.v : r.s !== null ? r.s : r.b === 1;
      return { tsMs: r.ts, v, q: QUALITY_FROM_CODE[r.q] ?? 'good' };
    });
  }

  async queryJournal(q: JournalQuery): Promise<AlarmEvent[]> {
    const where = ['ts >= @fromMs', 'ts <= @toMs'];
    const params: Record<string, string | number> = { fromMs: q.fromMs, toMs: q.toMs, limit: Math.max(0, q.limit) };
    const filters: [keyof JournalQuery, string][] = [
      ['sourceId', 'source'],
      ['enterpriseId', 'enterprise'],
      ['tag', 'tag'],
      ['priority', 'priority'],
      ['transition', 'transition'],
      ['user', 'user'],
    ];
    for (const [field, column] of filters) {
      const v = q[field];
      if (v === undefined) continue;
      where.push(`${column} = @${field}`);
      params[field] = v;
    }
    const bodies = this.open()
      .prepare(`SELECT body FROM alarm_event WHERE ${where.join(' AND ')} ORDER BY ts, seq LIMIT @limit`)
      .pluck()
      .all(params) as string[];
    await Promise.resolve();
    return bodies.map((b) => JSON.parse(b) as AlarmEvent);
  }

  /** One index seek per alarm point (a loose index scan of (alarm_key, ts)), whatever the journal's length. */
  async latestAlarmEvents(sinceMs: number, untilMs: number): Promise<AlarmEvent[]> {
    const bodies = this.open()
      .prepare(
        `WITH RECURSIVE keys(k) AS (
          SELECT (SELECT MIN(alarm_key) FROM alarm_event)
          UNION ALL SELECT (SELECT MIN(alarm_key) FROM alarm_event WHERE alarm_key > keys.k) FROM keys WHERE keys.k IS NOT NULL
        )
        SELECT (SELECT body FROM alarm_event WHERE alarm_key = keys.k AND ts >= ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT 1)
        FROM keys WHERE k IS NOT NULL`,
      )
      .pluck()
      .all(sinceMs, untilMs) as (string | null)[];
    await Promise.resolve();
    return bodies.filter((b): b is string => b !== null).map((b) => JSON.parse(b) as AlarmEvent);
  }

  private initRollups(db: Database.Database): void {
    // Rollups of `telemetry` (DESIGN.md §5): one row per tag and closed bucket, rewritten idempotently by the job.
    // `sum` rather than mean so that buckets merge into wider ones with an exact mean.
    for (const table of ['telemetry_1m', 'telemetry_1h']) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${table} (
          tag TEXT NOT NULL, ts INTEGER NOT NULL, min REAL, max REAL, sum REAL, count INTEGER NOT NULL,
          last_v REAL, last_s TEXT, last_b INTEGER, PRIMARY KEY (tag, ts)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ${table}_ts ON ${table} (ts);
      `);
    }
    db.exec('CREATE TABLE IF NOT EXISTS rollup_state (name TEXT PRIMARY KEY, until_ms INTEGER NOT NULL)');
  }

  /** Distinct tags by a loose index scan of (tag, ts): one index seek per tag instead of a table scan. */
  private static readonly TAGS_CTE = `tags(tag) AS (
      SELECT (SELECT MIN(tag) FROM telemetry)
      UNION ALL SELECT (SELECT MIN(tag) FROM telemetry WHERE tag > tags.tag) FROM tags WHERE tags.tag IS NOT NULL
    )`;

  private rollupRawTo1m(fromMs: number, untilMs: number): void {
    this.open()
      .prepare(
        `WITH RECURSIVE ${SqliteStore.TAGS_CTE},
        agg AS (
          SELECT r.tag AS tag, r.ts - r.ts % ${MINUTE_MS} AS bucket, MIN(r.v) AS mn, MAX(r.v) AS mx, SUM(r.v) AS sm,
            COUNT(*) AS n, MAX(r.ts) AS lts
          FROM tags JOIN telemetry r ON r.tag = tags.tag AND r.ts >= ? AND r.ts < ?
          GROUP BY r.tag, bucket
        )
        INSERT OR REPLACE INTO telemetry_1m (tag, ts, min, max, sum, count, last_v, last_s, last_b)
        SELECT agg.tag, agg.bucket, agg.mn, agg.mx, agg.sm, agg.n, t.v, t.s, t.b
        FROM agg JOIN telemetry t ON t.tag = agg.tag AND t.ts = agg.lts`,
      )
      .run(fromMs, untilMs);
  }

  private rollup1mTo1h(fromMs: number, untilMs: number): void {
    this.open()
      .prepare(
        `WITH agg AS (
          SELECT tag, ts - ts % ${HOUR_MS} AS bucket, MIN(min) AS mn, MAX(max) AS mx, SUM(sum) AS sm,
            SUM(count) AS n, MAX(ts) AS lts
          FROM telemetry_1m WHERE ts >= ? AND ts < ? GROUP BY tag, bucket
        )
        INSERT OR REPLACE INTO telemetry_1h (tag, ts, min, max, sum, count, last_v, last_s, last_b)
        SELECT agg.tag, agg.bucket, agg.mn, agg.mx, agg.sm, agg.n, m.last_v, m.last_s, m.last_b
        FROM agg JOIN telemetry_1m m ON m.tag = agg.tag AND m.ts = agg.lts`,
      )
      .run(fromMs, untilMs);
  }

  async backfillRollups(fromMs: number, toMs: number): Promise<void> {
    const from1m = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
    const until1m = Math.ceil(toMs / MINUTE_MS) * MINUTE_MS;
    // An hour of raw samples per statement, yielding in between: a long catch-up must not stall ingestion.
    for (let t = from1m; t < until1m; t += HOUR_MS) {
      this.rollupRawTo1m(t, Math.min(until1m, t + HOUR_MS));
      await new Promise((r) => setImmediate(r));
    }
    this.rollup1mTo1h(Math.floor(from1m / HOUR_MS) * HOUR_MS, Math.ceil(until1m / HOUR_MS) * HOUR_MS);
  }

  /**
   * Every minute: rolls up the minutes closed since the last run (and re-does the two before, like InfluxDB's
   * RESAMPLE FOR 2m, for samples that arrived late), then prunes each series past its retention.
   */
  async maintain(nowMs: number): Promise<void> {
    const db = this.open();
    const closedMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const state = db.prepare("SELECT until_ms AS untilMs FROM rollup_state WHERE name = 'rollup'").get() as
      { untilMs: number } | undefined;
    let fromMs = closedMs - 2 * MINUTE_MS;
    if (state) fromMs = Math.min(fromMs, state.untilMs - 2 * MINUTE_MS);
    else {
      const first = db
        .prepare(
          `WITH RECURSIVE ${SqliteStore.TAGS_CTE} SELECT MIN((SELECT MIN(ts) FROM telemetry WHERE tag = tags.tag)) AS ts FROM tags WHERE tag IS NOT NULL`,
        )
        .get() as { ts: number | null };
      if (first.ts !== null) fromMs = Math.min(fromMs, first.ts);
    }
    if (this.retention.rawMs !== null) fromMs = Math.max(fromMs, nowMs - this.retention.rawMs - MINUTE_MS);
    await this.backfillRollups(fromMs, closedMs);
    db.prepare("INSERT OR REPLACE INTO rollup_state (name, until_ms) VALUES ('rollup', ?)").run(closedMs);
    this.prune(nowMs);
  }

  private prune(nowMs: number): void {
    const db = this.open();
    const { rawMs, rollup1mMs, rollup1hMs } = this.retention;
    if (rawMs !== null) {
      const tags = db
        .prepare(`WITH RECURSIVE ${SqliteStore.TAGS_CTE} SELECT tag FROM tags WHERE tag IS NOT NULL`)
        .pluck()
        .all() as string[];
      const del = db.prepare('DELETE FROM telemetry WHERE tag = ? AND ts < ?');
      db.transaction(() => {
        for (const tag of tags) del.run(tag, nowMs - rawMs);
      })();
    }
    if (rollup1mMs !== null) db.prepare('DELETE FROM telemetry_1m WHERE ts < ?').run(nowMs - rollup1mMs);
    if (rollup1hMs !== null) db.prepare('DELETE FROM telemetry_1h WHERE ts < ?').run(nowMs - rollup1hMs);
  }

  queryHistory(q: HistoryQuery): Promise<HistoryResult> {
    return runHistory(q, (tag, segment, stepMs) => Promise.resolve(this.aggregate(tag, segment, stepMs)));
  }

  private aggregate(tag: string, seg: HistorySegment, stepMs: number): AggBucket[] {
    const sql =
      seg.source === 'raw'
        ? `WITH agg AS (
            SELECT ts - ts % @step AS bucket, MIN(v) AS mn, MAX(v) AS mx, SUM(v) AS sm, COUNT(*) AS n, MAX(ts) AS lts
            FROM telemetry WHERE tag = @tag AND ts >= @from AND ts < @until GROUP BY bucket
          )
          SELECT agg.*, t.v AS lv, t.s AS ls, t.b AS lb
          FROM agg JOIN telemetry t ON t.tag = @tag AND t.ts = agg.lts ORDER BY bucket`
        : `WITH agg AS (
            SELECT ts - ts % @step AS bucket, MIN(min) AS mn, MAX(max) AS mx, SUM(sum) AS sm, SUM(count) AS n,
              MAX(ts) AS lts
            FROM telemetry_${seg.source} WHERE tag = @tag AND ts >= @from AND ts < @until GROUP BY bucket
          )
          SELECT agg.*, m.last_v AS lv, m.last_s AS ls, m.last_b AS lb
          FROM agg JOIN telemetry_${seg.source} m ON m.tag = @tag AND m.ts = agg.lts ORDER BY bucket`;
    const rows = this.open().prepare(sql).all({ tag, step: stepMs, from: seg.fromMs, until: seg.untilMs }) as AggRow[];
    const out: AggBucket[] = [];
    for (const r of rows) {
      // Two raw samples with the same time join twice; the first is enough.
      if (out.length > 0 && out[out.length - 1]!.tsMs === r.bucket) continue;
      out.push({
        tsMs: r.bucket,
        min: r.mn,
        max: r.mx,
        sum: r.sm,
        count: r.n,
        last: r.lv !== null ? r.lv : r.ls !== null ? r.ls : r.lb !== null ? r.lb === 1 : null,
      });
    }
    return out;
  }

  async ping(): Promise<void> {
    this.open().prepare('SELECT 1').get();
    await Promise.resolve();
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
    await Promise.resolve();
  }
}
