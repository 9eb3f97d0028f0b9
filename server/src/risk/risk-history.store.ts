import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RiskLevel, RiskReason, SourceRisk } from '../contracts';

/** One stored assessment: what a screen showed for a source from `tsMs` on, with the reasons. */
export interface StoredRisk {
  sourceId: string;
  tsMs: number;
  level: RiskLevel;
  score: number;
  reasons: RiskReason[];
  modelVersion: string;
}

interface Row {
  source_id: string;
  ts_ms: number;
  level: RiskLevel;
  score: number;
  reasons: string;
  model: string;
}

/**
 * Every change of a source's risk in a small SQLite file of its own (`DATA_DIR/risk.sqlite`), like 在线率 in
 * health.sqlite: derived state for review ("why was cl01 red at 03:00?"), kept with its reasons and the model
 * version that produced it, apart from the measured telemetry (whose counts stay those of the plant).
 */
export class RiskHistoryStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number, string, number, string, string]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS risk (
        source_id TEXT NOT NULL, ts_ms INTEGER NOT NULL, level TEXT NOT NULL, score REAL NOT NULL,
        reasons TEXT NOT NULL, model TEXT NOT NULL,
        PRIMARY KEY (source_id, ts_ms)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS risk_ts ON risk (ts_ms);
    `);
    this.insert = db.prepare(
      `INSERT INTO risk (source_id, ts_ms, level, score, reasons, model) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, ts_ms) DO UPDATE SET level = excluded.level, score = excluded.score,
       reasons = excluded.reasons, model = excluded.model`,
    );
    this.db = db;
  }

  /** Writes the changed sources of one recomputation in one transaction. */
  write(changed: readonly SourceRisk[]): void {
    this.db.transaction(() => {
      for (const r of changed) {
        this.insert.run(r.sourceId, r.computedAt, r.level, r.score, JSON.stringify(r.reasons), r.modelVersion);
      }
    })();
  }

  /**
   * The source's assessments in [fromMs, toMs], oldest first, with the one in force at `fromMs` first (so a range
   * that starts inside a long red period says so); at most `limit`.
   */
  range(sourceId: string, fromMs: number, toMs: number, limit: number): StoredRisk[] {
    const before = this.db
      .prepare('SELECT * FROM risk WHERE source_id = ? AND ts_ms < ? ORDER BY ts_ms DESC LIMIT 1')
      .all(sourceId, fromMs) as Row[];
    const rows = this.db
      .prepare('SELECT * FROM risk WHERE source_id = ? AND ts_ms BETWEEN ? AND ? ORDER BY ts_ms LIMIT ?')
      .all(sourceId, fromMs, toMs, limit) as Row[];
    return [...before, ...rows].map((r) => ({
      sourceId: r.source_id,
      tsMs: r.ts_ms,
      level: r.level,
      score: r.score,
      reasons: JSON.parse(r.reasons) as RiskReason[],
      modelVersion: r.model,
    }));
  }

  /** Deletes assessments older than `beforeMs`. */
  prune(beforeMs: number): void {
    this.db.prepare('DELETE FROM risk WHERE ts_ms < ?').run(beforeMs);
  }

  close(): void {
    this.db.close();
  }
}
