import type { SamplePoint } from '../contracts';
import type { SiteIndex } from '../site';
import { limitRules } from './limit.rules';
import { tagAlarmContext, type Rule, type RuleHost, type TagAlarmContext } from './rule';

/** Builds the rules of one tag; each rule family contributes a factory. */
export type RuleFactory = (ctx: TagAlarmContext, site: SiteIndex) => Rule[];

/** The rule families, in evaluation order. */
export const RULE_FACTORIES: readonly RuleFactory[] = [limitRules];

/**
 * Every rule of every tag, compiled once when the site model loads (DESIGN.md §2 hot-path rule): a point looks up
 * its tag's rules in one map and runs them; a second-by-second tick drives the time-based conditions.
 */
export class RulesEngine {
  private readonly byTag = new Map<string, Rule[]>();
  private readonly ticking: Rule[] = [];
  private readonly all: Rule[] = [];

  constructor(site: SiteIndex, factories: readonly RuleFactory[] = RULE_FACTORIES) {
    for (const info of site.tags.values()) {
      const ctx = tagAlarmContext(info);
      const rules = factories.flatMap((f) => f(ctx, site));
      if (rules.length === 0) continue;
      this.byTag.set(
        info.def.tag,
        rules.filter((r) => r.onPoint !== undefined),
      );
      for (const r of rules) {
        this.all.push(r);
        if (r.onTick) this.ticking.push(r);
      }
    }
  }

  /** Number of compiled rules (alarm points driven by rules). */
  get size(): number {
    return this.all.length;
  }

  /** Hot path: the rules of the point's tag. */
  evaluate(point: SamplePoint, nowMs: number, host: RuleHost): void {
    const rules = this.byTag.get(point.tag);
    if (!rules) return;
    for (let i = 0; i < rules.length; i++) rules[i]!.onPoint!(point, nowMs, host);
  }

  /** Time-based conditions; called about once a second. */
  tick(nowMs: number, host: RuleHost): void {
    for (let i = 0; i < this.ticking.length; i++) this.ticking[i]!.onTick!(nowMs, host);
  }
}
