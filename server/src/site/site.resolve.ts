import type { Equipment, SiteModel, TagDef } from '../contracts/site';
import { defaultGasLimits } from './gas-defaults';

/**
 * Completes a validated site: every gas detector tag without limits takes the GB/T 50493-2019 defaults, and every
 * tag says where its limits come from (`limitsSource`), so screens can mark defaults as such. Pure; returns a copy.
 */
export function resolveSite(site: SiteModel): SiteModel {
  return {
    ...site,
    enterprises: site.enterprises.map((e) => ({
      ...e,
      sources: e.sources.map((s) => ({
        ...s,
        equipment: s.equipment.map((q) => ({ ...q, tags: q.tags.map((t) => resolveTag(t, q)) }) as Equipment),
      })),
    })),
  };
}

function resolveTag(tag: TagDef, equipment: Equipment): TagDef {
  if (tag.limits) return { ...tag, limitsSource: 'site' };
  if (equipment.type !== 'gas_detector' || tag.kind !== 'gas') return tag;
  const d = defaultGasLimits(equipment.detection, equipment.gas, tag.unit);
  return d.ok ? { ...tag, limits: d.limits, limitsSource: 'GB/T 50493-2019 default' } : tag;
}
