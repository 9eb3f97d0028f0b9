import { onBeforeUnmount, onMounted } from 'vue';
import { config } from '../../config';
import { realtimeConnector, type ConnectRealtime, type RealtimeConnection } from '../../shared/socket/realtime';
import { currentToken } from '../auth/auth.store';
import {
  applyAlarmEvent,
  applyRiskEvent,
  applySnapshot,
  applyTelemetry,
  resyncDue,
  setConnected,
  setRefused,
  wallState,
  type WallState,
} from './wall.store';

export interface WallFeed {
  /** Asks for a resync if one is due (called on a gap and on every tick, so a lost request is repeated). */
  tick(nowMs: number): void;
  close(): void;
}

/**
 * Feeds the wall state from the realtime stream. The connection and the clock are parameters so that the resync
 * logic runs in unit tests against a fake connection.
 */
export function startWallFeed(
  state: WallState,
  connect: ConnectRealtime,
  clock: () => number,
  retryMs: number = config.resyncRetryMs,
): WallFeed {
  // Assigned after connect() returns: a handler firing during connect() finds no connection yet and waits for the tick.
  let conn: RealtimeConnection | undefined = undefined;
  const tick = (nowMs: number): void => {
    if (!conn || !resyncDue(state, nowMs, retryMs)) return;
    state.resyncRequestedAtMs = nowMs;
    conn.resync();
  };
  conn = connect({
    connected: () => setConnected(state, true),
    disconnected: () => setConnected(state, false),
    refused: (message) => setRefused(state, message),
    snapshot: (e) => applySnapshot(state, e, clock()),
    alarm: (e) => {
      if (applyAlarmEvent(state, e) === 'gap') tick(clock());
    },
    risk: (e) => {
      if (applyRiskEvent(state, e) === 'gap') tick(clock());
    },
    telemetry: (e) => applyTelemetry(state, e, clock()),
  });
  return { tick, close: () => conn?.close() };
}

/** Connects the app's wall state to the realtime stream for the lifetime of the calling component. */
export function useWallFeed(): void {
  let feed: WallFeed | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    feed = startWallFeed(wallState, realtimeConnector(currentToken), Date.now);
    timer = setInterval(() => feed?.tick(Date.now()), config.badgeTickMs);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    feed?.close();
  });
}
