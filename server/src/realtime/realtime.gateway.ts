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
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SnapshotEvent,
} from '../contracts';
import { AlarmService } from '../alarms/alarm.service';
import { RiskService } from '../risk/risk.service';
import { SiteService } from '../site/site.service';
import { LatestValues } from './latest-values';
import { StreamSequence } from './stream-sequence';

type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * The only socket.io surface of the server (STYLE.md). Snapshot on connect and on `resync`; every alarm
 * transition as it happens with its sequence number; latest values throttled (never raw points).
 * Handshake auth arrives with issue 5.
 */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE, cors: { origin: true }, transports: ['websocket', 'polling'] })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeGateway.name);
  @WebSocketServer() private nsp!: Namespace<ClientToServerEvents, ServerToClientEvents>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sites: SiteService,
    private readonly alarms: AlarmService,
    private readonly latest: LatestValues,
    private readonly sequence: StreamSequence,
    private readonly risk: RiskService,
  ) {}

  afterInit(): void {
    this.alarms.addListener((event) => this.nsp.emit('alarm', event));
    this.risk.addListener((event) => this.nsp.emit('risk', event));
    this.timer = setInterval(() => this.pushTelemetry(), this.config.REALTIME_TELEMETRY_MS);
    this.timer.unref();
  }

  handleConnection(client: RealtimeSocket): void {
    client.emit('snapshot', this.snapshot());
  }

  @SubscribeMessage('resync')
  resync(@ConnectedSocket() client: RealtimeSocket): void {
    client.emit('snapshot', this.snapshot());
  }

  snapshot(): SnapshotEvent {
    return {
      seq: this.sequence.current,
      serverTime: Date.now(),
      site: this.sites.site,
      activeAlarms: this.alarms.list('active'),
      latest: this.latest.all(),
      risk: this.risk.overview(),
    };
  }

  private pushTelemetry(): void {
    const values = this.latest.takeChanged();
    for (const _ in values) {
      this.nsp.emit('telemetry', { serverTime: Date.now(), values });
      return;
    }
  }

  get clientCount(): number {
    return this.nsp?.sockets.size ?? 0;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.logger.debug('realtime stopped');
  }
}
