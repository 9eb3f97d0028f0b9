import type { LimitLevel, Limits, SiteModel, TagDef } from '@hazard/server/contracts';

/** A tank as the wall shows it: its level, temperature and pressure tags. */
export interface TankView {
  id: string;
  name: string;
  medium?: string;
  level?: TagDef;
  temperature?: TagDef;
  pressure?: TagDef;
}

export interface DetectorView {
  id: string;
  name: string;
  detection?: 'combustible' | 'toxic';
  tag: TagDef;
}

export interface ValveView {
  id: string;
  name: string;
  tag: TagDef;
}

/** What the wall page draws, derived once from the site model. */
export interface WallLayout {
  parkName: string;
  title: string;
  tanks: TankView[];
  detectors: DetectorView[];
  valves: ValveView[];
  tagNames: Record<string, string>;
}

export function buildLayout(site: SiteModel): WallLayout {
  const tanks: TankView[] = [];
  const detectors: DetectorView[] = [];
  const valves: ValveView[] = [];
  const tagNames: Record<string, string> = {};
  const sourceNames: string[] = [];
  for (const enterprise of site.enterprises) {
    for (const source of enterprise.sources) {
      sourceNames.push(`${enterprise.name} · ${source.name}`);
      for (const eq of source.equipment) {
        for (const tag of eq.tags) tagNames[tag.tag] = tag.name;
        switch (eq.type) {
          case 'tank':
            tanks.push({
              id: eq.id,
              name: eq.name,
              medium: eq.medium,
              level: eq.tags.find((t) => t.kind === 'level'),
              temperature: eq.tags.find((t) => t.kind === 'temperature'),
              pressure: eq.tags.find((t) => t.kind === 'pressure'),
            });
            break;
          case 'gas_detector':
            for (const tag of eq.tags.filter((t) => t.kind === 'gas')) {
              detectors.push({ id: eq.id, name: eq.name, detection: eq.detection, tag });
            }
            break;
          case 'esd_valve':
            for (const tag of eq.tags.filter((t) => t.kind === 'valve_position'))
              valves.push({ id: eq.id, name: eq.name, tag });
            break;
          case 'sis_loop':
            break;
        }
      }
    }
  }
  return { parkName: site.park.name, title: sourceNames.join('　'), tanks, detectors, valves, tagNames };
}

/** The limit a value is beyond (display only; the server's rules, with deadband, decide alarms). */
export function limitLevelOf(limits: Limits | undefined, v: number | undefined): LimitLevel | null {
  if (!limits || v === undefined) return null;
  if (limits.hh !== undefined && v >= limits.hh) return 'HH';
  if (limits.h !== undefined && v >= limits.h) return 'H';
  if (limits.ll !== undefined && v <= limits.ll) return 'LL';
  if (limits.l !== undefined && v <= limits.l) return 'L';
  return null;
}

/** Formats a number for a screen: up to `digits` decimals, no trailing noise. */
export function formatValue(v: number | string | boolean | undefined, digits = 2): string {
  if (v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  return Number.isFinite(v) ? String(Number(v.toFixed(digits))) : '—';
}
