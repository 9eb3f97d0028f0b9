import { resolve } from 'node:path';
import { Plant } from '@hazard/simulators';
import type { ConditionInput } from '../../server/src/alarms/lifecycle';
import { RulesEngine } from '../../server/src/rules/rules.engine';
import { loadSiteFile, SiteIndex } from '../../server/src/site';

const DEMO_PARK = resolve(__dirname, '../../deploy/demo-park.yaml');
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);

/**
 * Plays the demo park's simulator through every rule for `seconds` of fake time (one tick a second, as the
 * simulator publishes) and returns the alarm points that were active at any moment, with their first raise.
 */
function play(seconds: number, excursion: boolean): Map<string, ConditionInput> {
  const site = loadSiteFile(DEMO_PARK);
  const plant = new Plant(site, { seed: 42, excursion: excursion ? { tag: 'LIA-101' } : null });
  const engine = new RulesEngine(new SiteIndex(site), { defaultMaxAgeS: 60 });
  const raised = new Map<string, ConditionInput>();
  const host = { emit: (i: ConditionInput) => (i.active && !raised.has(i.key) ? raised.set(i.key, i) : undefined) };
  for (let s = 0; s < seconds; s++) {
    const nowMs = T0 + s * 1000;
    for (const { enterpriseId, sourceId, message } of plant.tick(nowMs)) {
      for (const p of message.points) {
        engine.evaluate(
          { enterpriseId, sourceId, tag: p.tag, tsMs: p.ts ?? message.ts, v: p.v, q: p.q ?? 'good' },
          nowMs,
          host,
        );
      }
    }
    engine.tick(nowMs, host);
  }
  return raised;
}

describe('the demo park under every rule', () => {
  it('raises nothing in two hours of normal operation (no nuisance ROC, flat line, valve or composite alarm)', () => {
    expect([...play(2 * 3600, false).values()].map((i) => i.message)).toEqual([]);
  }, 120_000);

  it("raises only LIA-101's limits for the scripted excursion", () => {
    expect([...play(5 * 60, true).keys()]).toEqual(['LIA-101:hi']);
  }, 60_000);
});
