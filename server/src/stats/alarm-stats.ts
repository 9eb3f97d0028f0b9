import { CHATTER_THRESHOLD, CHATTER_WINDOW_MS } from '../alarms/lifecycle';
import {
  isAnnunciated,
  type AckTimeStats,
  type AlarmEvent,
  type AlarmPointRef,
  type AlarmStatsReference,
  type AlarmStatsResponse,
  type BadActor,
  type ChatteringAlarm,
  type FloodPeriod,
  type PositionStats,
  type PriorityClassShares,
  type PriorityMix,
  type RateBucket,
  type StandingAlarm,
} from '../contracts';

/**
 * Alarm system performance after EEMUA 191 and ISA-18.2 / IEC 62682 (monitoring and assessment), as pure functions
 * over journal events. Definitions in docs/alarm-statistics.md.
 */

export const RATE_WINDOW_MS = 10 * 60_000;
export const STANDING_MS = 24 * 3_600_000;

export const REFERENCE: AlarmStatsReference = {
  acceptablePer10Min: 1,
  manageablePer10Min: 2,
  floodStartPer10Min: 10,
  floodEndPer10Min: 5,
  standingMs: STANDING_MS,
  chatterActivations: CHATTER_THRESHOLD,
  chatterWindowMs: CHATTER_WINDOW_MS,
  priorityPct: { high: 5, medium: 15, low: 80 },
};

export interface AlarmStatsInput {
  /** Inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  /** Operator positions (enterprise ids) to report, even those without alarms. */
  positions: readonly string[];
  /** The latest event of each alarm point before `fromMs`: the states at the start of the range. */
  initial: readonly AlarmEvent[];
  /**
   * Journal events of `[fromMs − 10 min, toMs)`, oldest first (time, then seq). The 10 minutes before the range
   * only feed the trailing window of the flood detection.
   */
  events: readonly AlarmEvent[];
  enterpriseId?: string;
}

/**
 * An annunciated alarm, the unit of every rate: a `raise` (a new activation, or re-activation after a return)
 * or an `escalate` (a worse level of the same point re-alarms, ISA-18.2), that reached the operator, i.e. the
 * point was not shelved, suppressed by design or out of service. Releases from those overlays re-annunciate an
 * activation already counted (or hidden on purpose) and are not counted again.
 */
export function isAnnunciation(e: AlarmEvent): boolean {
  return (e.transition === 'raise' || e.transition === 'escalate') && isAnnunciated(e.alarm);
}

export function alarmStats(input: AlarmStatsInput): Omit<AlarmStatsResponse, 'truncated'> {
  const { fromMs, toMs } = input;
  const inRange = input.events.filter((e) => e.tsMs >= fromMs && e.tsMs < toMs);
  const annunciations = inRange.filter(isAnnunciation);
  const withLookback = input.events.filter((e) => e.tsMs < toMs && isAnnunciation(e));
  return {
    fromMs,
    toMs,
    ...(input.enterpriseId !== undefined ? { enterpriseId: input.enterpriseId } : {}),
    reference: REFERENCE,
    alarms: annunciations.length,
    positions: [...input.positions].sort().map((id) =>
      positionStats(
        id,
        withLookback.filter((e) => e.alarm.enterpriseId === id).map((e) => e.tsMs),
        fromMs,
        toMs,
      ),
    ),
    standing: standingAlarms(input.initial, inRange, fromMs, toMs),
    chattering: chatteringAlarms(inRange),
    topBadActors: badActors(annunciations, 10),
    priorityMix: priorityMix(annunciations),
    ackTime: ackTimes(inRange),
  };
}

/** Rates and floods of one operator position from its annunciation times (oldest first, may start before `fromMs`). */
export function positionStats(
  enterpriseId: string,
  timesMs: readonly number[],
  fromMs: number,
  toMs: number,
): PositionStats {
  const per10Min = rateBuckets(timesMs, fromMs, toMs);
  const alarms = per10Min.reduce((n, b) => n + b.count, 0);
  const spanMs = Math.max(toMs - fromMs, 1);
  const floods = floodPeriods(timesMs, toMs);
  const visible = floods.filter((f) => (f.endMs ?? toMs) > fromMs);
  const floodMs = visible.reduce((ms, f) => ms + Math.min(f.endMs ?? toMs, toMs) - Math.max(f.startMs, fromMs), 0);
  const over = (n: number) =>
    per10Min.length === 0 ? 0 : pct(per10Min.filter((b) => b.count > n).length, per10Min.length);
  return {
    enterpriseId,
    alarms,
    per10Min,
    meanPer10Min: round2((alarms * RATE_WINDOW_MS) / spanMs),
    maxPer10Min: per10Min.reduce((m, b) => Math.max(m, b.count), 0),
    bucketsOverAcceptablePct: over(REFERENCE.acceptablePer10Min),
    bucketsOverManageablePct: over(REFERENCE.manageablePer10Min),
    floods: visible,
    timeInFloodPct: pct(floodMs, spanMs),
  };
}

/** Clock-aligned 10-minute buckets covering `[fromMs, toMs)`; only times within the range are counted. */
export function rateBuckets(timesMs: readonly number[], fromMs: number, toMs: number): RateBucket[] {
  const first = Math.floor(fromMs / RATE_WINDOW_MS) * RATE_WINDOW_MS;
  const buckets: RateBucket[] = [];
  for (let t = first; t < toMs; t += RATE_WINDOW_MS) buckets.push({ startMs: t, count: 0 });
  for (const t of timesMs) {
    if (t < fromMs || t >= toMs) continue;
    buckets[Math.floor((t - first) / RATE_WINDOW_MS)]!.count++;
  }
  return buckets;
}

/**
 * Floods (EEMUA 191): the trailing 10-minute count of annunciations, `#{t : now − 10 min < t ≤ now}`, changes only
 * when an alarm arrives or one leaves the window 10 minutes later. A flood begins with the first alarm of the first
 * window holding more than 10, and ends at the instant the count falls below 5 (the hysteresis keeps one flood
 * from splitting in two); its alarms are those from its first alarm to its end.
 */
export function floodPeriods(timesMs: readonly number[], untilMs: number): FloodPeriod[] {
  const floods: FloodPeriod[] = [];
  let current: { startMs: number; firstIdx: number; peak: number } | undefined;
  let arrived = 0;
  let left = 0;
  const n = timesMs.length;
  while (arrived < n || left < arrived) {
    const nextArrival = arrived < n ? timesMs[arrived]! : Infinity;
    const nextDeparture = left < arrived ? timesMs[left]! + RATE_WINDOW_MS : Infinity;
    const t = Math.min(nextArrival, nextDeparture);
    if (t >= untilMs) break;
    while (left < arrived && timesMs[left]! + RATE_WINDOW_MS <= t) left++;
    while (arrived < n && timesMs[arrived]! <= t) arrived++;
    const count = arrived - left;
    if (!current) {
      if (count > REFERENCE.floodStartPer10Min) current = { startMs: timesMs[left]!, firstIdx: left, peak: count };
    } else {
      current.peak = Math.max(current.peak, count);
      if (count < REFERENCE.floodEndPer10Min) {
        floods.push({
          startMs: current.startMs,
          endMs: t,
          alarms: arrived - current.firstIdx,
          peakPer10Min: current.peak,
        });
        current = undefined;
      }
    }
  }
  if (current) {
    const alarms = timesMs.filter((t, i) => i >= current!.firstIdx && t < untilMs).length;
    floods.push({ startMs: current.startMs, endMs: null, alarms, peakPer10Min: current.peak });
  }
  return floods;
}

function ref(e: AlarmEvent): AlarmPointRef {
  const a = e.alarm;
  return {
    key: a.key,
    tag: a.tag,
    enterpriseId: a.enterpriseId,
    sourceId: a.sourceId,
    condition: a.condition,
    priority: a.priority,
  };
}

/**
 * Alarms whose condition stayed active (`alarm.active`, whatever the acknowledgement or overlays) for more than
 * 24 h without a return, at some time in the range. An alarm already active at the start counts from its latest
 * activation before the range (the raise, or the occurrence's `raisedAt`).
 */
export function standingAlarms(
  initial: readonly AlarmEvent[],
  events: readonly AlarmEvent[],
  fromMs: number,
  toMs: number,
): StandingAlarm[] {
  const since = new Map<string, { sinceMs: number; last: AlarmEvent }>();
  for (const e of initial) {
    if (e.alarm.active)
      since.set(e.alarm.key, { sinceMs: e.transition === 'raise' ? e.tsMs : e.alarm.raisedAt, last: e });
  }
  const out: StandingAlarm[] = [];
  const close = (s: { sinceMs: number; last: AlarmEvent }, endMs: number, returned: boolean) => {
    if (endMs - s.sinceMs > STANDING_MS) {
      out.push({
        ...ref(s.last),
        activeSinceMs: s.sinceMs,
        returnedAtMs: returned ? endMs : null,
        activeMs: endMs - s.sinceMs,
      });
    }
  };
  for (const e of events) {
    const key = e.alarm.key;
    const s = since.get(key);
    if (s && !e.alarm.active) {
      close({ ...s, last: e }, e.tsMs, true);
      since.delete(key);
    } else if (s) {
      s.last = e;
    } else if (e.alarm.active) {
      since.set(key, { sinceMs: e.tsMs, last: e });
    }
  }
  for (const s of since.values()) close(s, Math.max(toMs, fromMs), false);
  return out.sort((a, b) => b.activeMs - a.activeMs || a.key.localeCompare(b.key));
}

/** Points with at least 3 activations (`raise`) within 60 s (EEMUA 191 chattering; the same window as lifecycle.ts). */
export function chatteringAlarms(events: readonly AlarmEvent[]): ChatteringAlarm[] {
  const byKey = new Map<string, { times: number[]; last: AlarmEvent; max: number; firstAt?: number }>();
  for (const e of events) {
    if (e.transition !== 'raise') continue;
    let k = byKey.get(e.alarm.key);
    if (!k) byKey.set(e.alarm.key, (k = { times: [], last: e, max: 0 }));
    k.last = e;
    k.times.push(e.tsMs);
  }
  const out: ChatteringAlarm[] = [];
  for (const k of byKey.values()) {
    let first = 0;
    for (let i = 0; i < k.times.length; i++) {
      while (k.times[first]! <= k.times[i]! - CHATTER_WINDOW_MS) first++;
      const inWindow = i - first + 1;
      if (inWindow > k.max) k.max = inWindow;
      if (inWindow >= CHATTER_THRESHOLD && k.firstAt === undefined) k.firstAt = k.times[i];
    }
    if (k.firstAt !== undefined) {
      out.push({ ...ref(k.last), activations: k.times.length, maxIn60s: k.max, firstChatterAtMs: k.firstAt });
    }
  }
  return out.sort((a, b) => b.activations - a.activations || a.key.localeCompare(b.key));
}

/** The `n` points with the most annunciations (ties by key), with their share of all annunciations. */
export function badActors(annunciations: readonly AlarmEvent[], n: number): BadActor[] {
  const byKey = new Map<string, { count: number; last: AlarmEvent }>();
  for (const e of annunciations) {
    const k = byKey.get(e.alarm.key);
    if (k) {
      k.count++;
      k.last = e;
    } else byKey.set(e.alarm.key, { count: 1, last: e });
  }
  return [...byKey.values()]
    .sort((a, b) => b.count - a.count || a.last.alarm.key.localeCompare(b.last.alarm.key))
    .slice(0, n)
    .map((k) => ({ ...ref(k.last), alarms: k.count, sharePct: pct(k.count, annunciations.length) }));
}

/**
 * Priorities 1 (urgent) and 2 (high) are the "high" class, 3 "medium", 4 "low"; the target is about 5 / 15 / 80 %
 * (EEMUA 191 and ISA-18.2's alarm performance metrics give this split for three classes; DOMAIN.md).
 */
export function priorityMix(annunciations: readonly AlarmEvent[]): PriorityMix {
  const counts = { '1': 0, '2': 0, '3': 0, '4': 0 };
  for (const e of annunciations) counts[String(e.alarm.priority) as keyof typeof counts]++;
  const total = annunciations.length;
  const sharesPct: PriorityClassShares = {
    high: pct(counts['1'] + counts['2'], total),
    medium: pct(counts['3'], total),
    low: pct(counts['4'], total),
  };
  return { counts, sharesPct };
}

/** Time from annunciation (`annunciatedAt`, else `raisedAt`) to each operator `ack` in the range. */
export function ackTimes(events: readonly AlarmEvent[]): AckTimeStats {
  const ms = events
    .filter((e) => e.transition === 'ack')
    .map((e) => e.tsMs - (e.alarm.annunciatedAt ?? e.alarm.raisedAt))
    .filter((d) => d >= 0)
    .sort((a, b) => a - b);
  if (ms.length === 0) return { acks: 0, meanMs: null, p90Ms: null };
  return {
    acks: ms.length,
    meanMs: Math.round(ms.reduce((s, d) => s + d, 0) / ms.length),
    p90Ms: ms[Math.ceil(0.9 * ms.length) - 1]!,
  };
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : round2((100 * part) / whole);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
