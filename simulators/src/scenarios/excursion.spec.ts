import type { TagDef } from '@hazard/server/contracts';
import { SimulatorConfigError } from '../errors';
import { Excursion } from './excursion';

const H = 13.6;
const HH = 14.4;
const DEADBAND = 0.1;
const level: TagDef = {
  tag: 'LIA-101',
  name: 'level',
  kind: 'level',
  unit: 'm',
  range: [0, 16],
  limits: { hh: HH, h: H, l: 2.4, ll: 1.6, deadband: DEADBAND },
};
const BASE = 8;
const PEAK = HH + 0.3 * (HH - H);
const timing = { startAfterMs: 15_000, riseMs: 20_000, holdMs: 10_000, fallMs: 15_000, repeatEveryMs: 120_000 };

/** When a linear ramp from `from` (at t0) to `to` (at t0 + durationMs) passes `value`. */
function crossing(t0: number, durationMs: number, from: number, to: number, value: number): number {
  return t0 + (durationMs * (value - from)) / (to - from);
}

describe(Excursion.name, () => {
  const sut = new Excursion(level, timing);
  const riseEnd = timing.startAfterMs + timing.riseMs;
  const fallStart = riseEnd + timing.holdMs;
  const tH = crossing(timing.startAfterMs, timing.riseMs, BASE, PEAK, H);
  const tHH = crossing(timing.startAfterMs, timing.riseMs, BASE, PEAK, HH);
  const tBelowReturn = crossing(fallStart, timing.fallMs, PEAK, BASE, H - DEADBAND);

  it('peaks at HH + 0.3·(HH − H)', () => {
    expect(sut.peak).toBeCloseTo(14.64, 9);
    expect(sut.valueAt(BASE, riseEnd + 1)).toBeCloseTo(PEAK, 9);
  });

  it('stays at the normal value until startAfterMs', () => {
    expect(sut.valueAt(BASE, 0)).toBe(BASE);
    expect(sut.valueAt(BASE, timing.startAfterMs - 1)).toBe(BASE);
  });

  it('crosses H and then HH at the analytically computed times of the linear rise', () => {
    expect(sut.valueAt(BASE, tH - 1)).toBeLessThan(H);
    expect(sut.valueAt(BASE, tH + 1)).toBeGreaterThan(H);
    expect(sut.valueAt(BASE, tHH - 1)).toBeLessThan(HH);
    expect(sut.valueAt(BASE, tHH + 1)).toBeGreaterThan(HH);
    expect(tH).toBeCloseTo(31_867.47, 1);
    expect(tHH).toBeCloseTo(34_277.11, 1);
  });

  it('holds the peak, then falls below H − deadband at the computed time and returns to normal', () => {
    expect(sut.valueAt(BASE, fallStart - 1)).toBeCloseTo(PEAK, 9);
    expect(sut.valueAt(BASE, tBelowReturn - 1)).toBeGreaterThan(H - DEADBAND);
    expect(sut.valueAt(BASE, tBelowReturn + 1)).toBeLessThan(H - DEADBAND);
    expect(sut.valueAt(BASE, fallStart + timing.fallMs)).toBe(BASE);
    expect(sut.valueAt(BASE, timing.repeatEveryMs)).toBe(BASE);
  });

  it('repeats every repeatEveryMs', () => {
    expect(sut.valueAt(BASE, tHH + 1 + timing.repeatEveryMs)).toBeCloseTo(sut.valueAt(BASE, tHH + 1), 9);
    expect(sut.phaseAt(tHH + 2 * timing.repeatEveryMs).phase).toBe('rise');
  });

  it('plays once when repeatEveryMs is 0', () => {
    const once = new Excursion(level, { ...timing, repeatEveryMs: 0 });

    expect(once.valueAt(BASE, tHH + 1)).toBeGreaterThan(HH);
    expect(once.valueAt(BASE, tHH + 1 + 120_000)).toBe(BASE);
  });

  it('reaches HH within a minute of start with the default timing, even from the bottom of the normal band', () => {
    const byDefault = new Excursion(level);
    const { startAfterMs, riseMs } = byDefault.timing;

    expect(startAfterMs + riseMs).toBeLessThan(60_000);
    expect(byDefault.valueAt(2.6, startAfterMs + riseMs)).toBeGreaterThan(HH);
  });

  it('clamps the peak to the top of the range', () => {
    const narrow = new Excursion({ ...level, range: [0, 14.5] }, timing);

    expect(narrow.peak).toBe(14.5);
  });

  it('rejects a tag without h and hh limits, naming the tag', () => {
    expect(() => new Excursion({ ...level, limits: { h: H } })).toThrow(
      new SimulatorConfigError('excursion tag LIA-101 needs both h and hh limits in the site model'),
    );
  });

  it('rejects a repeat period shorter than one rise–hold–fall', () => {
    expect(() => new Excursion(level, { repeatEveryMs: 30_000 })).toThrow(/repeatEveryMs \(30000\)/);
  });
});
