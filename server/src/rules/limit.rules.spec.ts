import type { LimitLevel, Limits, TagDef } from '../contracts';
import {
  compileLimits,
  DEFAULT_LIMIT_PRIORITY,
  highLevel,
  isWorse,
  limitValue,
  lowLevel,
  sideOf,
  type CompiledLimits,
} from './limit.rules';

function tag(limits: Limits | undefined): TagDef {
  return { tag: 'LI-1', name: '液位', kind: 'level', unit: 'm', limits };
}

function compiled(limits: Limits): CompiledLimits {
  const c = compileLimits(tag(limits));
  if (!c) throw new Error('expected limits');
  return c;
}

/** Feeds values one after another, threading the current level like the rules engine does. */
function walk(
  level: (c: CompiledLimits, v: number, current: LimitLevel | null) => LimitLevel | null,
  c: CompiledLimits,
  values: number[],
): (LimitLevel | null)[] {
  let current: LimitLevel | null = null;
  return values.map((v) => (current = level(c, v, current)));
}

describe(compileLimits.name, () => {
  it('returns null for a tag without limits', () => {
    expect(compileLimits(tag(undefined))).toBeNull();
  });

  it('returns null when only a deadband or priorities are given', () => {
    expect(compileLimits(tag({ deadband: 1, priorities: { hh: 1 } }))).toBeNull();
  });

  it('defaults the deadband to 0 and priorities to HH/LL 2, H/L 3', () => {
    const sut = compileLimits(tag({ h: 8 }));

    expect(sut).toEqual({ h: 8, deadband: 0, priority: { HH: 2, H: 3, L: 3, LL: 2 } });
    expect(DEFAULT_LIMIT_PRIORITY).toEqual({ HH: 2, H: 3, L: 3, LL: 2 });
  });

  it('applies per-limit priority overrides and keeps the defaults of the others', () => {
    const sut = compileLimits(tag({ hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5, priorities: { hh: 1, l: 4 } }));

    expect(sut).toEqual({ hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5, priority: { HH: 1, H: 3, L: 4, LL: 2 } });
  });
});

describe(highLevel.name, () => {
  const c = compiled({ hh: 90, h: 80, deadband: 2 });

  it('raises H at the limit, holds it inside the deadband and returns only at limit − deadband', () => {
    expect(walk(highLevel, c, [79.9, 80, 79, 78.1, 78, 79.9])).toEqual([null, 'H', 'H', 'H', null, null]);
  });

  it('raises HH at its limit, holds it inside the deadband, then steps down to H', () => {
    expect(walk(highLevel, c, [70, 90, 88.5, 88, 85, 78.5, 78])).toEqual([null, 'HH', 'HH', 'H', 'H', 'H', null]);
  });

  it('goes from normal straight to HH when the value jumps past both limits', () => {
    expect(highLevel(c, 95, null)).toBe('HH');
  });

  it('steps HH down to H, not to normal, while the value is still inside the H deadband', () => {
    expect(highLevel(c, 79, 'HH')).toBe('H');
  });

  it('returns straight from HH to normal when the value drops below H − deadband', () => {
    expect(highLevel(c, 70, 'HH')).toBeNull();
  });

  it('does not hold a level it was not in: a value inside the H deadband from normal is normal', () => {
    expect(highLevel(c, 79, null)).toBeNull();
  });

  it('does not let a low-side level hold the high side', () => {
    expect(highLevel(c, 79, 'L')).toBeNull();
  });

  it('returns as soon as the value is below the limit when the deadband is 0', () => {
    const sut = compiled({ h: 80 });

    expect(walk(highLevel, sut, [80, 79.999])).toEqual(['H', null]);
  });

  it('handles a tag with only an HH limit', () => {
    const sut = compiled({ hh: 50, deadband: 1 });

    expect(walk(highLevel, sut, [49, 50, 49.5, 49])).toEqual([null, 'HH', 'HH', null]);
  });

  it('ignores low limits', () => {
    const sut = compiled({ l: 20, ll: 10 });

    expect(highLevel(sut, 1000, null)).toBeNull();
    expect(highLevel(sut, 0, null)).toBeNull();
  });
});

describe(lowLevel.name, () => {
  const c = compiled({ l: 20, ll: 10, deadband: 2 });

  it('raises L at the limit, holds it inside the deadband and returns only at limit + deadband', () => {
    expect(walk(lowLevel, c, [20.1, 20, 21, 21.9, 22, 20.1])).toEqual([null, 'L', 'L', 'L', null, null]);
  });

  it('raises LL at its limit, holds it inside the deadband, then steps up to L', () => {
    expect(walk(lowLevel, c, [30, 10, 11.5, 12, 15, 21.5, 22])).toEqual([null, 'LL', 'LL', 'L', 'L', 'L', null]);
  });

  it('steps LL up to L, not to normal, while the value is still inside the L deadband', () => {
    expect(lowLevel(c, 21, 'LL')).toBe('L');
  });

  it('returns straight from LL to normal when the value rises above L + deadband', () => {
    expect(lowLevel(c, 30, 'LL')).toBeNull();
  });

  it('does not let a high-side level hold the low side', () => {
    expect(lowLevel(c, 21, 'H')).toBeNull();
  });

  it('ignores high limits', () => {
    const sut = compiled({ h: 80, hh: 90 });

    expect(lowLevel(sut, -1000, null)).toBeNull();
  });
});

describe(limitValue.name, () => {
  const c = compiled({ hh: 4, h: 3, l: 2, ll: 1 });

  it.each([
    ['HH', 4],
    ['H', 3],
    ['L', 2],
    ['LL', 1],
  ] as const)('returns the %s limit', (level, value) => {
    expect(limitValue(c, level)).toBe(value);
  });

  it('returns NaN for a level the tag has no limit for', () => {
    expect(limitValue(compiled({ h: 3 }), 'HH')).toBeNaN();
  });
});

describe(isWorse.name, () => {
  it.each([
    ['HH', 'H', true],
    ['LL', 'L', true],
    ['H', 'HH', false],
    ['L', 'LL', false],
    ['H', 'H', false],
    ['HH', 'L', false],
  ] as const)('%s after %s is worse: %s', (next, prev, worse) => {
    expect(isWorse(next, prev)).toBe(worse);
  });
});

describe(sideOf.name, () => {
  it('puts HH and H on the high side and L and LL on the low side', () => {
    expect((['HH', 'H', 'L', 'LL'] as const).map(sideOf)).toEqual(['hi', 'hi', 'lo', 'lo']);
  });
});
