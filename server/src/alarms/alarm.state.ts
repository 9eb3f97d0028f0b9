import type { Alarm, AlarmPriority, AlarmSide, AlarmTransitionKind, LimitLevel } from '../contracts';
import { isWorse } from '../rules/limit.rules';

/**
 * ISA-18.2 (IEC 62682) alarm state transitions for one alarm point, as pure functions.
 *
 *   normal ──crossing──► unacked ──ack──► acked ──return──► normal
 *                          │                 ▲
 *                       return           (re-crossing keeps acked)
 *                          ▼
 *                     rtn_unacked ──ack──► normal ; ──re-crossing──► unacked
 *
 * Escalation to a worse level (H → HH) re-annunciates: the alarm becomes unacked again (DOMAIN.md, ISA-18.2).
 */

/** What the rule says about the process value now. */
export interface LimitInput {
  tag: string;
  enterpriseId: string;
  sourceId: string;
  side: AlarmSide;
  /** Level now in alarm on this side, or null when inside the limits (after deadband). */
  level: LimitLevel | null;
  value: number;
  limit: number;
  priority: AlarmPriority;
  unit: string;
  tagName: string;
  nowMs: number;
}

export interface Transition {
  kind: AlarmTransitionKind;
  alarm: Alarm;
}

const LEVEL_TEXT: Record<LimitLevel, string> = { HH: '高高报警', H: '高报警', L: '低报警', LL: '低低报警' };

function message(i: LimitInput, level: LimitLevel): string {
  return `${i.tagName}（${i.tag}）${LEVEL_TEXT[level]}：${i.value}${i.unit}，限值 ${i.limit}${i.unit}`;
}

/** Applies a rule result to the current alarm of that point (undefined when none is open). Null: nothing changed. */
export function applyLimit(current: Alarm | undefined, i: LimitInput): Transition | null {
  if (!current || current.state === 'normal') {
    if (i.level === null) return null;
    const alarm: Alarm = {
      id: `${i.tag}:${i.side}:${i.nowMs}`,
      tag: i.tag,
      enterpriseId: i.enterpriseId,
      sourceId: i.sourceId,
      side: i.side,
      level: i.level,
      priority: i.priority,
      state: 'unacked',
      active: true,
      value: i.value,
      limit: i.limit,
      unit: i.unit,
      raisedAt: i.nowMs,
      updatedAt: i.nowMs,
      message: message(i, i.level),
    };
    return { kind: 'raise', alarm };
  }

  if (i.level === null) {
    if (!current.active) return null;
    const state = current.state === 'acked' ? 'normal' : 'rtn_unacked';
    return {
      kind: 'return',
      alarm: { ...current, active: false, state, value: i.value, updatedAt: i.nowMs, returnedAt: i.nowMs },
    };
  }

  if (!current.active) {
    // Back into alarm before the operator acknowledged the return: annunciate again (ISA-18.2 RTN-unack → unack).
    const { returnedAt: _returned, ...rest } = current;
    return {
      kind: 'raise',
      alarm: {
        ...rest,
        active: true,
        state: 'unacked',
        level: i.level,
        priority: i.priority,
        limit: i.limit,
        value: i.value,
        updatedAt: i.nowMs,
        message: message(i, i.level),
      },
    };
  }

  if (i.level === current.level) return null;
  const worse = isWorse(i.level, current.level);
  // Re-annunciation makes the earlier acknowledgement void: the operator must acknowledge the worse level.
  const { ackedAt: _ackedAt, ackedBy: _ackedBy, ...unacked } = current;
  return {
    kind: worse ? 'escalate' : 'deescalate',
    alarm: {
      ...(worse ? unacked : current),
      level: i.level,
      // The alarm takes the priority of the level it is now at (HH/LL usually outrank H/L).
      priority: i.priority,
      limit: i.limit,
      value: i.value,
      state: worse ? 'unacked' : current.state,
      updatedAt: i.nowMs,
      message: message(i, i.level),
    },
  };
}

/** Operator acknowledgement. Null when there is nothing to acknowledge. */
export function acknowledge(current: Alarm, user: string, nowMs: number): Transition | null {
  switch (current.state) {
    case 'unacked':
      return { kind: 'ack', alarm: { ...current, state: 'acked', ackedAt: nowMs, ackedBy: user, updatedAt: nowMs } };
    case 'rtn_unacked':
      return { kind: 'ack', alarm: { ...current, state: 'normal', ackedAt: nowMs, ackedBy: user, updatedAt: nowMs } };
    case 'acked':
    case 'normal':
      return null;
  }
}
