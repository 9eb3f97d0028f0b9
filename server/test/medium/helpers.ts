import mqtt from 'mqtt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { hashPassword } from '../../src/auth/password';
import { loadConfig } from '../../src/config/app-config';
import type {
  AlarmEvent,
  ClientToServerEvents,
  LoginResponse,
  Role,
  ServerToClientEvents,
  SnapshotEvent,
  TelemetryMessage,
} from '../../src/contracts';
import { telemetryTopic } from '../../src/contracts';
import { startServer, type RunningServer } from '../../src/server';

export const DEMO_SITE = resolve(__dirname, '../../../deploy/demo-site.yaml');

/** Password of every user the test server provisions (`viewer`, `operator`, `admin`, one per role). */
export const TEST_PASSWORD = 'medium-test-password';
export const TEST_ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export interface TestServer extends RunningServer {
  dataDir: string;
  /** A login token per role, for users named after their role (`viewer`, `operator`, `admin`). */
  tokens: Record<Role, string>;
  /** fetch of `path` (e.g. `/api/site`) with a role's token (`viewer` unless `as` says otherwise). */
  request(path: string, init?: RequestInit & { as?: Role | 'anonymous' }): Promise<Response>;
  stop(): Promise<void>;
}

/** Writes a users file with one user per role, all with TEST_PASSWORD (bcrypt cost 4: tests need no real cost). */
export async function writeTestUsers(file: string): Promise<void> {
  const passwordHash = await hashPassword(TEST_PASSWORD, 4);
  const users = TEST_ROLES.map((role) => ({ username: role, role, passwordHash }));
  writeFileSync(file, JSON.stringify({ users }, null, 2));
}

/** `POST /api/auth/login`; returns the response (status and parsed body) whatever the status. */
export async function login(
  httpUrl: string,
  username: string,
  password: string,
): Promise<{ status: number; body: LoginResponse & { message?: string }; retryAfter: string | null }> {
  const res = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as LoginResponse, retryAfter: res.headers.get('retry-after') };
}

let instance = 0;

/**
 * A whole server on free ports with its own data dir and users file (one user per role, logged in: `tokens`);
 * env overrides pick the broker and the store. A `DATA_DIR` given in `env` belongs to the caller (a restart on the
 * same data) and is kept when the server stops.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const ownDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hazard-medium-'));
  const usersFile = join(dataDir, 'users.json');
  await writeTestUsers(usersFile);
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
    USERS_FILE: usersFile,
    ...env,
  });
  const server = await startServer(config, { logger: false }).catch((err: unknown) => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const tokens = {} as Record<Role, string>;
  for (const role of TEST_ROLES) {
    const r = await login(server.httpUrl, role, TEST_PASSWORD);
    if (r.status !== 200) throw new Error(`test login as ${role} failed: ${r.status} ${r.body.message ?? ''}`);
    tokens[role] = r.body.token;
  }
  let stopped: Promise<void> | undefined;
  return {
    ...server,
    dataDir,
    tokens,
    request: (path, init = {}) => {
      const { as = 'viewer', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as !== 'anonymous') headers.set('authorization', `Bearer ${tokens[as]}`);
      if (rest.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${server.httpUrl}${path}`, { ...rest, headers });
    },
    /** Idempotent: a test may stop the server itself (e.g. to see the page go offline). */
    stop: () =>
      (stopped ??= (async () => {
        await server.close();
        if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

/** A realtime client that records what it receives; `token` goes into the handshake `auth` (DESIGN.md §3). */
export class RealtimeProbe {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly snapshots: SnapshotEvent[] = [];
  readonly alarms: { event: AlarmEvent; atMs: number }[] = [];
  /** Handshake refusals (`connect_error`), with the server's reason as message. */
  readonly refusals: (Error & { data?: unknown })[] = [];

  constructor(httpUrl: string, token: string | undefined) {
    this.socket = io(`${httpUrl}/realtime`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: token === undefined ? {} : { token },
    });
    this.socket.on('snapshot', (s) => this.snapshots.push(s));
    this.socket.on('alarm', (e) => this.alarms.push({ event: e, atMs: Date.now() }));
    this.socket.on('connect_error', (err) => this.refusals.push(err));
  }

  /** A probe of `server` with the token of `role`. */
  static of(server: TestServer, role: Role = 'viewer'): RealtimeProbe {
    return new RealtimeProbe(server.httpUrl, server.tokens[role]);
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
