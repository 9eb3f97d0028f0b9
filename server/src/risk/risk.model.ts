import type { AggregateRisk, Alarm, AlarmCondition, MhsGrade, RiskLevel, RiskReason, SourceRisk } from '../contracts';
import { CONDITION_CATEGORY, RISK_LEVELS } from '../contracts';
import { CONDITION_TEXT } from '../rules/rule';

/**
 * Dynamic four-colour risk of a hazard source (DOMAIN.md «Four-colour risk», docs/risk-model.md).
 *
 * No official formula for the live level of one MHS exists, so this one is ours, versioned and explainable: a score
 * of 100 less deductions, banded like the enterprise safety diagnosis of 应急〔2018〕19号 (< 60 red, < 75 orange,
 * < 90 yellow, else blue), and floors that certain facts force whatever the score. The GB 18218 grade weighs the
 * live deductions (the same open valve matters more where more is stored and more people live around it) and takes
 * a few points of its own, so that a quiet 一级 source is blue but closer to yellow than a quiet 四级 one.
 * Every deduction and floor is a reason with its text.
 */
export const RISK_MODEL_VERSION = 'risk-1.1 (2026-12-01)';

/**
 * Most reasons a source carries, the grade included. Beyond, the least are folded into one `more` reason with their
 * points summed, so the points still add up to the score. A source in an alarm flood otherwise carried one reason per
 * alarm, and every `risk` push its whole growing list (the fan-out bench: 100 alarms a source, 10 sources, 200
 * screens); the alarm list, not the risk reasons, is where each alarm is handled.
 */
export const MAX_SOURCE_REASONS = 12;

/** Score bands of 应急〔2018〕19号: red below 60, orange below 75, yellow below 90, blue from 90. */
export const SCORE_BANDS: readonly { below: number; level: RiskLevel }[] = [
  { below: 60, level: 'red' },
  { below: 75, level: 'orange' },
  { below: 90, level: 'yellow' },
];

/** Points the grade itself takes (inherent risk) and the weight it puts on live deductions. */
export const GRADE_EFFECT: Record<MhsGrade | 0, { base: number; weight: number }> = {
  1: { base: 5, weight: 1.5 },
  2: { base: 3, weight: 1.25 },
  3: { base: 1, weight: 1 },
  4: { base: 0, weight: 0.8 },
  0: { base: 0, weight: 0.8 },
};

/** Points of one annunciated alarm by priority (1 urgent … 4 low), unacknowledged and acknowledged. */
export const ALARM_POINTS: Record<1 | 2 | 3 | 4, { unacked: number; acked: number }> = {
  1: { unacked: 30, acked: 20 },
  2: { unacked: 15, acked: 10 },
  3: { unacked: 6, acked: 4 },
  4: { unacked: 2, acked: 1 },
};

/** Tunables of the model; the defaults are the documented `risk-1` values. */
export interface RiskModelOptions {
  /** An SIS bypass older than this is a standing defeat of a safety function (SAWS Order 40 Art. 13). */
  sisBypassLongMs: number;
  /** Most points all process alarms together may take (one flood must not hide the barrier picture). */
  alarmPointsCap: number;
}

export const DEFAULT_RISK_OPTIONS: RiskModelOptions = { sisBypassLongMs: 8 * 3_600_000, alarmPointsCap: 60 };

/** State of an SIS loop as its state tag reports it, and since when. */
export interface SisFact {
  id: string;
  name: string;
  state: 'normal' | 'bypassed' | 'tripped' | 'fault' | 'unknown';
  sinceMs: number;
  /** This loop's longest acceptable bypass (site model `bypassMaxMin`); absent: the model's default. */
  bypassLongMs?: number;
}

/** State of an ESD valve as its position tag reports it. */
export interface ValveFact {
  id: string;
  name: string;
  state: 'open' | 'closed' | 'travel' | 'fault' | 'unknown';
}

/** Everything the model needs of one hazard source at one instant; plain data. */
export interface SourceRiskInput {
  sourceId: string;
  enterpriseId: string;
  grade: MhsGrade | null;
  /** R of GB 18218, for the grade's reason. */
  gradeR: number | null;
  /** The source's alarm points that are not normal or carry an overlay. */
  alarms: readonly Alarm[];
  sis: readonly SisFact[];
  valves: readonly ValveFact[];
  data: {
    tags: number;
    /** Tags stale for any reason other than the gateway (which counts once, below). */
    stale: number;
    badQuality: number;
    gatewayOffline: boolean;
  };
  nowMs: number;
}

const GRADE_ZH: Record<MhsGrade, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** A confirmed leak (k-out-of-n) or a leak with the shut-off valve open: red whatever else (GB/T 50493, AQ 3035). */
const RED_COMPOSITES: ReadonlySet<AlarmCondition> = new Set(['VOTE', 'GAS_VALVE_OPEN']);

export function levelOfScore(score: number): RiskLevel {
  for (const band of SCORE_BANDS) if (score < band.below) return band.level;
  return 'blue';
}

export function worse(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;
}

/** `3 小时 12 分`, `45 分`, for durations in reasons. */
export function durationZh(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(min / 60);
  return h > 0 ? `${h} 小时 ${min % 60} 分` : `${min} 分`;
}

/** The live risk of one source. Pure: same input, same output. */
export function assessSource(input: SourceRiskInput, opts: RiskModelOptions = DEFAULT_RISK_OPTIONS): SourceRisk {
  const { base, weight } = GRADE_EFFECT[input.grade ?? 0];
  const live: RiskReason[] = [];
  const add = (r: RiskReason) => live.push(r);

  let alarmPoints = 0;
  let hiddenPoints = 0;
  for (const a of input.alarms) {
    const since = a.annunciatedAt ?? a.raisedAt;
    if (a.shelved || a.outOfService) {
      // A hidden alarm hides risk: the operator sees less than the plant shows (ISA-18.2 shelving, EEMUA 191).
      const points = Math.min(a.outOfService ? 3 : 2, 10 - hiddenPoints);
      hiddenPoints += points;
      const code = a.outOfService ? 'alarm_out_of_service' : 'alarm_shelved';
      const what = a.outOfService ? '退出服务' : '已搁置';
      add({
        code,
        points,
        ref: a.tag,
        sinceMs: (a.outOfService?.atMs ?? a.shelved?.atMs)!,
        text: `${a.tag} ${CONDITION_TEXT[a.condition]}${what}`,
        params: { tag: a.tag, condition: a.condition },
      });
      continue;
    }
    // Data and barrier conditions speak through data health and the barrier states below, not twice.
    const category = CONDITION_CATEGORY[a.condition];
    if (a.suppressed || category === 'data') continue;
    if (category === 'barrier') {
      // Valve travel and mismatch only show as alarms; SIS states and valve faults come from the state tags below.
      if ((a.condition === 'VALVE_MISMATCH' || a.condition === 'VALVE_TRAVEL') && a.active) {
        add({
          code: 'barrier_alarm',
          points: 10,
          ref: a.tag,
          sinceMs: since,
          text: `${a.tag} ${CONDITION_TEXT[a.condition]}`,
          params: { tag: a.tag, condition: a.condition },
        });
      }
      continue;
    }
    const acked = a.state === 'acked' || a.state === 'latched_acked';
    const ackText = acked ? '已确认' : '未确认';
    if (!a.active) {
      // Returned but not yet acknowledged or reset: little risk, but still someone's work.
      if (a.state === 'rtn_unacked' || a.state === 'latched_unacked' || a.state === 'latched_acked') {
        const points = Math.min(1, opts.alarmPointsCap - alarmPoints);
        alarmPoints += points;
        add({
          code: 'alarm_returned',
          points,
          ref: a.tag,
          sinceMs: since,
          text: `${a.tag} ${CONDITION_TEXT[a.condition]}已恢复，${a.state === 'rtn_unacked' ? '未确认' : '待复位'}`,
          params: { tag: a.tag, condition: a.condition },
        });
      }
      continue;
    }
    const table = ALARM_POINTS[a.priority];
    const points = Math.min(acked ? table.acked : table.unacked, opts.alarmPointsCap - alarmPoints);
    alarmPoints += points;
    const red = RED_COMPOSITES.has(a.condition);
    add({
      code: red ? 'composite_alarm' : 'alarm',
      points,
      ...(red ? { floor: 'red' as const } : a.priority === 1 ? { floor: 'orange' as const } : {}),
      ref: a.tag,
      sinceMs: since,
      text: `${a.tag} ${CONDITION_TEXT[a.condition]}（P${a.priority}），${ackText}`,
      params: { tag: a.tag, condition: a.condition, priority: a.priority, acked: acked ? 1 : 0 },
    });
  }

  for (const s of input.sis) {
    const forMs = input.nowMs - s.sinceMs;
    switch (s.state) {
      case 'bypassed': {
        const long = forMs >= (s.bypassLongMs ?? opts.sisBypassLongMs);
        add({
          code: long ? 'sis_bypassed_long' : 'sis_bypassed',
          points: long ? 25 : 15,
          // An SIS of a 一/二级 MHS must be in service (SAWS Order 40 Art. 13): a bypass is itself a safety condition.
          ...(long || (input.grade !== null && input.grade <= 2)
            ? { floor: 'orange' as const }
            : { floor: 'yellow' as const }),
          ref: s.id,
          sinceMs: s.sinceMs,
          text: `${s.id} ${s.name}旁路已 ${durationZh(forMs)}`,
          params: { id: s.id, forMin: Math.floor(forMs / 60_000) },
        });
        break;
      }
      case 'tripped':
        add({
          code: 'sis_tripped',
          points: 20,
          floor: 'orange',
          ref: s.id,
          sinceMs: s.sinceMs,
          text: `${s.id} ${s.name}联锁动作 ${durationZh(forMs)}`,
          params: { id: s.id, forMin: Math.floor(forMs / 60_000) },
        });
        break;
      case 'fault':
        add({
          code: 'sis_fault',
          points: 20,
          floor: 'orange',
          ref: s.id,
          sinceMs: s.sinceMs,
          text: `${s.id} ${s.name}故障`,
          params: { id: s.id },
        });
        break;
      case 'normal':
      case 'unknown':
        break;
    }
  }
  for (const v of input.valves) {
    if (v.state === 'fault') {
      add({
        code: 'valve_fault',
        points: 15,
        floor: 'yellow',
        ref: v.id,
        text: `${v.id} ${v.name}故障`,
        params: { id: v.id },
      });
    }
  }

  const d = input.data;
  if (d.gatewayOffline) {
    // We cannot see the source: never blue, since blue would say all is well (DESIGN.md: never stale data as live).
    add({
      code: 'gateway_offline',
      points: 25,
      floor: 'yellow',
      text: '网关离线，全部数据中断',
      params: { tags: d.tags },
    });
  } else if (d.stale > 0 && d.tags > 0) {
    const fraction = d.stale / d.tags;
    add({
      code: 'data_stale',
      points: Math.max(1, Math.round(20 * fraction)),
      ...(fraction >= 0.5 ? { floor: 'yellow' as const } : {}),
      text: `${d.stale}/${d.tags} 个位号数据中断`,
      params: { stale: d.stale, tags: d.tags },
    });
  }
  if (d.badQuality > 0) {
    add({
      code: 'bad_quality',
      points: Math.min(10, 2 * d.badQuality),
      text: `${d.badQuality} 个位号数据质量坏`,
      params: { tags: d.badQuality },
    });
  }

  for (const r of live) r.points = Math.round(r.points * weight * 10) / 10;
  const reasons = [...live];
  if (input.grade !== null) {
    reasons.push({
      code: 'grade',
      points: base,
      text: `${GRADE_ZH[input.grade]}重大危险源（GB 18218-2018，R = ${input.gradeR ?? '?'}），实时扣分 ×${weight}`,
      params: { grade: input.grade, R: input.gradeR ?? 0, weight },
    });
  }
  const deducted = reasons.reduce((sum, r) => sum + r.points, 0);
  const score = Math.max(0, Math.round((100 - deducted) * 10) / 10);
  let level = levelOfScore(score);
  for (const r of reasons) if (r.floor) level = worse(level, r.floor);
  // Worst first: floors above others, then points; the grade, always present, last.
  reasons.sort((a, b) => rank(b) - rank(a) || b.points - a.points);
  return {
    sourceId: input.sourceId,
    enterpriseId: input.enterpriseId,
    level,
    score,
    grade: input.grade,
    reasons: foldReasons(reasons),
    computedAt: input.nowMs,
    modelVersion: RISK_MODEL_VERSION,
  };
}

/** Keeps the worst MAX_SOURCE_REASONS - 1 and the grade; the rest become one `more` reason (sorted input). */
function foldReasons(sorted: RiskReason[]): RiskReason[] {
  if (sorted.length <= MAX_SOURCE_REASONS) return sorted;
  const grade = sorted.at(-1)?.code === 'grade' ? sorted.at(-1) : undefined;
  const live = grade ? sorted.slice(0, -1) : sorted;
  const keep = live.slice(0, MAX_SOURCE_REASONS - (grade ? 2 : 1));
  const folded = live.slice(keep.length);
  const points = Math.round(folded.reduce((sum, r) => sum + r.points, 0) * 10) / 10;
  const more: RiskReason = {
    code: 'more',
    points,
    text: `另有 ${folded.length} 项（共扣 ${points} 分），详见报警列表`,
    params: { count: folded.length, points },
  };
  return grade ? [...keep, more, grade] : [...keep, more];
}

function rank(r: RiskReason): number {
  if (r.code === 'grade') return -1;
  return r.floor ? RISK_LEVELS.indexOf(r.floor) + 1 : 0;
}

/** The worst of several sources, with counts per colour and their leading reasons (an enterprise, the park). */
export function aggregate(
  sources: readonly SourceRisk[],
  names: ReadonlyMap<string, string>,
  topReasons = 5,
): AggregateRisk {
  const counts: Record<RiskLevel, number> = { blue: 0, yellow: 0, orange: 0, red: 0 };
  let level: RiskLevel = 'blue';
  let score = 100;
  for (const s of sources) {
    counts[s.level]++;
    level = worse(level, s.level);
    score = Math.min(score, s.score);
  }
  const worst = [...sources].sort(
    (a, b) => RISK_LEVELS.indexOf(b.level) - RISK_LEVELS.indexOf(a.level) || a.score - b.score,
  );
  const reasons: RiskReason[] = [];
  for (const s of worst) {
    if (s.level === 'blue') break;
    for (const r of s.reasons) {
      if (r.code === 'grade') continue;
      const name = names.get(s.sourceId) ?? s.sourceId;
      reasons.push({ ...r, text: `${name}：${r.text}`, params: { ...r.params, source: s.sourceId } });
      if (reasons.length >= topReasons) return { level, score, counts, reasons };
    }
  }
  return { level, score, counts, reasons };
}

/** Whether a recomputed source risk differs from the last pushed one in what a screen shows. */
export function riskChanged(prev: SourceRisk | undefined, next: SourceRisk): boolean {
  if (!prev) return true;
  if (prev.level !== next.level || prev.score !== next.score || prev.reasons.length !== next.reasons.length)
    return true;
  for (let i = 0; i < next.reasons.length; i++) {
    const a = prev.reasons[i]!;
    const b = next.reasons[i]!;
    // Texts with durations change every minute; a minute's step of a bypass timer is worth a push.
    if (a.code !== b.code || a.ref !== b.ref || a.points !== b.points || a.text !== b.text) return true;
  }
  return false;
}
