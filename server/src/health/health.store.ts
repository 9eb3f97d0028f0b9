import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OnlineRateRow, Period } from './data-health';

interface Row {
  period: Period;
  start_ms: number;
  tag: string;
  online: number;
  samples: number;
}

/**
 * 在线率 per tag per hour and day in a small SQLite file of its own (`DATA_DIR/health.sqlite`), apart from the
 * telemetry store. Rows of the current periods are rewritten at every tick, so a restart resumes them.
 */
export class HealthStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[Period, number, string, number, number]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS online_rate (
        period TEXT NOT NULL, start_ms INTEGER NOT NULL, tag TEXT NOT NULL,
        online INTEGER NOT NULL, samples INTEGER NOT NULL,
        PRIMARY KEY (period, start_ms, tag)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS online_rate_start ON online_rate (start_ms);
    `);
    this.upsert = db.prepare(
      `INSERT INTO online_rate (period, start_ms, tag, online, samples) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (period, start_ms, tag) DO UPDATE SET online = excluded.online, samples = excluded.samples`,
    );
    this.db = db;
  }

  /** Writes rows in one transaction. */
  write(rows: readonly OnlineRateRow[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.upsert.run(r.period, r.startMs, r.tag, r.online, r.samples);
    })();
  }

  /** Rows of one period. */
  period(period: Period, startMs: number): OnlineRateRow[] {
    return this.select('SELECT * FROM online_rate WHERE period = ? AND start_ms = ?', period, startMs);
  }

  /** Rows of periods starting in [fromMs, toMs]. */
  range(fromMs: number, toMs: number): OnlineRateRow[] {
    return this.select('SELECT * FROM online_rate WHERE start_ms BETWEEN ? AND ? ORDER BY start_ms', fromMs, toMs);
  }

  /** Deletes rows of `period` that started before `beforeMs`. */
  prune(period: Period, beforeMs: number): void {
    this.db.prepare('DELETE FROM online_rate WHERE period = ? AND start_ms < ?').run(period, beforeMs);
  }

  close(): void {
    this.db.close();
  }

  private select(sql: string, ...params: (string | number)[]): OnlineRateRow[] {
    const rows = this.db.prepare(sql).all(...params) as Row[];
    return rows.map((r) => ({
      period: r.period,
      startMs: r.start_ms,
      tag: r.tag,
      online: r.online,
      samples: r.samples,
    }));
  }
}
