import { BadQualityRule, FlatlineRule, OutOfRangeRule, sensorFaultRules } from './sensor-fault.rules';
import { ruleHarness } from './test-site';

const sensor = () => ruleHarness({ factories: [sensorFaultRules], siteFactories: [] });

describe(BadQualityRule.name, () => {
  it('raises BAD_QUALITY on a bad-quality point and clears it on the next good one; uncertain is not bad', () => {
    const sut = sensor();
    sut.feed('LI-1', 5, 0);
    sut.feed('LI-1', 5, 1, { q: 'uncertain' });
    sut.feed('LI-1', 0, 2, { q: 'bad' });
    sut.feed('LI-1', 0, 3, { q: 'bad' });
    sut.feed('LI-1', 5, 4);
    expect(sut.log('LI-1', 'BAD_QUALITY')).toEqual(['BAD_QUALITY:off@0', 'BAD_QUALITY:on@2', 'BAD_QUALITY:off@4']);
    expect(sut.seen.find((s) => s.active)).toMatchObject({ key: 'LI-1:BAD_QUALITY', priority: 3, value: 0 });
  });

  it('watches discrete tags too (a valve position of bad quality is no position)', () => {
    const sut = sensor();
    sut.feed('XV-1', 'open', 0, { q: 'bad' });
    expect(sut.log('XV-1')).toEqual(['BAD_QUALITY:on@0']);
  });
});

describe(OutOfRangeRule.name, () => {
  it('raises OUT_OF_RANGE above the range max and below its min, and clears back inside; the ends are inside', () => {
    const sut = sensor();
    sut.feed('LI-1', 10, 0); // range [0, 10]
    sut.feed('LI-1', 10.2, 1);
    sut.feed('LI-1', 9.9, 2);
    sut.feed('LI-1', -0.1, 3);
    sut.feed('LI-1', 0, 4);
    expect(sut.log('LI-1', 'OUT_OF_RANGE')).toEqual([
      'OUT_OF_RANGE:off@0',
      'OUT_OF_RANGE:on@1',
      'OUT_OF_RANGE:off@2',
      'OUT_OF_RANGE:on@3',
      'OUT_OF_RANGE:off@4',
    ]);
    expect(sut.seen.filter((s) => s.active).map((s) => [s.value, s.limit])).toEqual([
      [10.2, 10],
      [-0.1, 0],
    ]);
    expect(sut.seen.find((s) => s.active)?.message).toBe('1#储罐液位（LI-1）超出量程：10.2m，限值 10m（量程 0…10m）');
  });

  it('leaves a bad-quality value to BAD_QUALITY, and a tag without a range alone', () => {
    const sut = sensor();
    sut.feed('LI-1', 50, 0, { q: 'bad' });
    sut.feed('LI-3', 50, 0); // no range
    expect(sut.log('LI-1', 'OUT_OF_RANGE')).toEqual([]);
    expect(sut.log('LI-3', 'OUT_OF_RANGE')).toEqual([]);
  });
});

describe(FlatlineRule.name, () => {
  it('flags a stuck sensor after its afterMin (LI-4: 10 min within 0.01 m), and clears when it moves again', () => {
    const sut = sensor();
    for (let s = 0; s < 600; s += 10) sut.feed('LI-4', s % 20 === 0 ? 5 : 5.008, s);
    expect(sut.log('LI-4', 'FLATLINE')).toEqual(['FLATLINE:off@0']);
    sut.feed('LI-4', 5.004, 600);
    expect(sut.log('LI-4', 'FLATLINE')).toEqual(['FLATLINE:off@0', 'FLATLINE:on@600']);
    expect(sut.last('LI-4', 'FLATLINE')).toMatchObject({ key: 'LI-4:FLATLINE', priority: 4 });
    expect(sut.last('LI-4', 'FLATLINE')?.message).toContain('10 min 无变化');
    sut.feed('LI-4', 5.05, 610);
    expect(sut.log('LI-4', 'FLATLINE')).toEqual(['FLATLINE:off@0', 'FLATLINE:on@600', 'FLATLINE:off@610']);
  });

  it('restarts the count whenever the value leaves the tolerance, so a live signal never flat-lines', () => {
    const sut = sensor();
    for (let s = 0; s <= 3600; s += 10) sut.feed('LI-4', 5 + 0.02 * Math.sin(s / 60), s);
    expect(sut.log('LI-4', 'FLATLINE')).toEqual(['FLATLINE:off@0']);
  });

  it('is off unless the tag asks for it', () => {
    const sut = sensor();
    for (let s = 0; s <= 3600; s += 10) sut.feed('LI-1', 5, s);
    expect(sut.log('LI-1', 'FLATLINE')).toEqual([]);
  });

  it('gives a discrete tag no range or flat-line rule: an ESD valve that stays open is not stuck', () => {
    const sut = sensor();
    for (let s = 0; s <= 3600; s += 60) sut.feed('XV-1', 'open', s);
    expect(sut.log('XV-1')).toEqual(['BAD_QUALITY:off@0']);
  });
});
