import { relax } from './tank.physics';

/**
 * Gas detection physics for scenarios: where a leak's plume goes (Gaussian plume, ground-level release, neutral
 * stability) and how a fixed detector sees it (first-order response with its T90, background noise and zero drift).
 * Pure functions; positions in the park-local metric frame of the site model (x east, y north, m).
 */

/** Wind: speed at 10 m, and the direction it blows FROM in degrees clockwise from north (meteorological). */
export interface Wind {
  speedMPerS: number;
  fromDeg: number;
}

/** A continuous leak at a point. */
export interface Leak {
  position: readonly [number, number];
  rateKgPerS: number;
}

/** Downwind and crosswind distance (m) of `at` from `source` for `wind`; downwind < 0 is upwind. */
export function plumeCoordinates(
  source: readonly [number, number],
  at: readonly [number, number],
  wind: Wind,
): { downwindM: number; crosswindM: number } {
  // The plume travels toward fromDeg + 180°; bearings are clockwise from north (+y), so east is +x.
  const toRad = ((wind.fromDeg + 180) * Math.PI) / 180;
  const ux = Math.sin(toRad);
  const uy = Math.cos(toRad);
  const dx = at[0] - source[0];
  const dy = at[1] - source[1];
  return { downwindM: dx * ux + dy * uy, crosswindM: -dx * uy + dy * ux };
}

/** Briggs open-country dispersion for Pasquill class D (neutral, the most frequent class), x in m. */
function sigmas(x: number): { y: number; z: number } {
  return { y: (0.08 * x) / Math.sqrt(1 + 0.0001 * x), z: (0.06 * x) / Math.sqrt(1 + 0.0015 * x) };
}

/** Below this downwind distance the plume model is meaningless; a detector at the leak sees the 1 m value. */
const MIN_DOWNWIND_M = 1;
/** Weak winds make the plume formula blow up; below this the leak meanders (calm conditions). */
const MIN_WIND_M_PER_S = 0.5;

/**
 * Ground-level concentration, mg/m³, of a ground-level leak at a receptor on the ground: the Gaussian plume with
 * full ground reflection, C = Q / (π u σy σz) · exp(−y² / 2σy²). Zero upwind.
 */
export function plumeConcentrationMgM3(leak: Leak, at: readonly [number, number], wind: Wind): number {
  if (leak.rateKgPerS <= 0) return 0;
  const { downwindM, crosswindM } = plumeCoordinates(leak.position, at, wind);
  if (downwindM <= 0) return 0;
  const x = Math.max(downwindM, MIN_DOWNWIND_M);
  const u = Math.max(wind.speedMPerS, MIN_WIND_M_PER_S);
  const s = sigmas(x);
  const kgPerM3 = (leak.rateKgPerS / (Math.PI * u * s.y * s.z)) * Math.exp(-(crosswindM ** 2) / (2 * s.y ** 2));
  return kgPerM3 * 1e6;
}

/** Molar mass (g/mol) and lower explosive limit (% vol) of the combustibles the demo park stores. */
export interface CombustibleProps {
  molarMassGPerMol: number;
  lelPctVol: number;
}

export const COMBUSTIBLES: Readonly<Record<string, CombustibleProps>> = {
  methane: { molarMassGPerMol: 16.04, lelPctVol: 5.0 },
  methanol: { molarMassGPerMol: 32.04, lelPctVol: 6.0 },
  gasoline: { molarMassGPerMol: 100, lelPctVol: 1.4 },
  lpg: { molarMassGPerMol: 44.1, lelPctVol: 2.1 },
  propylene: { molarMassGPerMol: 42.08, lelPctVol: 2.0 },
  hydrogen: { molarMassGPerMol: 2.016, lelPctVol: 4.0 },
  ethylene_oxide: { molarMassGPerMol: 44.05, lelPctVol: 3.0 },
};

const COMBUSTIBLE_ALIASES: Readonly<Record<string, string>> = {
  lng: 'methane',
  甲烷: 'methane',
  甲醇: 'methanol',
  汽油: 'gasoline',
  液化石油气: 'lpg',
  propane: 'lpg',
  丙烯: 'propylene',
  氢气: 'hydrogen',
  氢: 'hydrogen',
  环氧乙烷: 'ethylene_oxide',
};

export function combustibleProps(gas: string | undefined): CombustibleProps {
  const key = gas?.trim().toLowerCase() ?? 'methane';
  return COMBUSTIBLES[COMBUSTIBLE_ALIASES[key] ?? key] ?? COMBUSTIBLES.methane!;
}

/** Molar volume of an ideal gas at 25 °C, 101.325 kPa, L/mol (the usual basis of ppm ↔ mg/m³). */
const MOLAR_VOLUME_L = 24.45;

/** mg/m³ → %LEL: ppm = mg/m³ · 24.45 / M; % vol = ppm / 10⁴; %LEL = % vol / LEL · 100. */
export function mgM3ToPctLel(mgM3: number, props: CombustibleProps): number {
  const ppm = (mgM3 * MOLAR_VOLUME_L) / props.molarMassGPerMol;
  return (ppm / 10_000 / props.lelPctVol) * 100;
}

/**
 * Response time T90 of a fixed detector, s (DOMAIN.md, GB/T 50493-2019 [unverified]: ≤ 30 s combustible,
 * ≤ 60 s toxic). Defaults are those caps; a real catalytic head is faster, an electrochemical cell about the cap.
 */
export const T90_COMBUSTIBLE_S = 30;
export const T90_TOXIC_S = 60;

/** A first-order sensor reaches 90 % of a step after T90 = τ · ln 10. */
export function tauFromT90(t90S: number): number {
  return t90S / Math.LN10;
}

/** Parameters of one detector's read-out. */
export interface DetectorParams {
  t90S: number;
  /** Clean-air reading the noise wanders around (zero offset of the head), tag unit. */
  background: number;
  /** Clean-air noise, standard deviation in the tag's unit, and how fast it decorrelates, s. */
  noiseStdDev: number;
  noiseTauS: number;
  /** Zero drift, tag unit per day (electrochemical cells drift a few % of span a month). */
  driftPerDay: number;
  /** Instrument range; the reading saturates at its ends (a detector cannot read below zero or above span). */
  range: readonly [number, number];
}

export interface DetectorState {
  /** What the sensing element has reached of the true concentration (first-order lag). */
  sensedValue: number;
  /** Ornstein–Uhlenbeck noise around zero. */
  noise: number;
  /** Accumulated zero drift. */
  drift: number;
}

export const INITIAL_DETECTOR_STATE: DetectorState = { sensedValue: 0, noise: 0, drift: 0 };

/** The detector `dtS` later, with the true concentration at the head `trueValue` held over the step. */
export function stepDetector(
  params: DetectorParams,
  state: DetectorState,
  trueValue: number,
  dtS: number,
  normal: () => number,
): DetectorState {
  if (dtS <= 0) return state;
  const decay = Math.exp(-dtS / params.noiseTauS);
  return {
    sensedValue: relax(state.sensedValue, trueValue, dtS, tauFromT90(params.t90S)),
    noise: state.noise * decay + params.noiseStdDev * Math.sqrt(1 - decay * decay) * normal(),
    drift: state.drift + (params.driftPerDay * dtS) / 86_400,
  };
}

/** The reading: background, sensed value, noise and drift, saturated to the range. */
export function detectorReading(params: DetectorParams, state: DetectorState): number {
  const v = params.background + state.sensedValue + state.noise + state.drift;
  return Math.min(params.range[1], Math.max(params.range[0], v));
}
