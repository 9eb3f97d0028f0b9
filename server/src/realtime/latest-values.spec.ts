import type { PointValue, Quality, SamplePoint } from '../contracts';
import { LatestValues } from './latest-values';

function point(tag: string, tsMs: number, v: PointValue, q: Quality = 'good'): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag, tsMs, v, q };
}

describe(LatestValues.name, () => {
  let sut: LatestValues;

  beforeEach(() => {
    sut = new LatestValues();
  });

  it('keeps the newest sample of each tag', () => {
    sut.update(point('LI-1', 1000, 5));
    sut.update(point('LI-1', 2000, 6, 'uncertain'));
    sut.update(point('XV-1', 1500, 'open'));

    expect(sut.all()).toEqual({
      'LI-1': { v: 6, q: 'uncertain', ts: 2000 },
      'XV-1': { v: 'open', q: 'good', ts: 1500 },
    });
    expect(sut.size).toBe(2);
  });

  it('ignores a sample older than the one it has', () => {
    sut.update(point('LI-1', 2000, 6));
    sut.update(point('LI-1', 1000, 5));

    expect(sut.all()).toEqual({ 'LI-1': { v: 6, q: 'good', ts: 2000 } });
  });

  it('takes a sample with the same timestamp as a correction', () => {
    sut.update(point('LI-1', 2000, 6));
    sut.update(point('LI-1', 2000, 7, 'bad'));

    expect(sut.all()['LI-1']).toEqual({ v: 7, q: 'bad', ts: 2000 });
  });

  it('returns only the tags changed since the last call, then nothing', () => {
    sut.update(point('LI-1', 1000, 5));
    sut.update(point('LI-2', 1000, 3));
    sut.takeChanged();
    sut.update(point('LI-2', 2000, 4));
    sut.update(point('LI-2', 3000, 4.5));

    expect(sut.takeChanged()).toEqual({ 'LI-2': { v: 4.5, q: 'good', ts: 3000 } });
    expect(sut.takeChanged()).toEqual({});
  });

  it('does not report a tag as changed for an out-of-order sample it ignored', () => {
    sut.update(point('LI-1', 2000, 6));
    sut.takeChanged();
    sut.update(point('LI-1', 1000, 5));

    expect(sut.takeChanged()).toEqual({});
  });

  it('hands out copies that later updates do not change', () => {
    sut.update(point('LI-1', 1000, 5));
    const all = sut.all();
    const changed = sut.takeChanged();
    sut.update(point('LI-1', 2000, 6));

    expect(all['LI-1']).toEqual({ v: 5, q: 'good', ts: 1000 });
    expect(changed['LI-1']).toEqual({ v: 5, q: 'good', ts: 1000 });
  });

  it('hands out at most max changed values a call, oldest changes first, and keeps the rest for the next', () => {
    for (let i = 1; i <= 5; i++) sut.update(point(`LI-${i}`, 1000, i));

    expect(Object.keys(sut.takeChanged(2))).toEqual(['LI-1', 'LI-2']);
    expect(sut.changedCount).toBe(3);
    sut.update(point('LI-1', 2000, 9));
    expect(Object.keys(sut.takeChanged(2))).toEqual(['LI-3', 'LI-4']);
    expect(sut.takeChanged(2)).toEqual({
      'LI-5': { v: 5, q: 'good', ts: 1000 },
      'LI-1': { v: 9, q: 'good', ts: 2000 },
    });
    expect(sut.changedCount).toBe(0);
  });

  it('forgets what changed on discardChanged, and keeps the values themselves', () => {
    sut.update(point('LI-1', 1000, 5));
    sut.discardChanged();

    expect(sut.takeChanged()).toEqual({});
    expect(sut.get('LI-1')).toEqual({ v: 5, q: 'good', ts: 1000 });
  });
});
