import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { AlarmService } from '../alarms/alarm.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Alarm, EnterpriseRisk, RiskEvent, RiskOverview, SourceRisk } from '../contracts';
import { DataHealthService } from '../health/data-health.service';
import { LatestValues } from '../realtime/latest-values';
import { SiteService } from '../site/site.service';
import { RiskHistoryStore, type StoredRisk } from './risk-history.store';
import {
  RISK_MODEL_VERSION,
  aggregate,
  assessSource,
  riskChanged,
  type RiskModelOptions,
  type SisFact,
  type SourceRiskInput,
  type ValveFact,
} from './risk.model';

export type RiskListener = (event: RiskEvent) => void;

interface BarrierTag {
  id: string;
  name: string;
  tag: string;
  /** SIS loops: the site model's `bypassMaxMin`, in ms. */
  bypassLongMs?: number;
}

/** What the service knows of one hazard source, fixed when the site loads. */
interface SourcePlan {
  sourceId: string;
  enterpriseId: string;
  grade: SourceRiskInput['grade'];
  gradeR: number | null;
  tagIndices: number[];
  tags: string[];
  sis: BarrierTag[];
  valves: BarrierTag[];
}

const SIS_STATES = new Set<SisFact['state']>(['normal', 'bypassed', 'tripped', 'fault']);
const VALVE_STATES = new Set<ValveFact['state']>(['open', 'closed', 'travel', 'fault']);

/**
 * Keeps the four-colour risk of every hazard source current (docs/risk-model.md): recomputed right after any alarm
 * transition and once a second for barrier states, data health and bypass timers, pushed as `risk` events with the
 * own sequence when what a screen shows has changed. Risk has a sequence of its own, apart from the alarm stream's:
 * alarm numbers are journaled and continue across restarts, risk is derived and recomputed from scratch at start.
 */
@Injectable()
export class RiskService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RiskService.name);
  private history: RiskHistoryStore | undefined;
  private readonly retentionMs: number;
  private lastPruneMs = 0;
  private readonly plans: SourcePlan[] = [];
  private readonly names = new Map<string, string>();
  private readonly enterpriseNames = new Map<string, string>();
  /** Since when each barrier tag has shown its current state (first seen after a start: that moment). */
  private readonly barrierSince = new Map<string, { state: string; sinceMs: number }>();
  private readonly current = new Map<string, SourceRisk>();
  private readonly listeners: RiskListener[] = [];
  private readonly opts: RiskModelOptions;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  /** When the last recompute ran (performance clock, ms): the throttle of alarm-driven recomputes counts from it. */
  private lastRecomputeAtMs = Number.NEGATIVE_INFINITY;
  private lastSeq = 0;
  private lastComputedAt = 0;

  constructor(
    private readonly sites: SiteService,
    private readonly alarms: AlarmService,
    private readonly latest: LatestValues,
    private readonly dataHealth: DataHealthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.retentionMs = config.RISK_RETENTION_DAYS * 86_400_000;
    this.opts = { sisBypassLongMs: config.RISK_SIS_BYPASS_LONG_MIN * 60_000, alarmPointsCap: 60 };
    const index = sites.index;
    for (const enterprise of index.site.enterprises) {
      this.enterpriseNames.set(enterprise.id, enterprise.name);
      for (const source of enterprise.sources) {
        this.names.set(source.id, source.name);
        const grade = index.grades.get(source.id);
        const plan: SourcePlan = {
          sourceId: source.id,
          enterpriseId: enterprise.id,
          grade: grade?.grade ?? null,
          gradeR: grade?.isMajorHazard ? Math.round(grade.R * 100) / 100 : null,
          tagIndices: [],
          tags: [],
          sis: [],
          valves: [],
        };
        for (const eq of source.equipment) {
          for (const t of eq.tags) {
            plan.tags.push(t.tag);
            plan.tagIndices.push(index.tags.get(t.tag)!.index);
            if (eq.type === 'sis_loop' && t.kind === 'sis_state')
              plan.sis.push({ id: eq.id, name: eq.name, tag: t.tag });
            if (eq.type === 'esd_valve' && t.kind === 'valve_position') {
              plan.valves.push({ id: eq.id, name: eq.name, tag: t.tag });
            }
          }
        }
        this.plans.push(plan);
      }
    }
  }

  onModuleInit(): void {
    this.history = new RiskHistoryStore(join(this.config.DATA_DIR, 'risk.sqlite'));
    this.alarms.addListener(() => this.schedule());
    this.recompute(Date.now());
    this.timer = setInterval(() => this.recompute(Date.now()), 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.history?.close();
    this.history = undefined;
  }

  /** Stored assessments of one source (GET /api/risk/:sourceId/history). */
  historyOf(sourceId: string, fromMs: number, toMs: number, limit: number): StoredRisk[] {
    return this.history?.range(sourceId, fromMs, toMs, limit) ?? [];
  }

  addListener(listener: RiskListener): void {
    this.listeners.push(listener);
  }

  /** `GET /api/risk` and the snapshot's risk. */
  overview(): RiskOverview {
    const sources = this.plans.map((p) => this.current.get(p.sourceId)!);
    return {
      seq: this.lastSeq,
      computedAt: this.lastComputedAt,
      modelVersion: RISK_MODEL_VERSION,
      park: aggregate(sources, this.names),
      enterprises: this.enterprises(sources),
      sources,
    };
  }

  source(id: string): SourceRisk | undefined {
    return this.current.get(id);
  }

  /**
   * Recomputes after the current burst of alarm transitions: at once when the last recompute is at least
   * RISK_PUSH_MIN_MS old, else at the end of that window, so an alarm flood costs one pass and one push per window
   * whatever its rate, and a lone alarm is never delayed.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.recompute(Date.now());
    };
    const waitMs = this.lastRecomputeAtMs + this.config.RISK_PUSH_MIN_MS - performance.now();
    if (waitMs <= 0) setImmediate(run);
    else setTimeout(run, waitMs).unref();
  }

  /** Assesses every source; pushes the ones whose picture changed. Exposed for tests. */
  recompute(nowMs: number): SourceRisk[] {
    const bySource = new Map<string, Alarm[]>();
    for (const a of this.alarms.list('all')) {
      const list = bySource.get(a.sourceId);
      if (list) list.push(a);
      else bySource.set(a.sourceId, [a]);
    }
    const changed: SourceRisk[] = [];
    for (const plan of this.plans) {
      const next = assessSource(this.inputOf(plan, bySource.get(plan.sourceId) ?? [], nowMs), this.opts);
      if (riskChanged(this.current.get(plan.sourceId), next)) changed.push(next);
      this.current.set(plan.sourceId, next);
    }
    this.lastComputedAt = nowMs;
    this.lastRecomputeAtMs = performance.now();
    if (changed.length > 0) {
      this.keep(changed, nowMs);
      this.lastSeq++;
      const all = this.plans.map((p) => this.current.get(p.sourceId)!);
      const touched = new Set(changed.map((s) => s.enterpriseId));
      const event: RiskEvent = {
        seq: this.lastSeq,
        computedAt: nowMs,
        park: aggregate(all, this.names),
        enterprises: this.enterprises(all).filter((e) => touched.has(e.enterpriseId)),
        sources: changed,
      };
      for (const l of this.listeners) l(event);
    }
    return changed;
  }

  /** Every change is kept for review; a failing disk costs the history, never the live risk. */
  private keep(changed: readonly SourceRisk[], nowMs: number): void {
    try {
      this.history?.write(changed);
      if (nowMs - this.lastPruneMs > 3_600_000) {
        this.lastPruneMs = nowMs;
        this.history?.prune(nowMs - this.retentionMs);
      }
    } catch (err) {
      this.logger.error(`risk history not written: ${(err as Error).message}`);
    }
  }

  private inputOf(plan: SourcePlan, alarms: Alarm[], nowMs: number): SourceRiskInput {
    const core = this.dataHealth.core;
    const gatewayOffline = core.gateway(plan.sourceId).online === false;
    let stale = 0;
    let badQuality = 0;
    for (let i = 0; i < plan.tagIndices.length; i++) {
      if (!gatewayOffline && core.freshness(plan.tagIndices[i]!, nowMs) === 'stale') stale++;
      if (this.latest.get(plan.tags[i]!)?.q === 'bad') badQuality++;
    }
    return {
      sourceId: plan.sourceId,
      enterpriseId: plan.enterpriseId,
      grade: plan.grade,
      gradeR: plan.gradeR,
      alarms,
      sis: plan.sis.map((b) => {
        const { state, sinceMs } = this.barrier(b.tag, SIS_STATES, nowMs);
        const long = b.bypassLongMs !== undefined ? { bypassLongMs: b.bypassLongMs } : {};
        return { id: b.id, name: b.name, state: state as SisFact['state'], sinceMs, ...long };
      }),
      valves: plan.valves.map((b) => ({
        id: b.id,
        name: b.name,
        state: this.barrier(b.tag, VALVE_STATES, nowMs).state as ValveFact['state'],
      })),
      data: { tags: plan.tags.length, stale, badQuality, gatewayOffline },
      nowMs,
    };
  }

  /** The barrier tag's state (unknown without a valid value) and since when it has held it. */
  private barrier(tag: string, valid: ReadonlySet<string>, nowMs: number): { state: string; sinceMs: number } {
    const v = this.latest.get(tag);
    const state = v && typeof v.v === 'string' && valid.has(v.v as never) ? v.v : 'unknown';
    const prev = this.barrierSince.get(tag);
    if (prev && prev.state === state) return prev;
    const entry = { state, sinceMs: v && state !== 'unknown' ? Math.min(v.ts, nowMs) : nowMs };
    this.barrierSince.set(tag, entry);
    return entry;
  }

  private enterprises(sources: readonly SourceRisk[]): EnterpriseRisk[] {
    const out: EnterpriseRisk[] = [];
    for (const enterpriseId of this.enterpriseNames.keys()) {
      const own = sources.filter((s) => s.enterpriseId === enterpriseId);
      out.push({ enterpriseId, ...aggregate(own, this.names) });
    }
    return out;
  }
}
