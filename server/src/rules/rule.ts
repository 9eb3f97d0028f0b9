import type { AlarmCondition, AlarmGroup, AlarmPriority, SamplePoint, StaleReason } from '../contracts';
import type { ConditionInput } from '../alarms/lifecycle';
import type { TagInfo } from '../site';

/**
 * Default priority per condition (ISA-18.2 / EEMUA 191: priority follows the consequence and the time to respond;
 * a control room sees about 80 % low, 15 % medium, 5 % high). Overridable per tag (`alarms.priorities`).
 */
export const DEFAULT_PRIORITY: Record<AlarmCondition, AlarmPriority> = {
  HH: 2,
  H: 3,
  L: 3,
  LL: 2,
  ROC_RISE: 3,
  ROC_FALL: 3,
  STALE: 3,
  BAD_QUALITY: 3,
  OUT_OF_RANGE: 3,
  FLATLINE: 4,
  VALVE_MISMATCH: 2,
  VALVE_TRAVEL: 2,
  VALVE_FAULT: 2,
  SIS_BYPASSED: 3,
  SIS_BYPASS_LONG: 2,
  SIS_TRIPPED: 1,
  SIS_FAULT: 2,
  VOTE: 1,
  GAS_VALVE_OPEN: 1,
};

/** zh-CN names of the conditions, for alarm messages. */
export const CONDITION_TEXT: Record<AlarmCondition, string> = {
  HH: '高高报警',
  H: '高报警',
  L: '低报警',
  LL: '低低报警',
  ROC_RISE: '上升过快',
  ROC_FALL: '下降过快',
  STALE: '通讯中断',
  BAD_QUALITY: '数据质量坏',
  OUT_OF_RANGE: '超出量程',
  FLATLINE: '数值长时间不变',
  VALVE_MISMATCH: '阀位与指令不符',
  VALVE_TRAVEL: '阀门动作超时',
  VALVE_FAULT: '阀门故障',
  SIS_BYPASSED: 'SIS 旁路',
  SIS_BYPASS_LONG: 'SIS 长时间旁路',
  SIS_TRIPPED: 'SIS 联锁动作',
  SIS_FAULT: 'SIS 故障',
  VOTE: '多点确认泄漏',
  GAS_VALVE_OPEN: '气体二级报警且切断阀未关闭',
};

/** The alarm point of a condition: limits of one side share a point (H → HH escalates within it). */
export function groupOf(condition: AlarmCondition): AlarmGroup {
  if (condition === 'HH' || condition === 'H') return 'hi';
  if (condition === 'L' || condition === 'LL') return 'lo';
  return condition;
}

export const alarmKey = (tag: string, condition: AlarmCondition): string => `${tag}:${groupOf(condition)}`;

/** Where rules send what they find; the alarm service applies it through the lifecycle. */
export interface RuleHost {
  emit(input: ConditionInput): void;
}

/**
 * One compiled rule of one alarm point. Rules are built once when the site model loads; `onPoint` runs on the hot
 * path (no allocation unless the condition changes), `onTick` once a second for time-based conditions (delays
 * expiring without new points, stale data, flat lines, valve travel, long bypasses).
 *
 * A rule reports its condition on its first evaluation even when unchanged (`primed`), so that after a restart the
 * alarm states rebuilt from the journal meet the rule's view of the present (a return is not missed).
 */
export interface Rule {
  /** The rule's (main) alarm point, `{tag}:{group}`; for diagnostics. */
  readonly key: string;
  /**
   * Tags whose points reach `onPoint` (the engine lists the rule under each of them in its tag map, so nothing is
   * searched per message). Absent: the tag the rule was built for. Rules of a site factory must give it.
   */
  readonly inputs?: readonly string[];
  /** Alarm points whose reported conditions reach `onCondition` (composites over other rules' outcomes). */
  readonly watches?: readonly string[];
  onPoint?(point: SamplePoint, nowMs: number, host: RuleHost): void;
  onTick?(nowMs: number, host: RuleHost): void;
  /** Another rule reported a condition of a watched alarm point (synchronously, inside that rule's evaluation). */
  onCondition?(input: ConditionInput, host: RuleHost): void;
  /** The rule's tag was marked stale by an external cause (gateway last will, Sparkplug death). */
  onStale?(reason: StaleReason, nowMs: number, host: RuleHost): void;
}

/** What every rule of a tag needs to build its ConditionInput. */
export interface TagAlarmContext {
  info: TagInfo;
  priorityOf(condition: AlarmCondition): AlarmPriority;
  latches(condition: AlarmCondition): boolean;
}

export function tagAlarmContext(info: TagInfo): TagAlarmContext {
  const overrides = info.def.alarms?.priorities ?? {};
  const limitOverrides = info.def.limits?.priorities ?? {};
  const latching = new Set(info.def.alarms?.latching ?? []);
  return {
    info,
    priorityOf: (c) => {
      const fromLimits =
        c === 'HH'
          ? limitOverrides.hh
          : c === 'H'
            ? limitOverrides.h
            : c === 'L'
              ? limitOverrides.l
              : c === 'LL'
                ? limitOverrides.ll
                : undefined;
      return overrides[c] ?? fromLimits ?? DEFAULT_PRIORITY[c];
    },
    latches: (c) => latching.has(c),
  };
}

/** The ConditionInput of a tag's condition (allocated only when a rule reports a change). */
export function conditionInput(
  ctx: TagAlarmContext,
  condition: AlarmCondition,
  active: boolean,
  value: ConditionInput['value'],
  limit: number | null,
  nowMs: number,
  detail = '',
): ConditionInput {
  const { def } = ctx.info;
  const shown = typeof value === 'number' ? `${value}${def.unit}` : value === null ? '' : String(value);
  const limitText = limit === null ? '' : `，限值 ${limit}${def.unit}`;
  return {
    key: alarmKey(def.tag, condition),
    tag: def.tag,
    enterpriseId: ctx.info.enterpriseId,
    sourceId: ctx.info.sourceId,
    condition,
    active,
    value,
    limit,
    priority: ctx.priorityOf(condition),
    unit: def.unit,
    latching: ctx.latches(condition),
    message: `${def.name}（${def.tag}）${CONDITION_TEXT[condition]}${shown ? `：${shown}` : ''}${limitText}${detail}`,
    nowMs,
  };
}
