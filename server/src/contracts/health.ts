import { z } from 'zod';

/**
 * Data health (`GET /api/health/data`): how fresh each tag's data is, whether each gateway is online, `seq` gaps
 * per publisher and the 在线率 (online rate). Definitions: docs/data-health.md.
 */

/** Why a tag counts as stale: too old, its gateway's last will, or (Sparkplug B) its node or device died. */
export const StaleReasonSchema = z.enum(['max_age', 'gateway_offline', 'node_death', 'device_death']);
export type StaleReason = z.infer<typeof StaleReasonSchema>;

/** Freshness of one tag: `no_data` until its first value arrives. */
export type TagFreshness = 'fresh' | 'stale' | 'no_data';

/** One stale tag in the stale list. */
export interface StaleTag {
  tag: string;
  sourceId: string;
  enterpriseId: string;
  /** Seconds since the last value arrived; null when none ever did (marked stale before its first value). */
  ageS: number | null;
  reason: StaleReason;
}

/** Online rate of one period: fraction (0…1) of samples in which the tags were not stale; null before any sample. */
export interface OnlineRate {
  /** Start of the period, epoch ms (days start at local midnight, HEALTH_UTC_OFFSET_H). */
  startMs: number;
  /** Samples (minute ticks) taken so far in the period. */
  samples: number;
  rate: number | null;
}

/** Tag counts by freshness. */
export interface FreshnessCounts {
  tags: number;
  fresh: number;
  stale: number;
  noData: number;
}

/** `seq` gap statistics of one publisher (JSON v1: one telemetry topic), DESIGN.md §3. */
export interface SeqStats {
  /** Messages that carried a `seq`. */
  messages: number;
  /** Forward jumps (`seq` > last + 1). */
  gaps: number;
  /** Estimate of messages lost in those jumps (Σ seq − last − 1). */
  missedMessages: number;
  /** `seq` repeated or slightly lower: a QoS 1 redelivery or replay. */
  duplicates: number;
  /** `seq` back to 0 or far lower: the publisher restarted. */
  restarts: number;
  lastSeq: number | null;
  lastGapAtMs: number | null;
}

/** Gateway state from the retained `status` topic (and its last will). */
export interface GatewayState {
  /** null until a status message arrived. */
  online: boolean | null;
  /** When the current state was reported, epoch ms (receive time). */
  sinceMs: number | null;
}

export interface SourceDataHealth extends FreshnessCounts {
  sourceId: string;
  enterpriseId: string;
  /** Receive time of the newest value of any of its tags, epoch ms. */
  lastSeenMs: number | null;
  gateway: GatewayState;
  seq: SeqStats;
  onlineRateHour: OnlineRate;
  onlineRateDay: OnlineRate;
}

export interface EnterpriseDataHealth extends FreshnessCounts {
  enterpriseId: string;
  lastSeenMs: number | null;
  onlineRateHour: OnlineRate;
  onlineRateDay: OnlineRate;
}

/** A stored hourly or daily online rate (`?from=&to=`). */
export interface StoredOnlineRate {
  period: 'hour' | 'day';
  startMs: number;
  /** Mean over the tags of the park. */
  park: number | null;
  enterprises: Record<string, number | null>;
  sources: Record<string, number | null>;
  /** Per tag, only with `?source=`. */
  tags?: Record<string, number | null>;
}

/** `GET /api/health/data` */
export interface DataHealthResponse {
  serverTime: number;
  /** Default max age (DATA_STALE_S); a tag's `maxAgeS` overrides it. */
  defaultMaxAgeS: number;
  park: FreshnessCounts & { onlineRateHour: OnlineRate; onlineRateDay: OnlineRate };
  enterprises: EnterpriseDataHealth[];
  sources: SourceDataHealth[];
  /** Stale tags, oldest first. */
  staleTags: StaleTag[];
  /** Stored rates of closed and current periods between `from` and `to`, when asked for. */
  history?: StoredOnlineRate[];
}

/** Query of `GET /api/health/data`: `source` filters sources and stale tags; `from`/`to` (epoch ms) ask for history. */
export const DataHealthQuerySchema = z
  .object({
    source: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a hazard source id')
      .optional(),
    from: z.coerce.number().int().nonnegative().optional(),
    to: z.coerce.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to, or neither' })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
  });
export type DataHealthQuery = z.infer<typeof DataHealthQuerySchema>;

/** Broker connection history in `GET /api/health` (the ingest client's view). */
export interface BrokerConnection {
  connected: boolean;
  /** Start of the current outage, epoch ms; null while connected. */
  outageSinceMs: number | null;
  /** Completed outages (connection lost, then re-established) since start. */
  outages: number;
  /** The last completed outage. */
  lastOutage: { fromMs: number; toMs: number; durationMs: number } | null;
}
