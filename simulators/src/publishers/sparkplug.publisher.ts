import { randomBytes } from 'node:crypto';
import type { PointValue } from '@hazard/server/contracts';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { get } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { BrokerUnreachableError, DEFAULT_CONNECT_TIMEOUT_MS, redactUrl } from './json-v1.publisher';
import { metricValue, type SparkplugMetricDef, type SparkplugNodeMap } from './sparkplug.mapping';

const codec = get('spBv1.0')!;
const REBIRTH = 'Node Control/Rebirth';

export interface SparkplugEdgeOptions {
  url: string;
  node: SparkplugNodeMap;
  /**
   * Primary host id: the node waits for `spBv1.0/STATE/{hostId}` online before its birth, stops publishing while
   * the host is offline, and births again when it returns (Sparkplug 3.0 §5.4). Default: do not wait for a host.
   */
  primaryHostId?: string;
  clientId?: string;
  username?: string;
  password?: string;
  /** PEM CA for mqtts:// brokers with a private CA. */
  ca?: Buffer;
  connectTimeoutMs?: number;
  /** Events worth a log line (births, rebirth requests, host state). */
  onEvent?: (line: string) => void;
}

/**
 * A Sparkplug B edge node speaking for one hazard source (Eclipse Sparkplug 3.0): NDEATH with its `bdSeq` as the
 * MQTT last will, NBIRTH and one DBIRTH per device with names and aliases, NDATA/DDATA by alias only, `seq` 0–255
 * over every message of the session, rebirth on `NCMD Node Control/Rebirth`, and the primary host's STATE obeyed.
 * One MQTT connection per edge node, as real gateways do.
 */
export class SparkplugEdgeNode {
  private seq = 0;
  private bdSeq: number;
  private born = false;
  private hostOnline: boolean;
  private readonly last = new Map<string, PointValue>();
  /** Births published (the first and every rebirth), for tests and the log. */
  births = 0;
  rebirthRequests = 0;

  private constructor(
    private client: MqttClient,
    private readonly options: SparkplugEdgeOptions,
    bdSeq: number,
  ) {
    this.bdSeq = bdSeq;
    this.hostOnline = options.primaryHostId === undefined;
  }

  static async connect(options: SparkplugEdgeOptions, bdSeq = 0): Promise<SparkplugEdgeNode> {
    const { node } = options;
    const clientId = options.clientId ?? `hazard-sim-sp-${node.edgeNodeId}-${randomBytes(3).toString('hex')}`;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const mqttOptions: IClientOptions = {
      clientId,
      clean: true,
      connectTimeout: timeoutMs,
      reconnectPeriod: 0,
      ...(options.username !== undefined && { username: options.username }),
      ...(options.password !== undefined && { password: options.password }),
      ...(options.ca !== undefined && { ca: options.ca }),
      will: {
        topic: `spBv1.0/${node.groupId}/NDEATH/${node.edgeNodeId}`,
        payload: Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [bdSeqMetric(bdSeq)] })),
        qos: 1,
        retain: false,
      },
    };
    const client = connect(options.url, mqttOptions);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no answer (gave up after ${timeoutMs} ms)`), timeoutMs);
      const fail = (reason: string): void => {
        clearTimeout(timer);
        client.end(true);
        reject(new BrokerUnreachableError(redactUrl(options.url), reason));
      };
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('error', (err) => fail(err.message));
    });
    const edge = new SparkplugEdgeNode(client, options, bdSeq);
    client.on('error', (err) => options.onEvent?.(`sparkplug ${node.edgeNodeId}: ${err.message}`));
    client.on('message', (topic, payload) => edge.onMessage(topic, payload));
    const subscriptions = [`spBv1.0/${node.groupId}/NCMD/${node.edgeNodeId}`];
    if (options.primaryHostId) subscriptions.push(`spBv1.0/STATE/${options.primaryHostId}`);
    await client.subscribeAsync(subscriptions, { qos: 1 });
    return edge;
  }

  /** The node's session number, carried by NBIRTH and by the NDEATH will. */
  get sessionBdSeq(): number {
    return this.bdSeq;
  }

  get online(): boolean {
    return this.born;
  }

  /**
   * The latest values of the source's tags at `tsMs`: births first if due, then NDATA / DDATA by alias. Tags
   * without a metric are ignored. While the primary host is offline nothing is published.
   */
  async publish(values: ReadonlyMap<string, PointValue>, tsMs: number): Promise<void> {
    for (const [tag, v] of values) if (this.options.node.byTag.has(tag)) this.last.set(tag, v);
    if (!this.hostOnline) return;
    if (!this.born) return this.birth(tsMs);
    const { node } = this.options;
    const sends: Promise<unknown>[] = [];
    const nodeMetrics = byAlias(node.nodeMetrics, values, tsMs);
    if (nodeMetrics.length > 0) sends.push(this.send('NDATA', undefined, { timestamp: tsMs, metrics: nodeMetrics }));
    for (const [deviceId, metrics] of node.devices) {
      const m = byAlias(metrics, values, tsMs);
      if (m.length > 0) sends.push(this.send('DDATA', deviceId, { timestamp: tsMs, metrics: m }));
    }
    await Promise.all(sends);
  }

  /** Skips one `seq` (a lost message, for tests of the host's gap detection). */
  skipSeq(): void {
    this.seq = (this.seq + 1) % 256;
  }

  /** Graceful stop: NDEATH with the session's bdSeq, then disconnect. */
  async stop(): Promise<void> {
    const { node } = this.options;
    await this.client.publishAsync(
      `spBv1.0/${node.groupId}/NDEATH/${node.edgeNodeId}`,
      Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [bdSeqMetric(this.bdSeq)] })),
      { qos: 1 },
    );
    await this.client.endAsync();
  }

  /** Drops the connection without a word: the broker publishes the NDEATH will (a gateway losing power). */
  kill(): void {
    this.client.stream.destroy();
    this.client.end(true);
  }

  private async birth(tsMs: number): Promise<void> {
    const { node } = this.options;
    this.seq = 0;
    this.born = true;
    this.births++;
    const metrics: UMetric[] = [
      bdSeqMetric(this.bdSeq),
      { name: REBIRTH, type: 'Boolean', value: false },
      ...node.nodeMetrics.flatMap((m) => birthMetric(m, this.last.get(m.tag), tsMs)),
    ];
    await this.send('NBIRTH', undefined, { timestamp: tsMs, metrics });
    for (const [deviceId, list] of node.devices) {
      await this.send('DBIRTH', deviceId, {
        timestamp: tsMs,
        metrics: list.flatMap((m) => birthMetric(m, this.last.get(m.tag), tsMs)),
      });
    }
    this.options.onEvent?.(`sparkplug ${node.groupId}/${node.edgeNodeId}: birth #${this.births} (bdSeq ${this.bdSeq})`);
  }

  private send(type: string, deviceId: string | undefined, payload: UPayload): Promise<unknown> {
    const { node } = this.options;
    const topic = `spBv1.0/${node.groupId}/${type}/${node.edgeNodeId}${deviceId ? `/${deviceId}` : ''}`;
    // NBIRTH carries seq 0; every later message of the session takes the next number mod 256 (§6.4.19).
    const seq = type === 'NBIRTH' ? 0 : (this.seq = (this.seq + 1) % 256);
    return this.client.publishAsync(topic, Buffer.from(codec.encodePayload({ ...payload, seq })), { qos: 0 });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const { node, primaryHostId } = this.options;
    if (primaryHostId && topic === `spBv1.0/STATE/${primaryHostId}`) {
      let online = false;
      try {
        online = (JSON.parse(payload.toString()) as { online?: unknown }).online === true;
      } catch {
        return;
      }
      this.options.onEvent?.(
        `sparkplug ${node.edgeNodeId}: primary host ${primaryHostId} ${online ? 'online' : 'offline'}`,
      );
      // A host that comes (back) online gets a fresh birth: it may have lost our aliases (§5.4).
      if (online && !this.hostOnline) this.born = false;
      this.hostOnline = online;
      return;
    }
    let decoded: UPayload;
    try {
      decoded = codec.decodePayload(payload);
    } catch {
      return;
    }
    const rebirth = decoded.metrics?.some((m) => m.name === REBIRTH && m.value === true);
    if (rebirth) {
      this.rebirthRequests++;
      this.options.onEvent?.(`sparkplug ${node.edgeNodeId}: rebirth requested by the host`);
      this.born = false;
      if (this.hostOnline) void this.birth(Date.now()).catch(() => undefined);
    }
  }
}

function bdSeqMetric(bdSeq: number): UMetric {
  return { name: 'bdSeq', type: 'Int64', value: bdSeq };
}

function birthMetric(m: SparkplugMetricDef, v: PointValue | undefined, tsMs: number): UMetric[] {
  if (v === undefined)
    return [{ name: m.name, alias: m.alias, type: m.datatype, isNull: true, value: null, timestamp: tsMs } as UMetric];
  return [{ name: m.name, alias: m.alias, type: m.datatype, value: metricValue(m, v), timestamp: tsMs }];
}

function byAlias(
  metrics: readonly SparkplugMetricDef[],
  values: ReadonlyMap<string, PointValue>,
  tsMs: number,
): UMetric[] {
  const out: UMetric[] = [];
  for (const m of metrics) {
    const v = values.get(m.tag);
    if (v !== undefined)
      out.push({ alias: m.alias, type: m.datatype, value: metricValue(m, v), timestamp: tsMs } as UMetric);
  }
  return out;
}
