import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PointValue } from '../contracts';
import {
  QUALITY_CODE,
  QUALITY_FROM_CODE,
  type RawQuery,
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

/**
 * Embedded store: one SQLite file in WAL mode (DESIGN.md §5). A batch is one transaction with prepared
 * statements; numbers go to `v`, discrete states to `s`, booleans to `b`.
 */
export class SqliteStore implements TelemetryStore {
  readonly description: string;
  private db: Database.Database | undefined;
  private insertPoint: Database.Statement | undefined;
  private insertAlarm: Database.Statement | undefined;

  constructor(private readonly file: string) {
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
      `INSERT INTO alarm_event (seq, ts, alarm_id, alarm_key, tag, enterprise, source, transition, from_state, state,
        condition, priority, value, limit_value, user, comment, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db = db;
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
