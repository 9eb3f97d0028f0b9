import type {
  Alarm,
  AlarmCondition,
  AlarmPriority,
  AlarmState,
  AlarmTransitionKind,
  LimitLevel,
  PointValue,
} from '../contracts';

/**
 * The ISA-18.2 (IEC 62682) alarm lifecycle of one alarm point, as pure functions (DOMAIN.md "Alarm management").
 *
 *                 ┌──────── return (latching) ───────► latched_unacked ──ack──► latched_acked ──reset──► normal
 *   normal ──raise──► unacked ──ack──► acked ──return──► normal            (latching: ──return──► latched_acked)
 *                       │  ▲                │
 *                    return └── escalate ───┘   (a worse level re-alarms: acked → unacked)
 *                       ▼
 *                   rtn_unacked ──ack──► normal ; ──raise──► unacked
 *
 * Shelved, suppressed-by-design and out-of-service are overlays: the point keeps following its condition, but
 * is not annunciated; when the last overlay is released an alarm that is still active annunciates afresh
 * (unacknowledged), one that is not is closed (normal). Overlays belong to the point and outlive an occurrence.
 */

/** What a rule says about an alarm point now. */
export interface ConditionInput {
  key: string;
  tag: string;
  enterpriseId: string;
  sourceId: string;
  /** The condition now (for limits: the level now in alarm, or the level that was left when `active` is false). */
  condition: AlarmCondition;
  active: boolean;
  value: PointValue | null;
  limit: number | null;
  priority: AlarmPriority;
  unit: string;
  latching: boolean;
  message: string;
  nowMs: number;
}

export type OperatorInput =
  | { type: 'ack'; user: string; comment: string; nowMs: number }
  | { type: 'reset'; user: string; comment: string; nowMs: number }
  | { type: 'shelve'; user: string; reason: string; minutes: number; maxMinutes: number; nowMs: number }
  /** By an operator, or by the shelving timer (`user` = `system`). */
  | { type: 'unshelve'; user: string; comment: string; nowMs: number }
  | { type: 'out_of_service'; user: string; reason: string; nowMs: number }
  | { type: 'return_to_service'; user: string; comment: string; nowMs: number };

export type DesignInput =
  { type: 'suppress'; reason: string; byKey: string; nowMs: number } | { type: 'unsuppress'; nowMs: number };

/** One transition: the alarm after it, and what it was before (for the journal). */
export interface Step {
  kind: AlarmTransitionKind;
  fromState: AlarmState;
  alarm: Alarm;
  user?: string;
  comment?: string;
}

/** An operator action that does not apply, with the reason the API returns (409). */
export interface Refusal {
  refused: string;
}

export const isRefusal = (r: Step | Refusal): r is Refusal => 'refused' in r;

const LIMIT_SEVERITY: Partial<Record<AlarmCondition, number>> = { H: 1, HH: 2, L: 1, LL: 2 };

/** True when `next` is a worse level of the same side (H → HH, L → LL): ISA-18.2 re-alarms. */
export function isWorseLevel(next: AlarmCondition, prev: AlarmCondition): boolean {
  const a = LIMIT_SEVERITY[next];
  const b = LIMIT_SEVERITY[prev];
  return a !== undefined && b !== undefined && a > b;
}

export const isLimit = (c: AlarmCondition): c is LimitLevel => c === 'HH' || c === 'H' || c === 'L' || c === 'LL';

const hidden = (a: Alarm) => a.shelved !== undefined || a.suppressed !== undefined || a.outOfService !== undefined;

/** The alarm point with no occurrence yet (a placeholder that can carry overlays such as out of service). */
export function idlePoint(i: Omit<ConditionInput, 'active' | 'value' | 'limit' | 'nowMs'>, nowMs: number): Alarm {
  return {
    id: `${i.key}@0`,
    key: i.key,
    tag: i.tag,
    enterpriseId: i.enterpriseId,
    sourceId: i.sourceId,
    condition: i.condition,
    priority: i.priority,
    state: 'normal',
    active: false,
    latching: i.latching,
    value: null,
    limit: null,
    unit: i.unit,
    raisedAt: 0,
    updatedAt: nowMs,
    chattering: false,
    message: i.message,
  };
}

/** Drops the acknowledgement of an occurrence that annunciates again. */
function unacked(a: Alarm, nowMs: number): Alarm {
  const { ackedAt: _at, ackedBy: _by, ackComment: _c, notifiedAt: _n, ...rest } = a;
  return { ...rest, state: 'unacked', annunciatedAt: nowMs };
}

/** Applies what the rule says; null when nothing an operator or the journal needs to know changed. */
export function applyCondition(current: Alarm | undefined, i: ConditionInput): Step | null {
  const from: AlarmState = current?.state ?? 'normal';
  if (!current || (current.state === 'normal' && !current.active)) {
    if (!i.active) return null;
    // A new occurrence. Overlays of the point (shelved, suppressed, out of service) carry over.
    const base = current ?? idlePoint(i, i.nowMs);
    const { returnedAt: _r, firstOut: _f, ...rest } = unacked(base, i.nowMs);
    return {
      kind: 'raise',
      fromState: from,
      alarm: {
        ...rest,
        id: `${i.key}@${i.nowMs}`,
        condition: i.condition,
        priority: i.priority,
        active: true,
        latching: i.latching,
        value: i.value,
        limit: i.limit,
        unit: i.unit,
        raisedAt: i.nowMs,
        updatedAt: i.nowMs,
        message: i.message,
      },
    };
  }

  if (current.active && i.active) {
    if (i.condition === current.condition) return null;
    const worse = isWorseLevel(i.condition, current.condition);
    const next = worse ? unacked(current, i.nowMs) : current;
    return {
      kind: worse ? 'escalate' : 'deescalate',
      fromState: from,
      alarm: {
        ...next,
        condition: i.condition,
        // The alarm takes the priority of the level it is now at (HH/LL usually outrank H/L).
        priority: i.priority,
        value: i.value,
        limit: i.limit,
        updatedAt: i.nowMs,
        message: i.message,
      },
    };
  }

  if (current.active && !i.active) {
    // Active alarms are unacked or acked; anything else is kept as it is.
    let state: AlarmState = current.state;
    if (current.state === 'unacked') state = current.latching ? 'latched_unacked' : 'rtn_unacked';
    else if (current.state === 'acked') state = current.latching ? 'latched_acked' : 'normal';
    // Hidden alarms that return need no operator: they close.
    if (hidden(current) && !current.latching) state = 'normal';
    return {
      kind: 'return',
      fromState: from,
      alarm: { ...current, active: false, state, value: i.value, updatedAt: i.nowMs, returnedAt: i.nowMs },
    };
  }

  if (!current.active && i.active) {
    // Back in alarm before the return was acknowledged or the latch reset: annunciate again (RTN-unack → unack).
    const { returnedAt: _r, ...rest } = unacked(current, i.nowMs);
    return {
      kind: 'raise',
      fromState: from,
      alarm: {
        ...rest,
        active: true,
        condition: i.condition,
        priority: i.priority,
        value: i.value,
        limit: i.limit,
        updatedAt: i.nowMs,
        message: i.message,
      },
    };
  }
  return null;
}

/** After an overlay is released: annunciate afresh if still active and nothing else hides it, else close. */
function released(a: Alarm, nowMs: number): Alarm {
  if (hidden(a)) return { ...a, updatedAt: nowMs };
  if (a.active) return { ...unacked(a, nowMs), updatedAt: nowMs };
  if (a.state === 'latched_unacked' || a.state === 'latched_acked') return { ...a, updatedAt: nowMs };
  return { ...a, state: 'normal', updatedAt: nowMs };
}

/** An operator's action; a Refusal names why it does not apply (nothing is changed then). */
export function applyOperator(a: Alarm, i: OperatorInput): Step | Refusal {
  const from = a.state;
  const step = (kind: AlarmTransitionKind, alarm: Alarm, comment?: string): Step => ({
    kind,
    fromState: from,
    alarm,
    user: i.user,
    ...(comment !== undefined && comment !== '' ? { comment } : {}),
  });
  switch (i.type) {
    case 'ack': {
      const ack = { ackedAt: i.nowMs, ackedBy: i.user, ackComment: i.comment, updatedAt: i.nowMs };
      if (a.state === 'unacked') return step('ack', { ...a, ...ack, state: 'acked' }, i.comment);
      if (a.state === 'rtn_unacked') return step('ack', { ...a, ...ack, state: 'normal' }, i.comment);
      if (a.state === 'latched_unacked') return step('ack', { ...a, ...ack, state: 'latched_acked' }, i.comment);
      return { refused: `nothing to acknowledge: the alarm is ${a.state}` };
    }
    case 'reset':
      if (a.state === 'latched_acked') return step('reset', { ...a, state: 'normal', updatedAt: i.nowMs }, i.comment);
      if (a.state === 'latched_unacked') return { refused: 'acknowledge the latched alarm before resetting it' };
      return { refused: `only a latched alarm that has returned can be reset; this one is ${a.state}` };
    case 'shelve': {
      if (!Number.isInteger(i.minutes) || i.minutes < 1 || i.minutes > i.maxMinutes) {
        return { refused: `shelving time must be a whole number of minutes from 1 to ${i.maxMinutes}` };
      }
      if (i.reason.trim() === '') return { refused: 'shelving needs a reason' };
      if (a.outOfService) return { refused: 'the alarm is out of service' };
      if (a.state === 'normal') return { refused: 'nothing to shelve: the alarm is not in alarm' };
      const shelved = { user: i.user, reason: i.reason, atMs: i.nowMs, untilMs: i.nowMs + i.minutes * 60_000 };
      return step('shelve', { ...a, shelved, updatedAt: i.nowMs }, i.reason);
    }
    case 'unshelve': {
      if (!a.shelved) return { refused: 'the alarm is not shelved' };
      const { shelved: _s, ...rest } = a;
      return step('unshelve', released(rest, i.nowMs), i.comment);
    }
    case 'out_of_service': {
      if (a.outOfService) return { refused: 'the alarm is already out of service' };
      if (i.reason.trim() === '') return { refused: 'taking an alarm out of service needs a reason' };
      // Out of service supersedes shelving (ISA-18.2: a maintenance removal, authorised).
      const { shelved: _s, ...rest } = a;
      return step(
        'out_of_service',
        { ...rest, outOfService: { user: i.user, reason: i.reason, atMs: i.nowMs }, updatedAt: i.nowMs },
        i.reason,
      );
    }
    case 'return_to_service': {
      if (!a.outOfService) return { refused: 'the alarm is not out of service' };
      const { outOfService: _o, ...rest } = a;
      return step('return_to_service', released(rest, i.nowMs), i.comment);
    }
  }
}

/** Suppression by design (plant-state logic); null when it changes nothing. */
export function applyDesign(a: Alarm, i: DesignInput): Step | null {
  if (i.type === 'suppress') {
    if (a.suppressed) return null;
    return {
      kind: 'suppress',
      fromState: a.state,
      alarm: { ...a, suppressed: { reason: i.reason, byKey: i.byKey, sinceMs: i.nowMs }, updatedAt: i.nowMs },
      comment: i.reason,
    };
  }
  if (!a.suppressed) return null;
  const { suppressed: _s, ...rest } = a;
  return { kind: 'unsuppress', fromState: a.state, alarm: released(rest, i.nowMs) };
}

/** EEMUA 191 chattering: at least `threshold` activations within `windowMs`. */
export const CHATTER_WINDOW_MS = 60_000;
export const CHATTER_THRESHOLD = 3;
/** A chattering flag clears after this long without an activation. */
export const CHATTER_CLEAR_MS = 10 * 60_000;

/**
 * Records an activation at `nowMs` in `recentMs` (times of recent activations, oldest first; trimmed in place to
 * the window) and says whether the point chatters.
 */
export function recordActivation(recentMs: number[], nowMs: number): boolean {
  recentMs.push(nowMs);
  while (recentMs.length > 0 && recentMs[0]! <= nowMs - CHATTER_WINDOW_MS) recentMs.shift();
  return recentMs.length >= CHATTER_THRESHOLD;
}

/** Whether an unacknowledged priority-1 alarm is due for notification of its 包保 people. */
export function notificationDue(a: Alarm, nowMs: number, afterMs: number): boolean {
  return (
    a.priority === 1 &&
    a.state === 'unacked' &&
    a.notifiedAt === undefined &&
    !hidden(a) &&
    nowMs - (a.annunciatedAt ?? a.raisedAt) >= afterMs
  );
}
