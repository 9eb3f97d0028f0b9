import type {
  DataHealthResponse,
  EnterpriseDataHealth,
  FreshnessCounts,
  GatewayState,
  OnlineRate,
  SourceDataHealth,
  StaleReason,
  StaleTag,
  StoredOnlineRate,
  TagFreshness,
} from '../contracts';
import { SeqTracker } from './seq-tracker';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One tag as data health sees it; `index` is its slot in the typed arrays (SiteIndex order). */
export interface HealthTag {
  tag: string;
  sourceId: string;
  enterpriseId: string;
  /** Tag `maxAgeS` or DATA_STALE_S, in ms. */
  maxAgeMs: number;
}

export type Period = 'hour' | 'day';

/** A tag's max age, ms: its `maxAgeS`, else DATA_STALE_S (docs/data-health.md). */
export function tagMaxAgeMs(def: { maxAgeS?: number | undefined }, defaultMaxAgeS: number): number {
  return (def.maxAgeS ?? defaultMaxAgeS) * 1000;
}

/**
 * The one definition of freshness, shared by data health and the STALE alarm rule: never seen is `no_data` (unless
 * marked stale), a value older than the max age or an external stale mark (gateway last will, Sparkplug death,
 * until the next value) is `stale`. `lastSeenMs` 0 means never seen.
 */
export function tagFreshness(lastSeenMs: number, forcedStale: boolean, maxAgeMs: number, nowMs: number): TagFreshness {
  if (lastSeenMs === 0) return forcedStale ? 'stale' : 'no_data';
  if (forcedStale) return 'stale';
  return nowMs - lastSeenMs > maxAgeMs ? 'stale' : 'fresh';
}

/** Start of the hour or the local day containing `tMs`; days start at local midnight (`utcOffsetMs` east of UTC). */
export function periodStart(period: Period, tMs: number, utcOffsetMs: number): number {
  if (period === 'hour') return Math.floor(tMs / HOUR_MS) * HOUR_MS;
  return Math.floor((tMs + utcOffsetMs) / DAY_MS) * DAY_MS - utcOffsetMs;
}

/** 在线率 of one tag: online samples over samples; null before the first sample. */
export function tagRate(online: number, samples: number): number | null {
  return samples > 0 ? Math.min(1, online / samples) : null;
}

/** 在线率 of a group (source, enterprise, park): the mean of its tags' rates (docs/data-health.md). */
export function meanRate(rates: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const r of rates) {
    if (r === null) continue;
    sum += r;
    n++;
  }
  return n > 0 ? sum / n : null;
}

/** The samples of one hour or day: one per tick, and per tag how many of them found it online. */
export interface PeriodAccumulator {
  period: Period;
  startMs: number;
  samples: number;
  /** Online samples per tag index. */
  online: Uint16Array;
}

/** One stored row of the online-rate table. */
export interface OnlineRateRow {
  period: Period;
  startMs: number;
  tag: string;
  online: number;
  samples: number;
}

const REASONS: readonly StaleReason[] = ['max_age', 'gateway_offline', 'node_death', 'device_death'];
const NOT_FORCED = 0;

/**
 * Data health of a whole site (pure: every method takes the time). Per tag, flat typed arrays hold the receive
 * time of the last value, a forced-stale reason (gateway last will, Sparkplug death) and whether a value arrived
 * since the last sample, so `seen` is O(1) without allocation on the ingest hot path (DESIGN.md §2).
 *
 * A tag is stale when its last value is older than its max age, or when it was marked stale by an external cause
 * until its next value; a tag never seen has `no_data`. 在线率 (online rate, DOMAIN.md): each tick takes one
 * sample per tag (online when fresh at the tick or seen since the previous tick); the rate of a period is online
 * samples over samples, and a group's rate is the mean over its tags.
 */
export class DataHealth {
  readonly tagCount: number;
  readonly seq = new SeqTracker();
  private readonly lastSeenMs: Float64Array;
  private readonly maxAgeMs: Float64Array;
  private readonly forced: Uint8Array;
  private readonly seenSinceSample: Uint8Array;
  private readonly gateways = new Map<string, GatewayState>();
  private readonly sourceTags = new Map<string, number[]>();
  private readonly enterpriseTags = new Map<string, number[]>();
  private readonly sourceEnterprise = new Map<string, string>();
  private readonly indexByTag = new Map<string, number>();
  hour: PeriodAccumulator;
  day: PeriodAccumulator;

  constructor(
    readonly tags: readonly HealthTag[],
    private readonly opts: { defaultMaxAgeMs: number; utcOffsetMs: number },
    nowMs: number,
  ) {
    const n = tags.length;
    this.tagCount = n;
    this.lastSeenMs = new Float64Array(n);
    this.maxAgeMs = new Float64Array(n);
    this.forced = new Uint8Array(n);
    this.seenSinceSample = new Uint8Array(n);
    tags.forEach((t, i) => {
      this.maxAgeMs[i] = t.maxAgeMs;
      this.indexByTag.set(t.tag, i);
      push(this.sourceTags, t.sourceId, i);
      push(this.enterpriseTags, t.enterpriseId, i);
      this.sourceEnterprise.set(t.sourceId, t.enterpriseId);
    });
    this.hour = this.emptyPeriod('hour', nowMs);
    this.day = this.emptyPeriod('day', nowMs);
  }

  /** A value of tag `index` arrived at `nowMs` (receive time): fresh again, whatever made it stale. */
  seen(index: number, nowMs: number): void {
    this.lastSeenMs[index] = nowMs;
    this.forced[index] = NOT_FORCED;
    this.seenSinceSample[index] = 1;
  }

  /** Tag index by 位号, or -1. */
  indexOf(tag: string): number {
    return this.indexByTag.get(tag) ?? -1;
  }

  /** Tag indices of one hazard source (empty for an unknown one). */
  tagsOfSource(sourceId: string): readonly number[] {
    return this.sourceTags.get(sourceId) ?? [];
  }

  /** Marks tags stale at once for an external cause, until each one's next value (DESIGN.md §3 last will). */
  markStale(indices: readonly number[], reason: StaleReason): void {
    const code = REASONS.indexOf(reason) + 1;
    for (const i of indices) if (i >= 0 && i < this.tagCount) this.forced[i] = code;
  }

  /** Lifts an external stale mark; the tag is then judged by its age alone. */
  markFresh(indices: readonly number[]): void {
    for (const i of indices) if (i >= 0 && i < this.tagCount) this.forced[i] = NOT_FORCED;
  }

  /** The retained gateway `status` of a source; offline (its last will) makes all its tags stale at once. */
  gatewayStatus(sourceId: string, online: boolean, nowMs: number): void {
    const prev = this.gateways.get(sourceId);
    if (prev?.online !== online) this.gateways.set(sourceId, { online, sinceMs: nowMs });
    if (!online) this.markStale(this.tagsOfSource(sourceId), 'gateway_offline');
  }

  gateway(sourceId: string): GatewayState {
    const g = this.gateways.get(sourceId);
    return g ? { ...g } : { online: null, sinceMs: null };
  }

  freshness(index: number, nowMs: number): TagFreshness {
    return tagFreshness(this.lastSeenMs[index]!, this.forced[index] !== NOT_FORCED, this.maxAgeMs[index]!, nowMs);
  }

  /** Why a stale tag is stale (undefined when it is not). */
  staleReason(index: number, nowMs: number): StaleReason | undefined {
    const code = this.forced[index]!;
    if (code !== NOT_FORCED) return REASONS[code - 1];
    return this.freshness(index, nowMs) === 'stale' ? 'max_age' : undefined;
  }

  /** Number of stale tags now (a gauge). */
  staleCount(nowMs: number): number {
    let n = 0;
    for (let i = 0; i < this.tagCount; i++) if (this.freshness(i, nowMs) === 'stale') n++;
    return n;
  }

  /**
   * One sample (normally a minute tick). Periods that ended before `nowMs` are closed first and returned, so the
   * caller can store them; the sample then counts in the hour and the day that contain `nowMs`.
   */
  tick(nowMs: number): PeriodAccumulator[] {
    const closed: PeriodAccumulator[] = [];
    for (const acc of [this.hour, this.day]) {
      const start = periodStart(acc.period, nowMs, this.opts.utcOffsetMs);
      if (start === acc.startMs) continue;
      if (acc.samples > 0) closed.push({ ...acc, online: acc.online.slice() });
      acc.startMs = start;
      acc.samples = 0;
      acc.online.fill(0);
    }
    const hourOnline = this.hour.online;
    const dayOnline = this.day.online;
    for (let i = 0; i < this.tagCount; i++) {
      if (this.seenSinceSample[i] === 1 || this.freshness(i, nowMs) === 'fresh') {
        hourOnline[i]!++;
        dayOnline[i]!++;
      }
      this.seenSinceSample[i] = 0;
    }
    this.hour.samples++;
    this.day.samples++;
    return closed;
  }

  /** Reloads a stored period that is still current (after a restart), so its samples are not lost. */
  restore(rows: readonly OnlineRateRow[]): void {
    for (const acc of [this.hour, this.day]) {
      for (const row of rows) {
        if (row.period !== acc.period || row.startMs !== acc.startMs) continue;
        const i = this.indexOf(row.tag);
        if (i < 0) continue;
        acc.online[i] = row.online;
        acc.samples = Math.max(acc.samples, row.samples);
      }
    }
  }

  /** Rows of one accumulator, for the store. */
  rows(acc: PeriodAccumulator): OnlineRateRow[] {
    return this.tags.map((t, i) => ({
      period: acc.period,
      startMs: acc.startMs,
      tag: t.tag,
      online: acc.online[i]!,
      samples: acc.samples,
    }));
  }

  /** Everything `GET /api/health/data` shows except stored history. */
  report(nowMs: number, sourceFilter?: string): DataHealthResponse {
    const state = new Array<TagFreshness>(this.tagCount);
    for (let i = 0; i < this.tagCount; i++) state[i] = this.freshness(i, nowMs);
    const sources: SourceDataHealth[] = [];
    for (const [sourceId, indices] of this.sourceTags) {
      if (sourceFilter !== undefined && sourceId !== sourceFilter) continue;
      sources.push({
        sourceId,
        enterpriseId: this.sourceEnterprise.get(sourceId)!,
        ...this.counts(indices, state),
        lastSeenMs: this.lastSeen(indices),
        gateway: this.gateway(sourceId),
        seq: this.seq.get(sourceId),
        onlineRateHour: this.rateOf(this.hour, indices),
        onlineRateDay: this.rateOf(this.day, indices),
      });
    }
    const enterprises: EnterpriseDataHealth[] = [];
    for (const [enterpriseId, indices] of this.enterpriseTags) {
      if (sourceFilter !== undefined && this.sourceEnterprise.get(sourceFilter) !== enterpriseId) continue;
      enterprises.push({
        enterpriseId,
        ...this.counts(indices, state),
        lastSeenMs: this.lastSeen(indices),
        onlineRateHour: this.rateOf(this.hour, indices),
        onlineRateDay: this.rateOf(this.day, indices),
      });
    }
    const all = this.tags.map((_, i) => i);
    const staleTags: StaleTag[] = [];
    for (let i = 0; i < this.tagCount; i++) {
      const t = this.tags[i]!;
      if (state[i] !== 'stale' || (sourceFilter !== undefined && t.sourceId !== sourceFilter)) continue;
      const last = this.lastSeenMs[i]!;
      staleTags.push({
        tag: t.tag,
        sourceId: t.sourceId,
        enterpriseId: t.enterpriseId,
        ageS: last === 0 ? null : Math.round((nowMs - last) / 1000),
        reason: this.staleReason(i, nowMs) ?? 'max_age',
      });
    }
    staleTags.sort((a, b) => (b.ageS ?? Infinity) - (a.ageS ?? Infinity));
    return {
      serverTime: nowMs,
      defaultMaxAgeS: this.opts.defaultMaxAgeMs / 1000,
      park: {
        ...this.counts(all, state),
        onlineRateHour: this.rateOf(this.hour, all),
        onlineRateDay: this.rateOf(this.day, all),
      },
      enterprises,
      sources,
      staleTags,
    };
  }

  /** Groups stored rows into per-period rates of the park, its enterprises and sources (and tags of `source`). */
  aggregate(rows: readonly OnlineRateRow[], sourceFilter?: string): StoredOnlineRate[] {
    const byPeriod = new Map<string, OnlineRateRow[]>();
    for (const row of rows) push(byPeriod, `${row.period}:${row.startMs}`, row);
    const out: StoredOnlineRate[] = [];
    for (const group of byPeriod.values()) {
      const first = group[0]!;
      const rateByTag = new Map<string, number | null>();
      for (const row of group) rateByTag.set(row.tag, tagRate(row.online, row.samples));
      const mean = (indices: readonly number[]) =>
        meanRate(indices.map((i) => rateByTag.get(this.tags[i]!.tag) ?? null));
      const entry: StoredOnlineRate = {
        period: first.period,
        startMs: first.startMs,
        park: meanRate([...rateByTag.values()]),
        enterprises: Object.fromEntries([...this.enterpriseTags].map(([id, ix]) => [id, mean(ix)])),
        sources: Object.fromEntries([...this.sourceTags].map(([id, ix]) => [id, mean(ix)])),
      };
      if (sourceFilter !== undefined) {
        entry.tags = Object.fromEntries(
          this.tagsOfSource(sourceFilter).map((i) => [this.tags[i]!.tag, rateByTag.get(this.tags[i]!.tag) ?? null]),
        );
      }
      out.push(entry);
    }
    return out.sort((a, b) => a.startMs - b.startMs || a.period.localeCompare(b.period));
  }

  private emptyPeriod(period: Period, nowMs: number): PeriodAccumulator {
    return {
      period,
      startMs: periodStart(period, nowMs, this.opts.utcOffsetMs),
      samples: 0,
      online: new Uint16Array(this.tagCount),
    };
  }

  private counts(indices: readonly number[], state: readonly TagFreshness[]): FreshnessCounts {
    const c: FreshnessCounts = { tags: indices.length, fresh: 0, stale: 0, noData: 0 };
    for (const i of indices) {
      const s = state[i];
      if (s === 'fresh') c.fresh++;
      else if (s === 'stale') c.stale++;
      else c.noData++;
    }
    return c;
  }

  private lastSeen(indices: readonly number[]): number | null {
    let max = 0;
    for (const i of indices) max = Math.max(max, this.lastSeenMs[i]!);
    return max > 0 ? max : null;
  }

  private rateOf(acc: PeriodAccumulator, indices: readonly number[]): OnlineRate {
    return {
      startMs: acc.startMs,
      samples: acc.samples,
      rate: meanRate(indices.map((i) => tagRate(acc.online[i]!, acc.samples))),
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
