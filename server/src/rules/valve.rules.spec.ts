import { sisRules } from './sis.rules';
import { ruleHarness } from './test-site';
import { valveRules, ValveDemandRule } from './valve.rules';

// XV-1: travelTimeS 20, closed by SIS-1 (state tag XS-1).
const valve = () => ruleHarness({ factories: [valveRules], siteFactories: [] });
const ofValve = (sut: ReturnType<typeof valve>) => sut.log('XV-1').filter((s) => !s.endsWith('off@0'));

describe(ValveDemandRule.name, () => {
  it('raises VALVE_TRAVEL when the valve still travels after its full-stroke time (20 s), not before', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XV-1', 'travel', 5);
    sut.tickThrough(6, 24);
    expect(ofValve(sut)).toEqual([]);
    sut.tick(25);
    expect(ofValve(sut)).toEqual(['VALVE_TRAVEL:on@25']);
    expect(sut.last('XV-1', 'VALVE_TRAVEL')).toMatchObject({ key: 'XV-1:VALVE_TRAVEL', priority: 2, value: 'travel' });
    sut.feed('XV-1', 'closed', 30);
    expect(ofValve(sut)).toEqual(['VALVE_TRAVEL:on@25', 'VALVE_TRAVEL:off@30']);
  });

  it('raises nothing for a stroke that ends in time', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XV-1', 'travel', 1);
    sut.feed('XV-1', 'closed', 15);
    sut.tickThrough(16, 100);
    expect(ofValve(sut)).toEqual([]);
  });

  it('raises VALVE_MISMATCH when the valve stays open travelTimeS after its loop trips, and returns once closed', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'normal', 0);
    sut.feed('XS-1', 'tripped', 10);
    sut.tickThrough(11, 29);
    expect(ofValve(sut)).toEqual([]);
    sut.tick(30);
    expect(ofValve(sut)).toEqual(['VALVE_MISMATCH:on@30']);
    expect(sut.last('XV-1', 'VALVE_MISMATCH')?.message).toBe(
      '进料切断阀阀位（XV-1）阀位与指令不符：open：联锁要求关闭，阀位 open',
    );
    sut.feed('XV-1', 'closed', 35);
    expect(ofValve(sut)).toEqual(['VALVE_MISMATCH:on@30', 'VALVE_MISMATCH:off@35']);
  });

  it('calls a valve still travelling travelTimeS after the trip VALVE_TRAVEL, not a mismatch', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'tripped', 10);
    sut.feed('XV-1', 'travel', 12);
    sut.tickThrough(13, 30);
    expect(ofValve(sut)).toEqual(['VALVE_TRAVEL:on@30']);
  });

  it('returns the mismatch when the trip clears (the valve then waits for its manual reset)', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'tripped', 0);
    sut.tick(20);
    sut.feed('XS-1', 'normal', 40);
    expect(ofValve(sut)).toEqual(['VALVE_MISMATCH:on@20', 'VALVE_MISMATCH:off@40']);
  });

  it('raises no mismatch without a demand: positions alone (as the simulator publishes them) are not compared', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'normal', 0);
    sut.feed('XV-1', 'closed', 100);
    sut.feed('XV-1', 'open', 200);
    sut.feed('XS-1', 'bypassed', 300);
    sut.tickThrough(301, 400);
    expect(ofValve(sut)).toEqual([]);
  });

  it('raises VALVE_FAULT while the valve reports fault (and no mismatch on top of it)', () => {
    const sut = valve();
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'tripped', 1);
    sut.feed('XV-1', 'fault', 2);
    sut.tickThrough(3, 60);
    sut.feed('XV-1', 'closed', 61);
    expect(ofValve(sut)).toEqual(['VALVE_FAULT:on@2', 'VALVE_FAULT:off@61']);
  });

  it('runs next to the SIS rules of the loop without either stepping on the other', () => {
    const sut = ruleHarness({ factories: [valveRules, sisRules], siteFactories: [] });
    sut.feed('XV-1', 'open', 0);
    sut.feed('XS-1', 'tripped', 1);
    sut.tick(21);
    expect(sut.log('XS-1').filter((s) => s.includes(':on'))).toEqual(['SIS_TRIPPED:on@1']);
    expect(sut.log('XV-1').filter((s) => s.includes(':on'))).toEqual(['VALVE_MISMATCH:on@21']);
  });
});
