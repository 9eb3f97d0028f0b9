import type { Equipment, TagDef } from '@hazard/server/contracts';
import { createRng } from './rng';
import { createTankModel } from './tank.model';

const level: TagDef = {
  tag: 'LIA-101',
  name: 'level',
  kind: 'level',
  unit: 'm',
  range: [0, 16],
  limits: { hh: 14.4, h: 13.6, l: 2.4, ll: 1.6, deadband: 0.1 },
};
const temperature: TagDef = {
  tag: 'TIA-101',
  name: 'temperature',
  kind: 'temperature',
  unit: '°C',
  range: [-20, 80],
  limits: { hh: 45, h: 40, deadband: 0.5 },
};
const pressure: TagDef = {
  tag: 'PIA-101',
  name: 'pressure',
  kind: 'pressure',
  unit: 'kPa',
  range: [-2, 6],
  limits: { hh: 2, h: 1.8, l: -0.3, ll: -0.5, deadband: 0.05 },
};
const tank: Equipment = {
  id: 'T-101',
  name: 'tank',
  type: 'tank',
  tankType: 'atmospheric',
  capacityM3: 5000,
  medium: '甲醇',
  tags: [level, temperature, pressure],
};

const min = (values: number[]): number => values.reduce((a, b) => Math.min(a, b), Infinity);
const max = (values: number[]): number => values.reduce((a, b) => Math.max(a, b), -Infinity);

/** Readings of every step, by tag, from `steps` ticks of `dtMs` starting at `startMs`. */
function run(seed: number, steps: number, dtMs: number, startMs = Date.UTC(2025, 0, 1)): Map<string, number[]> {
  const rng = createRng(seed);
  const sut = createTankModel(tank, rng);
  let state = sut.initial(rng);
  const series = new Map<string, number[]>(sut.tags.map((t) => [t, []]));
  for (let i = 0; i < steps; i++) {
    if (i > 0) state = sut.next(state, dtMs, rng);
    for (const { tag, v } of sut.read(state, startMs + i * dtMs)) {
      if (typeof v !== 'number') throw new Error(`${tag} is not numeric`);
      series.get(tag)?.push(v);
    }
  }
  return series;
}

describe(createTankModel.name, () => {
  it('keeps the level strictly between L and H, clear of the deadband, over two simulated days at 1 Hz', () => {
    const levels = run(7, 2 * 24 * 3600, 1000).get('LIA-101') ?? [];

    expect(levels).toHaveLength(2 * 24 * 3600);
    expect(min(levels)).toBeGreaterThan(2.4 + 0.1);
    expect(max(levels)).toBeLessThan(13.6 - 0.1);
  });

  it('moves the level: a random walk, not a constant', () => {
    const levels = run(3, 3600, 1000).get('LIA-101') ?? [];

    expect(max(levels) - min(levels)).toBeGreaterThan(0.05);
  });

  it('keeps temperature within 20–28 °C and warmer at 14:00 than at 02:00 China time', () => {
    const day = run(11, 24 * 60, 60_000, Date.UTC(2025, 5, 1, -8)).get('TIA-101') ?? [];

    expect(min(day)).toBeGreaterThanOrEqual(20);
    expect(max(day)).toBeLessThanOrEqual(28);
    expect(day[14 * 60]).toBeGreaterThan((day[2 * 60] ?? Infinity) + 3);
  });

  it('keeps gauge pressure within 0.3–0.8 kPa', () => {
    const pressures = run(5, 20_000, 1000).get('PIA-101') ?? [];

    expect(min(pressures)).toBeGreaterThanOrEqual(0.3);
    expect(max(pressures)).toBeLessThanOrEqual(0.8);
  });

  it('repeats exactly with the same seed and differs with another', () => {
    const a = run(42, 500, 1000).get('LIA-101');
    const b = run(42, 500, 1000).get('LIA-101');
    const c = run(43, 500, 1000).get('LIA-101');

    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rounds values to three decimals', () => {
    const values = [...run(9, 50, 1000).values()].flat();

    for (const v of values) expect(Math.round(v * 1000) / 1000).toBe(v);
  });
});
