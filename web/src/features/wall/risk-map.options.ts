import type {
  MhsGrade,
  Polygon,
  RiskLevel,
  RiskOverview,
  RiskReason,
  SiteModel,
  SourceRisk,
} from '@hazard/server/contracts';
import type { ChartOption, MapSeriesOption } from '../../shared/charts/echarts';
import { RISK_COLORS, textOnLevel } from './risk.view';

/**
 * The park risk map: the park outline, enterprise and hazard-source polygons of the site model (local metric frame,
 * x east, y north) as a GeoJSON map, each source filled with its live colour and labelled with its name and its
 * GB 18218 grade. The grade is written, never encoded in the fill (DOMAIN.md: grade ≠ colour).
 */

/** A hazard source as the map and its list show it. */
export interface MapSourceView {
  id: string;
  name: string;
  /** The name without its parenthesised contents (一号罐区（甲醇/汽油/苯） → 一号罐区), for labels on small polygons. */
  shortName: string;
  enterpriseId: string;
  enterpriseName: string;
  grade: MhsGrade | null;
  /** null until the server computed a risk for it. */
  level: RiskLevel | null;
  score: number | null;
  reasons: RiskReason[];
  computedAt: number | null;
  hasPolygon: boolean;
}

/** Region names in the GeoJSON are kind-prefixed ids, unique across park, enterprises and sources. */
export const regionName = {
  park: (id: string) => `park:${id}`,
  enterprise: (id: string) => `enterprise:${id}`,
  source: (id: string) => `source:${id}`,
} as const;

/** The source id of a region name, or null for the park and enterprises (clicks on those select nothing). */
export function sourceIdOfRegion(name: string): string | null {
  return name.startsWith('source:') ? name.slice('source:'.length) : null;
}

export function shortName(name: string): string {
  const cut = name.replace(/\s*[（(].*$/, '').trim();
  return cut === '' ? name : cut;
}

/** Every hazard source of the site, in site order, with its live risk when there is one. */
export function mapSources(site: SiteModel, risk: RiskOverview | null): MapSourceView[] {
  const byId = new Map<string, SourceRisk>((risk?.sources ?? []).map((s) => [s.sourceId, s]));
  return site.enterprises.flatMap((e) =>
    e.sources.map((s) => {
      const r = byId.get(s.id);
      return {
        id: s.id,
        name: s.name,
        shortName: shortName(s.name),
        enterpriseId: e.id,
        enterpriseName: e.name,
        grade: r?.grade ?? null,
        level: r?.level ?? null,
        score: r?.score ?? null,
        reasons: r?.reasons ?? [],
        computedAt: r?.computedAt ?? null,
        hasPolygon: s.polygon !== undefined,
      };
    }),
  );
}

interface Feature {
  type: 'Feature';
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

/** A GeoJSON FeatureCollection in the site's local frame, as `echarts.registerMap` takes it. */
export interface ParkGeoJson {
  type: 'FeatureCollection';
  features: Feature[];
}

const ring = (polygon: Polygon): number[][] => [...polygon.map(([x, y]) => [x, y]), [polygon[0]![0], polygon[0]![1]]];

/**
 * The site's polygons as GeoJSON, drawn in this order: park, enterprises, sources (later features paint over
 * earlier ones). Without a park outline the map still shows what has polygons; without any polygon it is empty.
 */
export function parkGeoJson(site: SiteModel): ParkGeoJson {
  const features: Feature[] = [];
  const add = (name: string, polygon: Polygon | undefined): void => {
    if (polygon)
      features.push({
        type: 'Feature',
        properties: { name },
        geometry: { type: 'Polygon', coordinates: [ring(polygon)] },
      });
  };
  add(regionName.park(site.park.id), site.park.polygon);
  for (const e of site.enterprises) add(regionName.enterprise(e.id), e.polygon);
  for (const e of site.enterprises) for (const s of e.sources) add(regionName.source(s.id), s.polygon);
  return { type: 'FeatureCollection', features };
}

/** The name the map is registered under with ECharts. */
export const mapNameOf = (site: SiteModel): string => `hazard-park-${site.park.id}`;

/** Texts and renderers the map needs, already in the screen's language (the builder stays pure). */
export interface RiskMapLabels {
  grade(grade: MhsGrade | null): string;
  level(level: RiskLevel): string;
  reason(r: RiskReason): string;
  score: string;
  noRisk: string;
  /** Tooltip line when the map is not live, with the last known level. */
  lastKnown(level: string, time: string): string;
  time(ms: number): string;
}

export interface RiskMapInput {
  site: SiteModel;
  sources: readonly MapSourceView[];
  /** False while disconnected or out of sync: every fill turns grey, the last level only in the tooltip. */
  live: boolean;
  selectedId: string | null;
  labels: RiskMapLabels;
  /** UI scale (1 at 1920 px wide, 2 at 3840) for font sizes and line widths drawn on the canvas. */
  scale: number;
}

/** What a source's polygon is filled with: its level while live, grey otherwise (the list beside the map says the same). */
export function fillOf(s: Pick<MapSourceView, 'level'>, live: boolean): RiskLevel | 'muted' | 'none' {
  if (!live) return 'muted';
  return s.level ?? 'none';
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reasons listed in a tooltip; the grade's own line is last and always shown in the source list. */
const TOOLTIP_REASONS = 6;

export function sourceTooltip(s: MapSourceView, live: boolean, labels: RiskMapLabels): string {
  const lines = [`<b>${escapeHtml(s.name)}</b>`, escapeHtml(s.enterpriseName), escapeHtml(labels.grade(s.grade))];
  if (s.level === null) lines.push(escapeHtml(labels.noRisk));
  else if (!live) lines.push(escapeHtml(labels.lastKnown(labels.level(s.level), labels.time(s.computedAt ?? 0))));
  else lines.push(`${escapeHtml(labels.level(s.level))} · ${escapeHtml(labels.score)} ${s.score ?? '—'}`);
  for (const r of s.reasons.slice(0, TOOLTIP_REASONS)) lines.push(`· ${escapeHtml(labels.reason(r))}`);
  return lines.join('<br/>');
}

type MapItem = NonNullable<MapSeriesOption['data']>[number] & object;

export function riskMapOption(input: RiskMapInput): ChartOption {
  const { site, sources, live, selectedId, labels, scale } = input;
  const px = (n: number): number => Math.round(n * scale * 10) / 10;
  const data: MapItem[] = [];
  if (site.park.polygon) {
    data.push({
      name: regionName.park(site.park.id),
      silent: true,
      itemStyle: { areaColor: '#0c1621', borderColor: '#3d5a78', borderWidth: px(2) },
      label: { show: false },
    });
  }
  for (const e of site.enterprises) {
    if (!e.polygon) continue;
    data.push({
      name: regionName.enterprise(e.id),
      silent: true,
      itemStyle: { areaColor: '#111f2e', borderColor: '#2c4560', borderWidth: px(1), borderType: 'dashed' },
      label: { show: false },
    });
  }
  const byRegion = new Map<string, MapSourceView>();
  for (const s of sources) {
    if (!s.hasPolygon) continue;
    byRegion.set(regionName.source(s.id), s);
    const fill = fillOf(s, live);
    const selected = s.id === selectedId;
    data.push({
      name: regionName.source(s.id),
      itemStyle: {
        areaColor: RISK_COLORS[fill],
        borderColor: selected ? '#ffffff' : '#0a121b',
        borderWidth: px(selected ? 3 : 1),
      },
      label: {
        show: true,
        color: textOnLevel(fill),
        fontSize: px(13),
        lineHeight: px(16),
        fontWeight: 'bold',
        formatter: `${s.shortName}\n${labels.grade(s.grade)}`,
      },
      emphasis: {
        itemStyle: { areaColor: RISK_COLORS[fill], borderColor: '#ffffff', borderWidth: px(3) },
        label: { color: textOnLevel(fill) },
      },
    });
  }
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      confine: true,
      textStyle: { fontSize: px(13) },
      formatter: (p) => {
        const name = Array.isArray(p) ? undefined : p.name;
        const s = name === undefined ? undefined : byRegion.get(name);
        return s ? sourceTooltip(s, live, labels) : '';
      },
    },
    series: [
      {
        id: 'risk-map',
        type: 'map',
        map: mapNameOf(site),
        aspectScale: 1,
        roam: false,
        selectedMode: false,
        left: px(8),
        right: px(8),
        top: px(8),
        bottom: px(8),
        data,
      },
    ],
  };
}
