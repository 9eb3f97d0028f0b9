import type {
  GradeResult,
  HazardSource,
  LatestValue,
  SisState,
  SourceDetail,
  SourceRisk,
  TagDef,
  ValveState,
} from '@hazard/server/contracts';
import { formatValue } from '../../shared/i18n/format';
import {
  buildLayout,
  displayRange,
  sisReading,
  valveReading,
  type DiscreteReading,
  type WallLayout,
} from '../wall/wall.model';

/** Colours of the limit bands, the same as the wall's values (H/L amber, HH/LL red). */
export const BAND_COLORS = { normal: '#2e7d4f', warn: '#ff9f1a', alarm: '#ff3b30' } as const;

/**
 * The HH/H/L/LL bands of an analog tag as ECharts gauge `axisLine` colour stops: [end fraction of the range,
 * colour], ascending, the last ending at 1. Limits outside the range are clamped to it; a tag without limits is one
 * normal band.
 */
export function gaugeBands(def: TagDef): [number, string][] {
  const [min, max] = displayRange(def);
  const frac = (v: number): number => Math.min(1, Math.max(0, (v - min) / (max - min)));
  const l = def.limits ?? {};
  const stops: [number, string][] = [];
  const push = (end: number | undefined, color: string): void => {
    if (end === undefined) return;
    const f = frac(end);
    const prev = stops.at(-1)?.[0] ?? 0;
    if (f > prev) stops.push([f, color]);
  };
  // Below LL: alarm; LL..L: warn; then normal up to H; H..HH warn; above HH alarm. Missing limits merge bands.
  push(l.ll, BAND_COLORS.alarm);
  push(l.l, l.ll !== undefined || l.l !== undefined ? BAND_COLORS.warn : BAND_COLORS.normal);
  push(l.h, BAND_COLORS.normal);
  push(l.hh, l.h !== undefined ? BAND_COLORS.warn : BAND_COLORS.normal);
  if ((stops.at(-1)?.[0] ?? 0) < 1) {
    stops.push([1, l.hh !== undefined ? BAND_COLORS.alarm : l.h !== undefined ? BAND_COLORS.warn : BAND_COLORS.normal]);
  }
  return stops;
}

/** Trend spans the page offers, each with a bucket step the server serves from raw, 1-minute or 1-hour data. */
export const TREND_RANGES = {
  '1h': { spanMs: 3_600_000, step: '30s' },
  '24h': { spanMs: 86_400_000, step: '5m' },
  '30d': { spanMs: 30 * 86_400_000, step: '2h' },
} as const;
export type TrendRange = keyof typeof TREND_RANGES;

/** Tags a trend can be drawn for: numeric kinds (valve and SIS states are discrete). */
export function trendTags(source: HazardSource): TagDef[] {
  return source.equipment.flatMap((e) => e.tags.filter((t) => t.kind !== 'valve_position' && t.kind !== 'sis_state'));
}

/** An SIS loop as the barrier board shows it. */
export interface SisView {
  id: string;
  name: string;
  tag: string;
  sil: 1 | 2 | 3 | null;
  reading: DiscreteReading<SisState>;
  /** Epoch ms since when it stands bypassed / tripped / faulted, from the risk reasons (server clock); else null. */
  sinceMs: number | null;
  /** Minutes a bypass may stand (site `bypassMaxMin`), null for the server default. */
  bypassMaxMin: number | null;
  tripTags: string[];
  closes: string[];
}

/** An ESD valve with the position its SIS loops demand, where that is known. */
export interface ValveView {
  id: string;
  name: string;
  tag: string;
  reading: DiscreteReading<ValveState>;
  /** `closed` while a loop that closes it is tripped; null when no demand is known (the BPCS may move it). */
  demand: 'closed' | null;
  /** The loops that close it. */
  closedBy: string[];
  /** The valve is not where its loop demands (after its travel time the server raises VALVE_MISMATCH). */
  mismatch: boolean;
}

const SIS_REASON_CODES = new Set(['sis_bypassed', 'sis_bypassed_long', 'sis_tripped', 'sis_fault']);

/** Valves and SIS loops of a source with states, demands and since-when (for the 旁路 timer). */
export function barrierViews(
  source: HazardSource,
  latest: Readonly<Record<string, LatestValue>>,
  risk: SourceRisk | null,
): { valves: ValveView[]; sis: SisView[] } {
  const sis: SisView[] = [];
  for (const e of source.equipment) {
    if (e.type !== 'sis_loop') continue;
    const tag = e.tags.find((t) => t.kind === 'sis_state')?.tag ?? e.id;
    const reason = risk?.reasons.find((r) => r.ref === e.id && SIS_REASON_CODES.has(r.code));
    sis.push({
      id: e.id,
      name: e.name,
      tag,
      sil: e.sil ?? null,
      reading: sisReading(latest[tag]),
      sinceMs: reason?.sinceMs ?? null,
      bypassMaxMin: e.bypassMaxMin ?? null,
      tripTags: e.tripTags,
      closes: e.closes,
    });
  }
  const valves: ValveView[] = [];
  for (const e of source.equipment) {
    if (e.type !== 'esd_valve') continue;
    const tag = e.tags.find((t) => t.kind === 'valve_position')?.tag ?? e.id;
    const loops = sis.filter((s) => s.closes.includes(e.id));
    const demand = loops.some((s) => s.reading === 'tripped') ? 'closed' : null;
    const reading = valveReading(latest[tag]);
    valves.push({
      id: e.id,
      name: e.name,
      tag,
      reading,
      demand,
      closedBy: loops.map((s) => s.id),
      mismatch: demand === 'closed' && reading !== 'closed' && reading !== 'travel',
    });
  }
  return { valves, sis };
}

/** One row of the GB 18218 table, numbers already formatted (q, Q in tonnes). */
export interface GradeRow {
  chemical: string;
  nameZh: string;
  hazardClass: string;
  source: 'table1' | 'table2';
  q: string;
  Q: string;
  qOverQ: string;
  beta: string;
  betaQOverQ: string;
  verified: boolean;
}

const num = (v: number, digits = 3): string => formatValue(v, digits);

/** The grade computation term by term (GB 18218-2018 §4.2–4.3), so a safety engineer can check each step. */
export function gradeRows(grade: GradeResult): GradeRow[] {
  return grade.terms.map((term) => ({
    chemical: term.chemical,
    nameZh: term.nameZh,
    hazardClass: term.hazardClass ?? '—',
    source: term.source,
    q: num(term.quantityT),
    Q: num(term.criticalQuantityT),
    qOverQ: num(term.qOverQ),
    beta: num(term.beta),
    betaQOverQ: num(term.betaQOverQ),
    verified: term.verified,
  }));
}

/** Σ β·q/Q, the sum R is α times. */
export function betaSum(grade: GradeResult): number {
  return grade.terms.reduce((sum, term) => sum + term.betaQOverQ, 0);
}

/** The wall's layout (tanks, detectors, valves, SIS) of the one source of a detail answer. */
export function layoutOfDetail(detail: SourceDetail): WallLayout {
  return buildLayout(
    {
      schemaVersion: 1,
      park: { id: detail.enterpriseId, name: detail.enterpriseName },
      enterprises: [
        { id: detail.enterpriseId, name: detail.enterpriseName, code: '', address: '', sources: [detail.source] },
      ],
    },
    detail.source.id,
  );
}
