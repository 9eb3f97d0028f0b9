import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AlarmEvent, ComponentHealth, SamplePoint } from '../contracts';
import { InfluxStore } from './influx.store';
import { SqliteStore } from './sqlite.store';
import type { HistoryQuery, HistoryResult } from './history.plan';
import {
  latestPerAlarmPoint,
  type AlarmJournalStore,
  type HistoryStore,
  type JournalQuery,
  type RetentionOptions,
  type TelemetryStore,
} from './store.port';
import { Spool } from './spool';
import { WriteBuffer, type WriteBufferStats } from './write-buffer';

/** Picks the store from config (InfluxDB when INFLUX_URL is set, else SQLite) and owns the write buffer. */
export function createStore(config: AppConfig): TelemetryStore & HistoryStore & AlarmJournalStore {
  const retention = retentionOf(config);
  if (config.INFLUX_URL) {
    return new InfluxStore({
      url: config.INFLUX_URL,
      database: config.INFLUX_DB,
      username: config.INFLUX_USERNAME,
      password: config.INFLUX_PASSWORD,
      retention,
    });
  }
  return new SqliteStore(resolve(config.DATA_DIR, 'telemetry.sqlite'), retention);
}

const DAY_MS = 86_400_000;

export function retentionOf(config: AppConfig): RetentionOptions {
  return {
    rawMs: config.RETENTION_RAW_DAYS * DAY_MS,
    rollup1mMs: config.RETENTION_1M_DAYS * DAY_MS,
    rollup1hMs: config.RETENTION_1H_DAYS === 0 ? null : config.RETENTION_1H_DAYS * DAY_MS,
  };
}

/** Rollup upkeep interval: the SQLite job closes each minute; InfluxDB runs its continuous queries itself. */
const MAINTAIN_MS = 60_000;

@Injectable()
export class StorageService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(StorageService.name);
  readonly store: TelemetryStore & HistoryStore & AlarmJournalStore;
  private maintainTimer: NodeJS.Timeout | null = null;
  private readonly buffer: WriteBuffer;
  private lastError: string | undefined;

  private readonly spool: Spool | undefined;
  private initialised: Promise<void> | undefined;
  /** Alarm events the store had not confirmed when the previous run ended, read before the replay starts. */
  private spooledAtStart: AlarmEvent[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.store = createStore(config);
    if (config.SPOOL_MAX_BYTES > 0) {
      this.spool = Spool.open({
        dir: resolve(config.DATA_DIR, 'spool'),
        segmentBytes: config.SPOOL_SEGMENT_BYTES,
        maxBytes: config.SPOOL_MAX_BYTES,
        fsyncMs: config.SPOOL_FSYNC_MS,
        batchWrites: true,
        log: (level, message) => this.logger[level](message),
      });
    } else {
      this.logger.warn('SPOOL_MAX_BYTES=0: no disk spool; a crash or a long store outage loses buffered points');
    }
    let lastSpoolError = '';
    this.buffer = new WriteBuffer(this.store, {
      flushMs: config.STORE_FLUSH_MS,
      batchPoints: config.STORE_BATCH_POINTS,
      maxBufferedPoints: config.STORE_MAX_BUFFERED_POINTS,
      spool: this.spool,
      onError: (err, pending) => {
        if (this.lastError !== err.message)
          this.logger.error(`store write failed (${pending} points waiting in memory): ${err.message}`);
        this.lastError = err.message;
      },
      onRecovered: () => {
        this.logger.log(`store writes recovered`);
        this.lastError = undefined;
      },
      onSpoolError: (err) => {
        if (err.message !== lastSpoolError)
          this.logger.error(`spool write failed, points held in memory: ${err.message}`);
        lastSpoolError = err.message;
      },
      onModeChange: (mode, detail) =>
        this.logger[mode === 'replay' ? 'warn' : 'log'](`write buffer ${mode}: ${detail}`),
    });
  }

  onModuleInit(): Promise<void> {
    return this.ready();
  }

  /** Resolves once the store is initialised and the write buffer runs; services that read the store at start await it. */
  ready(): Promise<void> {
    return (this.initialised ??= this.init());
  }

  private async init(): Promise<void> {
    try {
      await this.store.init();
    } catch (err) {
      throw new Error(`cannot initialise ${this.store.description}: ${(err as Error).message}`);
    }
    // Before the replay starts: from here on each of these is in the store or still in the spool, never neither.
    this.spooledAtStart = this.spool?.pendingAlarmEvents() ?? [];
    this.buffer.start();
    this.logger.log(`store: ${this.store.description}`);
    if (this.config.RETENTION_RAW_DAYS < 30) {
      this.logger.warn(
        `RETENTION_RAW_DAYS=${this.config.RETENTION_RAW_DAYS}: raw data is kept less than the 30 days DESIGN.md §5 asks for`,
      );
    }
    this.maintainTimer = setInterval(() => void this.maintain(Date.now()), MAINTAIN_MS);
    this.maintainTimer.unref();
  }

  /** Makes the points pushed so far durable (the spool's batched writes); the ingest calls it before its PUBACKs. */
  flushSpool(): void {
    this.buffer.flushSpool();
  }

  /** Hot path, once per message: spooled to disk (batched with its turn, before the PUBACKs), then buffered. */
  pushPoints(points: readonly SamplePoint[]): void {
    this.buffer.pushPoints(points);
  }

  /** Rollups and retention upkeep (SQLite; InfluxDB does its own); errors are logged, never thrown. */
  async maintain(nowMs: number): Promise<void> {
    try {
      await this.store.maintain(nowMs);
    } catch (err) {
      this.logger.error(`rollup upkeep failed: ${(err as Error).message}`);
    }
  }

  /** Trend of one tag (docs/storage.md): raw or rolled-up buckets by the span, at most HISTORY_MAX_POINTS. */
  history(q: Omit<HistoryQuery, 'maxPoints'>): Promise<HistoryResult> {
    return this.store.queryHistory({ ...q, maxPoints: this.config.HISTORY_MAX_POINTS });
  }

  /** The alarm journal, oldest first (docs/alarm-lifecycle.md "Journal"). */
  queryJournal(q: JournalQuery): Promise<AlarmEvent[]> {
    return this.store.queryJournal(q);
  }

  /** The latest journal event of each alarm point in `[sinceMs, untilMs)`, as the store has it. */
  latestAlarmEvents(sinceMs: number, untilMs: number): Promise<AlarmEvent[]> {
    return this.store.latestAlarmEvents(sinceMs, untilMs);
  }

  /**
   * Once, at start (the rebuild): the latest event of each alarm point, from the store and from the spool's
   * events that the previous run had not seen stored (a crash, or a store outage at shutdown).
   */
  async latestAlarmEventsAtStart(sinceMs: number, untilMs: number): Promise<AlarmEvent[]> {
    await this.ready();
    const spooled = this.spooledAtStart.filter((e) => e.tsMs >= sinceMs && e.tsMs < untilMs);
    this.spooledAtStart = [];
    const stored = await this.store.latestAlarmEvents(sinceMs, untilMs);
    return latestPerAlarmPoint([...stored, ...spooled]);
  }

  pushAlarmEvent(event: AlarmEvent): void {
    this.buffer.pushAlarmEvent(event);
  }

  stats(): WriteBufferStats {
    return this.buffer.stats();
  }

  flush(): Promise<void> {
    return this.buffer.flush();
  }

  async health(): Promise<ComponentHealth> {
    try {
      await this.store.ping();
      const err = this.buffer.stats().lastError;
      return err
        ? { ok: false, detail: this.store.description, error: `writes failing: ${err}` }
        : { ok: true, detail: this.store.description };
    } catch (err) {
      return { ok: false, detail: this.store.description, error: (err as Error).message };
    }
  }

  /** Flushes everything before the store closes (DESIGN.md §5: shutdown flushes). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    this.maintainTimer = null;
    await this.buffer.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      this.spool?.close();
    } catch (err) {
      this.logger.error(`closing the spool: ${(err as Error).message}`);
    }
    await this.store.close();
  }
}
