import { describe, expect, it } from 'vitest';
import { fittingCount, hiddenSummary } from './list-fit';

describe(fittingCount.name, () => {
  it('counts the leading entries whose bottom edge is inside the box', () => {
    expect(fittingCount(200, [60, 120, 180, 240, 300])).toBe(3);
  });

  it('keeps everything when all entries fit, and an entry flush with the edge (sub-pixel rounding) fits', () => {
    expect(fittingCount(200, [60, 120, 180])).toBe(3);
    expect(fittingCount(200, [100, 200.6])).toBe(2);
  });

  it('stops at the first entry that does not fit, even if a later, shorter one would', () => {
    expect(fittingCount(200, [60, 250, 190])).toBe(1);
  });

  it('shows nothing when even the first entry is cut', () => {
    expect(fittingCount(50, [60, 120])).toBe(0);
  });
});

describe(hiddenSummary.name, () => {
  it('counts the entries past the shown ones and those of them needing attention', () => {
    expect(hiddenSummary([true, false, false, true, true], 2)).toEqual({ hidden: 3, attention: 2 });
  });

  it('hides nothing when the shown count covers the list (Infinity: not measured)', () => {
    expect(hiddenSummary([true, false], Number.POSITIVE_INFINITY)).toEqual({ hidden: 0, attention: 0 });
    expect(hiddenSummary([true, false], 2)).toEqual({ hidden: 0, attention: 0 });
  });
});
