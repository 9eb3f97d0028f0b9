import type { ConditionInput } from '../alarms/lifecycle';
import type { PointValue, Quality, SamplePoint, StaleReason } from '../contracts';
import { parseSiteYaml, SiteIndex } from '../site';
import {
  RULE_FACTORIES,
  RulesEngine,
  SITE_RULE_FACTORIES,
  type RuleFactory,
  type SiteRuleFactory,
} from './rules.engine';

/**
 * A small site for rule and alarm tests (spec helper, not shipped): a tank with delayed limits, a consequential
 * flow, a level with rate-of-change and flat-line alarms, an ESD valve, an SIS loop that closes it and suppresses
 * the flow's alarms while tripped, three combustible detectors voting 2oo3 and a gas-and-valve composite.
 */
export const TEST_SITE_YAML = `
schemaVersion: 1
park: { id: p1, name: 测试园区 }
enterprises:
  - id: ent1
    name: 企业一
    code: 91320600MA1XXXXX9K
    address: 测试路 1 号
    sources:
      - id: src1
        name: 一号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible:
          principal: { name: 王总, phone: '13800000001' }
          technical: { name: 李工, phone: '13800000002' }
          operations: { name: 赵班长 }
        equipment:
          - id: T-1
            name: 1#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-1, name: 1#储罐液位, kind: level, unit: m, range: [0, 10], limits: { hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5, priorities: { hh: 1 } } }
              - { tag: LI-2, name: 2#储罐液位, kind: level, unit: m, range: [0, 10], limits: { hh: 9, h: 8, onDelayS: 10, offDelayS: { h: 5 } } }
              - { tag: LI-3, name: 3#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8 }, alarms: { latching: [HH], priorities: { H: 4 } } }
              - { tag: TI-1, name: 1#储罐温度, kind: temperature, unit: °C }
              - { tag: FI-1, name: 出料流量, kind: flow, unit: m³/h, limits: { l: 5, ll: 2 } }
              - { tag: LI-4, name: 4#储罐液位, kind: level, unit: m, range: [0, 10], maxAgeS: 30, rateOfChange: { risePerMin: 1, fallPerMin: 2, windowS: 60, deadbandPerMin: 0.2 }, flatline: { afterMin: 10, tolerance: 0.01 } }
          - id: XV-1
            name: 进料切断阀
            type: esd_valve
            travelTimeS: 20
            tags:
              - { tag: XV-1, name: 进料切断阀阀位, kind: valve_position }
          - id: SIS-1
            name: 1#储罐高液位联锁
            type: sis_loop
            tripTags: [LI-1]
            closes: [XV-1]
            suppresses: [FI-1]
            bypassMaxMin: 60
            tags:
              - { tag: XS-1, name: 1#储罐联锁状态, kind: sis_state }
          - { id: GD-1, name: 可燃气体探测器1, type: gas_detector, detection: combustible, tags: [{ tag: GI-1, name: 可燃气体1, kind: gas, unit: '%LEL', range: [0, 100] }] }
          - { id: GD-2, name: 可燃气体探测器2, type: gas_detector, detection: combustible, tags: [{ tag: GI-2, name: 可燃气体2, kind: gas, unit: '%LEL', range: [0, 100] }] }
          - { id: GD-3, name: 可燃气体探测器3, type: gas_detector, detection: combustible, tags: [{ tag: GI-3, name: 可燃气体3, kind: gas, unit: '%LEL', range: [0, 100] }] }
        composites:
          - { id: VOTE-1, name: 罐区可燃气体 2oo3 确认, type: vote, members: [GI-1, GI-2, GI-3], k: 2, level: hh }
          - { id: GVO-1, name: 罐区可燃气体二级报警且切断阀未关闭, type: gas_valve_open }
`;

export function testSite(yaml = TEST_SITE_YAML): SiteIndex {
  return new SiteIndex(parseSiteYaml(yaml, 'test-site.yaml'));
}

export function samplePoint(tag: string, v: PointValue, tsMs = 0, q: Quality = 'good'): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag, tsMs, v, q };
}

export const T0 = 1_700_000_000_000;

/** Options of a rule harness: which rule families, over which site, with which DATA_STALE_S. */
export interface HarnessOptions {
  factories?: readonly RuleFactory[];
  siteFactories?: readonly SiteRuleFactory[];
  yaml?: string;
  defaultMaxAgeS?: number;
}

/**
 * Drives a rules engine in fake time (seconds after T0) and records what it reports as `CONDITION:on|off@s`;
 * source timestamps follow the receive time unless given.
 */
export function ruleHarness(opts: HarnessOptions = {}) {
  const engine = new RulesEngine(
    testSite(opts.yaml),
    { defaultMaxAgeS: opts.defaultMaxAgeS ?? 60 },
    opts.factories ?? RULE_FACTORIES,
    opts.siteFactories ?? SITE_RULE_FACTORIES,
  );
  const seen: ConditionInput[] = [];
  const host = { emit: (i: ConditionInput) => seen.push(i) };
  const at = (s: number) => T0 + s * 1000;
  return {
    engine,
    seen,
    /** One point at `atS` (receive time); `tsS` dates it at the source. */
    feed(tag: string, v: PointValue, atS: number, o: { q?: Quality; tsS?: number } = {}) {
      engine.evaluate(samplePoint(tag, v, at(o.tsS ?? atS), o.q ?? 'good'), at(atS), host);
    },
    tick(atS: number) {
      engine.tick(at(atS), host);
    },
    /** Ticks every second from `fromS` to `toS` inclusive. */
    tickThrough(fromS: number, toS: number) {
      for (let s = fromS; s <= toS; s++) engine.tick(at(s), host);
    },
    log(tag: string, condition?: string) {
      return seen
        .filter((s) => s.tag === tag && (condition === undefined || s.condition === condition))
        .map((s) => `${s.condition}:${s.active ? 'on' : 'off'}@${(s.nowMs - T0) / 1000}`);
    },
    last(tag: string, condition: string) {
      return seen.filter((s) => s.tag === tag && s.condition === condition).at(-1);
    },
    markStale(tags: string[], reason: StaleReason, atS: number) {
      engine.markStale(tags, reason, at(atS), host);
    },
    markSourceStale(sourceId: string, atS: number) {
      engine.markSourceStale(sourceId, 'gateway_offline', at(atS), host);
    },
  };
}
