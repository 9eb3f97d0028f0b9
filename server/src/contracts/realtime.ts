import type { Alarm, AlarmEvent } from './alarm';
import type { RiskEvent, RiskOverview } from './risk';
import type { SiteModel } from './site';
import type { PointValue, Quality } from './telemetry';

/** socket.io namespace of the realtime stream (DESIGN.md §3). */
export const REALTIME_NAMESPACE = '/realtime';

/** Latest value of one tag as shown on screens. */
export interface LatestValue {
  v: PointValue;
  q: Quality;
  /** Epoch ms of the sample (source time). */
  ts: number;
}

/** Sent on connect and on `resync`: everything a screen needs to draw itself. */
export interface SnapshotEvent {
  seq: number;
  /** Epoch ms at the server when the snapshot was taken (clients compute data age against it). */
  serverTime: number;
  site: SiteModel;
  activeAlarms: Alarm[];
  latest: Record<string, LatestValue>;
  /** Four-colour risk of the park, its enterprises and every hazard source (docs/risk-model.md). */
  risk: RiskOverview;
}

/** Throttled latest values (never raw points), at most a few times a second. */
export interface TelemetryEvent {
  serverTime: number;
  values: Record<string, LatestValue>;
}

export interface ServerToClientEvents {
  snapshot: (e: SnapshotEvent) => void;
  alarm: (e: AlarmEvent) => void;
  /** Sources whose risk changed, with their enterprises and the park; numbered by the risk stream's own `seq`. */
  risk: (e: RiskEvent) => void;
  telemetry: (e: TelemetryEvent) => void;
}

export interface ClientToServerEvents {
  resync: () => void;
  subscribe: (req: { sources: string[] }) => void;
}
