import { reactive } from 'vue';
import type {
  Alarm,
  AlarmEvent,
  LatestValue,
  SiteModel,
  SnapshotEvent,
  TelemetryEvent,
} from '@hazard/server/contracts';

/** What the wall holds; changed only by the pure reducers below. */
export interface WallState {
  site: SiteModel | null;
  /** Sequence number of the last applied snapshot or alarm event; -1 before the first snapshot. */
  seq: number;
  /** Open alarms by id. */
  alarms: Record<string, Alarm>;
  latest: Record<string, LatestValue>;
  /** serverTime − local time, measured at the last message from the server. */
  clockOffsetMs: number;
  connected: boolean;
}

export function initialState(): WallState {
  return { site: null, seq: -1, alarms: {}, latest: {}, clockOffsetMs: 0, connected: false };
}

/** A snapshot replaces everything (on connect and after a resync). */
export function applySnapshot(state: WallState, e: SnapshotEvent, receivedAtMs: number): void {
  state.site = e.site;
  state.seq = e.seq;
  state.alarms = {};
  for (const a of e.activeAlarms) state.alarms[a.id] = a;
  state.latest = { ...e.latest };
  state.clockOffsetMs = e.serverTime - receivedAtMs;
}

export type AlarmApplyResult = 'applied' | 'ignored' | 'gap';

/**
 * Applies one alarm transition. Events at or below the current seq are duplicates (ignored); a jump beyond
 * seq + 1 means events were missed: the caller must resync (DESIGN.md §3) and the event is not applied.
 */
export function applyAlarmEvent(state: WallState, e: AlarmEvent): AlarmApplyResult {
  if (state.seq < 0) return 'gap';
  if (e.seq <= state.seq) return 'ignored';
  if (e.seq !== state.seq + 1) return 'gap';
  state.seq = e.seq;
  if (e.alarm.state === 'normal') delete state.alarms[e.alarm.id];
  else state.alarms[e.alarm.id] = e.alarm;
  return 'applied';
}

/** Merges throttled latest values; an older sample never replaces a newer one. */
export function applyTelemetry(state: WallState, e: TelemetryEvent, receivedAtMs: number): void {
  for (const tag in e.values) {
    const next = e.values[tag]!;
    const prev = state.latest[tag];
    if (!prev || prev.ts <= next.ts) state.latest[tag] = next;
  }
  state.clockOffsetMs = e.serverTime - receivedAtMs;
}

/** Priority 1 first, then newest first (ISA-18.2 alarm summary order). */
export function sortedAlarms(alarms: Record<string, Alarm>): Alarm[] {
  return Object.values(alarms).sort((a, b) => a.priority - b.priority || b.raisedAt - a.raisedAt);
}

/** The one reactive wall state of the app. */
export const wallState = reactive<WallState>(initialState());
