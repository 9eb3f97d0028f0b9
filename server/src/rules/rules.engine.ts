import type { SamplePoint, StaleReason } from '../contracts';
import type { ConditionInput } from '../alarms/lifecycle';
import type { SiteIndex } from '../site';
import { compositeRules } from './composite.rules';
import { limitRules } from './limit.rules';
import { rateOfChangeRules } from './roc.rules';
import { tagAlarmContext, type Rule, type RuleHost, type TagAlarmContext } from './rule';
import { sensorFaultRules } from './sensor-fault.rules';
import { sisRules } from './sis.rules';
import { staleRules } from './stale.rules';
import { valveRules } from './valve.rules';

/** What rules take from the server's configuration. */
export interface RuleOptions {
  /** DATA_STALE_S: the max age of a tag without its own `maxAgeS` (data health's definition, docs/data-health.md). */
  defaultMaxAgeS: number;
}

/** Builds the rules of one tag; each rule family contributes a factory. */
export type RuleFactory = (ctx: TagAlarmContext, site: SiteIndex, opts: RuleOptions) => Rule[];

/** Builds rules over several tags (composites declared at hazard-source level); each lists its `inputs`. */
export type SiteRuleFactory = (site: SiteIndex, opts: RuleOptions) => Rule[];

/** The per-tag rule families, in evaluation order. */
export const RULE_FACTORIES: readonly RuleFactory[] = [
  limitRules,
  rateOfChangeRules,
  sensorFaultRules,
  staleRules,
  valveRules,
  sisRules,
];

/** The site-level families; their rules run after the per-tag rules of the same point. */
export const SITE_RULE_FACTORIES: readonly SiteRuleFactory[] = [compositeRules];

export const DEFAULT_RULE_OPTIONS: RuleOptions = { defaultMaxAgeS: 60 };

const NO_HOST: RuleHost = { emit: () => undefined };

/**
 * Passes every report on to the alarm service and, for alarm points a composite watches, to the composite: so a
 * composite sees its members' outcomes (after their delays and deadbands) without a search per message. One
 * instance, re-targeted per call: no allocation on the hot path.
 */
class Relay implements RuleHost {
  target: RuleHost = NO_HOST;

  constructor(private readonly watchers: ReadonlyMap<string, Rule[]>) {}

  emit(input: ConditionInput): void {
    this.target.emit(input);
    const rules = this.watchers.get(input.key);
    if (!rules) return;
    for (let i = 0; i < rules.length; i++) rules[i]!.onCondition!(input, this);
  }
}

/**
 * Every rule of every tag, compiled once when the site model loads (DESIGN.md §2 hot-path rule): a point looks up
 * its tag's rules in one map and runs them; a second-by-second tick drives the time-based conditions.
 */
export class RulesEngine {
  private readonly byTag = new Map<string, Rule[]>();
  private readonly staleByTag = new Map<string, Rule[]>();
  private readonly staleBySource = new Map<string, Rule[]>();
  private readonly watchers = new Map<string, Rule[]>();
  private readonly ticking: Rule[] = [];
  private readonly all: Rule[] = [];
  private readonly relay: Relay;

  constructor(
    site: SiteIndex,
    opts: RuleOptions = DEFAULT_RULE_OPTIONS,
    factories: readonly RuleFactory[] = RULE_FACTORIES,
    siteFactories: readonly SiteRuleFactory[] = SITE_RULE_FACTORIES,
  ) {
    for (const info of site.tags.values()) {
      const ctx = tagAlarmContext(info);
      for (const r of factories.flatMap((f) => f(ctx, site, opts))) {
        this.add(r, r.inputs ?? [info.def.tag]);
        if (r.onStale) {
          push(this.staleByTag, info.def.tag, r);
          push(this.staleBySource, info.sourceId, r);
        }
      }
    }
    for (const r of siteFactories.flatMap((f) => f(site, opts))) {
      if (!r.inputs && !r.watches) throw new Error(`site rule ${r.key} has neither inputs nor watches`);
      this.add(r, r.inputs ?? []);
    }
    this.relay = new Relay(this.watchers);
  }

  /** Number of compiled rules. */
  get size(): number {
    return this.all.length;
  }

  /** Hot path: the rules of the point's tag. */
  evaluate(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const rules = this.byTag.get(point.tag);
    if (!rules) return;
    this.relay.target = host;
    for (let i = 0; i < rules.length; i++) rules[i]!.onPoint!(point, nowMs, this.relay);
  }

  /** Time-based conditions; called about once a second. */
  tick(nowMs: number, host: RuleHost): void {
    this.relay.target = host;
    for (let i = 0; i < this.ticking.length; i++) this.ticking[i]!.onTick!(nowMs, this.relay);
  }

  /** Tags made stale at once by an external cause (Sparkplug death); unknown tags are ignored. */
  markStale(tags: readonly string[], reason: StaleReason, nowMs: number, host: RuleHost): void {
    this.relay.target = host;
    for (const tag of tags) for (const r of this.staleByTag.get(tag) ?? []) r.onStale!(reason, nowMs, this.relay);
  }

  /** Every tag of a hazard source made stale at once (its gateway's last will). */
  markSourceStale(sourceId: string, reason: StaleReason, nowMs: number, host: RuleHost): void {
    this.relay.target = host;
    for (const r of this.staleBySource.get(sourceId) ?? []) r.onStale!(reason, nowMs, this.relay);
  }

  private add(rule: Rule, inputs: readonly string[]): void {
    this.all.push(rule);
    if (rule.onPoint) for (const tag of inputs) push(this.byTag, tag, rule);
    if (rule.onTick) this.ticking.push(rule);
    if (rule.onCondition) for (const key of rule.watches ?? []) push(this.watchers, key, rule);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
