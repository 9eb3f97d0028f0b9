import { rateOfChangeRules, RateOfChangeRule } from './roc.rules';
import { ruleHarness } from './test-site';

const roc = () => ruleHarness({ factories: [rateOfChangeRules], siteFactories: [] });

/** LI-4 one value a second from `fromS` for `seconds`, changing `perMin` m a minute from `startValue`. */
function ramp(sut: ReturnType<typeof roc>, perMin: number, fromS: number, seconds: number, startValue = 5) {
  for (let i = 0; i <= seconds; i++) sut.feed('LI-4', startValue + (perMin * i) / 60, fromS + i);
  return startValue + (perMin * seconds) / 60;
}

describe(RateOfChangeRule.name, () => {
  it('raises ROC_RISE when the level rises faster than risePerMin over the window (1.5 m/min > 1 m/min)', () => {
    const sut = roc();
    ramp(sut, 1.5, 0, 90);
    // Judged once half the 60 s window is history; the first judgement raises it.
    expect(sut.log('LI-4', 'ROC_RISE')).toEqual(['ROC_RISE:on@30']);
    const raised = sut.seen.find((s) => s.condition === 'ROC_RISE' && s.active)!;
    expect(raised).toMatchObject({ key: 'LI-4:ROC_RISE', priority: 3, value: 1.5, limit: 1, unit: 'm/min' });
    expect(raised.message).toBe('4#储罐液位（LI-4）上升过快：1.5m/min（60 s 窗口），限值 1m/min');
  });

  it('does not raise for a slower rise (0.8 m/min), nor ROC_FALL for any rise', () => {
    const sut = roc();
    ramp(sut, 0.8, 0, 300);
    expect(sut.log('LI-4')).toEqual(['ROC_RISE:off@30', 'ROC_FALL:off@30']);
  });

  it('raises ROC_FALL for a fall faster than fallPerMin (3 m/min > 2 m/min), not for 1.5 m/min', () => {
    const fast = roc();
    ramp(fast, -3, 0, 60, 9);
    expect(fast.log('LI-4', 'ROC_FALL')).toEqual(['ROC_FALL:on@30']);
    expect(fast.last('LI-4', 'ROC_FALL')).toMatchObject({ value: -3, limit: -2 });
    const slow = roc();
    ramp(slow, -1.5, 0, 120, 9);
    expect(slow.log('LI-4', 'ROC_FALL')).toEqual(['ROC_FALL:off@30']);
  });

  it('returns once the rate is back below the limit by the deadband (1 − 0.2 m/min)', () => {
    const sut = roc();
    let v = ramp(sut, 1.5, 0, 120);
    v = ramp(sut, 0.9, 121, 120, v); // inside the limit, not by the deadband: stays
    expect(sut.log('LI-4', 'ROC_RISE')).toEqual(['ROC_RISE:on@30']);
    ramp(sut, 0.5, 242, 120, v);
    const log = sut.log('LI-4', 'ROC_RISE');
    expect(log).toHaveLength(2);
    expect(log[1]).toMatch(/^ROC_RISE:off@/);
  });

  it('dates samples by their source timestamps: a replayed backlog arriving in one burst is not a jump', () => {
    const sut = roc();
    for (let i = 0; i <= 120; i++) sut.feed('LI-4', 5 + (0.5 * i) / 60, 500, { tsS: 380 + i });
    expect(sut.log('LI-4')).toEqual(['ROC_RISE:off@500', 'ROC_FALL:off@500']);
  });

  it('judges nothing from two close samples: a 3 m step within 10 s is for the limits, not a rate', () => {
    const sut = roc();
    sut.feed('LI-4', 5, 0);
    sut.feed('LI-4', 8, 10);
    expect(sut.seen).toEqual([]);
  });

  it('ignores samples older than the newest, bad quality and non-numbers', () => {
    const sut = roc();
    ramp(sut, 0.5, 0, 60);
    sut.feed('LI-4', 100, 61, { tsS: 10 });
    sut.feed('LI-4', 100, 62, { q: 'bad' });
    sut.feed('LI-4', 'high', 63);
    expect(sut.seen.filter((s) => s.active)).toEqual([]);
  });

  it('compiles only for tags with a rise or fall limit', () => {
    expect(roc().engine.size).toBe(1);
  });
});
