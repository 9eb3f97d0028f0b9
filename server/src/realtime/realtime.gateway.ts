import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  SubscribeMessage,
  ConnectedSocket,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import {
  REALTIME_NAMESPACE,
  type AlarmEvent,
  type AuthUser,
  type ClientToServerEvents,
  type RealtimeAuthErrorData,
  type ServerToClientEvents,
  type SnapshotEvent,
} from '../contracts';
import { AlarmService } from '../alarms/alarm.service';
import { RiskService } from '../risk/risk.service';
import { AuthService } from '../auth/auth.service';
import { SiteService } from '../site/site.service';
import { coalesceFrames } from './frame-coalescing';
import { LatestValues } from './latest-values';
import { StreamSequence } from './stream-sequence';

/** What the handshake established, kept on the socket. */
interface SocketData {
  user: AuthUser;
  expiresAtMs: number;
}
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Most values in one `telemetry` event. A 20,000-tag park changes about 10,000 values per push; encoded in one piece
 * that is 20–40 ms of one task, during which MQTT messages wait (the soak bench's event-loop delay p99 was 29.6 ms
 * with the push 53 % of the long tasks' time). In events of this size, each its own macrotask, the encoding of one
 * piece costs a few ms and ingestion goes on between them; screens merge the values of every event.
 */
const TELEMETRY_VALUES_PER_EVENT = 1000;

/** setTimeout's longest delay (about 24.8 days); a longer-lived kiosk token is re-checked when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The only socket.io surface of the server (STYLE.md). Snapshot on connect and on `resync`; every alarm
 * transition as it happens with its sequence number; latest values throttled (never raw points).
 * The handshake needs a valid token in `auth.token` (DESIGN.md §3): a refusal reaches the client as `connect_error`
 * with the reason as its message and `data.code` `unauthorized`; a socket whose token expires is disconnected.
 */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE, cors: { origin: true }, transports: ['websocket', 'polling'] })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeGateway.name);
  @WebSocketServer() private nsp!: Namespace<
    ClientToServerEvents,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >;
  private timer: NodeJS.Timeout | undefined;
  /** A push is still sending its pieces. */
  private pushing = false;
  /** Alarm events of the current window, in `seq` order, not yet sent. */
  private pendingAlarms: AlarmEvent[] = [];
  private alarmFlushScheduled = false;
  /** When alarm events were last sent (performance clock, ms). */
  private lastAlarmFlushAtMs = Number.NEGATIVE_INFINITY;
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sites: SiteService,
    private readonly alarms: AlarmService,
    private readonly latest: LatestValues,
    private readonly sequence: StreamSequence,
    private readonly risk: RiskService,
    private readonly auth: AuthService,
  ) {}

  afterInit(): void {
    this.nsp.use((socket, next) => {
      const check = this.auth.authenticate(handshakeToken(socket.handshake.auth), Date.now());
      if (!check.ok) {
        next(
          Object.assign(new Error(check.message), { data: { code: 'unauthorized' } satisfies RealtimeAuthErrorData }),
        );
        return;
      }
      socket.data = { user: check.user, expiresAtMs: check.expiresAtMs };
      // Whatever is pending goes to the screens already connected, before this one joins and takes its snapshot.
      this.flushAlarms();
      next();
    });
    this.alarms.addListener((event) => this.queueAlarm(event));
    this.risk.addListener((event) => this.nsp.emit('risk', event));
    this.timer = setInterval(() => this.pushTelemetry(), this.config.REALTIME_TELEMETRY_MS);
    this.timer.unref();
  }

  handleConnection(client: RealtimeSocket): void {
    coalesceFrames(client.conn);
    this.expireAt(client, client.data.expiresAtMs);
    client.once('disconnect', () => {
      clearTimeout(this.expiryTimers.get(client.id));
      this.expiryTimers.delete(client.id);
    });
    client.emit('snapshot', this.snapshot());
  }

  @SubscribeMessage('resync')
  resync(@ConnectedSocket() client: RealtimeSocket): void {
    client.emit('snapshot', this.snapshot());
  }

  /** Also sends the pending alarm events first, so that the snapshot's `seq` never runs ahead of what was sent. */
  snapshot(): SnapshotEvent {
    this.flushAlarms();
    return {
      seq: this.sequence.current,
      serverTime: Date.now(),
      site: this.sites.site,
      activeAlarms: this.alarms.list('active'),
      latest: this.latest.all(),
      risk: this.risk.overview(),
    };
  }

  /**
   * With many screens, the first alarm event after a quiet REALTIME_ALARM_WINDOW_MS goes out at once (after the
   * current burst of transitions); later ones wait for the end of the window and go together, in order. With few,
   * each goes at once (unless a window is still open: order first).
   */
  private queueAlarm(event: AlarmEvent): void {
    const windowMs = this.config.REALTIME_ALARM_WINDOW_MS;
    if (
      windowMs === 0 ||
      (this.clientCount < this.config.REALTIME_ALARM_WINDOW_MIN_CLIENTS && !this.alarmFlushScheduled)
    ) {
      this.nsp.emit('alarm', event);
      return;
    }
    this.pendingAlarms.push(event);
    if (this.alarmFlushScheduled) return;
    this.alarmFlushScheduled = true;
    const waitMs = this.lastAlarmFlushAtMs + windowMs - performance.now();
    if (waitMs <= 0) setImmediate(() => this.flushAlarms());
    else setTimeout(() => this.flushAlarms(), waitMs).unref();
  }

  private flushAlarms(): void {
    this.alarmFlushScheduled = false;
    if (this.pendingAlarms.length === 0) return;
    const events = this.pendingAlarms;
    this.pendingAlarms = [];
    this.lastAlarmFlushAtMs = performance.now();
    for (const e of events) this.nsp.emit('alarm', e);
  }

  /** Changed values to every screen, in pieces of TELEMETRY_VALUES_PER_EVENT with the event loop free between them. */
  private pushTelemetry(): void {
    if (this.pushing) return;
    if (this.clientCount === 0) {
      // Nobody to tell: socket.io would still encode the event. A screen that connects gets everything in its snapshot.
      this.latest.discardChanged();
      return;
    }
    // What changed up to now; later changes wait for the next interval, so a push always ends.
    let pieces = Math.ceil(this.latest.changedCount / TELEMETRY_VALUES_PER_EVENT);
    const step = (): void => {
      const values = this.latest.takeChanged(TELEMETRY_VALUES_PER_EVENT);
      for (const _ in values) {
        this.nsp.emit('telemetry', { serverTime: Date.now(), values });
        break;
      }
      this.pushing = --pieces > 0 && this.clientCount > 0;
      if (this.pushing) setImmediate(step);
    };
    step();
  }

  /** Disconnects the socket when its token expires; its reconnect then meets the handshake check. */
  private expireAt(client: RealtimeSocket, expiresAtMs: number): void {
    const waitMs = expiresAtMs - Date.now();
    if (waitMs <= 0) {
      client.disconnect(true);
      return;
    }
    const timer = setTimeout(() => this.expireAt(client, expiresAtMs), Math.min(waitMs, MAX_TIMER_MS));
    timer.unref();
    this.expiryTimers.set(client.id, timer);
  }

  get clientCount(): number {
    return this.nsp?.sockets.size ?? 0;
  }

  onApplicationShutdown(): void {
    this.flushAlarms();
    if (this.timer) clearInterval(this.timer);
    for (const t of this.expiryTimers.values()) clearTimeout(t);
    this.expiryTimers.clear();
    this.logger.debug('realtime stopped');
  }
}

/** `auth.token` of a handshake; whatever a client sends there (null, a string, nested junk) is never a crash. */
function handshakeToken(auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const token: unknown = (auth as Record<string, unknown>).token;
  return typeof token === 'string' ? token : undefined;
}
