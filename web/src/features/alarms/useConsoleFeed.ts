import { onBeforeUnmount, onMounted } from 'vue';
import type { Alarm } from '@hazard/server/contracts';
import { config } from '../../config';
import type { ApiResult } from '../../shared/http/api';
import { realtimeConnector, type ConnectRealtime, type RealtimeConnection } from '../../shared/socket/realtime';
import { currentToken } from '../auth/auth.store';
import { listAlarms } from './alarms.api';
import {
  applyAlarmEvent,
  applyAlarmList,
  applySnapshot,
  consoleState,
  resyncDue,
  setAlarmListError,
  setConnected,
  setRefused,
  type ConsoleState,
} from './alarms.store';

export interface ConsoleFeed {
  /** Asks for a resync if one is due (called on a gap and on every tick, so a lost request is repeated). */
  tick(nowMs: number): void;
  close(): void;
}

/**
 * Feeds the console from the realtime stream (the app's one socket adapter) and, after each snapshot, from
 * `GET /api/alarms?state=all` for the shelved, suppressed and out-of-service alarms the snapshot leaves out.
 * Connection, list loader and clock are parameters so that the logic runs in unit tests.
 */
export function startConsoleFeed(
  state: ConsoleState,
  connect: ConnectRealtime,
  loadAll: () => Promise<ApiResult<Alarm[]>>,
  clock: () => number,
  retryMs: number = config.resyncRetryMs,
): ConsoleFeed {
  let conn: RealtimeConnection | undefined = undefined;
  let closed = false;
  /** Counts snapshots: a list answer that a newer snapshot overtook is dropped (it may predate closures). */
  let generation = 0;
  const tick = (nowMs: number): void => {
    if (!conn || !resyncDue(state, nowMs, retryMs)) return;
    state.resyncRequestedAtMs = nowMs;
    conn.resync();
  };
  const reloadHidden = async (): Promise<void> => {
    const mine = ++generation;
    const r = await loadAll();
    if (closed || mine !== generation) return;
    if (r.ok) applyAlarmList(state, r.body);
    else setAlarmListError(state, r.message);
  };
  conn = connect({
    connected: () => setConnected(state, true),
    disconnected: () => setConnected(state, false),
    refused: (message) => setRefused(state, message),
    snapshot: (e) => {
      applySnapshot(state, e);
      void reloadHidden();
    },
    alarm: (e) => {
      if (applyAlarmEvent(state, e) === 'gap') tick(clock());
    },
    risk: () => undefined,
    telemetry: () => undefined,
  });
  return {
    tick,
    close: () => {
      closed = true;
      conn?.close();
    },
  };
}

/** Connects the app's console state to the stream for the lifetime of the calling component. */
export function useConsoleFeed(): void {
  let feed: ConsoleFeed | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    feed = startConsoleFeed(
      consoleState,
      realtimeConnector(currentToken),
      () => listAlarms(currentToken(), 'all'),
      Date.now,
    );
    timer = setInterval(() => feed?.tick(Date.now()), config.badgeTickMs);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    feed?.close();
  });
}
