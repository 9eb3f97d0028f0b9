import mqtt, { type MqttClient as RawClient } from 'mqtt';
import { performance } from 'node:perf_hooks';
import type { BrokerConnection } from '../contracts';
import { ConnectionHistory } from './connection-history';

export interface MqttClientOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Topics subscribed at QoS 1 (re-subscribed by the broker's persistent session after reconnects). */
  subscriptions: string[];
  /** Last will (Sparkplug host STATE offline), retained at QoS 1. */
  will?: { topic: string; payload: string };
  /**
   * Messages are handled for at most about this long before the event loop gets a turn (timers, socket.io, HTTP),
   * even when one socket read holds many of them; 0: never yield. The event-loop delay target is 20 ms (issue 8).
   */
  sliceMs?: number;
}

export interface MqttClientEvents {
  message: (topic: string, payload: Buffer) => void;
  /**
   * Called once per turn of messages, before their PUBACKs leave: whatever must be durable before the broker is told
   * we have the messages (the spool's batched writes) is written here. It reports its own failures and must not
   * throw; the PUBACKs go anyway, as they would after a failed spool append (the points are held in memory).
   */
  beforeAck?: () => void;
  connected: () => void;
  disconnected: (reason: string) => void;
}

/**
 * The only place that imports `mqtt` on the server (STYLE.md). Persistent session (clean=false, fixed client
 * id) at QoS 1, so messages published while the server is down are delivered when it returns (DESIGN.md §5).
 */
export class MqttClient {
  private client: RawClient | undefined;
  private connected = false;
  private lastError: string | undefined;
  private readonly history = new ConnectionHistory();
  /** A turn of messages is open: the socket is corked and its end is scheduled (see `openTurn`). */
  private turnOpen = false;
  private turnStartedMs = 0;

  constructor(
    private readonly opts: MqttClientOptions,
    private readonly on: MqttClientEvents,
  ) {}

  get isConnected(): boolean {
    return this.connected;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** Outages so far: mqtt.js reconnects by itself every `reconnectPeriod`; this records when and for how long. */
  get connection(): BrokerConnection {
    return this.history.snapshot();
  }

  /** Connects and subscribes; resolves on the first successful subscription, rejects after `timeoutMs`. */
  connect(timeoutMs = 15_000): Promise<void> {
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId,
      clean: false,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      username: this.opts.username,
      password: this.opts.password,
      resubscribe: true,
      ...(this.opts.will
        ? { will: { topic: this.opts.will.topic, payload: Buffer.from(this.opts.will.payload), qos: 1, retain: true } }
        : {}),
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      if (!this.turnOpen) this.openTurn(client);
      this.on.message(topic, payload);
    });
    // mqtt.js handles the next packet (and, for QoS 1, sends this one's PUBACK) once `done` is called; deferring it
    // to setImmediate lets the event loop run between the messages of one socket read.
    const sliceMs = this.opts.sliceMs ?? 0;
    client.handleMessage = (_packet, done) => {
      if (sliceMs > 0 && this.turnOpen && performance.now() - this.turnStartedMs >= sliceMs) setImmediate(done);
      else done();
    };
    client.on('error', (err) => {
      this.lastError = err.message;
    });
    client.on('close', () => {
      if (this.connected) this.on.disconnected(this.lastError ?? 'connection closed');
      this.connected = false;
      this.history.down(Date.now());
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `cannot reach MQTT broker at ${this.opts.url} within ${timeoutMs} ms: ${this.lastError ?? 'no answer'}`,
          ),
        );
      }, timeoutMs);
      let first = true;
      client.on('connect', (connack) => {
        // PUBACKs are a few bytes each: without this, Nagle's algorithm holds them back while an earlier segment is
        // unacknowledged, and the broker's window of unacknowledged messages to us stays full meanwhile.
        const stream = client.stream as { setNoDelay?: (noDelay: boolean) => void };
        stream.setNoDelay?.(true);
        this.connected = true;
        this.lastError = undefined;
        this.history.up(Date.now());
        this.on.connected();
        // A resumed session already holds our subscriptions; subscribe anyway: it is idempotent and covers new topics.
        if (connack.sessionPresent && !first) return;
        client.subscribe(this.opts.subscriptions, { qos: 1 }, (err) => {
          if (!first) return;
          first = false;
          clearTimeout(timer);
          if (err) reject(new Error(`MQTT subscribe failed on ${this.opts.url}: ${err.message}`));
          else resolve();
        });
      });
    });
  }

  /**
   * The first message of a turn corks the socket, so the PUBACKs of the turn wait in memory; at the end of the turn
   * (setImmediate: after every message of the reads of this poll phase) `beforeAck` makes their data durable and the
   * PUBACKs leave together, in one write. A crash in between loses nothing: the broker was not told, and redelivers.
   */
  private openTurn(client: RawClient): void {
    this.turnOpen = true;
    this.turnStartedMs = performance.now();
    const stream = client.stream;
    stream.cork();
    setImmediate(() => {
      this.turnOpen = false;
      try {
        this.on.beforeAck?.();
      } catch (err) {
        this.lastError = `before PUBACK: ${(err as Error).message}`;
      }
      stream.uncork();
    });
  }

  /** Publishes at QoS 1 (Sparkplug host STATE, rebirth commands). */
  publish(topic: string, payload: string | Buffer, retain = false): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('MQTT client not started'));
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve()));
    });
  }

  async end(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    if (client) await client.endAsync();
  }
}
