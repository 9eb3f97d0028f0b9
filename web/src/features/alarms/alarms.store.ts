import { reactive } from 'vue';
import type { Alarm, AlarmEvent, SiteModel, SnapshotEvent } from '@hazard/server/contracts';

/**
 * What the duty console holds. Alarm points are kept by key with their latest known state, including points that
 * closed (state normal, no overlay) so that a late REST answer cannot bring back an alarm the stream already closed;
 * the views pick what belongs on each list (alarms.model.ts).
 */
export interface ConsoleState {
  site: SiteModel | null;
  /** Sequence number of the last applied snapshot or alarm event; -1 before the first snapshot. */
  seq: number;
  /** Alarm points by key (`LIA-101:hi`), latest known state. */
  points: Record<string, Alarm>;
  connected: boolean;
  /** Why the server refused the token; null while it accepts it. */
  refusal: string | null;
  /** A sequence gap was seen: the lists are incomplete until the next snapshot (DESIGN.md §3). */
  outOfSync: boolean;
  resyncRequestedAtMs: number | null;
  /**
   * The snapshot carries only annunciated alarms; the shelved, suppressed and out-of-service ones come from
   * `GET /api/alarms?state=all` after each snapshot. True until that answer arrives.
   */
  hiddenListsLoading: boolean;
  /** Why loading the hidden lists failed (shown on their tabs), or null. */
  hiddenListsError: string | null;
}

export function initialConsoleState(): ConsoleState {
  return {
    site: null,
    seq: -1,
    points: {},
    connected: false,
    refusal: null,
    outOfSync: false,
    resyncRequestedAtMs: null,
    hiddenListsLoading: false,
    hiddenListsError: null,
  };
}

/** Keeps the newer of two states of one point (by `updatedAt`; on a tie the one given last wins). */
export function mergeAlarm(state: ConsoleState, a: Alarm): void {
  const prev = state.points[a.key];
  if (prev && prev.updatedAt > a.updatedAt) return;
  state.points[a.key] = a;
}

/** A snapshot replaces the annunciated alarms (on connect and after a resync); the hidden lists reload after it. */
export function applySnapshot(state: ConsoleState, e: SnapshotEvent): void {
  state.site = e.site;
  state.seq = e.seq;
  const points: Record<string, Alarm> = {};
  for (const a of e.activeAlarms) points[a.key] = a;
  state.points = points;
  state.outOfSync = false;
  state.resyncRequestedAtMs = null;
  state.hiddenListsLoading = true;
  state.hiddenListsError = null;
}

/** The answer of `GET /api/alarms?state=all`, merged by time so that events seen meanwhile are not undone. */
export function applyAlarmList(state: ConsoleState, alarms: readonly Alarm[]): void {
  for (const a of alarms) mergeAlarm(state, a);
  state.hiddenListsLoading = false;
  state.hiddenListsError = null;
}

export function setAlarmListError(state: ConsoleState, message: string): void {
  state.hiddenListsLoading = false;
  state.hiddenListsError = message;
}

export type ApplyResult = 'applied' | 'ignored' | 'gap';

/**
 * One alarm transition from the stream. At or below the current seq: a duplicate. A jump, anything before the
 * first snapshot or while out of sync: the lists are incomplete, so the event is not applied and the caller asks
 * for a resync (DESIGN.md §3, the same rule as the wall).
 */
export function applyAlarmEvent(state: ConsoleState, e: AlarmEvent): ApplyResult {
  if (state.seq >= 0 && e.seq <= state.seq) return 'ignored';
  if (state.seq < 0 || state.outOfSync || e.seq !== state.seq + 1) {
    state.outOfSync = true;
    return 'gap';
  }
  state.seq = e.seq;
  mergeAlarm(state, e.alarm);
  return 'applied';
}

/**
 * The answer to an operator's own action: the alarm after it, shown at once (the same event also comes over the
 * stream, where it is a duplicate by time). The stream's seq is left alone.
 */
export function applyActionResult(state: ConsoleState, e: AlarmEvent): void {
  mergeAlarm(state, e.alarm);
}

export function setConnected(state: ConsoleState, connected: boolean): void {
  state.connected = connected;
  if (connected) state.refusal = null;
  state.resyncRequestedAtMs = null;
}

export function setRefused(state: ConsoleState, message: string): void {
  state.refusal = message;
}

/** Out of sync, connected and not asked within `retryMs`: send `resync` (a lost request is repeated). */
export function resyncDue(state: ConsoleState, nowMs: number, retryMs: number): boolean {
  if (!state.outOfSync || !state.connected) return false;
  return state.resyncRequestedAtMs === null || nowMs - state.resyncRequestedAtMs >= retryMs;
}

/** The one reactive console state of the app. */
export const consoleState = reactive<ConsoleState>(initialConsoleState());
