import { io, type Socket } from 'socket.io-client';
import type {
  AlarmEvent,
  ClientToServerEvents,
  RiskEvent,
  RealtimeAuth,
  RealtimeAuthErrorData,
  ServerToClientEvents,
  SnapshotEvent,
  TelemetryEvent,
} from '@hazard/server/contracts';
import { config } from '../../config';

/** Callbacks of one realtime connection; every server event and every connection change arrives here. */
export interface RealtimeHandlers {
  connected(): void;
  disconnected(reason: string): void;
  /** The server refused the handshake's token; `message` says why (expired, invalid, user removed). */
  refused(message: string): void;
  snapshot(e: SnapshotEvent): void;
  alarm(e: AlarmEvent): void;
  risk(e: RiskEvent): void;
  telemetry(e: TelemetryEvent): void;
}

export interface RealtimeConnection {
  /** Asks the server for a fresh snapshot (after a sequence gap). */
  resync(): void;
  close(): void;
}

/** How a feed opens a connection; the wall feed takes it as a parameter so that its logic is testable. */
export type ConnectRealtime = (handlers: RealtimeHandlers) => RealtimeConnection;

/**
 * The only socket.io-client import of the web app. Reconnects forever with capped backoff (a wall screen is never
 * touched); the server sends a snapshot on every (re)connect. The handshake `auth` carries the token `getToken`
 * gives at each attempt (DESIGN.md §3), so a new login or kiosk token applies at the next reconnect.
 */
export const realtimeConnector =
  (getToken: () => string | null): ConnectRealtime =>
  (handlers) =>
    open(handlers, getToken);

function open(handlers: RealtimeHandlers, getToken: () => string | null): RealtimeConnection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
    `${config.serverOrigin}${config.realtimeNamespace}`,
    {
      transports: ['websocket'],
      auth: (cb) => cb({ token: getToken() ?? '' } satisfies RealtimeAuth),
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1000,
      reconnectionDelayMax: config.reconnectAfterRefusalMs,
      timeout: 10_000,
    },
  );
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /**
   * socket.io-client gives up by itself when the server disconnects the socket or its middleware refuses the
   * handshake (`socket.active` false); a wall screen must not, so it tries again after the longest backoff.
   */
  const reconnectIfAbandoned = (): void => {
    if (closed || socket.active || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (!closed && !socket.connected) socket.connect();
    }, config.reconnectAfterRefusalMs);
  };
  socket.on('connect', () => handlers.connected());
  socket.on('disconnect', (reason) => {
    handlers.disconnected(reason);
    reconnectIfAbandoned();
  });
  socket.on('connect_error', (err: Error & { data?: Partial<RealtimeAuthErrorData> }) => {
    if (err.data?.code === 'unauthorized') handlers.refused(err.message);
    handlers.disconnected(err.message);
    reconnectIfAbandoned();
  });
  socket.on('snapshot', (e) => handlers.snapshot(e));
  socket.on('alarm', (e) => handlers.alarm(e));
  socket.on('risk', (e) => handlers.risk(e));
  socket.on('telemetry', (e) => handlers.telemetry(e));
  return {
    resync: () => {
      socket.emit('resync');
    },
    close: () => {
      closed = true;
      clearTimeout(retry);
      socket.close();
    },
  };
}
