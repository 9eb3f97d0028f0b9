import mqtt from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../src/config/app-config';
import type {
  AlarmEvent,
  ClientToServerEvents,
  ServerToClientEvents,
  SnapshotEvent,
  TelemetryMessage,
} from '../../src/contracts';
import { telemetryTopic } from '../../src/contracts';
import { startServer, type RunningServer } from '../../src/server';

export const DEMO_SITE = resolve(__dirname, '../../../deploy/demo-site.yaml');

export interface TestServer extends RunningServer {
  dataDir: string;
  stop(): Promise<void>;
}

let instance = 0;

/**
 * A whole server on free ports with its own data dir; env overrides pick the broker and the store. A `DATA_DIR`
 * given in `env` belongs to the caller (a restart on the same data) and is kept when the server stops.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const ownDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hazard-medium-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    MQTT_CLIENT_ID: `hazard-test-${process.pid}-${++instance}`,
    DATA_DIR: dataDir,
    SITE_FILE: DEMO_SITE,
    WEB_DIST: '',
    STORE_FLUSH_MS: '100',
    REALTIME_TELEMETRY_MS: '100',
    LOG_LEVEL: 'error',
    ...env,
  });
  const server = await startServer(config, { logger: false });
  let stopped: Promise<void> | undefined;
  return {
    ...server,
    dataDir,
    /** Idempotent: a test may stop the server itself (e.g. to see the page go offline). */
    stop: () =>
      (stopped ??= (async () => {
        await server.close();
        if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

/** A realtime client that records what it receives. */
export class RealtimeProbe {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly snapshots: SnapshotEvent[] = [];
  readonly alarms: { event: AlarmEvent; atMs: number }[] = [];

  constructor(httpUrl: string) {
    this.socket = io(`${httpUrl}/realtime`, { transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('snapshot', (s) => this.snapshots.push(s));
    this.socket.on('alarm', (e) => this.alarms.push({ event: e, atMs: Date.now() }));
  }

  async firstSnapshot(): Promise<SnapshotEvent> {
    await waitFor(() => this.snapshots.length > 0, 5000, 'snapshot on connect');
    return this.snapshots[0]!;
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls until `check` is true; fails naming what it waited for. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Publishes raw payloads at QoS 1 and waits for every PUBACK. */
export async function publishRaw(url: string, messages: { topic: string; payload: string | Buffer }[]): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId: `pub-${process.pid}-${Date.now()}`, reconnectPeriod: 0 });
  try {
    for (const m of messages) await client.publishAsync(m.topic, m.payload, { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** Publishes one JSON v1 message for the demo tank farm. */
export function publishTelemetry(
  url: string,
  message: TelemetryMessage,
  enterpriseId = 'bjpc',
  sourceId = 'tf01',
): Promise<void> {
  return publishRaw(url, [{ topic: telemetryTopic(enterpriseId, sourceId), payload: JSON.stringify(message) }]);
}
