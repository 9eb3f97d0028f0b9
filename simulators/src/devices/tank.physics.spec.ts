import {
  inferTankShape,
  levelMAtVolume,
  secondsToLevel,
  shapeCapacityM3,
  stepTank,
  vapourPressureFitFor,
  vapourPressureKPaG,
  volumeM3AtLevel,
  type TankParams,
  type TankState,
} from './tank.physics';

const T101: TankParams = {
  shape: { kind: 'vertical_cylinder', diameterM: 20, heightM: 16 },
  storage: 'atmospheric',
  thermalTauS: 86_400,
};
const SPHERE: TankParams = {
  shape: { kind: 'sphere', diameterM: 12.3 },
  storage: 'pressurised',
  thermalTauS: 43_200,
  vapour: vapourPressureFitFor('液化石油气')!,
};

/** Steps `params` at 1 s with constant inputs until `until(state)` or `maxS`; returns the seconds taken. */
function runUntil(
  params: TankParams,
  start: TankState,
  inputs: Parameters<typeof stepTank>[2],
  until: (s: TankState) => boolean,
  maxS: number,
): { seconds: number; state: TankState } {
  let state = start;
  for (let s = 0; s < maxS; s++) {
    if (until(state)) return { seconds: s, state };
    state = stepTank(params, state, inputs, 1);
  }
  return { seconds: maxS, state };
}

describe('tank physics', () => {
  it('fills a 20 m × 16 m tank at 600 m³/h from 8 m to HH 14.4 m in the computed time (about 3 h 17 min)', () => {
    const area = Math.PI * 100;
    const expectedS = (((14.4 - 8) * area) / 600) * 3600;
    const sut = runUntil(
      T101,
      { volumeM3: volumeM3AtLevel(T101.shape, 8), temperatureC: 20, pressureKPa: 0.5 },
      { inFlowM3PerH: 600, outFlowM3PerH: 0, ambientC: 20 },
      (s) => levelMAtVolume(T101.shape, s.volumeM3) >= 14.4,
      24 * 3600,
    );

    expect(secondsToLevel(T101.shape, 8, 14.4, 600)).toBeCloseTo(expectedS, 6);
    expect(Math.abs(sut.seconds - expectedS)).toBeLessThanOrEqual(1);
  });

  it('fills a sphere faster near its equator per metre than near its poles (level from the cap volume)', () => {
    const shape = SPHERE.shape;
    const bottomMetre = volumeM3AtLevel(shape, 1);
    const equatorMetre = volumeM3AtLevel(shape, 6.65) - volumeM3AtLevel(shape, 5.65);

    expect(volumeM3AtLevel(shape, 12.3)).toBeCloseTo(shapeCapacityM3(shape), 6);
    expect(levelMAtVolume(shape, volumeM3AtLevel(shape, 9.85))).toBeCloseTo(9.85, 6);
    expect(equatorMetre).toBeGreaterThan(5 * bottomMetre);
    // The demo's HH of 9.85 m is the 90 % fill limit (demo-park.yaml): within a percent.
    expect(volumeM3AtLevel(shape, 9.85) / shapeCapacityM3(shape)).toBeCloseTo(0.9, 1);
  });

  it('never holds more than its capacity nor less than nothing', () => {
    const full = stepTank(
      T101,
      { volumeM3: 5000, temperatureC: 20, pressureKPa: 0.5 },
      { inFlowM3PerH: 1e6, outFlowM3PerH: 0, ambientC: 20 },
      3600,
    );
    const empty = stepTank(
      T101,
      { volumeM3: 10, temperatureC: 20, pressureKPa: 0.5 },
      { inFlowM3PerH: 0, outFlowM3PerH: 1e6, ambientC: 20 },
      3600,
    );

    expect(full.volumeM3).toBeCloseTo(shapeCapacityM3(T101.shape), 6);
    expect(empty.volumeM3).toBe(0);
  });

  it('follows ambient with inertia: after one time constant 63 % of a step, not all of it', () => {
    const after = stepTank(
      T101,
      { volumeM3: 1000, temperatureC: 20, pressureKPa: 0.5 },
      { inFlowM3PerH: 0, outFlowM3PerH: 0, ambientC: 30 },
      86_400,
    );

    expect(after.temperatureC).toBeCloseTo(20 + 10 * (1 - Math.exp(-1)), 6);
  });

  it('gives a pressurised sphere the vapour pressure of its medium, rising as it warms', () => {
    const cool = stepTank(
      SPHERE,
      { volumeM3: 500, temperatureC: 20, pressureKPa: 0 },
      { inFlowM3PerH: 0, outFlowM3PerH: 0, ambientC: 20 },
      1,
    );
    const warm = runUntil(
      SPHERE,
      cool,
      { inFlowM3PerH: 0, outFlowM3PerH: 0, ambientC: 45 },
      () => false,
      6 * 3600,
    ).state;

    // Propane: 0.74 MPa(g) at 20 °C in the tables; the fit is within 10 %.
    expect(cool.pressureKPa / 1000).toBeGreaterThan(0.65);
    expect(cool.pressureKPa / 1000).toBeLessThan(0.8);
    expect(warm.pressureKPa).toBeGreaterThan(cool.pressureKPa + 200);
  });

  it('fits ammonia and chlorine vapour pressures at 20 °C within 5 % of the tables (857 / 673 kPa abs)', () => {
    expect(vapourPressureKPaG(vapourPressureFitFor('液氨')!, 20) + 101.325).toBeGreaterThan(857 * 0.95);
    expect(vapourPressureKPaG(vapourPressureFitFor('液氨')!, 20) + 101.325).toBeLessThan(857 * 1.05);
    expect(vapourPressureKPaG(vapourPressureFitFor('液氯')!, 20) + 101.325).toBeGreaterThan(673 * 0.95);
    expect(vapourPressureKPaG(vapourPressureFitFor('液氯')!, 20) + 101.325).toBeLessThan(673 * 1.05);
  });

  it('holds an LNG tank pressure while the boil-off compressor runs and raises it when the compressor stops', () => {
    const lng: TankParams = {
      shape: { kind: 'vertical_cylinder', diameterM: 80, heightM: 22 },
      storage: 'refrigerated',
      thermalTauS: Infinity,
      boilOffPctPerDay: 0.05,
      liquidDensityTPerM3: 0.45,
    };
    const start: TankState = { volumeM3: 50_000, temperatureC: -162, pressureKPa: 15 };
    const running = runUntil(lng, start, { inFlowM3PerH: 0, outFlowM3PerH: 0, ambientC: 20 }, () => false, 3600).state;
    const tripped = runUntil(
      lng,
      start,
      { inFlowM3PerH: 0, outFlowM3PerH: 0, ambientC: 20, bogRemovalKgPerH: 0 },
      () => false,
      3600,
    ).state;

    expect(running.pressureKPa).toBeCloseTo(15, 9);
    expect(running.temperatureC).toBe(-162);
    expect(tripped.pressureKPa).toBeGreaterThan(15.5);
  });

  it('infers the demo spheres as spheres and the atmospheric tanks as cylinders from the site model', () => {
    const sphere = inferTankShape(
      {
        id: 'T-301',
        name: 's',
        type: 'tank',
        tankType: 'pressurised',
        capacityM3: 1000,
        medium: '液化石油气',
        tags: [],
      },
      { tag: 'LIA-301', name: 'l', kind: 'level', unit: 'mm', range: [0, 12300] },
    );
    const cylinder = inferTankShape(
      { id: 'T-101', name: 't', type: 'tank', tankType: 'atmospheric', capacityM3: 5000, medium: '甲醇', tags: [] },
      { tag: 'LIA-101', name: 'l', kind: 'level', unit: 'm', range: [0, 16] },
    );

    expect(sphere).toEqual({ kind: 'sphere', diameterM: 12.3 });
    expect(cylinder.kind).toBe('vertical_cylinder');
    expect(shapeCapacityM3(cylinder)).toBeCloseTo(5000, 6);
  });
});
