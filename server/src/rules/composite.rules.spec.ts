import { compositeRules, GasValveOpenRule, VoteRule } from './composite.rules';
import { limitRules } from './limit.rules';
import { ruleHarness, TEST_SITE_YAML } from './test-site';

// GI-1…3: combustible detectors on the GB/T 50493 defaults (H 25 / HH 50 %LEL, no deadband).
// VOTE-1: 2oo3 on HH. GVO-1: any of them at HH while XV-1 (travelTimeS 20) is not closed.
const composites = (yaml = TEST_SITE_YAML) =>
  ruleHarness({ yaml, factories: [limitRules], siteFactories: [compositeRules] });

function cleanAir(sut: ReturnType<typeof composites>, atS = 0) {
  for (const tag of ['GI-1', 'GI-2', 'GI-3']) sut.feed(tag, 1, atS);
}

describe(VoteRule.name, () => {
  it('2oo3: one detector at HH raises no vote, two do (priority 1), and it returns when one falls back', () => {
    const sut = composites();
    cleanAir(sut);
    sut.feed('GI-1', 60, 1);
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0']);
    sut.feed('GI-2', 55, 2);
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0', 'VOTE:on@2']);
    expect(sut.last('VOTE-1', 'VOTE')).toMatchObject({
      key: 'VOTE-1:VOTE',
      tag: 'VOTE-1',
      sourceId: 'src1',
      priority: 1,
      value: 2,
      limit: 2,
    });
    expect(sut.last('VOTE-1', 'VOTE')?.message).toBe(
      '罐区可燃气体 2oo3 确认（VOTE-1）多点确认泄漏：3 个探测器中 2 个二级报警（2oo3：GI-1、GI-2）',
    );
    sut.feed('GI-3', 70, 3); // a third: still the same alarm
    expect(sut.log('VOTE-1')).toHaveLength(2);
    sut.feed('GI-1', 30, 4); // back to H only: GI-2 and GI-3 still vote
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0', 'VOTE:on@2']);
    sut.feed('GI-2', 10, 5); // one of three left
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0', 'VOTE:on@2', 'VOTE:off@5']);
  });

  it('counts first alarms (H) only when the vote is on level h', () => {
    const hh = composites();
    cleanAir(hh);
    hh.feed('GI-1', 30, 1);
    hh.feed('GI-2', 30, 1);
    expect(hh.log('VOTE-1')).toEqual(['VOTE:off@0']);
    const h = composites(TEST_SITE_YAML.replace('k: 2, level: hh', 'k: 2, level: h'));
    cleanAir(h);
    h.feed('GI-1', 30, 1);
    h.feed('GI-2', 60, 1);
    expect(h.log('VOTE-1')).toEqual(['VOTE:off@0', 'VOTE:on@1']);
    expect(h.last('VOTE-1', 'VOTE')?.message).toContain('2 个一级报警');
  });

  it("follows the members' own limit alarms: a member on-delay holds its vote back", () => {
    const yaml = TEST_SITE_YAML.replace(
      "{ tag: GI-2, name: 可燃气体2, kind: gas, unit: '%LEL', range: [0, 100] }",
      "{ tag: GI-2, name: 可燃气体2, kind: gas, unit: '%LEL', range: [0, 100], limits: { h: 25, hh: 50, onDelayS: 5 } }",
    );
    const sut = composites(yaml);
    cleanAir(sut);
    sut.feed('GI-1', 60, 1);
    sut.feed('GI-2', 60, 1);
    sut.tick(5);
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0']);
    sut.tick(6);
    expect(sut.log('VOTE-1')).toEqual(['VOTE:off@0', 'VOTE:on@6']);
  });

  it('after a restart raises as soon as k members stand, but returns only once every member has reported', () => {
    const sut = composites();
    sut.feed('GI-1', 60, 0);
    expect(sut.log('VOTE-1')).toEqual([]); // one member seen: nothing known about the vote yet
    sut.feed('GI-2', 60, 0);
    expect(sut.log('VOTE-1')).toEqual(['VOTE:on@0']);
  });
});

describe(GasValveOpenRule.name, () => {
  it('raises nothing for a gas second alarm while the valve is closed', () => {
    const sut = composites();
    sut.feed('XV-1', 'closed', 0);
    cleanAir(sut);
    sut.feed('GI-1', 60, 1);
    sut.tickThrough(2, 120);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0']);
  });

  it('raises priority 1 when the valve is still open its travel time (20 s) after the gas second alarm', () => {
    const sut = composites();
    sut.feed('XV-1', 'open', 0);
    cleanAir(sut);
    sut.feed('GI-2', 60, 1);
    sut.tickThrough(2, 20);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0']);
    sut.tick(21);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0', 'GAS_VALVE_OPEN:on@21']);
    expect(sut.last('GVO-1', 'GAS_VALVE_OPEN')).toMatchObject({ key: 'GVO-1:GAS_VALVE_OPEN', priority: 1 });
    expect(sut.last('GVO-1', 'GAS_VALVE_OPEN')?.message).toBe(
      '罐区可燃气体二级报警且切断阀未关闭（GVO-1）气体二级报警且切断阀未关闭：GI-2 二级报警，XV-1 未关闭',
    );
    sut.feed('XV-1', 'closed', 30);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0', 'GAS_VALVE_OPEN:on@21', 'GAS_VALVE_OPEN:off@30']);
  });

  it('raises nothing when an interlock closes the valve within its travel time', () => {
    const sut = composites();
    sut.feed('XV-1', 'open', 0);
    cleanAir(sut);
    sut.feed('GI-1', 60, 1);
    sut.feed('XV-1', 'travel', 3);
    sut.feed('XV-1', 'closed', 12);
    sut.tickThrough(2, 100);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0']);
  });

  it('raises at once with onDelayS 0, and counts a valve that never reported as not closed', () => {
    const sut = composites(TEST_SITE_YAML.replace('type: gas_valve_open }', 'type: gas_valve_open, onDelayS: 0 }'));
    cleanAir(sut);
    sut.feed('GI-3', 60, 1);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0', 'GAS_VALVE_OPEN:on@1']);
  });

  it('ignores first alarms (H): the composite is about the second alarm', () => {
    const sut = composites();
    sut.feed('XV-1', 'open', 0);
    cleanAir(sut);
    sut.feed('GI-1', 40, 1);
    sut.tickThrough(2, 100);
    expect(sut.log('GVO-1')).toEqual(['GAS_VALVE_OPEN:off@0']);
  });
});
