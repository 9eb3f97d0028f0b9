import { InfluxDB, type IPoint } from 'influx';
import mqtt, { type MqttClient } from 'mqtt';

export interface RawIngestOptions {
  mqttUrl: string;
  /** Subscription filter, e.g. `bench-raw/v1/#` (topic levels 2 and 3 are taken as enterprise and source). */
  topicFilter: string;
  influxUrl: string;
  database: string;
  /** Same batching as the server's write buffer, so the comparison is about the work per point. */
  batchPoints: number;
  flushMs: number;
  /**
   * `influx-package`: `writePoints` of the `influx` package (the ceiling issue 4 names). `line-protocol`: hand-built
   * lines POSTed over one keep-alive connection, the way the server writes since it outgrew the package; the server
   * is compared with the faster of the two so that its write path cannot make the ceiling look low.
   */
  writer: 'influx-package' | 'line-protocol';
}

interface RawPoint {
  tag: string;
  v: number;
  ts?: number;
}

/**
 * The ceiling the server is compared with: a bare mqtt.js subscriber (persistent session, QoS 1) that writes
 * batches to InfluxDB with the `influx` package, the same way the server's write buffer does (one write in
 * flight, flush on size or interval), with no validation, no rules, no latest values and no alarms.
 */
export class RawIngest {
  /** Points taken off MQTT. */
  received = 0;
  /** Points InfluxDB acknowledged. */
  stored = 0;
  private buffer: IPoint[] = [];
  private lines: string[] = [];
  private inFlight: Promise<void> | null = null;
  private writeError: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writeUrl = '';

  private constructor(
    private readonly opts: RawIngestOptions,
    private readonly influx: InfluxDB,
    private readonly client: MqttClient,
  ) {}

  static async start(opts: RawIngestOptions): Promise<RawIngest> {
    const u = new URL(opts.influxUrl);
    const influx = new InfluxDB({ host: u.hostname, port: Number(u.port), database: opts.database });
    await influx.createDatabase(opts.database);
    const client = await mqtt.connectAsync(opts.mqttUrl, {
      clientId: `bench-raw-${opts.writer}-${process.pid}`,
      clean: false,
      reconnectPeriod: 0,
    });
    const sut = new RawIngest(opts, influx, client);
    sut.writeUrl = `${u.origin}/write?db=${encodeURIComponent(opts.database)}&precision=ms`;
    client.on('message', (topic, payload) => sut.onMessage(topic, payload));
    await client.subscribeAsync(opts.topicFilter, { qos: 1 });
    sut.timer = setInterval(() => void sut.flush(), opts.flushMs);
    return sut;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const levels = topic.split('/');
    const message = JSON.parse(payload.toString('utf8')) as { ts: number; points: RawPoint[] };
    if (this.opts.writer === 'line-protocol') {
      const series = `telemetry,enterprise=${levels[2] ?? ''},source=${levels[3] ?? ''},tag=`;
      for (const p of message.points) this.lines.push(`${series}${p.tag} v=${p.v},q=0 ${p.ts ?? message.ts}`);
    } else {
      const tags = { enterprise: levels[2] ?? '', source: levels[3] ?? '', tag: '' };
      for (const p of message.points) {
        this.buffer.push({
          measurement: 'telemetry',
          tags: { ...tags, tag: p.tag },
          fields: { v: p.v, q: 0 },
          timestamp: p.ts ?? message.ts,
        });
      }
    }
    this.received += message.points.length;
    if (this.pending >= this.opts.batchPoints && !this.inFlight) setImmediate(() => void this.flush());
  }

  private get pending(): number {
    return this.buffer.length + this.lines.length;
  }

  private write(): { count: number; done: Promise<void> } {
    if (this.opts.writer === 'line-protocol') {
      const batch = this.lines.slice(0, this.opts.batchPoints);
      this.lines = this.lines.slice(batch.length);
      const done = fetch(this.writeUrl, { method: 'POST', body: batch.join('\n') }).then(async (res) => {
        if (!res.ok) throw new Error(`raw line write answered ${res.status}: ${await res.text()}`);
      });
      return { count: batch.length, done };
    }
    const batch = this.buffer.slice(0, this.opts.batchPoints);
    this.buffer = this.buffer.slice(batch.length);
    return {
      count: batch.length,
      done: this.influx.writePoints(batch, { precision: 'ms', database: this.opts.database }),
    };
  }

  private flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.pending === 0) return Promise.resolve();
    const { count, done } = this.write();
    this.inFlight = done
      .then(
        () => {
          this.stored += count;
        },
        (err: Error) => {
          this.writeError ??= err;
        },
      )
      .finally(() => {
        this.inFlight = null;
        if (this.pending >= this.opts.batchPoints) setImmediate(() => void this.flush());
      });
    return this.inFlight;
  }

  /** The first failed write, if any: the ceiling must not be bought with lost points either. */
  get error(): Error | undefined {
    return this.writeError;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client.endAsync();
    while (this.inFlight || this.pending > 0) await this.flush();
    await this.influx.dropDatabase(this.opts.database);
  }
}
