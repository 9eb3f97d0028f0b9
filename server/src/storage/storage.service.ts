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
import type { TelemetryStore } from './store.port';
import { WriteBuffer, type WriteBufferStats } from './write-buffer';

/** Picks the store from config (InfluxDB when INFLUX_URL is set, else SQLite) and owns the write buffer. */
export function createStore(config: AppConfig): TelemetryStore {
  if (config.INFLUX_URL) {
    return new InfluxStore({
      url: config.INFLUX_URL,
      database: config.INFLUX_DB,
      username: config.INFLUX_USERNAME,
      password: config.INFLUX_PASSWORD,
    });
  }
  return new SqliteStore(resolve(config.DATA_DIR, 'telemetry.sqlite'));
}

@Injectable()
export class StorageService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(StorageService.name);
  readonly store: TelemetryStore;
  private readonly buffer: WriteBuffer;
  private lastError: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.store = createStore(config);
    this.buffer = new WriteBuffer(this.store, {
      flushMs: config.STORE_FLUSH_MS,
      batchPoints: config.STORE_BATCH_POINTS,
      maxBufferedPoints: config.STORE_MAX_BUFFERED_POINTS,
      onError: (err, pending) => {
        if (this.lastError !== err.message)
          this.logger.error(`store write failed (${pending} points waiting): ${err.message}`);
        this.lastError = err.message;
      },
      onRecovered: () => {
        this.logger.log(`store writes recovered`);
        this.lastError = undefined;
      },
    });
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.store.init();
    } catch (err) {
      throw new Error(`cannot initialise ${this.store.description}: ${(err as Error).message}`);
    }
    this.buffer.start();
    this.logger.log(`store: ${this.store.description}`);
  }

  /** Hot path. */
  push(point: SamplePoint): void {
    this.buffer.push(point);
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
    await this.buffer.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
