import { reactive } from 'vue';
import type {
  Alarm,
  AlarmEvent,
  DataHealthResponse,
  LatestValue,
  RiskEvent,
  RiskOverview,
  SiteModel,
  SnapshotEvent,
  TelemetryEvent,
} from '@hazard/server/contracts';

/** What the wall holds; changed only by the reducers below (plain functions over plain data, no I/O, no clock). */
export interface WallState {
  site: SiteModel | null;
  /** Sequence number of the last applied snapshot or alarm event; -1 before the first snapshot. */
  seq: number;
  /** Open alarms by id (every state but `normal`). */
  alarms: Record<string, Alarm>;
  latest: Record<string, LatestValue>;
  /** Four-colour risk of the park, its enterprises and sources; null before the first snapshot. */
  risk: RiskOverview | null;
  /** Newest sample time (`ts`, server clock) among `latest`, or null when there is no sample at all. */
  newestSampleMs: number | null;
  /** serverTime − local time, measured at the last message from the server that carried serverTime. */
  clockOffsetMs: number;
  connected: boolean;
  /** Why the server refused the screen's token (expired, invalid, user removed); null while it accepts it. */
  refusal: string | null;
  /**
   * A sequence gap was seen: the alarm list is known to be incomplete until the next snapshot (DESIGN.md §3).
   * Alarm events are not applied meanwhile.
   */
  outOfSync: boolean;
  /** Local time the last `resync` was asked for, while out of sync. */
  resyncRequestedAtMs: number | null;
}

export function initialState(): WallState {
  return {
    site: null,
    seq: -1,
    alarms: {},
    latest: {},
    risk: null,
    newestSampleMs: null,
    clockOffsetMs: 0,
    connected: false,
    refusal: null,
    outOfSync: false,
    resyncRequestedAtMs: null,
  };
}

/** A snapshot replaces everything (on connect and after a resync), including a lower seq after a server restart. */
export function applySnapshot(state: WallState, e: SnapshotEvent, receivedAtMs: number): void {
  state.site = e.site;
  state.seq = e.seq;
  const alarms: Record<string, Alarm> = {};
  for (const a of e.activeAlarms) if (annunciated(a)) alarms[a.id] = a;
  state.alarms = alarms;
  state.latest = { ...e.latest };
  state.risk = e.risk;
  let newest: number | null = null;
  for (const tag in e.latest) {
    const ts = e.latest[tag]!.ts;
    if (newest === null || ts > newest) newest = ts;
  }
  state.newestSampleMs = newest;
  state.clockOffsetMs = e.serverTime - receivedAtMs;
  state.outOfSync = false;
  state.resyncRequestedAtMs = null;
}

export type AlarmApplyResult = 'applied' | 'ignored' | 'gap';

/**
 * Applies one alarm transition. Events at or below the current seq are duplicates (ignored); a jump beyond
 * seq + 1, or any event before the first snapshot or while out of sync, means the list is incomplete: the state is
 * marked out of sync, the event is not applied, and the caller must resync (DESIGN.md §3).
 */
export function applyAlarmEvent(state: WallState, e: AlarmEvent): AlarmApplyResult {
  const verdict = takeSeq(state, e.seq);
  if (verdict !== 'applied') return verdict;
  if (!annunciated(e.alarm)) delete state.alarms[e.alarm.id];
  else state.alarms[e.alarm.id] = e.alarm;
  return 'applied';
}

/**
 * Applies a risk change (the sources that changed, their enterprises and the park). Risk events are numbered by a
 * sequence of their own (the snapshot's `risk.seq`); a gap in it calls for a resync like an alarm gap.
 */
export function applyRiskEvent(state: WallState, e: RiskEvent): AlarmApplyResult {
  const risk = state.risk;
  if (risk && e.seq <= risk.seq) return 'ignored';
  if (!risk || state.outOfSync || e.seq !== risk.seq + 1) {
    state.outOfSync = true;
    return 'gap';
  }
  risk.seq = e.seq;
  risk.computedAt = e.computedAt;
  risk.park = e.park;
  for (const s of e.sources) {
    const i = risk.sources.findIndex((x) => x.sourceId === s.sourceId);
    if (i >= 0) risk.sources[i] = s;
    else risk.sources.push(s);
  }
  for (const en of e.enterprises) {
    const i = risk.enterprises.findIndex((x) => x.enterpriseId === en.enterpriseId);
    if (i >= 0) risk.enterprises[i] = en;
    else risk.enterprises.push(en);
  }
  return 'applied';
}

/** The stream's sequence rule (DESIGN.md §3): duplicates ignored; a jump, or anything while out of sync, is a gap. */
function takeSeq(state: WallState, seq: number): AlarmApplyResult {
  if (state.seq >= 0 && seq <= state.seq) return 'ignored';
  if (state.seq < 0 || state.outOfSync || seq !== state.seq + 1) {
    state.outOfSync = true;
    return 'gap';
  }
  state.seq = seq;
  return 'applied';
}

/** Merges throttled latest values; an older sample never replaces a newer one. */
export function applyTelemetry(state: WallState, e: TelemetryEvent, receivedAtMs: number): void {
  for (const tag in e.values) {
    const next = e.values[tag]!;
    const prev = state.latest[tag];
    if (prev && prev.ts > next.ts) continue;
    state.latest[tag] = next;
    if (state.newestSampleMs === null || next.ts > state.newestSampleMs) state.newestSampleMs = next.ts;
  }
  state.clockOffsetMs = e.serverTime - receivedAtMs;
}

/** The socket connected (a snapshot follows) or dropped. A new connection may ask for a resync at once. */
export function setConnected(state: WallState, connected: boolean): void {
  state.connected = connected;
  if (connected) state.refusal = null;
  state.resyncRequestedAtMs = null;
}

/** The handshake was refused: the screen says why instead of only "reconnecting". */
export function setRefused(state: WallState, message: string): void {
  state.refusal = message;
}

/**
 * Whether to send `resync` now: out of sync, connected, and not already asked within `retryMs` (a lost request or
 * a server that did not answer must not leave the alarm list silently incomplete).
 */
export function resyncDue(state: WallState, nowMs: number, retryMs: number): boolean {
  if (!state.outOfSync || !state.connected) return false;
  return state.resyncRequestedAtMs === null || nowMs - state.resyncRequestedAtMs >= retryMs;
}

/** Priority 1 first, then newest first (ISA-18.2 alarm summary order); ties by id keep rows from jumping. */
export function sortedAlarms(alarms: Record<string, Alarm>): Alarm[] {
  return Object.values(alarms).sort(
    (a, b) => a.priority - b.priority || b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Alarms an operator still has to acknowledge (ISA-18.2: unacknowledged, and returned but unacknowledged). */
export function countUnacked(alarms: readonly Alarm[]): number {
  return alarms.filter((a) => a.state === 'unacked' || a.state === 'rtn_unacked' || a.state === 'latched_unacked')
    .length;
}

/** The one reactive wall state of the app. */
export const wallState = reactive<WallState>(initialState());

/** On the wall: in alarm and not hidden by shelving, design suppression or maintenance (ISA-18.2 overlays). */
function annunciated(a: Alarm): boolean {
  return a.state !== 'normal' && !a.shelved && !a.suppressed && !a.outOfService;
}

/** The last 在线率 answer (`GET /api/health/data`) and when it arrived (local ms); polled by useDataHealth. */
export interface DataHealthState {
  health: DataHealthResponse | null;
  fetchedAtMs: number | null;
  /** The last poll's failure, null after a success. */
  error: string | null;
}

export const dataHealthState = reactive<DataHealthState>({ health: null, fetchedAtMs: null, error: null });
