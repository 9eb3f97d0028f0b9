import type { ConditionInput } from '../alarms/lifecycle';
import { limitRules } from './limit.rules';
import { DEFAULT_RULE_OPTIONS, RulesEngine } from './rules.engine';
import { samplePoint, testSite } from './test-site';

const T0 = 1_700_000_000_000;

/** Feeds values (one per second unless given) and collects what the rules report, as `condition:active@s`. */
function harness() {
  const engine = new RulesEngine(testSite(), DEFAULT_RULE_OPTIONS, [limitRules], []);
  const seen: ConditionInput[] = [];
  const host = { emit: (i: ConditionInput) => seen.push(i) };
  return {
    seen,
    feed(tag: string, values: number[], startS = 0, q: 'good' | 'bad' = 'good') {
      values.forEach((v, i) => engine.evaluate(samplePoint(tag, v, 0, q), T0 + (startS + i) * 1000, host));
    },
    tick(atS: number) {
      engine.tick(T0 + atS * 1000, host);
    },
    log(tag: string) {
      return seen
        .filter((s) => s.tag === tag)
        .map((s) => `${s.condition}:${s.active ? 'on' : 'off'}@${(s.nowMs - T0) / 1000}`);
    },
  };
}

describe('limit rules: HH/H/L/LL with deadband and on/off delays', () => {
  it('reports its state on the first value (so a restart meets the journal), then only changes', () => {
    const h = harness();
    h.feed('LI-1', [5, 5.1, 5.2]);
    expect(h.log('LI-1')).toEqual(['H:off@0', 'L:off@0']);
  });

  it('raises H, escalates to HH, de-escalates, returns — each once', () => {
    const h = harness();
    h.feed('LI-1', [5, 8.1, 8.3, 9.2, 9.4, 8.2, 5]);
    expect(h.log('LI-1').slice(2)).toEqual(['H:on@1', 'HH:on@3', 'H:on@5', 'H:off@6']);
    const hh = h.seen.find((s) => s.condition === 'HH' && s.active)!;
    expect(hh).toMatchObject({ key: 'LI-1:hi', priority: 1, limit: 9, unit: 'm', value: 9.2 });
    expect(hh.message).toBe('1#储罐液位（LI-1）高高报警：9.2m，限值 9m');
  });

  it('deadband stops chattering around a limit: noise ±0.3 m around H = 8 with a 0.5 m deadband raises once', () => {
    const h = harness();
    h.feed('LI-1', [7.9, 8.0, 7.8, 8.2, 7.7, 8.1, 7.8, 8.0, 7.6, 7.4]);
    expect(h.log('LI-1').filter((s) => s.startsWith('H:'))).toEqual(['H:off@0', 'H:on@1', 'H:off@9']);
  });

  it('without a deadband the same noise would chatter (what the deadband is for)', () => {
    const site = testSite().site;
    const yaml = JSON.parse(JSON.stringify(site)) as typeof site;
    const tag = yaml.enterprises[0]!.sources[0]!.equipment[0]!.tags[0]!;
    tag.limits = { ...tag.limits, deadband: 0 };
    const engine = new RulesEngine(
      new (testSite().constructor as new (s: typeof site) => ReturnType<typeof testSite>)(yaml),
    );
    const seen: string[] = [];
    [7.9, 8.0, 7.8, 8.2, 7.7, 8.1, 7.8, 8.0, 7.6, 7.4].forEach((v, i) =>
      engine.evaluate(samplePoint('LI-1', v), T0 + i * 1000, { emit: (x) => seen.push(`${x.condition}:${x.active}`) }),
    );
    expect(seen.filter((s) => s === 'H:true').length).toBe(4);
  });

  it('on-delay holds an excursion shorter than the delay (LI-2: 10 s)', () => {
    const h = harness();
    h.feed('LI-2', [5, 8.5, 8.6, 8.7, 8.4, 8.2, 7.0, 7.0]); // above H for 6 s only
    h.tick(20);
    expect(h.log('LI-2')).toEqual(['H:off@0']);
  });

  it('on-delay raises once the excursion has lasted the delay, even when no new value arrives (tick)', () => {
    const h = harness();
    h.feed('LI-2', [5, 8.5]);
    h.tick(10);
    expect(h.log('LI-2')).toEqual(['H:off@0']);
    h.tick(11);
    expect(h.log('LI-2')).toEqual(['H:off@0', 'H:on@11']);
  });

  it('off-delay keeps the alarm until the value has been back inside for the delay (LI-2 H: 5 s)', () => {
    const h = harness();
    h.feed('LI-2', [8.5]);
    h.tick(10);
    h.feed('LI-2', [7.0, 7.0, 7.0], 11);
    h.tick(15);
    expect(h.log('LI-2')).toEqual(['H:off@0', 'H:on@10']);
    h.tick(16);
    expect(h.log('LI-2')).toEqual(['H:off@0', 'H:on@10', 'H:off@16']);
  });

  it('ignores bad-quality values (the sensor-fault rule reports them) and non-numbers', () => {
    const h = harness();
    h.feed('LI-1', [9.5], 0, 'bad');
    expect(h.log('LI-1')).toEqual([]);
  });

  it('takes per-tag priority overrides from alarms.priorities and limits.priorities, and latching per condition', () => {
    const h = harness();
    h.feed('LI-3', [5, 8.5, 9.5]);
    const [h3, hh3] = h.seen.filter((s) => s.tag === 'LI-3' && s.active);
    expect(h3).toMatchObject({ condition: 'H', priority: 4, latching: false });
    expect(hh3).toMatchObject({ condition: 'HH', priority: 2, latching: true });
  });

  it('low side: L then LL, mirrored', () => {
    const h = harness();
    h.feed('LI-1', [5, 1.9, 0.8, 1.8, 3]);
    expect(h.log('LI-1').filter((s) => /^L/.test(s))).toEqual(['L:off@0', 'L:on@1', 'LL:on@2', 'L:on@3', 'L:off@4']);
  });
});
