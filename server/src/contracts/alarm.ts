/** Limit levels of an analog tag (ISA-18.2 absolute alarms). */
export type LimitLevel = 'HH' | 'H' | 'L' | 'LL';

/** An analog tag has one high-side and one low-side alarm; H→HH on the same side escalates the same alarm. */
export type AlarmSide = 'hi' | 'lo';

/** Priority 1 (urgent) … 4 (low), per ISA-18.2 / EEMUA 191. */
export type AlarmPriority = 1 | 2 | 3 | 4;

/**
 * ISA-18.2 alarm states used so far. `normal` is terminal for an occurrence: a new crossing opens a new alarm id.
 * Shelved, suppressed, out-of-service and latched states come with the full lifecycle (issue 5).
 */
export type AlarmState = 'unacked' | 'acked' | 'rtn_unacked' | 'normal';

/** What changed an alarm. */
export type AlarmTransitionKind = 'raise' | 'escalate' | 'deescalate' | 'return' | 'ack' | 'clear';

/** One alarm occurrence, as the REST API and socket.io carry it. */
export interface Alarm {
  /** Unique per occurrence: `{tag}:{side}:{raisedAtMs}`. */
  id: string;
  tag: string;
  enterpriseId: string;
  sourceId: string;
  side: AlarmSide;
  /** Current level while active; the last active level once returned. */
  level: LimitLevel;
  priority: AlarmPriority;
  state: AlarmState;
  /** True while the process value is beyond the limit (after deadband). */
  active: boolean;
  /** Value that caused the latest transition. */
  value: number;
  /** The limit crossed, in the tag's unit. */
  limit: number;
  unit: string;
  /** Epoch ms. */
  raisedAt: number;
  /** Epoch ms of the latest transition. */
  updatedAt: number;
  /** Epoch ms of the return to normal, when it has returned. */
  returnedAt?: number;
  ackedAt?: number;
  ackedBy?: string;
  /** Human-readable text, zh-CN (the UI may re-render it from the fields). */
  message: string;
}

/** A transition pushed over socket.io as `alarm`; `seq` is the realtime stream's sequence number. */
export interface AlarmEvent {
  seq: number;
  transition: AlarmTransitionKind;
  alarm: Alarm;
}

/** Query of `GET /api/alarms`. */
export type AlarmListState = 'active' | 'unacked' | 'all';
