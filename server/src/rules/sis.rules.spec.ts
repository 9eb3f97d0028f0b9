import { DiscreteStateRule, sisRules } from './sis.rules';
import { ruleHarness, TEST_SITE_YAML } from './test-site';

const sis = (yaml?: string) => ruleHarness({ factories: [sisRules], siteFactories: [], ...(yaml ? { yaml } : {}) });
const on = (log: string[]) => log.filter((s) => !s.endsWith('off@0'));

describe(DiscreteStateRule.name, () => {
  it('raises SIS_BYPASSED at once and SIS_BYPASS_LONG after the loop’s bypassMaxMin (60 min); both return', () => {
    const sut = sis();
    sut.feed('XS-1', 'normal', 0);
    sut.feed('XS-1', 'bypassed', 100);
    sut.tick(100 + 3599);
    expect(on(sut.log('XS-1'))).toEqual(['SIS_BYPASSED:on@100']);
    sut.tick(100 + 3600);
    expect(on(sut.log('XS-1'))).toEqual(['SIS_BYPASSED:on@100', 'SIS_BYPASS_LONG:on@3700']);
    expect(sut.last('XS-1', 'SIS_BYPASSED')).toMatchObject({ key: 'XS-1:SIS_BYPASSED', priority: 3 });
    expect(sut.last('XS-1', 'SIS_BYPASS_LONG')).toMatchObject({ key: 'XS-1:SIS_BYPASS_LONG', priority: 2 });
    expect(sut.last('XS-1', 'SIS_BYPASS_LONG')?.message).toContain('已持续 60 min');
    sut.feed('XS-1', 'normal', 4000);
    expect(on(sut.log('XS-1'))).toEqual([
      'SIS_BYPASSED:on@100',
      'SIS_BYPASS_LONG:on@3700',
      'SIS_BYPASSED:off@4000',
      'SIS_BYPASS_LONG:off@4000',
    ]);
  });

  it('defaults bypassMaxMin to 8 h when the loop does not set it', () => {
    const sut = sis(TEST_SITE_YAML.replace('bypassMaxMin: 60', ''));
    sut.feed('XS-1', 'bypassed', 0);
    sut.tick(8 * 3600 - 1);
    expect(sut.log('XS-1', 'SIS_BYPASS_LONG')).toEqual([]);
    sut.tick(8 * 3600);
    expect(sut.log('XS-1', 'SIS_BYPASS_LONG')).toEqual(['SIS_BYPASS_LONG:on@28800']);
  });

  it('a bypass broken by a return to normal starts its clock again', () => {
    const sut = sis();
    sut.feed('XS-1', 'bypassed', 0);
    sut.feed('XS-1', 'normal', 3000);
    sut.feed('XS-1', 'bypassed', 3100);
    sut.tick(3600);
    expect(sut.log('XS-1', 'SIS_BYPASS_LONG')).toEqual(['SIS_BYPASS_LONG:off@3000']);
    sut.tick(6700);
    expect(sut.log('XS-1', 'SIS_BYPASS_LONG')).toEqual(['SIS_BYPASS_LONG:off@3000', 'SIS_BYPASS_LONG:on@6700']);
  });

  it('does not return a long bypass restored from the journal on the first point after a restart', () => {
    const sut = sis();
    sut.feed('XS-1', 'bypassed', 0); // a fresh process sees a bypass of unknown age
    expect(sut.log('XS-1', 'SIS_BYPASS_LONG')).toEqual([]);
    expect(sut.log('XS-1', 'SIS_BYPASSED')).toEqual(['SIS_BYPASSED:on@0']);
  });

  it('raises SIS_TRIPPED (priority 1) on the key AlarmService suppresses by, and SIS_FAULT, each while it lasts', () => {
    const sut = sis();
    sut.feed('XS-1', 'normal', 0);
    sut.feed('XS-1', 'tripped', 1);
    sut.feed('XS-1', 'fault', 2);
    sut.feed('XS-1', 'normal', 3);
    expect(on(sut.log('XS-1'))).toEqual(['SIS_TRIPPED:on@1', 'SIS_TRIPPED:off@2', 'SIS_FAULT:on@2', 'SIS_FAULT:off@3']);
    expect(sut.seen.find((s) => s.condition === 'SIS_TRIPPED' && s.active)).toMatchObject({
      key: 'XS-1:SIS_TRIPPED',
      priority: 1,
      value: 'tripped',
    });
  });

  it('ignores bad-quality states', () => {
    const sut = sis();
    sut.feed('XS-1', 'tripped', 0, { q: 'bad' });
    expect(sut.seen).toEqual([]);
  });
});
