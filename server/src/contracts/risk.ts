import type { MhsGrade } from './grading';

/**
 * The four risk colours, least to worst (DOMAIN.md «Four-colour risk»): 蓝 低 · 黄 一般 · 橙 较大 · 红 重大.
 * A colour is the live risk; it is not the GB 18218 grade (一级…四级), which is static.
 */
export const RISK_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** zh-CN names of the colours as control rooms say them. */
export const RISK_LEVEL_ZH: Record<RiskLevel, string> = {
  blue: '蓝色（低风险）',
  yellow: '黄色（一般风险）',
  orange: '橙色（较大风险）',
  red: '红色（重大风险）',
};

/** What moved a score or set a floor; the web renders `code` + `params` in the chosen language. */
export type RiskReasonCode =
  | 'grade'
  | 'alarm'
  | 'alarm_returned'
  | 'composite_alarm'
  | 'sis_bypassed'
  | 'sis_bypassed_long'
  | 'sis_tripped'
  | 'sis_fault'
  | 'valve_fault'
  | 'barrier_alarm'
  | 'gateway_offline'
  | 'data_stale'
  | 'bad_quality'
  | 'alarm_shelved'
  | 'alarm_out_of_service'
  /** The least reasons beyond MAX_SOURCE_REASONS, folded into one with their points summed. */
  | 'more';

/** One reason behind a level: how many points it cost and, where it forces one, the least level it allows. */
export interface RiskReason {
  code: RiskReasonCode;
  /** Points taken off the score of 100 (after the grade weight). */
  points: number;
  /** The level this reason forces at least, whatever the score. */
  floor?: RiskLevel;
  /** zh-CN sentence, e.g. `SIS-301 旁路已 3 小时 12 分`. */
  text: string;
  /** The tag or equipment it concerns. */
  ref?: string;
  /** Epoch ms since when it holds (alarms, bypasses). */
  sinceMs?: number;
  /** Values behind the text, for other languages. */
  params?: Record<string, string | number>;
}

/** The live risk of one hazard source (docs/risk-model.md). */
export interface SourceRisk {
  sourceId: string;
  enterpriseId: string;
  level: RiskLevel;
  /** 100 less the deductions; the bands follow 应急〔2018〕19号: < 60 red, < 75 orange, < 90 yellow. */
  score: number;
  /** GB 18218-2018 grade; null when the unit is not a major hazard source. */
  grade: MhsGrade | null;
  /** Worst first. */
  reasons: RiskReason[];
  /** Epoch ms of the computation. */
  computedAt: number;
  modelVersion: string;
}

/** An enterprise or the park: the worst of what it holds, with counts per colour. */
export interface AggregateRisk {
  level: RiskLevel;
  /** Lowest score of its sources. */
  score: number;
  counts: Record<RiskLevel, number>;
  /** The worst sources' leading reasons, prefixed with the source. */
  reasons: RiskReason[];
}

export interface EnterpriseRisk extends AggregateRisk {
  enterpriseId: string;
}

/** `GET /api/risk` and the `risk` part of a snapshot. */
export interface RiskOverview {
  /** The risk stream's own sequence (not the alarm stream's): the number of the last `risk` event. */
  seq: number;
  computedAt: number;
  modelVersion: string;
  park: AggregateRisk;
  enterprises: EnterpriseRisk[];
  sources: SourceRisk[];
}

/** socket.io `risk`: the sources whose level, score or reasons changed, with their enterprises and the park. */
export interface RiskEvent {
  /** Next number of the risk stream; a client that sees a gap asks for `resync` (DESIGN.md §3). */
  seq: number;
  computedAt: number;
  park: AggregateRisk;
  enterprises: EnterpriseRisk[];
  sources: SourceRisk[];
}

/** One stored assessment of a source: the level, score and reasons in force from `tsMs` on. */
export interface RiskHistoryEntry {
  tsMs: number;
  level: RiskLevel;
  score: number;
  reasons: RiskReason[];
  modelVersion: string;
}

/** `GET /api/risk/:sourceId/history?from=&to=`: every change in the range, oldest first, the one in force first. */
export interface RiskHistoryResponse {
  sourceId: string;
  fromMs: number;
  toMs: number;
  entries: RiskHistoryEntry[];
  /** True when more changes than the cap fell in the range (the first ones are returned). */
  truncated: boolean;
}
