import { z } from 'zod';
import type { PointValue } from './telemetry';

/** Limit levels of an analog tag (ISA-18.2 absolute alarms; for gas detectors H = 一级 and HH = 二级, GB/T 50493). */
export type LimitLevel = 'HH' | 'H' | 'L' | 'LL';

/** Priority 1 (urgent) … 4 (low), per ISA-18.2 / EEMUA 191. */
export type AlarmPriority = 1 | 2 | 3 | 4;

/**
 * What an alarm reports (its alarm type). Limits of one side share one alarm point and escalate within it
 * (H → HH); every other condition is its own alarm point on its tag (or composite).
 */
export const ALARM_CONDITIONS = [
  // Process: absolute limits.
  'HH',
  'H',
  'L',
  'LL',
  // Process: rate of change over a window (e.g. a level rising faster than X %/min).
  'ROC_RISE',
  'ROC_FALL',
  // Communication: no value within the tag's max age, the gateway's last will, a Sparkplug death.
  'STALE',
  // Instrument: bad quality, value outside the instrument range, flat-lined for N minutes.
  'BAD_QUALITY',
  'OUT_OF_RANGE',
  'FLATLINE',
  // Safety barriers: ESD valve and SIS loop.
  'VALVE_MISMATCH',
  'VALVE_TRAVEL',
  'VALVE_FAULT',
  'SIS_BYPASSED',
  'SIS_BYPASS_LONG',
  'SIS_TRIPPED',
  'SIS_FAULT',
  // Composites declared in the site model.
  'VOTE',
  'GAS_VALVE_OPEN',
] as const;
export type AlarmCondition = (typeof ALARM_CONDITIONS)[number];

/** What a condition is about: the process, the data itself, a safety barrier, or a composite of the site model. */
export type ConditionCategory = 'process' | 'data' | 'barrier' | 'composite';

/** The category of every condition, in one place (the risk model and screens group by it). */
export const CONDITION_CATEGORY: Record<AlarmCondition, ConditionCategory> = {
  HH: 'process',
  H: 'process',
  L: 'process',
  LL: 'process',
  ROC_RISE: 'process',
  ROC_FALL: 'process',
  STALE: 'data',
  BAD_QUALITY: 'data',
  OUT_OF_RANGE: 'data',
  FLATLINE: 'data',
  VALVE_MISMATCH: 'barrier',
  VALVE_TRAVEL: 'barrier',
  VALVE_FAULT: 'barrier',
  SIS_BYPASSED: 'barrier',
  SIS_BYPASS_LONG: 'barrier',
  SIS_TRIPPED: 'barrier',
  SIS_FAULT: 'barrier',
  VOTE: 'composite',
  GAS_VALVE_OPEN: 'composite',
};

/** The alarm point a condition belongs to: `hi` / `lo` for limits, the condition itself otherwise. */
export type AlarmGroup = 'hi' | 'lo' | Exclude<AlarmCondition, LimitLevel>;

/**
 * ISA-18.2 (IEC 62682) annunciation state of an alarm point:
 * - `normal` (A): not in alarm, nothing to acknowledge;
 * - `unacked` (B): active, unacknowledged; `acked` (C): active, acknowledged;
 * - `rtn_unacked` (D): returned to normal before it was acknowledged;
 * - `latched_unacked` / `latched_acked` (E): a latching alarm that returned; it stays until an operator resets it.
 * Shelved (F), suppressed by design (G) and out of service (H) are overlays on the alarm (`shelved`,
 * `suppressed`, `outOfService`): the point keeps tracking its condition but is not annunciated until released.
 */
export type AlarmState = 'normal' | 'unacked' | 'acked' | 'rtn_unacked' | 'latched_unacked' | 'latched_acked';

/** What changed an alarm (one journal entry each). */
export type AlarmTransitionKind =
  | 'raise'
  | 'escalate'
  | 'deescalate'
  | 'return'
  | 'ack'
  | 'reset'
  | 'shelve'
  | 'unshelve'
  | 'suppress'
  | 'unsuppress'
  | 'out_of_service'
  | 'return_to_service'
  /** Chattering detected (≥ 3 activations in 60 s, EEMUA 191) or cleared: a flag, not a state change. */
  | 'chatter'
  /** A priority-1 alarm left unacknowledged too long: the 包保 people of its source are notified. */
  | 'notify';

/** Every AlarmTransitionKind, for validation (`kind=` of the journal query) and exhaustive tables. */
export const ALARM_TRANSITION_KINDS = [
  'raise',
  'escalate',
  'deescalate',
  'return',
  'ack',
  'reset',
  'shelve',
  'unshelve',
  'suppress',
  'unsuppress',
  'out_of_service',
  'return_to_service',
  'chatter',
  'notify',
] as const satisfies readonly AlarmTransitionKind[];
/** Compiles only while ALARM_TRANSITION_KINDS lists every kind of the union. */
export type AllTransitionKindsListed = Assert<
  [Exclude<AlarmTransitionKind, (typeof ALARM_TRANSITION_KINDS)[number]>] extends [never] ? true : false
>;
type Assert<T extends true> = T;

/** Operator shelving (ISA-18.2 §… shelving: time-limited, with a reason, journaled). */
export interface ShelveInfo {
  user: string;
  reason: string;
  atMs: number;
  untilMs: number;
}

/** Suppressed by design: plant-state logic (e.g. SIS-301 tripped) hides consequential alarms. */
export interface SuppressInfo {
  reason: string;
  /** The alarm point whose state suppresses this one (e.g. `SIS-301:SIS_TRIPPED`). */
  byKey: string;
  sinceMs: number;
}

/** Out of service: an authorised removal for maintenance (admin). */
export interface OutOfServiceInfo {
  user: string;
  reason: string;
  atMs: number;
}

/** One alarm point with its current occurrence, as the REST API and socket.io carry it. */
export interface Alarm {
  /** Unique per occurrence: `{key}@{raisedAtMs}`. */
  id: string;
  /** The alarm point: `{tag}:{group}` (e.g. `LIA-101:hi`, `XV-101:VALVE_TRAVEL`, `VOTE-201:VOTE`). */
  key: string;
  /** 位号, or the composite's id. */
  tag: string;
  enterpriseId: string;
  sourceId: string;
  condition: AlarmCondition;
  priority: AlarmPriority;
  state: AlarmState;
  /** True while the condition holds (after on-delay and deadband). */
  active: boolean;
  /** Latching alarms stay after they return until an operator resets them. */
  latching: boolean;
  /** Value that caused the latest transition (number, state string or boolean). */
  value: PointValue | null;
  /** The limit crossed, in the tag's unit, for limit and rate alarms. */
  limit: number | null;
  unit: string;
  /** Epoch ms of the current occurrence. */
  raisedAt: number;
  /** Epoch ms of the latest transition. */
  updatedAt: number;
  /** Since when it waits unacknowledged (raise, re-alarm, release from an overlay). */
  annunciatedAt?: number;
  returnedAt?: number;
  ackedAt?: number;
  ackedBy?: string;
  ackComment?: string;
  shelved?: ShelveInfo;
  suppressed?: SuppressInfo;
  outOfService?: OutOfServiceInfo;
  /** Chattering (≥ 3 activations within 60 s): a bad actor for the statistics and the operator. */
  chattering: boolean;
  /** The initiating alarm of a trip (first-out), shown above its consequences. */
  firstOut?: boolean;
  /** When a priority-1 alarm's notification to the 包保 people went out. */
  notifiedAt?: number;
  /** Human-readable text, zh-CN (the UI may re-render it from the fields). */
  message: string;
}

/** A transition pushed over socket.io as `alarm` and appended to the journal; `seq` is the stream's sequence. */
export interface AlarmEvent {
  seq: number;
  /** Epoch ms of the transition. */
  tsMs: number;
  transition: AlarmTransitionKind;
  fromState: AlarmState;
  alarm: Alarm;
  /** The operator, for operator actions. */
  user?: string;
  comment?: string;
  /** For `notify`: who is told (the source's 包保 people). */
  notify?: { name: string; role: string; phone?: string }[];
}

/** Query of `GET /api/alarms`. */
export const AlarmListStateSchema = z.enum(['active', 'unacked', 'shelved', 'suppressed', 'out_of_service', 'all']);
export type AlarmListState = z.infer<typeof AlarmListStateSchema>;

/** Whether an alarm is annunciated to operators (not hidden by shelving, design suppression or maintenance). */
export function isAnnunciated(a: Alarm): boolean {
  return a.state !== 'normal' && !a.shelved && !a.suppressed && !a.outOfService;
}
