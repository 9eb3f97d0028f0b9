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
import { RISK_COLORS } from './risk.view';

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
  /** `cp`: where ECharts centres the region's label; set to the bounding-box centre that placeLabels assumes. */
  properties: { name: string; cp: [number, number] };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

/** A GeoJSON FeatureCollection in the site's local frame, as `echarts.registerMap` takes it. */
export interface ParkGeoJson {
  type: 'FeatureCollection';
  features: Feature[];
}

/** [minX, minY, maxX, maxY] in metres. */
export type Bbox = [number, number, number, number];

export function bboxOf(polygon: Polygon): Bbox {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The extent of every polygon of the site (what the map fits into its box), or null without any. */
export function siteExtent(site: SiteModel): Bbox | null {
  const all: Polygon[] = [];
  if (site.park.polygon) all.push(site.park.polygon);
  for (const e of site.enterprises) {
    if (e.polygon) all.push(e.polygon);
    for (const s of e.sources) if (s.polygon) all.push(s.polygon);
  }
  if (all.length === 0) return null;
  const boxes = all.map(bboxOf);
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/** Pixels per metre when `extent` is fitted into a box (aspect kept, as the map series does with aspectScale 1). */
export function pxPerMetre(extent: Bbox, widthPx: number, heightPx: number): number {
  const w = extent[2] - extent[0];
  const h = extent[3] - extent[1];
  if (!(w > 0) || !(h > 0) || !(widthPx > 0) || !(heightPx > 0)) return 0;
  return Math.min(widthPx / w, heightPx / h);
}

/** Estimated width of a text line: CJK characters one em, others about 0.6 em. */
export function textWidthPx(text: string, fontPx: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? fontPx : fontPx * 0.6;
  return w;
}

/** One label to place: its source's bounding box (m) and the label's size (px). */
export interface LabelBox {
  id: string;
  bbox: Bbox;
  widthPx: number;
  heightPx: number;
}

type Rect = [number, number, number, number];

const overlap = (a: Rect, b: Rect): number =>
  Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/**
 * Label offsets (px from the source's centre, y down) so that no label covers another label or another source's
 * polygon: hazard sources of one enterprise sit a few dozen metres apart, and their names are wider than their
 * polygons on a wall-sized park. Tries above, below, right and left of the polygon, then further out, and keeps
 * the first free place (else the least covered one). A label never covers its own polygon, whose fill is the colour.
 */
export function placeLabels(items: readonly LabelBox[], pxPerM: number, gapPx: number): Map<string, [number, number]> {
  const placed: Rect[] = [];
  const polygons: Rect[] = items.map(({ bbox }) => [
    bbox[0] * pxPerM,
    -bbox[3] * pxPerM,
    bbox[2] * pxPerM,
    -bbox[1] * pxPerM,
  ]);
  const out = new Map<string, [number, number]>();
  // Left to right, top to bottom: neighbours in a row alternate above and below.
  const order = items
    .map((_, i) => i)
    .sort((a, b) => items[b]!.bbox[3] - items[a]!.bbox[3] || items[a]!.bbox[0] - items[b]!.bbox[0]);
  for (const i of order) {
    const it = items[i]!;
    const poly = polygons[i]!;
    const cx = (poly[0] + poly[2]) / 2;
    const cy = (poly[1] + poly[3]) / 2;
    const halfW = (poly[2] - poly[0]) / 2;
    const halfH = (poly[3] - poly[1]) / 2;
    const lw = it.widthPx / 2;
    const lh = it.heightPx / 2;
    const candidates: [number, number][] = [
      [0, -(halfH + lh + gapPx)],
      [0, halfH + lh + gapPx],
      [halfW + lw + gapPx, 0],
      [-(halfW + lw + gapPx), 0],
      [0, -(halfH + 3 * lh + 2 * gapPx)],
      [0, halfH + 3 * lh + 2 * gapPx],
    ];
    let best: { off: [number, number]; cost: number; rect: Rect } | null = null;
    for (const off of candidates) {
      const rect: Rect = [cx + off[0] - lw, cy + off[1] - lh, cx + off[0] + lw, cy + off[1] + lh];
      let cost = 0;
      for (const r of placed) cost += overlap(rect, r) * 2;
      polygons.forEach((p) => (cost += overlap(rect, p)));
      if (best === null || cost < best.cost) best = { off, cost, rect };
      if (cost === 0) break;
    }
    placed.push(best!.rect);
    out.set(it.id, [Math.round(best!.off[0]), Math.round(best!.off[1])]);
  }
  return out;
}

const ring = (polygon: Polygon): number[][] => [...polygon.map(([x, y]) => [x, y]), [polygon[0]![0], polygon[0]![1]]];

/**
 * The site's polygons as GeoJSON, drawn in this order: park, enterprises, sources (later features paint over
 * earlier ones). Without a park outline the map still shows what has polygons; without any polygon it is empty.
 */
export function parkGeoJson(site: SiteModel): ParkGeoJson {
  const features: Feature[] = [];
  const add = (name: string, polygon: Polygon | undefined): void => {
    if (!polygon) return;
    const [minX, minY, maxX, maxY] = bboxOf(polygon);
    features.push({
      type: 'Feature',
      properties: { name, cp: [(minX + maxX) / 2, (minY + maxY) / 2] },
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
  /** Size of the chart, px; labels are placed beside their polygons once it is known (null: on them). */
  viewport: { widthPx: number; heightPx: number } | null;
}

/** Label font size and padding at scale 1, px. */
const LABEL_FONT_PX = 13;
const LABEL_PAD_PX = 3;
/** Room around the map inside the chart, px at scale 1. */
const MAP_MARGIN_PX = 8;

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
  const { site, sources, live, selectedId, labels, scale, viewport } = input;
  const px = (n: number): number => Math.round(n * scale * 10) / 10;
  const fontPx = px(LABEL_FONT_PX);
  const lineHeight = Math.round(fontPx * 1.25);
  const labelText = (s: MapSourceView): [string, string] => [s.shortName, labels.grade(s.grade)];
  const polygonOf = new Map(site.enterprises.flatMap((e) => e.sources.map((s) => [s.id, s.polygon] as const)));
  const extent = siteExtent(site);
  const ppm =
    viewport && extent
      ? pxPerMetre(extent, viewport.widthPx - 2 * px(MAP_MARGIN_PX), viewport.heightPx - 2 * px(MAP_MARGIN_PX))
      : 0;
  const offsets =
    ppm > 0
      ? placeLabels(
          sources.flatMap((s) => {
            const polygon = polygonOf.get(s.id);
            if (!polygon) return [];
            const lines = labelText(s);
            return [
              {
                id: s.id,
                bbox: bboxOf(polygon),
                widthPx: Math.max(...lines.map((l) => textWidthPx(l, fontPx))) + 2 * px(LABEL_PAD_PX) + 2,
                heightPx: lines.length * lineHeight + 2 * px(LABEL_PAD_PX) + 2,
              },
            ];
          }),
          ppm,
          px(3),
        )
      : new Map<string, [number, number]>();
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
      // Beside the polygon on a dark plate edged in the source's colour: the fill stays visible, the text readable.
      label: {
        show: true,
        offset: offsets.get(s.id) ?? [0, 0],
        color: '#e6eef5',
        fontSize: fontPx,
        lineHeight,
        fontWeight: 'bold',
        backgroundColor: 'rgba(8, 17, 28, 0.88)',
        borderColor: RISK_COLORS[fill],
        borderWidth: px(selected ? 2 : 1),
        borderRadius: px(3),
        padding: px(LABEL_PAD_PX),
        formatter: labelText(s).join('\n'),
      },
      emphasis: {
        itemStyle: { areaColor: RISK_COLORS[fill], borderColor: '#ffffff', borderWidth: px(3) },
        label: { color: '#ffffff' },
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
        left: px(MAP_MARGIN_PX),
        right: px(MAP_MARGIN_PX),
        top: px(MAP_MARGIN_PX),
        bottom: px(MAP_MARGIN_PX),
        data,
      },
    ],
  };
}
