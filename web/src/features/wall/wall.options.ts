import type { LatestValue, LimitLevel, TagDef } from '@hazard/server/contracts';
import type { BarSeriesOption, ChartOption, CustomSeriesOption } from '../../shared/charts/echarts';
import { formatWithUnit } from '../../shared/i18n/format';
import { sampleFreshness, type DisplayClock } from './data-age';
import { displayRange, percentOf, valueView, type TankView } from './wall.model';

/** Colours of the dark wall theme, by state. */
export const COLORS = {
  normal: '#3ba7ff',
  H: '#ff9f1a',
  L: '#ff9f1a',
  HH: '#ff3b30',
  LL: '#ff3b30',
  muted: '#5c6b7a',
  text: '#c9d6e3',
  grid: '#233446',
} as const;

/** Limit levels top to bottom, with the site-model key of each. */
const LIMITS = [
  ['hh', 'HH'],
  ['h', 'H'],
  ['l', 'L'],
  ['ll', 'LL'],
] as const satisfies readonly (readonly [keyof NonNullable<TagDef['limits']>, LimitLevel])[];

/** Texts the tank chart needs, already translated (builders stay pure and locale-free). */
export interface TankChartLabels {
  limits: Record<LimitLevel, string>;
  /** Axis name when the tanks' units differ and bars are drawn in percent of range. */
  percentOfRange: string;
  noData: string;
}

/**
 * How levels are plotted: in their common unit when every tank level has the same unit, else in percent of each
 * tag's range (one axis in mixed units would lie). Labels and tooltips always give the value in its own unit.
 */
export type LevelScale =
  | { kind: 'unit'; unit: string; min: number; max: number; step: number }
  | { kind: 'percent'; min: 0; max: 100; step: 20 };

/** Drops binary floating-point noise (0.30000000000000004 → 0.3) from computed axis numbers. */
const clean = (x: number): number => Number(x.toPrecision(12));

/** The smallest of 1, 2, 2.5, 4, 5 or 10 × 10ⁿ that splits `span` into at most six intervals. */
export function niceStep(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 2.5, 4, 5, 10].find((f) => f * magnitude >= raw) ?? 10;
  return clean(factor * magnitude);
}

export function levelScale(levels: readonly TagDef[], values: readonly (number | undefined)[]): LevelScale {
  const units = new Set(levels.map((t) => t.unit));
  if (units.size > 1) return { kind: 'percent', min: 0, max: 100, step: 20 };
  const ranges = levels.map(displayRange);
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const lo = Math.min(0, ...ranges.map((r) => r[0]), ...finite);
  const hi = Math.max(1, ...ranges.map((r) => r[1]), ...finite);
  const step = niceStep(hi - lo);
  // Bounds on the tick grid, so the axis never ends in an odd extra label (…12, 15, 16).
  return {
    kind: 'unit',
    unit: levels[0]?.unit ?? '',
    min: clean(Math.floor(lo / step) * step),
    max: clean(Math.ceil(hi / step) * step),
    step,
  };
}

function plotted(scale: LevelScale, tag: TagDef, v: number): number {
  return scale.kind === 'unit' ? v : percentOf(displayRange(tag), v);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type RenderItem = NonNullable<CustomSeriesOption['renderItem']>;

/**
 * Draws one limit as a short horizontal line across its tank's bar, 70 % of the category width, so each tank shows
 * its own limits (tanks differ in height; one markLine across the chart would lie). Value dims: [tank index,
 * plotted limit, index into LIMITS].
 */
export const renderLimitMark: RenderItem = (_params, api) => {
  const x = Number(api.value(0));
  const y = Number(api.value(1));
  const level = LIMITS[Number(api.value(2))]?.[1] ?? 'HH';
  const [cx = 0, cy = 0] = api.coord([x, y]);
  const size = api.size?.([1, 0]);
  const band = Array.isArray(size) ? (size[0] ?? 0) : (size ?? 0);
  const half = band * 0.35;
  return {
    type: 'line',
    shape: { x1: cx - half, y1: cy, x2: cx + half, y2: cy },
    style: { stroke: COLORS[level], lineWidth: 3 },
  };
};

/**
 * Tank level chart: one bar per tank with a level tag, coloured by the limit it is beyond (muted when the value is
 * not live or is bad), with that tank's HH/H/L/LL drawn across its bar.
 */
export function tankLevelOption(
  tanks: readonly TankView[],
  latest: Readonly<Record<string, LatestValue>>,
  clock: DisplayClock,
  labels: TankChartLabels,
  /** UI scale (1 at 1920 px wide, 2 at 3840) for fonts and margins drawn on the canvas. */
  uiScale = 1,
): ChartOption {
  const px = (n: number): number => Math.round(n * uiScale * 10) / 10;
  const rows = tanks.flatMap((t) => (t.level ? [{ tank: t, tag: t.level }] : []));
  const samples = rows.map((r) => latest[r.tag.tag]);
  const values = samples.map((s) => (typeof s?.v === 'number' && Number.isFinite(s.v) ? s.v : undefined));
  const scale = levelScale(
    rows.map((r) => r.tag),
    values,
  );
  const valueTexts = rows.map((r, i) => formatWithUnit(values[i], r.tag.unit));

  const bars: BarSeriesOption['data'] = rows.map((r, i) => {
    const v = values[i];
    const view = valueView(r.tag, samples[i], sampleFreshness(samples[i], clock));
    const color = view.tone === 'muted' ? COLORS.muted : view.level ? COLORS[view.level] : COLORS.normal;
    return { value: v === undefined ? '-' : plotted(scale, r.tag, v), itemStyle: { color } };
  });

  const marks: { value: [number, number, number] }[] = [];
  const markTexts: string[] = [];
  rows.forEach((r, i) => {
    LIMITS.forEach(([key, level], li) => {
      const limit = r.tag.limits?.[key];
      if (limit === undefined) return;
      marks.push({ value: [i, plotted(scale, r.tag, limit), li] });
      markTexts.push(
        `${escapeHtml(r.tank.name)}<br/>${labels.limits[level]} ${escapeHtml(formatWithUnit(limit, r.tag.unit))}`,
      );
    });
  });

  return {
    animation: false,
    grid: { left: px(56), right: px(16), top: px(28), bottom: px(48) },
    tooltip: { trigger: 'item', confine: true, textStyle: { fontSize: px(14) } },
    xAxis: {
      type: 'category',
      data: rows.map((r) => (r.tank.medium ? `${r.tank.id}\n${r.tank.medium}` : r.tank.id)),
      axisLabel: { color: COLORS.text, fontSize: px(14), interval: 0 },
      axisLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'value',
      name: scale.kind === 'unit' ? scale.unit : labels.percentOfRange,
      min: scale.min,
      max: scale.max,
      interval: scale.step,
      nameTextStyle: { color: COLORS.text, fontSize: px(12) },
      axisLabel: { color: COLORS.text, fontSize: px(12) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        id: 'level',
        type: 'bar',
        data: bars,
        barWidth: '45%',
        label: {
          show: true,
          position: 'top',
          color: COLORS.text,
          fontSize: px(14),
          formatter: (p) => valueTexts[p.dataIndex] ?? '',
        },
        tooltip: {
          formatter: (p) => {
            const i = Array.isArray(p) ? 0 : p.dataIndex;
            const row = rows[i];
            return row
              ? `${escapeHtml(row.tank.name)}<br/>${escapeHtml(values[i] === undefined ? labels.noData : (valueTexts[i] ?? ''))}`
              : '';
          },
        },
      },
      {
        id: 'limits',
        type: 'custom',
        data: marks,
        renderItem: renderLimitMark,
        z: 5,
        tooltip: {
          formatter: (p) => markTexts[Array.isArray(p) ? 0 : p.dataIndex] ?? '',
        },
      },
    ],
  };
}
