import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import {
  GatewayStatusSchema,
  TOPIC_SUBSCRIPTION,
  parseTopic,
  type ParsedTopic,
  type HealthResponse,
  type SamplePoint,
} from '../contracts';
import { AlarmService } from '../alarms/alarm.service';
import { BrokerService } from '../broker/broker.service';
import { DataHealthService } from '../health/data-health.service';
import { LatestValues } from '../realtime/latest-values';
import { SiteService } from '../site/site.service';
import { StorageService } from '../storage/storage.service';
import { DeadLetters } from './dead-letters';
import { decodeTelemetry, type DecodeOptions } from './json-v1.decoder';
import { ConnectionHistory } from './connection-history';
import { MqttClient } from './mqtt.client';
import { decodeSparkplug, encodeSparkplug } from './sparkplug/sparkplug.codec';
import { SparkplugHost, parseSparkplugTopic, type SpPayload, type SpTopic } from './sparkplug/sparkplug.host';

/** Every Sparkplug B message, so that garbage on spBv1.0 is counted too. */
const SPARKPLUG_SUBSCRIPTION = 'spBv1.0/#';

/** A rebirth request is repeated at most this often while an edge node stays out of step. */
const SPARKPLUG_REBIRTH_RETRY_MS = 10_000;

/**
 * Longest run of MQTT messages handled before the event loop gets a turn: the socket.io pushes, REST answers and
 * timers wait at most about this long behind a burst (event-loop delay p99 target 20 ms, docs/performance.md).
 */
const INGEST_SLICE_MS = 8;

/** Future skew tolerated on source timestamps before a point is rejected as `bad_timestamp`. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface IngestCounters {
  messages: number;
  points: number;
}

/**
 * MQTT → decode + validate → latest values, write buffer, rules (DESIGN.md §2). The message handler is
 * synchronous: no await per message, no database request per point.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IngestService.name);
  readonly deadLetters = new DeadLetters((line) => this.logger.warn(line));
  readonly counters: IngestCounters = { messages: 0, points: 0 };
  private client: MqttClient | undefined;
  private readonly decodeOpts: DecodeOptions;
  /** The Sparkplug B primary host (DESIGN.md §3); its node sessions are in `GET /api/health` under `sparkplug`. */
  readonly sparkplug: SparkplugHost;
  private readonly stateTopic: string;

  get sparkplugHostId(): string {
    return this.config.SPARKPLUG_HOST_ID;
  }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly broker: BrokerService,
    private readonly sites: SiteService,
    private readonly storage: StorageService,
    private readonly alarms: AlarmService,
    private readonly latest: LatestValues,
    private readonly dataHealth: DataHealthService,
  ) {
    this.decodeOpts = { maxPayloadBytes: config.MAX_PAYLOAD_BYTES, maxFutureSkewMs: MAX_FUTURE_SKEW_MS, nowMs: 0 };
    this.sparkplug = new SparkplugHost(sites.index, {
      maxFutureSkewMs: MAX_FUTURE_SKEW_MS,
      rebirthRetryMs: SPARKPLUG_REBIRTH_RETRY_MS,
    });
    this.stateTopic = `spBv1.0/STATE/${config.SPARKPLUG_HOST_ID}`;
    alarms.addListener((event) => storage.pushAlarmEvent(event));
  }

  /** Connects once every module is initialised, so the embedded broker and the store are up first. */
  async onApplicationBootstrap(): Promise<void> {
    this.client = new MqttClient(
      {
        url: this.broker.url,
        clientId: this.config.MQTT_CLIENT_ID,
        ...this.broker.credentials,
        subscriptions: [TOPIC_SUBSCRIPTION, SPARKPLUG_SUBSCRIPTION],
        sliceMs: INGEST_SLICE_MS,
        will: { topic: this.stateTopic, payload: JSON.stringify({ online: false, timestamp: Date.now() }) },
      },
      {
        message: (topic, payload) => this.handle(topic, payload, Date.now()),
        // The spool's writes of the turn's messages, before their PUBACKs (DESIGN.md §5).
        beforeAck: () => this.storage.flushSpool(),
        connected: () => {
          this.logger.log(`MQTT connected`);
          // Sparkplug 3.0 primary host: retained STATE online after every (re)connect; the will says offline.
          void this.publish(this.stateTopic, JSON.stringify({ online: true, timestamp: Date.now() }), true);
        },
        disconnected: (reason) => this.logger.warn(`MQTT disconnected: ${reason}`),
      },
    );
    await this.client.connect();
    this.logger.log(`ingesting ${TOPIC_SUBSCRIPTION} from ${this.broker.describe()}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.client?.end();
  }

  /** One MQTT message. Never throws: whatever is wrong is dead-lettered with its reason. */
  handle(topic: string, payload: Buffer, nowMs: number): void {
    if (topic.startsWith('spBv1.0/')) {
      this.handleSparkplug(topic, payload, nowMs);
      return;
    }
    this.counters.messages++;
    try {
      const parsed = parseTopic(topic);
      if (!parsed) {
        this.deadLetters.record(
          topic,
          { reason: 'bad_topic', detail: 'expected hazard/v1/{enterpriseId}/{sourceId}/{telemetry|status}' },
          nowMs,
        );
        return;
      }
      if (parsed.kind === 'status') {
        this.handleStatus(topic, parsed, payload, nowMs);
        return;
      }
      this.decodeOpts.nowMs = nowMs;
      const result = decodeTelemetry(parsed, payload, this.sites.index, this.decodeOpts);
      for (const reject of result.rejects) this.deadLetters.record(topic, reject, nowMs);
      // A seq gap is information, not a reject: the points are kept either way (DESIGN.md §3).
      if (result.seq !== undefined) this.dataHealth.sequence(parsed.sourceId, result.seq, nowMs);
      this.acceptPoints(result.points, nowMs);
    } catch (err) {
      // A bug in a rule must not take ingestion down; it is counted and logged like bad input.
      this.deadLetters.record(
        topic,
        { reason: 'bad_envelope', detail: `internal error: ${(err as Error).message}` },
        nowMs,
      );
    }
  }

  private handleSparkplug(topic: string, payload: Buffer, nowMs: number): void {
    const parsed = parseSparkplugTopic(topic);
    if (parsed === 'state' || parsed?.type === 'NCMD' || parsed?.type === 'DCMD') {
      // Host states and commands (ours and other hosts'): not telemetry; counted with the Sparkplug messages only.
      this.sparkplug.counters.messages[parsed === 'state' ? 'STATE' : parsed.type]++;
      return;
    }
    this.counters.messages++;
    try {
      this.decodeSparkplug(topic, parsed, payload, nowMs);
    } catch (err) {
      this.deadLetters.record(
        topic,
        { reason: 'bad_envelope', detail: `internal error: ${(err as Error).message}` },
        nowMs,
      );
    }
  }

  private decodeSparkplug(topic: string, parsed: SpTopic | null, payload: Buffer, nowMs: number): void {
    if (!parsed) {
      this.deadLetters.record(
        topic,
        { reason: 'bad_topic', detail: 'expected spBv1.0/{group}/{N|D}{BIRTH|DEATH|DATA|CMD}/{edge}[/{device}]' },
        nowMs,
      );
      return;
    }
    if (payload.length > this.config.MAX_PAYLOAD_BYTES) {
      this.deadLetters.record(
        topic,
        { reason: 'oversize', detail: `${payload.length} bytes > ${this.config.MAX_PAYLOAD_BYTES}` },
        nowMs,
      );
      return;
    }
    let decoded: SpPayload;
    try {
      decoded = decodeSparkplug(payload);
    } catch (err) {
      this.deadLetters.record(topic, { reason: 'bad_protobuf', detail: (err as Error).message }, nowMs);
      return;
    }
    const result = this.sparkplug.handle(parsed, decoded, nowMs);
    for (const reject of result.rejects) this.deadLetters.record(topic, reject, nowMs);
    if (result.points.length > 0) this.acceptPoints(result.points, nowMs);
    if (result.stale) {
      this.dataHealth.markStale(result.stale.tags, result.stale.reason, nowMs);
      this.alarms.markStale(result.stale.tags, result.stale.reason, nowMs);
      this.logger.warn(`${result.stale.detail}: ${result.stale.tags.length} tags stale`);
    }
    for (const cmd of result.commands) {
      this.logger.warn(`Sparkplug rebirth requested: ${cmd.topic}`);
      void this.publish(cmd.topic, encodeSparkplug(cmd.payload), false);
    }
  }

  private async publish(topic: string, payload: string | Buffer, retain: boolean): Promise<void> {
    try {
      await this.client?.publish(topic, payload, retain);
    } catch (err) {
      this.logger.warn(`publish ${topic} failed: ${(err as Error).message}`);
    }
  }

  /**
   * The one sink of every decoder (JSON v1, Sparkplug B): valid points go to the write buffer and its disk spool
   * first, then to latest values and the rules, synchronously: the MQTT PUBACK follows this call (DESIGN.md §5).
   */
  acceptPoints(points: readonly SamplePoint[], nowMs: number): void {
    this.storage.pushPoints(points);
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      this.latest.update(p);
      this.alarms.evaluate(p, nowMs);
      this.dataHealth.seen(p, nowMs);
    }
    this.counters.points += points.length;
  }

  /** Retained gateway status (DESIGN.md §3); its receive time, not its `ts`, dates the change (a will is old). */
  private handleStatus(topic: string, parsed: ParsedTopic, payload: Buffer, nowMs: number): void {
    const known = this.sites.index.sources.get(parsed.sourceId);
    if (!known || known.enterprise.id !== parsed.enterpriseId) {
      this.deadLetters.record(
        topic,
        {
          reason: 'unknown_source',
          detail: `source ${parsed.enterpriseId}/${parsed.sourceId} is not in the site model`,
        },
        nowMs,
      );
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      this.deadLetters.record(topic, { reason: 'bad_status', detail: (err as Error).message }, nowMs);
      return;
    }
    const status = GatewayStatusSchema.safeParse(json);
    if (!status.success) {
      this.deadLetters.record(
        topic,
        { reason: 'bad_status', detail: status.error.issues.map((i) => i.message).join('; ') },
        nowMs,
      );
      return;
    }
    this.dataHealth.gatewayStatus(parsed.sourceId, status.data.online, nowMs);
    if (!status.data.online) this.alarms.markSourceStale(parsed.sourceId, nowMs);
  }

  health(): HealthResponse['broker'] {
    return {
      ...this.broker.health(this.client?.isConnected ?? false, this.client?.error),
      connection: this.client?.connection ?? new ConnectionHistory().snapshot(),
    };
  }
}
