import { createRng } from './rng';
import {
  combustibleProps,
  detectorReading,
  INITIAL_DETECTOR_STATE,
  mgM3ToPctLel,
  plumeConcentrationMgM3,
  stepDetector,
  T90_COMBUSTIBLE_S,
  T90_TOXIC_S,
  type DetectorParams,
  type DetectorState,
} from './gas.physics';

const quiet = (t90S: number): DetectorParams => ({
  t90S,
  background: 0,
  noiseStdDev: 0,
  noiseTauS: 10,
  driftPerDay: 0,
  range: [0, 100],
});

/** Seconds (1 s steps) until the reading reaches `fraction` of a step of `step` applied at t = 0. */
function secondsToFraction(params: DetectorParams, step: number, fraction: number): number {
  let state: DetectorState = INITIAL_DETECTOR_STATE;
  for (let s = 1; s <= 600; s++) {
    state = stepDetector(params, state, step, 1, () => 0);
    // 1e-9: at exactly T90 the reading is 90 % up to floating-point rounding.
    if (detectorReading(params, state) >= fraction * step - 1e-9) return s;
  }
  return Infinity;
}

describe('gas detection physics', () => {
  it.each([
    ['combustible', T90_COMBUSTIBLE_S],
    ['toxic', T90_TOXIC_S],
  ])('a %s detector reaches 90 %% of a step within its T90 (%i s), and not much sooner', (_kind, t90S) => {
    const seconds = secondsToFraction(quiet(t90S), 50, 0.9);

    expect(seconds).toBeLessThanOrEqual(t90S);
    expect(seconds).toBeGreaterThanOrEqual(t90S - 1);
  });

  it('is lower farther downwind, zero upwind, and falls off across the wind', () => {
    const leak = { position: [0, 0] as const, rateKgPerS: 0.01 };
    const wind = { speedMPerS: 2, fromDeg: 270 }; // from the west: the plume goes east (+x)
    const near = plumeConcentrationMgM3(leak, [20, 0], wind);
    const far = plumeConcentrationMgM3(leak, [60, 0], wind);
    const aside = plumeConcentrationMgM3(leak, [20, 8], wind);
    const upwind = plumeConcentrationMgM3(leak, [-20, 0], wind);

    expect(near).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0);
    expect(aside).toBeLessThan(near / 10);
    expect(upwind).toBe(0);
  });

  it('dilutes more in a stronger wind (C ∝ 1/u)', () => {
    const leak = { position: [0, 0] as const, rateKgPerS: 0.01 };
    const calm = plumeConcentrationMgM3(leak, [0, -30], { speedMPerS: 1, fromDeg: 0 });
    const windy = plumeConcentrationMgM3(leak, [0, -30], { speedMPerS: 4, fromDeg: 0 });

    expect(calm / windy).toBeCloseTo(4, 6);
  });

  it('converts methane mg/m³ to %LEL: 5 % vol (its LEL) reads 100 %LEL', () => {
    const mgAtLel = (50_000 * 16.04) / 24.45;

    expect(mgM3ToPctLel(mgAtLel, combustibleProps('methane'))).toBeCloseTo(100, 6);
  });

  it('wanders around its background in clean air, never below zero, and drifts by its drift rate', () => {
    const params: DetectorParams = { ...quiet(30), background: 1, noiseStdDev: 0.3, driftPerDay: 2 };
    const rng = createRng(3);
    let state = INITIAL_DETECTOR_STATE;
    const readings: number[] = [];
    for (let s = 0; s < 86_400; s += 10) {
      state = stepDetector(params, state, 0, 10, () => rng.normal());
      readings.push(detectorReading(params, state));
    }

    expect(Math.min(...readings)).toBeGreaterThanOrEqual(0);
    expect(new Set(readings).size).toBeGreaterThan(1000);
    expect(state.drift).toBeCloseTo(2, 6);
  });
});
