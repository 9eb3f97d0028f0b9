import { InfluxDB, escape, type IPoint } from 'influx';
import type { PointValue } from '../contracts';
import {
  QUALITY_CODE,
  QUALITY_FROM_CODE,
  type RawQuery,
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
export class InfluxStore implements TelemetryStore {
  readonly description: string;
  private readonly influx: InfluxDB;

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
  }

  async init(): Promise<void> {
    const names = await this.influx.getDatabaseNames();
    if (!names.includes(this.opts.database)) await this.influx.createDatabase(this.opts.database);
  }

  async writeBatch(batch: StoreBatch): Promise<void> {
    const points: IPoint[] = new Array<IPoint>(batch.points.length + batch.alarmEvents.length);
    let n = 0;
    for (const p of batch.points) {
      const v = p.v;
      const fields: Record<string, number | string | boolean> = { q: QUALITY_CODE[p.q] };
      if (typeof v === 'number') fields.v = v;
      else if (typeof v === 'string') fields.s = v;
      else fields.b = v;
      points[n++] = {
        measurement: 'telemetry',
        tags: { enterprise: p.enterpriseId, source: p.sourceId, tag: p.tag },
        fields,
        timestamp: p.tsMs,
      };
    }
    for (const e of batch.alarmEvents) {
      const a = e.alarm;
      points[n++] = {
        measurement: 'alarm_event',
        tags: { enterprise: a.enterpriseId, source: a.sourceId, tag: a.tag, transition: e.transition },
        fields: {
          seq: e.seq,
          alarm_id: a.id,
          state: a.state,
          level: a.level,
          priority: a.priority,
          value: a.value,
          body: JSON.stringify(e),
        },
        timestamp: a.updatedAt,
      };
    }
    if (n === 0) return;
    await this.influx.writePoints(points, { precision: 'ms', database: this.opts.database });
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

  async ping(): Promise<void> {
    const hosts = await this.influx.ping(3000);
    if (!hosts.some((h) => h.online)) throw new Error(`${this.description} does not answer /ping`);
  }

  async close(): Promise<void> {
    // The influx client holds no connection between requests.
  }
}
