import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { DataHealthQuery, DataHealthResponse, SamplePoint, StaleReason } from '../contracts';
import { SiteService } from '../site/site.service';
import type { TagInfo } from '../site';
import { DataHealth, tagMaxAgeMs, type OnlineRateRow, type PeriodAccumulator } from './data-health';
import { HealthStore } from './health.store';
import type { SeqVerdict } from './seq-tracker';

const DAY_MS = 86_400_000;
/**
 * Rows per store transaction. A 20 000-tag park rewrites 40 000 rows a tick (250–850 ms of SQLite on a busy
 * 2-core box); in chunks with the event loop free in between, MQTT messages never wait behind it (DESIGN.md §2).
 * A chunk of 2,000 rows held the loop 70–210 ms in the soak bench's CPU profile (the commit included); 250 rows keep
 * each under the 20 ms event-loop target.
 */
const PERSIST_CHUNK_ROWS = 250;

/**
 * Data health of the site (docs/data-health.md): last-seen and staleness per tag, gateway online state, `seq` gaps
 * per publisher and the 在线率 per hour and day, stored in `DATA_DIR/health.sqlite`. The logic is the pure
 * `DataHealth`; this provider adds the tick timer, the store and tag-name lookups.
 */
@Injectable()
export class DataHealthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DataHealthService.name);
  readonly core: DataHealth;
  private readonly tags: ReadonlyMap<string, TagInfo>;
  private store: HealthStore | undefined;
  private timer: NodeJS.Timeout | undefined;
  private persisting = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    sites: SiteService,
  ) {
    this.tags = sites.index.tags;
    this.core = new DataHealth(
      sites.index.tagList.map((info) => ({
        tag: info.def.tag,
        sourceId: info.sourceId,
        enterpriseId: info.enterpriseId,
        maxAgeMs: tagMaxAgeMs(info.def, config.DATA_STALE_S),
      })),
      { defaultMaxAgeMs: config.DATA_STALE_S * 1000, utcOffsetMs: config.HEALTH_UTC_OFFSET_H * 3_600_000 },
      Date.now(),
    );
  }

  onModuleInit(): void {
    this.store = new HealthStore(join(this.config.DATA_DIR, 'health.sqlite'));
    this.core.restore([
      ...this.store.period('hour', this.core.hour.startMs),
      ...this.store.period('day', this.core.day.startMs),
    ]);
    this.timer = setInterval(() => this.tick(Date.now()), this.config.HEALTH_TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.writeChunk(this.currentRows([]), 0, Infinity);
    this.store?.close();
    this.store = undefined;
  }

  /** A decoded point arrived (called from IngestService.acceptPoints: one Map.get and three array writes). */
  seen(p: SamplePoint, nowMs: number): void {
    const info = this.tags.get(p.tag);
    if (info) this.core.seen(info.index, nowMs);
  }

  /** A publisher's `seq` (JSON v1: per hazard source); a gap is counted, the points are kept. */
  sequence(sourceId: string, seq: number, nowMs: number): SeqVerdict {
    return this.core.seq.observe(sourceId, seq, nowMs);
  }

  /** The retained gateway status of a source (its last will says offline). */
  gatewayStatus(sourceId: string, online: boolean, nowMs: number): void {
    this.core.gatewayStatus(sourceId, online, nowMs);
    if (!online) this.logger.warn(`gateway of ${sourceId} offline: its tags are stale`);
  }

  /**
   * Marks tags stale at once for an external cause (e.g. Sparkplug NDEATH / DDEATH), until each one's next value.
   * Unknown tag names are ignored.
   */
  markStale(tags: readonly string[], reason: StaleReason, nowMs: number): void {
    this.core.markStale(this.indices(tags), reason);
    this.logger.debug(`${tags.length} tags stale (${reason}) at ${new Date(nowMs).toISOString()}`);
  }

  /** Lifts an external stale mark (e.g. on a Sparkplug rebirth); the tags are then judged by their age. */
  markFresh(tags: readonly string[]): void {
    this.core.markFresh(this.indices(tags));
  }

  staleCount(nowMs: number): number {
    return this.core.staleCount(nowMs);
  }

  report(query: DataHealthQuery, nowMs: number): DataHealthResponse {
    const report = this.core.report(nowMs, query.source);
    if (query.from !== undefined && query.to !== undefined && this.store) {
      report.history = this.core.aggregate(this.store.range(query.from, query.to), query.source);
    }
    return report;
  }

  /** One 在线率 sample; closed periods and the current ones are written to the store. */
  tick(nowMs: number): void {
    const closed = this.core.tick(nowMs);
    this.persist(closed);
    if (closed.some((c) => c.period === 'day')) {
      try {
        this.store?.prune('hour', nowMs - this.config.HEALTH_RETENTION_DAYS * DAY_MS);
      } catch (err) {
        this.logger.warn(`pruning health.sqlite failed: ${(err as Error).message}`);
      }
    }
  }

  /** Writes closed and current periods in chunks, yielding to the event loop between them. */
  private persist(closed: readonly PeriodAccumulator[]): void {
    if (!this.store) return;
    if (this.persisting) {
      // The previous tick is still writing: its current rows are overwritten by the next tick anyway.
      if (closed.length > 0)
        this.writeChunk(
          closed.flatMap((acc) => this.core.rows(acc)),
          0,
          Infinity,
        );
      return;
    }
    this.persisting = true;
    const rows = this.currentRows(closed);
    const step = (from: number) => {
      if (!this.writeChunk(rows, from, PERSIST_CHUNK_ROWS) || from + PERSIST_CHUNK_ROWS >= rows.length) {
        this.persisting = false;
        return;
      }
      setImmediate(() => step(from + PERSIST_CHUNK_ROWS));
    };
    step(0);
  }

  private currentRows(closed: readonly PeriodAccumulator[]): OnlineRateRow[] {
    return [...closed, this.core.hour, this.core.day]
      .filter((acc) => acc.samples > 0)
      .flatMap((acc) => this.core.rows(acc));
  }

  /** One transaction of rows[from, from + count); false when the store is gone or failed. */
  private writeChunk(rows: readonly OnlineRateRow[], from: number, count: number): boolean {
    if (!this.store) return false;
    try {
      this.store.write(rows.slice(from, from + count));
      return true;
    } catch (err) {
      // Losing a minute of 在线率 bookkeeping must not stop ingestion; the next tick rewrites the current rows.
      this.logger.warn(`writing health.sqlite failed: ${(err as Error).message}`);
      return false;
    }
  }

  private indices(tags: readonly string[]): number[] {
    const out: number[] = [];
    for (const t of tags) {
      const info = this.tags.get(t);
      if (info) out.push(info.index);
    }
    return out;
  }
}
