import type { Limits } from '../contracts';

/**
 * Default gas detector alarm setpoints from GB/T 50493-2019 §5.5 (《石油化工可燃气体和有毒气体检测报警设计标准》):
 * combustible first alarm ≤ 25 %LEL, second ≤ 50 %LEL; toxic first ≤ 100 % OEL, second ≤ 200 % OEL.
 * Applied only when a detector's tag gives no limits, and marked as defaults wherever shown.
 */
export const GBT50493_VERSION = 'GB/T 50493-2019 §5.5';

export const COMBUSTIBLE_DEFAULTS = { firstPctLel: 25, secondPctLel: 50 } as const;

export interface ToxicGasOel {
  /** Chemical id (as in the GB 18218 tables where the gas is listed there). */
  id: string;
  nameZh: string;
  /** Names users write in site files. */
  aliases: string[];
  /** Occupational exposure limit (MAC or PC-TWA per GBZ 2.1-2019), mg/m³. */
  oelMgM3: number;
  /** False where the figure comes from a weak source (DOMAIN.md) and needs confirming before it is relied on. */
  verified: boolean;
}

/**
 * OELs behind the toxic defaults (first = 100 % OEL, second = 200 % OEL). DOMAIN.md lists these first/second
 * setpoints from a weak source, so every entry is `verified: false` until checked against GBZ 2.1-2019.
 */
export const TOXIC_OELS: readonly ToxicGasOel[] = [
  { id: 'hydrogen_sulfide', nameZh: '硫化氢', aliases: ['h2s', '7783-06-4', '硫化氢'], oelMgM3: 10, verified: false },
  { id: 'carbon_monoxide', nameZh: '一氧化碳', aliases: ['co', '630-08-0', '一氧化碳'], oelMgM3: 20, verified: false },
  { id: 'chlorine', nameZh: '氯', aliases: ['cl2', '7782-50-5', '氯', '氯气', '液氯'], oelMgM3: 1, verified: false },
  { id: 'ammonia', nameZh: '氨', aliases: ['nh3', '7664-41-7', '氨', '氨气', '液氨'], oelMgM3: 20, verified: false },
  { id: 'benzene', nameZh: '苯', aliases: ['c6h6', '71-43-2', '苯'], oelMgM3: 6, verified: false },
  { id: 'hydrogen_fluoride', nameZh: '氟化氢', aliases: ['hf', '7664-39-3', '氟化氢'], oelMgM3: 2, verified: false },
  { id: 'hydrogen_cyanide', nameZh: '氰化氢', aliases: ['hcn', '74-90-8', '氰化氢'], oelMgM3: 1, verified: false },
  { id: 'ethylene_oxide', nameZh: '环氧乙烷', aliases: ['eo', '75-21-8', '环氧乙烷'], oelMgM3: 0.6, verified: false },
];

/** The OEL entry of a gas named by id, CAS, formula or Chinese name; undefined when not in the table. */
export function findToxicOel(gas: string): ToxicGasOel | undefined {
  const key = gas.trim().toLowerCase();
  return TOXIC_OELS.find((g) => g.id === key || g.aliases.includes(key));
}

/** Units in which the combustible and toxic defaults are expressed. */
const LEL_UNITS = new Set(['%lel', '%LEL'.toLowerCase()]);
const MG_UNITS = new Set(['mg/m³', 'mg/m3']);

export type DefaultLimits = { ok: true; limits: Limits } | { ok: false; reason: string };

/**
 * GB/T 50493 default limits for a detector tag (h = first alarm, hh = second alarm), or why there are none
 * (unknown toxic gas, a unit the table is not in); the validator reports the reason with the tag's path.
 */
export function defaultGasLimits(
  detection: 'combustible' | 'toxic',
  gas: string | undefined,
  unit: string,
): DefaultLimits {
  const u = unit.trim().toLowerCase();
  if (detection === 'combustible') {
    if (!LEL_UNITS.has(u))
      return { ok: false, reason: `combustible default limits are in %LEL, but the tag's unit is "${unit}"` };
    return {
      ok: true,
      limits: { h: COMBUSTIBLE_DEFAULTS.firstPctLel, hh: COMBUSTIBLE_DEFAULTS.secondPctLel, deadband: 1 },
    };
  }
  if (!gas) return { ok: false, reason: 'a toxic detector needs its "gas" for default limits' };
  const oel = findToxicOel(gas);
  if (!oel)
    return { ok: false, reason: `no GB/T 50493 default for toxic gas "${gas}" (no OEL in the table): give limits` };
  if (!MG_UNITS.has(u))
    return { ok: false, reason: `toxic default limits are in mg/m³, but the tag's unit is "${unit}"` };
  return {
    ok: true,
    limits: { h: oel.oelMgM3, hh: 2 * oel.oelMgM3, deadband: Number((oel.oelMgM3 * 0.05).toFixed(3)) },
  };
}
