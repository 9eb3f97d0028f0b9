import type { Alarm, AlarmPriority, DataHealthResponse, RiskLevel } from '@hazard/server/contracts';
import type { MapSourceView } from './risk-map.options';

/** The wall's KPI strip, derived from what the wall holds (pure; the component only formats). */
export interface KpiCounts {
  /** Hazard sources per live colour. */
  levels: Record<RiskLevel, number>;
  /** Sources without a computed risk. */
  unrated: number;
  /** Annunciated alarms whose condition holds, by priority. */
  active: Record<AlarmPriority, number>;
  /** Alarms still to be acknowledged (unacked, returned-unacked, latched-unacked), by priority. */
  unacked: Record<AlarmPriority, number>;
  activeTotal: number;
  unackedTotal: number;
}

const UNACKED_STATES: ReadonlySet<Alarm['state']> = new Set(['unacked', 'rtn_unacked', 'latched_unacked']);

export function kpiCounts(sources: readonly MapSourceView[], alarms: readonly Alarm[]): KpiCounts {
  const levels: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 };
  let unrated = 0;
  for (const s of sources) {
    if (s.level === null) unrated++;
    else levels[s.level]++;
  }
  const active: Record<AlarmPriority, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  const unacked: Record<AlarmPriority, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  let activeTotal = 0;
  let unackedTotal = 0;
  for (const a of alarms) {
    if (a.active) {
      active[a.priority]++;
      activeTotal++;
    }
    if (UNACKED_STATES.has(a.state)) {
      unacked[a.priority]++;
      unackedTotal++;
    }
  }
  return { levels, unrated, active, unacked, activeTotal, unackedTotal };
}

/** 在线率 of the park as the strip shows it. */
export interface OnlineRateView {
  /** Percent of the current hour and day, one decimal; null before the server took a sample (or never fetched). */
  hourPct: number | null;
  dayPct: number | null;
  /** True when the last successful poll is older than the limit (or there was none): shown as not current. */
  stale: boolean;
  /** Server time of the figures, epoch ms; null when never fetched. */
  asOfMs: number | null;
}

const pct = (rate: number | null | undefined): number | null =>
  rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10;

/**
 * The online rate from the last successful `GET /api/health/data`. `fetchedAtMs` is local time of that answer,
 * `nowMs` local time now: a poll that keeps failing turns the figure stale instead of freezing it as current.
 */
export function onlineRateView(
  health: DataHealthResponse | null,
  fetchedAtMs: number | null,
  nowMs: number,
  staleAfterMs: number,
): OnlineRateView {
  if (!health || fetchedAtMs === null) return { hourPct: null, dayPct: null, stale: true, asOfMs: null };
  return {
    hourPct: pct(health.park.onlineRateHour.rate),
    dayPct: pct(health.park.onlineRateDay.rate),
    stale: nowMs - fetchedAtMs > staleAfterMs,
    asOfMs: health.serverTime,
  };
}

/** The newest alarms first (raise time), for the ticker; ties by id so items do not swap between renders. */
export function tickerAlarms(alarms: readonly Alarm[], size: number): Alarm[] {
  return [...alarms].sort((a, b) => b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, size);
}
