import type { Equipment, TagDef } from '@hazard/server/contracts';

/**
 * Storage-tank physics for scenarios: volume balance from in/out flow, level from volume through the tank's
 * geometry, temperature following ambient with thermal inertia, vapour pressure of pressurised liquefied gases and
 * boil-off of refrigerated (LNG) storage. Pure functions; time is `dtS`.
 */

/** Vertical cylinder (atmospheric tanks, bullets stood upright) or sphere (pressurised 球罐). */
export type TankShape =
  { kind: 'vertical_cylinder'; diameterM: number; heightM: number } | { kind: 'sphere'; diameterM: number };

export function shapeCapacityM3(shape: TankShape): number {
  return shape.kind === 'sphere'
    ? (Math.PI / 6) * shape.diameterM ** 3
    : (Math.PI / 4) * shape.diameterM ** 2 * shape.heightM;
}

/** Liquid volume at a level (m from the bottom); a sphere's spherical cap V = π h² (3R − h) / 3. */
export function volumeM3AtLevel(shape: TankShape, levelM: number): number {
  if (shape.kind === 'vertical_cylinder') {
    const h = Math.min(Math.max(levelM, 0), shape.heightM);
    return (Math.PI / 4) * shape.diameterM ** 2 * h;
  }
  const r = shape.diameterM / 2;
  const h = Math.min(Math.max(levelM, 0), shape.diameterM);
  return (Math.PI * h * h * (3 * r - h)) / 3;
}

/** Level (m) holding a volume: the inverse of `volumeM3AtLevel`, by bisection for the sphere (monotone in h). */
export function levelMAtVolume(shape: TankShape, volumeM3: number): number {
  if (shape.kind === 'vertical_cylinder') {
    const area = (Math.PI / 4) * shape.diameterM ** 2;
    return Math.min(Math.max(volumeM3 / area, 0), shape.heightM);
  }
  const target = Math.min(Math.max(volumeM3, 0), shapeCapacityM3(shape));
  let lo = 0;
  let hi = shape.diameterM;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (volumeM3AtLevel(shape, mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Metres per unit of a level tag; `%` is a share of the shape's height. */
export function levelUnitM(unit: string, shape: TankShape): number {
  switch (unit.trim().toLowerCase()) {
    case 'mm':
      return 0.001;
    case 'cm':
      return 0.01;
    case '%':
      return (shape.kind === 'sphere' ? shape.diameterM : shape.heightM) / 100;
    default:
      return 1;
  }
}

/**
 * The tank's geometry from the site model: a pressurised tank whose level range spans about the diameter of a
 * sphere of its capacity is a sphere (the demo's 1000 m³ spheres, Ø 12.3 m); anything else a vertical cylinder as
 * tall as its level range (a `%` range: as tall as wide).
 */
export function inferTankShape(equipment: Extract<Equipment, { type: 'tank' }>, level: TagDef | undefined): TankShape {
  const capacity = equipment.capacityM3;
  const sphereD = Math.cbrt((6 * capacity) / Math.PI);
  const rangeTop = level?.range?.[1];
  const unit = level?.unit.trim().toLowerCase() ?? '%';
  const rangeTopM = rangeTop === undefined || unit === '%' ? undefined : rangeTop * (unit === 'mm' ? 0.001 : 1);
  if (equipment.tankType === 'pressurised' && rangeTopM !== undefined && Math.abs(rangeTopM / sphereD - 1) < 0.1) {
    return { kind: 'sphere', diameterM: rangeTopM };
  }
  const heightM = rangeTopM ?? Math.cbrt((4 * capacity) / Math.PI);
  return { kind: 'vertical_cylinder', heightM, diameterM: Math.sqrt((4 * capacity) / (Math.PI * heightM)) };
}

/**
 * Clausius–Clapeyron fit through the normal boiling point: ln(p / 101.325 kPa) = ΔHvap/R · (1/Tb − 1/T). Within a
 * few % of tabulated vapour pressures from −20 to 50 °C for these gases (good enough to follow a warming sphere).
 */
export interface VapourPressureFit {
  normalBoilingPointK: number;
  heatOfVaporisationJPerMol: number;
}

/** Fits for the liquefied gases of Chinese tank farms (boiling point, ΔHvap at Tb; CRC Handbook values). */
export const VAPOUR_PRESSURE_FITS: Readonly<Record<string, VapourPressureFit>> = {
  propane: { normalBoilingPointK: 231.1, heatOfVaporisationJPerMol: 19_040 },
  propylene: { normalBoilingPointK: 225.5, heatOfVaporisationJPerMol: 18_420 },
  ammonia: { normalBoilingPointK: 239.8, heatOfVaporisationJPerMol: 23_350 },
  chlorine: { normalBoilingPointK: 239.1, heatOfVaporisationJPerMol: 20_410 },
  ethylene_oxide: { normalBoilingPointK: 283.6, heatOfVaporisationJPerMol: 25_540 },
};

const MEDIUM_ALIASES: Readonly<Record<string, string>> = {
  液化石油气: 'propane',
  lpg: 'propane',
  丙烯: 'propylene',
  液氨: 'ammonia',
  氨: 'ammonia',
  液氯: 'chlorine',
  氯: 'chlorine',
  环氧乙烷: 'ethylene_oxide',
};

export function vapourPressureFitFor(medium: string | undefined): VapourPressureFit | undefined {
  if (!medium) return undefined;
  const key = medium.trim().toLowerCase();
  return VAPOUR_PRESSURE_FITS[MEDIUM_ALIASES[key] ?? key];
}

const GAS_CONSTANT = 8.314_462;
const ATMOSPHERE_KPA = 101.325;

/** Gauge vapour pressure, kPa, of a liquefied gas at `temperatureC`. */
export function vapourPressureKPaG(fit: VapourPressureFit, temperatureC: number): number {
  const t = temperatureC + 273.15;
  const ratio = Math.exp((fit.heatOfVaporisationJPerMol / GAS_CONSTANT) * (1 / fit.normalBoilingPointK - 1 / t));
  return ATMOSPHERE_KPA * ratio - ATMOSPHERE_KPA;
}

/** Parameters of one tank. */
export interface TankParams {
  shape: TankShape;
  storage: 'atmospheric' | 'pressurised' | 'refrigerated';
  /**
   * Thermal time constant toward ambient, s: a 5000 m³ atmospheric tank takes about a day, a sphere's shell half
   * that; a refrigerated tank is insulated and stays at its boiling point (its heat ingress becomes boil-off).
   */
  thermalTauS: number;
  /** Pressurised storage: the medium's vapour-pressure curve. */
  vapour?: VapourPressureFit;
  /**
   * Refrigerated storage: boil-off, % of the full capacity per day (full-containment LNG tanks are guaranteed at
   * ≤ 0.05 %/day [typical vendor figure]), and the liquid density, t/m³.
   */
  boilOffPctPerDay?: number;
  liquidDensityTPerM3?: number;
}

export interface TankState {
  volumeM3: number;
  temperatureC: number;
  /** Gauge pressure, kPa; atmospheric tanks hold their blanketing pressure. */
  pressureKPa: number;
}

export interface TankInputs {
  inFlowM3PerH: number;
  outFlowM3PerH: number;
  ambientC: number;
  /** Refrigerated: vapour taken away by the boil-off-gas compressor, kg/h; default exactly the boil-off. */
  bogRemovalKgPerH?: number;
}

/** Methane vapour in the ullage of an LNG tank: molar mass kg/mol and temperature K. */
const METHANE_MOLAR_MASS = 0.016_04;
const LNG_VAPOUR_K = 113;

/** Boil-off gas generated, kg/h. */
export function boilOffKgPerH(params: TankParams): number {
  const pctPerDay = params.boilOffPctPerDay ?? 0;
  const density = params.liquidDensityTPerM3 ?? 0.45;
  return (shapeCapacityM3(params.shape) * density * 1000 * pctPerDay) / 100 / 24;
}

/** The tank `dtS` later. Volume is kept inside [0, capacity]: an overfilled tank spills, it does not grow. */
export function stepTank(params: TankParams, state: TankState, inputs: TankInputs, dtS: number): TankState {
  if (dtS <= 0) return state;
  const capacity = shapeCapacityM3(params.shape);
  const volumeM3 = Math.min(
    capacity,
    Math.max(0, state.volumeM3 + ((inputs.inFlowM3PerH - inputs.outFlowM3PerH) * dtS) / 3600),
  );
  let temperatureC = state.temperatureC;
  let pressureKPa = state.pressureKPa;
  switch (params.storage) {
    case 'atmospheric':
      temperatureC = relax(state.temperatureC, inputs.ambientC, dtS, params.thermalTauS);
      break;
    case 'pressurised':
      temperatureC = relax(state.temperatureC, inputs.ambientC, dtS, params.thermalTauS);
      if (params.vapour) pressureKPa = vapourPressureKPaG(params.vapour, temperatureC);
      break;
    case 'refrigerated': {
      // Ideal gas in the ullage: dp = dm · R · T / (M · V).
      const bog = boilOffKgPerH(params);
      const removal = inputs.bogRemovalKgPerH ?? bog;
      const ullageM3 = Math.max(capacity - volumeM3, capacity * 0.02);
      const dKg = ((bog - removal) * dtS) / 3600;
      pressureKPa = state.pressureKPa + (dKg * GAS_CONSTANT * LNG_VAPOUR_K) / (METHANE_MOLAR_MASS * ullageM3) / 1000;
      break;
    }
  }
  return { volumeM3, temperatureC, pressureKPa };
}

/** Seconds a constant net inflow takes to bring the level from `fromM` to `toM`; Infinity when it never does. */
export function secondsToLevel(shape: TankShape, fromM: number, toM: number, netInFlowM3PerH: number): number {
  const dV = volumeM3AtLevel(shape, toM) - volumeM3AtLevel(shape, fromM);
  if (dV === 0) return 0;
  if (netInFlowM3PerH === 0 || Math.sign(dV) !== Math.sign(netInFlowM3PerH)) return Infinity;
  return (dV / netInFlowM3PerH) * 3600;
}

/** First-order approach to `target` with time constant `tauS` (exact for a constant target over the step). */
export function relax(value: number, target: number, dtS: number, tauS: number): number {
  if (!(tauS > 0)) return target;
  return target + (value - target) * Math.exp(-dtS / tauS);
}
