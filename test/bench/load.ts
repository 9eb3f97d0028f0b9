import { telemetryTopic, type TelemetryMessage, type TelemetryPoint } from '@hazard/server/contracts';
import { SiteIndex, loadSiteFile } from '@hazard/server/site';

/** An analog tag with limits, and a band well inside them where the load keeps its values. */
export interface LoadTag {
  tag: string;
  midValue: number;
  swing: number;
}

/** The hazard source the load publishes for: its analog tags, so the limit rules run for every point. */
export interface LoadSource {
  enterpriseId: string;
  sourceId: string;
  tags: LoadTag[];
}

const DISCRETE_KINDS = new Set(['valve_position', 'sis_state']);

/** Every source of the site file with its analog tags that carry limits (sources without any are left out). */
export function loadSourcesFromSite(siteFile: string): LoadSource[] {
  const index = new SiteIndex(loadSiteFile(siteFile));
  const bySource = new Map<string, LoadSource>();
  for (const info of index.tags.values()) {
    const { def } = info;
    const limits = def.limits;
    if (DISCRETE_KINDS.has(def.kind) || !limits) continue;
    const lower = limits.l ?? limits.ll ?? def.range?.[0];
    const upper = limits.h ?? limits.hh ?? def.range?.[1];
    if (lower === undefined || upper === undefined || upper <= lower) continue;
    const key = `${info.enterpriseId}/${info.sourceId}`;
    let source = bySource.get(key);
    if (!source) {
      source = { enterpriseId: info.enterpriseId, sourceId: info.sourceId, tags: [] };
      bySource.set(key, source);
    }
    source.tags.push({ tag: def.tag, midValue: (lower + upper) / 2, swing: (upper - lower) / 10 });
  }
  return [...bySource.values()];
}

/** The source of the site file with the most analog tags that carry limits. */
export function loadSourceFromSite(siteFile: string): LoadSource {
  const best = loadSourcesFromSite(siteFile).sort((a, b) => b.tags.length - a.tags.length)[0];
  if (!best) throw new Error(`${siteFile} has no analog tag with limits to load`);
  return best;
}

/** HH/H/L/LL of the given tags as the site file states them (resolved: detector defaults included). */
export function limitsFromSite(
  siteFile: string,
  tags: readonly string[],
): Record<string, { hh?: number; h?: number; l?: number; ll?: number }> {
  const index = new SiteIndex(loadSiteFile(siteFile));
  const out: Record<string, { hh?: number; h?: number; l?: number; ll?: number }> = {};
  for (const tag of tags) {
    const limits = index.tags.get(tag)?.def.limits;
    if (!limits) throw new Error(`${siteFile}: tag ${tag} has no limits`);
    out[tag] = { hh: limits.hh, h: limits.h, l: limits.l, ll: limits.ll };
  }
  return out;
}

/** Hands out disjoint, increasing timestamp ranges, so every point of every run is a distinct row in InfluxDB. */
export class TimestampAllocator {
  constructor(private nextMs: number) {}

  take(spanMs: number): number {
    const start = this.nextMs;
    this.nextMs += Math.ceil(spanMs) + 1000;
    return start;
  }
}

export interface LoadPlan {
  payloads: string[];
  points: number;
  pointsPerMessage: number;
  /** Timestamp range of the points, inclusive, for counting them in the database afterwards. */
  fromMs: number;
  toMs: number;
  tagCount: number;
}

/** Timestamp of the last point among the first `points` of the plan (a capped run publishes only a prefix). */
export function lastTsOf(plan: LoadPlan, points: number): number {
  return plan.fromMs + Math.floor((Math.max(1, points) - 1) / plan.tagCount);
}

/**
 * JSON v1 messages of `pointsPerMessage` points cycling over the source's tags, values inside the limits. Point i
 * has ts `start + floor(i / tags)`: no two points of one tag share a millisecond (InfluxDB would merge them), so
 * multi-point messages carry a per-point `ts` (DESIGN.md §3 allows it).
 */
export function buildLoad(
  source: LoadSource,
  totalPoints: number,
  pointsPerMessage: number,
  clock: TimestampAllocator,
): LoadPlan {
  const tagCount = source.tags.length;
  const messages = Math.ceil(totalPoints / pointsPerMessage);
  const points = messages * pointsPerMessage;
  const fromMs = clock.take(points / tagCount);
  const payloads = new Array<string>(messages);
  let i = 0;
  for (let m = 0; m < messages; m++) {
    const batch: TelemetryPoint[] = new Array<TelemetryPoint>(pointsPerMessage);
    const messageTs = fromMs + Math.floor(i / tagCount);
    for (let k = 0; k < pointsPerMessage; k++, i++) {
      const t = source.tags[i % tagCount]!;
      const v = Math.round((t.midValue + t.swing * (((i * 7919) % 21) / 10 - 1)) * 1000) / 1000;
      const ts = fromMs + Math.floor(i / tagCount);
      batch[k] = pointsPerMessage === 1 ? { tag: t.tag, v } : { tag: t.tag, v, ts };
    }
    payloads[m] = JSON.stringify({ ts: messageTs, seq: m, points: batch } satisfies TelemetryMessage);
  }
  return { payloads, points, pointsPerMessage, fromMs, toMs: fromMs + Math.floor((points - 1) / tagCount), tagCount };
}

/** The source's telemetry topic; with `root`, the same levels under another root (kept away from the server). */
export function topicOf(source: LoadSource, root?: string): string {
  const topic = telemetryTopic(source.enterpriseId, source.sourceId);
  return root === undefined ? topic : topic.replace(/^[^/]+\//, `${root}/`);
}
