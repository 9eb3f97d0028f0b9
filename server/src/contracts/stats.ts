import { z } from 'zod';
import type { AlarmCondition, AlarmPriority } from './alarm';
import { instantParam } from './history';

/** Query string of `GET /api/stats/alarms` (DESIGN.md §3, docs/alarm-statistics.md), before defaults. */
export const AlarmStatsQueryParamsSchema = z.strictObject({
  /** Start (inclusive), epoch ms or ISO 8601; default `to` minus 24 hours. */
  from: instantParam('from'),
  /** End (exclusive), epoch ms or ISO 8601; default now. */
  to: instantParam('to'),
  /** One operator position (enterprise id); default all. */
  enterprise: z.string().trim().min(1, 'enterprise must not be empty').max(128).optional(),
});
export type AlarmStatsQueryParams = z.infer<typeof AlarmStatsQueryParamsSchema>;

/** The EEMUA 191 / ISA-18.2 figures the statistics are measured against (docs/alarm-statistics.md). */
export interface AlarmStatsReference {
  /** EEMUA 191: about one alarm per 10 minutes per operator is acceptable. */
  acceptablePer10Min: number;
  /** EEMUA 191: about two per 10 minutes is manageable. */
  manageablePer10Min: number;
  /** A flood starts above this many alarms in 10 minutes … */
  floodStartPer10Min: number;
  /** … and ends when the rate falls below this. */
  floodEndPer10Min: number;
  /** An alarm active longer than this is standing (24 h). */
  standingMs: number;
  /** Chattering: at least this many activations … */
  chatterActivations: number;
  /** … within this window (60 s). */
  chatterWindowMs: number;
  /** Target priority mix, % of annunciated alarms (ISA-18.2 / EEMUA 191: ≈ 80 / 15 / 5). */
  priorityPct: PriorityClassShares;
}

/** Shares by EEMUA 191 class: high = priorities 1 and 2, medium = 3, low = 4 (docs/alarm-statistics.md). */
export interface PriorityClassShares {
  high: number;
  medium: number;
  low: number;
}

/** Annunciated alarms in one 10-minute bucket `[startMs, startMs + 600 000)`. */
export interface RateBucket {
  startMs: number;
  count: number;
}

/** A flood: more than 10 alarms in 10 minutes, until the rate falls below 5 (EEMUA 191). */
export interface FloodPeriod {
  /** The first alarm of the first trailing 10-minute window that held more than 10. */
  startMs: number;
  /** When the trailing 10-minute count fell below 5; null when the flood lasts past the end of the range. */
  endMs: number | null;
  /** Annunciated alarms from its first alarm to its end, both included. */
  alarms: number;
  /** Highest trailing 10-minute count during the flood. */
  peakPer10Min: number;
}

/** Rates of one operator position (one enterprise's control room). */
export interface PositionStats {
  enterpriseId: string;
  /** Annunciated alarms in the range. */
  alarms: number;
  per10Min: RateBucket[];
  meanPer10Min: number;
  maxPer10Min: number;
  /** Share of 10-minute buckets above the acceptable rate (more than 1 alarm), %. */
  bucketsOverAcceptablePct: number;
  /** Share of 10-minute buckets above the manageable rate (more than 2 alarms), %. */
  bucketsOverManageablePct: number;
  floods: FloodPeriod[];
  /** Time in flood within the range, %. */
  timeInFloodPct: number;
}

/** One alarm point, as the statistics name it. */
export interface AlarmPointRef {
  key: string;
  tag: string;
  enterpriseId: string;
  sourceId: string;
  condition: AlarmCondition;
  priority: AlarmPriority;
}

/** An alarm whose condition stayed active longer than 24 h within the range. */
export interface StandingAlarm extends AlarmPointRef {
  activeSinceMs: number;
  /** When it returned; null when still active at the end of the range. */
  returnedAtMs: number | null;
  /** Active time until the return or the end of the range. */
  activeMs: number;
}

/** An alarm point with at least 3 activations within 60 s somewhere in the range. */
export interface ChatteringAlarm extends AlarmPointRef {
  /** Activations in the range. */
  activations: number;
  /** Most activations in any 60 s window. */
  maxIn60s: number;
  /** The activation that completed the first chattering window. */
  firstChatterAtMs: number;
}

/** One of the most frequent alarm points (EEMUA 191 "bad actors"). */
export interface BadActor extends AlarmPointRef {
  alarms: number;
  /** Share of all annunciated alarms in the range, %. */
  sharePct: number;
}

/** Annunciated alarms by priority, and their shares by EEMUA 191 class. */
export interface PriorityMix {
  counts: Record<'1' | '2' | '3' | '4', number>;
  sharesPct: PriorityClassShares;
}

/** Time from annunciation to operator acknowledgement. */
export interface AckTimeStats {
  acks: number;
  meanMs: number | null;
  /** 90th percentile (nearest rank). */
  p90Ms: number | null;
}

/** `GET /api/stats/alarms` */
export interface AlarmStatsResponse {
  fromMs: number;
  toMs: number;
  enterpriseId?: string;
  reference: AlarmStatsReference;
  /** Annunciated alarms in the range (all positions). */
  alarms: number;
  positions: PositionStats[];
  standing: StandingAlarm[];
  chattering: ChatteringAlarm[];
  /** The ten most frequent alarm points. */
  topBadActors: BadActor[];
  priorityMix: PriorityMix;
  ackTime: AckTimeStats;
  /** True when the range held more journal events than the server reads for one answer: narrow it. */
  truncated: boolean;
}
