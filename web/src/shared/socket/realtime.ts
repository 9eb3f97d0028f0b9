import { io, type Socket } from 'socket.io-client';
import type {
  AlarmEvent,
  ClientToServerEvents,
  ServerToClientEvents,
  SnapshotEvent,
  TelemetryEvent,
} from '@hazard/server/contracts';
import { config } from '../../config';

export interface RealtimeHandlers {
  connected(): void;
  disconnected(reason: string): void;
  snapshot(e: SnapshotEvent): void;
  alarm(e: AlarmEvent): void;
  telemetry(e: TelemetryEvent): void;
}

export interface RealtimeConnection {
  /** Asks the server for a fresh snapshot (after a sequence gap). */
  resync(): void;
  close(): void;
}

/**
 * The only socket.io-client import of the web app. Reconnects forever with backoff (a wall screen is never
 * touched); the server sends a snapshot on every (re)connect.
 */
export function connectRealtime(handlers: RealtimeHandlers): RealtimeConnection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
    `${config.serverOrigin}${config.realtimeNamespace}`,
    {
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
      timeout: 10_000,
    },
  );
  socket.on('connect', () => handlers.connected());
  socket.on('disconnect', (reason) => handlers.disconnected(reason));
  socket.on('connect_error', (err) => handlers.disconnected(err.message));
  socket.on('snapshot', (e) => handlers.snapshot(e));
  socket.on('alarm', (e) => handlers.alarm(e));
  socket.on('telemetry', (e) => handlers.telemetry(e));
  return {
    resync: () => {
      socket.emit('resync');
    },
    close: () => {
      socket.close();
    },
  };
}
