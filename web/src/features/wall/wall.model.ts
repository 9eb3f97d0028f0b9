import type {
  LatestValue,
  LimitLevel,
  Limits,
  SisState,
  SiteModel,
  TagDef,
  ValveState,
} from '@hazard/server/contracts';
import { formatValue } from '../../shared/i18n/format';
import type { Freshness } from './data-age';

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

/** An ESD valve position or an SIS loop state: one discrete tag. */
export interface DiscreteView {
  id: string;
  name: string;
  tag: TagDef;
}

/** A hazard source the wall can show. */
export interface SourceRef {
  id: string;
  name: string;
  enterpriseName: string;
}

/** What the wall page draws for one hazard source, derived from the site model. */
export interface WallLayout {
  parkName: string;
  title: string;
  sourceId: string | null;
  sources: SourceRef[];
  tanks: TankView[];
  detectors: DetectorView[];
  valves: DiscreteView[];
  sisLoops: DiscreteView[];
  tagNames: Record<string, string>;
}

/**
 * The wall's layout for one hazard source (the first when `sourceId` is unknown or absent); tag names cover the
 * whole park because the alarm list does.
 */
export function buildLayout(site: SiteModel, sourceId?: string | null): WallLayout {
  const tanks: TankView[] = [];
  const detectors: DetectorView[] = [];
  const valves: DiscreteView[] = [];
  const sisLoops: DiscreteView[] = [];
  const tagNames: Record<string, string> = {};
  const sources: SourceRef[] = [];
  for (const enterprise of site.enterprises) {
    for (const source of enterprise.sources) {
      sources.push({ id: source.id, name: source.name, enterpriseName: enterprise.name });
      for (const eq of source.equipment) for (const tag of eq.tags) tagNames[tag.tag] = tag.name;
    }
  }
  const selected = sources.find((s) => s.id === sourceId) ?? sources[0];
  for (const enterprise of site.enterprises) {
    for (const source of enterprise.sources) {
      if (source.id !== selected?.id) continue;
      for (const eq of source.equipment) {
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
            for (const tag of eq.tags.filter((t) => t.kind === 'valve_position')) {
              valves.push({ id: eq.id, name: eq.name, tag });
            }
            break;
          case 'sis_loop':
            for (const tag of eq.tags.filter((t) => t.kind === 'sis_state')) {
              sisLoops.push({ id: eq.id, name: eq.name, tag });
            }
            break;
        }
      }
    }
  }
  return {
    parkName: site.park.name,
    title: selected ? `${selected.enterpriseName} · ${selected.name}` : '',
    sourceId: selected?.id ?? null,
    sources,
    tanks,
    detectors,
    valves,
    sisLoops,
    tagNames,
  };
}

/**
 * Which hazard source the wall shows: the one pinned with `?source=`, else in kiosk mode each in turn, else the
 * first (null lets buildLayout pick it).
 */
export function sourceToShow(
  sourceIds: readonly string[],
  requested: string | null,
  kiosk: boolean,
  rotationIndex: number,
): string | null {
  if (requested !== null) return requested;
  if (!kiosk || sourceIds.length === 0) return null;
  return sourceIds[rotationIndex % sourceIds.length] ?? null;
}

/** The limit a value is beyond (display only; the server's rules, with deadband and delays, decide alarms). */
export function limitLevelOf(limits: Limits | undefined, v: number | undefined): LimitLevel | null {
  if (!limits || v === undefined) return null;
  if (limits.hh !== undefined && v >= limits.hh) return 'HH';
  if (limits.h !== undefined && v >= limits.h) return 'H';
  if (limits.ll !== undefined && v <= limits.ll) return 'LL';
  if (limits.l !== undefined && v <= limits.l) return 'L';
  return null;
}

/** How a value is coloured: by the limit it is beyond, or muted when it cannot be trusted as current. */
export type Tone = 'normal' | 'warn' | 'alarm' | 'muted';

/** One value as the wall shows it. */
export interface ValueView {
  /** Formatted value, `—` without a sample. */
  text: string;
  level: LimitLevel | null;
  freshness: Freshness;
  /** Marked next to the value when the source says it is not good. */
  quality: 'bad' | 'uncertain' | null;
  tone: Tone;
}

/**
 * Classifies one sample for display. A value that is not live (offline, delayed) or of bad quality is muted and
 * never coloured as normal or as alarm: a frozen or broken reading must not look like a valid one.
 */
export function valueView(def: TagDef, sample: LatestValue | undefined, freshness: Freshness): ValueView {
  const v = sample?.v;
  const level = typeof v === 'number' ? limitLevelOf(def.limits, v) : null;
  const quality = sample && sample.q !== 'good' ? sample.q : null;
  let tone: Tone;
  if (freshness !== 'live' || quality === 'bad') tone = 'muted';
  else if (level === 'HH' || level === 'LL') tone = 'alarm';
  else if (level === 'H' || level === 'L') tone = 'warn';
  else tone = 'normal';
  return { text: formatValue(v), level, freshness, quality, tone };
}

/**
 * The span a bar is drawn over: the instrument range, else zero to a quarter above the highest limit, else 0–100.
 * Tags without a range still get honest proportions relative to their limits.
 */
export function displayRange(def: TagDef): [number, number] {
  if (def.range && def.range[1] > def.range[0]) return def.range;
  const limits = [def.limits?.hh, def.limits?.h, def.limits?.l, def.limits?.ll].filter(
    (x): x is number => x !== undefined,
  );
  const top = Math.max(...limits, 0);
  return [0, top > 0 ? top * 1.25 : 100];
}

/** Position of a value within a range, in percent, clamped to 0–100. */
export function percentOf([min, max]: [number, number], v: number): number {
  if (!(max > min) || !Number.isFinite(v)) return 0;
  return Math.min(100, Math.max(0, ((v - min) / (max - min)) * 100));
}

/** A gas detector's bar: fill and the first / second alarm marks (GB/T 50493-2019 §5.5) in percent of its range. */
export interface GasBar {
  fillPct: number;
  firstPct: number | null;
  secondPct: number | null;
  /** Which alarm threshold the value has reached (h: first, hh: second). */
  reached: 'first' | 'second' | null;
}

export function gasBar(def: TagDef, v: number | undefined): GasBar {
  const range = displayRange(def);
  const h = def.limits?.h;
  const hh = def.limits?.hh;
  let reached: GasBar['reached'] = null;
  if (v !== undefined && hh !== undefined && v >= hh) reached = 'second';
  else if (v !== undefined && h !== undefined && v >= h) reached = 'first';
  return {
    fillPct: v === undefined ? 0 : percentOf(range, v),
    firstPct: h === undefined ? null : percentOf(range, h),
    secondPct: hh === undefined ? null : percentOf(range, hh),
    reached,
  };
}

/** Valve states of the contract (telemetry.ts); a Record so that a state added there fails to compile here. */
const VALVE_STATES: Record<ValveState, true> = { open: true, closed: true, travel: true, fault: true };
const SIS_STATES: Record<SisState, true> = { normal: true, bypassed: true, tripped: true, fault: true };

/** `none`: no sample; `unknown`: a value that is not one of the contract's states. */
export type DiscreteReading<S extends string> = S | 'unknown' | 'none';

function discrete<S extends string>(known: Record<S, true>, sample: LatestValue | undefined): DiscreteReading<S> {
  if (!sample) return 'none';
  const v = sample.v;
  return typeof v === 'string' && Object.hasOwn(known, v) ? (v as S) : 'unknown';
}

export const valveReading = (sample: LatestValue | undefined): DiscreteReading<ValveState> =>
  discrete(VALVE_STATES, sample);

export const sisReading = (sample: LatestValue | undefined): DiscreteReading<SisState> => discrete(SIS_STATES, sample);
