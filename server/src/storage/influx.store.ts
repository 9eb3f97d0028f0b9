import { InfluxDB, escape } from 'influx';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { PointValue } from '../contracts';
import { LineEncoder } from './influx-line';
import {
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
  private readonly lines = new LineEncoder();
  private readonly writeUrl: URL;
  private readonly agent: HttpAgent;

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
    this.writeUrl = new URL('/write', u);
    this.writeUrl.search = new URLSearchParams({
      db: opts.database,
      precision: 'ms',
      ...(opts.username ? { u: opts.username, p: opts.password ?? '' } : {}),
    }).toString();
    this.agent = u.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  async init(): Promise<void> {
    const names = await this.influx.getDatabaseNames();
    if (!names.includes(this.opts.database)) await this.influx.createDatabase(this.opts.database);
  }

  async writeBatch(batch: StoreBatch): Promise<void> {
    const n = batch.points.length + batch.alarmEvents.length;
    if (n === 0) return;
    const lines = new Array<string>(n);
    let i = 0;
    for (const p of batch.points) lines[i++] = this.lines.point(p);
    for (const e of batch.alarmEvents) lines[i++] = this.lines.alarmEvent(e);
    await this.postLines(lines.join('\n'));
  }

  /**
   * One `POST /write?precision=ms` with a keep-alive connection (the `influx` package opens one per request and
   * builds objects per point; see influx-line.ts). Rejects with InfluxDB's own error text on a non-2xx answer.
   */
  private postLines(body: string): Promise<void> {
    const u = this.writeUrl;
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<void>((resolve, reject) => {
      const req = request(
        u,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.opts.timeoutMs ?? 10_000,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
            reject(new Error(`${this.description} write answered ${status}: ${text}`));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${this.description} write timed out`)));
      req.on('error', reject);
      req.end(body);
    });
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
    // Queries hold no connection between requests; the write path's keep-alive sockets are closed here.
    this.agent.destroy();
    await Promise.resolve();
  }
}
