import { randomBytes } from 'node:crypto';
import {
  statusTopic,
  telemetryTopic,
  type GatewayStatus,
  type TelemetryMessage,
  type TelemetryPoint,
} from '@hazard/server/contracts';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

/** Default wait for the broker's CONNACK, including retries of refused connections. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long a graceful end waits for outstanding PUBACKs before it drops the connection. */
const DEFAULT_END_TIMEOUT_MS = 5_000;
/** Pause between connection attempts, first and later. */
const RECONNECT_PERIOD_MS = 1_000;

/** One hazard source, as it appears in topics. */
export interface SourceRef {
  enterpriseId: string;
  sourceId: string;
}

/** What happened to the connection after it was first established. */
export type PublisherEvent =
  { type: 'connected' } | { type: 'offline' } | { type: 'reconnecting' } | { type: 'error'; message: string };

export interface PublisherOptions {
  /** Broker URL: mqtt://, mqtts://, ws://, wss:// or tcp://. */
  url: string;
  /** MQTT client id; default `hazard-sim-<8 hex digits>`. */
  clientId?: string;
  username?: string;
  password?: string;
  /** PEM CA certificate(s) for an mqtts:// or wss:// broker whose certificate a private CA signed. */
  ca?: Buffer;
  /** Give up when no connection is established within this time; default 10 s. */
  connectTimeoutMs?: number;
  /**
   * The source whose status topic carries this connection's last will (retained `{"online":false}`). MQTT allows
   * one will per connection, so a client that speaks for several sources can cover only one; real gateways are
   * one connection per source.
   */
  will?: SourceRef;
  /** Connection events after the first connect; errors are also reported here instead of being thrown. */
  onEvent?: (event: PublisherEvent) => void;
}

/** The broker could not be reached or refused the connection. */
export class BrokerUnreachableError extends Error {
  override name = 'BrokerUnreachableError';

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach MQTT broker at ${url}: ${reason}`);
  }
}

/** The URL as safe to print: a password in it is masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** A refusal carried in CONNACK (bad credentials, not authorised) has a numeric reason code; retrying cannot help. */
function isConnackRefusal(err: Error): boolean {
  return typeof (err as { code?: unknown }).code === 'number';
}

/**
 * Publishes the JSON v1 contract (DESIGN.md §3) over one MQTT connection: telemetry and gateway status at QoS 1.
 * The only place in the simulators that touches mqtt.js.
 */
export class JsonV1Publisher {
  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
  ) {}

  /** Connects, retrying refused connections until the timeout; rejects with BrokerUnreachableError. */
  static async connect(options: PublisherOptions): Promise<JsonV1Publisher> {
    const clientId = options.clientId ?? `hazard-sim-${randomBytes(4).toString('hex')}`;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const printableUrl = redactUrl(options.url);
    const mqttOptions: IClientOptions = {
      clientId,
      clean: true,
      connectTimeout: connectTimeoutMs,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
      ...(options.ca !== undefined && { ca: options.ca }),
      ...(options.will && {
        will: {
          topic: statusTopic(options.will.enterpriseId, options.will.sourceId),
          payload: Buffer.from(JSON.stringify({ online: false } satisfies GatewayStatus)),
          qos: 1,
          retain: true,
        },
      }),
    };
    let client: MqttClient;
    try {
      client = connect(options.url, mqttOptions);
    } catch (err) {
      throw new BrokerUnreachableError(printableUrl, (err as Error).message);
    }
    await new Promise<void>((resolve, reject) => {
      let lastError = 'no answer';
      const finish = (err?: BrokerUnreachableError): void => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onError);
        if (!err) return resolve();
        client.end(true);
        reject(err);
      };
      const onConnect = (): void => finish();
      const onError = (err: Error): void => {
        if (isConnackRefusal(err)) finish(new BrokerUnreachableError(printableUrl, err.message));
        else lastError = err.message;
      };
      const timer = setTimeout(
        () => finish(new BrokerUnreachableError(printableUrl, `${lastError} (gave up after ${connectTimeoutMs} ms)`)),
        connectTimeoutMs,
      );
      client.on('connect', onConnect);
      client.on('error', onError);
    });
    const onEvent = options.onEvent ?? (() => undefined);
    // An 'error' without a listener would crash the process; after the first connect mqtt.js reconnects by itself.
    client.on('error', (err) => onEvent({ type: 'error', message: err.message }));
    client.on('offline', () => onEvent({ type: 'offline' }));
    client.on('reconnect', () => onEvent({ type: 'reconnecting' }));
    client.on('connect', () => onEvent({ type: 'connected' }));
    return new JsonV1Publisher(client, clientId);
  }

  /** Whether the connection is up right now (publishes made while down are queued and sent on reconnect). */
  get connected(): boolean {
    return this.client.connected;
  }

  /** Publishes one telemetry message at QoS 1; resolves on PUBACK. */
  async publishTelemetry(source: SourceRef, message: TelemetryMessage): Promise<void> {
    await this.client.publishAsync(telemetryTopic(source.enterpriseId, source.sourceId), JSON.stringify(message), {
      qos: 1,
    });
  }

  /** Publishes a retained gateway status at QoS 1; resolves on PUBACK. */
  async publishStatus(source: SourceRef, status: GatewayStatus): Promise<void> {
    await this.client.publishAsync(statusTopic(source.enterpriseId, source.sourceId), JSON.stringify(status), {
      qos: 1,
      retain: true,
    });
  }

  /**
   * Drops the connection without DISCONNECT, as a gateway losing its network does: the broker publishes the last
   * will once it notices. No reconnect.
   */
  kill(): void {
    this.client.options.reconnectPeriod = 0;
    this.client.stream.destroy();
    this.client.end(true);
  }

  /**
   * Disconnects cleanly (no last will), after outstanding publishes are acknowledged or `timeoutMs` has passed,
   * whichever comes first.
   */
  async end(timeoutMs = DEFAULT_END_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.client.endAsync().then(() => 'ended' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.client.endAsync(true);
  }
}

/** Options of `publishPoints`. */
export interface PublishPointsOptions {
  /** Message timestamp, epoch ms; default now. */
  ts?: number;
  /** Sequence number; omitted by default. */
  seq?: number;
  clientId?: string;
  username?: string;
  password?: string;
  connectTimeoutMs?: number;
}

/**
 * Connects, publishes one JSON v1 telemetry message at QoS 1, waits for its PUBACK and disconnects. For tests and
 * scripts ("the simulator publishes a HIHI value"). Points are sent as given, so a test can also send values the
 * server must reject.
 */
export async function publishPoints(
  url: string,
  enterpriseId: string,
  sourceId: string,
  points: TelemetryPoint[],
  options: PublishPointsOptions = {},
): Promise<void> {
  const { ts = Date.now(), seq, ...connection } = options;
  const publisher = await JsonV1Publisher.connect({ url, ...connection });
  try {
    await publisher.publishTelemetry(
      { enterpriseId, sourceId },
      seq === undefined ? { ts, points } : { ts, seq, points },
    );
  } finally {
    await publisher.end();
  }
}
