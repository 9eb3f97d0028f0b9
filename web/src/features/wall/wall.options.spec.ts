import { describe, expect, it } from 'vitest';
import type { SiteModel } from '@hazard/server/contracts';
import { buildLayout, formatValue, limitLevelOf } from './wall.model';
import { COLORS, tankLevelOption } from './wall.options';

const site: SiteModel = {
  schemaVersion: 1,
  park: { id: 'p', name: '滨江化工园区' },
  enterprises: [
    {
      id: 'e',
      name: '企业',
      sources: [
        {
          id: 's',
          name: '罐区',
          kind: 'storage',
          equipment: [
            {
              id: 'T-1',
              name: '1#罐',
              type: 'tank',
              medium: '甲醇',
              tags: [
                {
                  tag: 'LIA-1',
                  name: '液位',
                  kind: 'level',
                  unit: 'm',
                  range: [0, 16],
                  limits: { hh: 14, h: 13, l: 2, ll: 1 },
                },
                { tag: 'TIA-1', name: '温度', kind: 'temperature', unit: '°C' },
              ],
            },
            {
              id: 'T-2',
              name: '2#罐',
              type: 'tank',
              tags: [{ tag: 'LIA-2', name: '液位', kind: 'level', unit: 'm', range: [0, 12] }],
            },
            {
              id: 'GD-1',
              name: '探测器',
              type: 'gas_detector',
              detection: 'combustible',
              tags: [{ tag: 'GIA-1', name: '浓度', kind: 'gas', unit: '%LEL' }],
            },
            {
              id: 'XV-1',
              name: '切断阀',
              type: 'esd_valve',
              tags: [{ tag: 'XV-1', name: '阀位', kind: 'valve_position', unit: '' }],
            },
          ],
        },
      ],
    },
  ],
};
const names = { HH: '高高限', H: '高限', L: '低限', LL: '低低限' } as const;

describe('buildLayout', () => {
  it('groups tanks with their level, temperature and pressure tags, detectors and valves', () => {
    const layout = buildLayout(site);
    expect(layout.parkName).toBe('滨江化工园区');
    expect(layout.tanks.map((t) => [t.id, t.level?.tag, t.temperature?.tag, t.pressure?.tag])).toEqual([
      ['T-1', 'LIA-1', 'TIA-1', undefined],
      ['T-2', 'LIA-2', undefined, undefined],
    ]);
    expect(layout.detectors.map((d) => d.tag.tag)).toEqual(['GIA-1']);
    expect(layout.valves.map((v) => v.tag.tag)).toEqual(['XV-1']);
    expect(layout.tagNames['LIA-1']).toBe('液位');
  });
});

describe('tankLevelOption', () => {
  const tanks = buildLayout(site).tanks;

  it('draws each tank’s own limits as marks at that tank’s position', () => {
    const option = tankLevelOption(tanks, {}, true, names) as { series: { data: { value: [number, number] }[] }[] };
    expect(option.series[1]!.data.map((d) => d.value)).toEqual([
      [0, 14],
      [0, 13],
      [0, 2],
      [0, 1],
    ]);
  });

  it('colours a bar by the limit its value is beyond, and greys every bar when the data is not live', () => {
    const latest = { 'LIA-1': { v: 14.5, q: 'good' as const, ts: 1 }, 'LIA-2': { v: 6, q: 'good' as const, ts: 1 } };
    const live = tankLevelOption(tanks, latest, true, names) as {
      series: { data: { itemStyle: { color: string } }[] }[];
    };
    expect(live.series[0]!.data.map((d) => d.itemStyle.color)).toEqual([COLORS.HH, COLORS.normal]);
    const stale = tankLevelOption(tanks, latest, false, names) as {
      series: { data: { itemStyle: { color: string } }[] }[];
    };
    expect(stale.series[0]!.data.map((d) => d.itemStyle.color)).toEqual([COLORS.stale, COLORS.stale]);
  });

  it('scales the axis to the tallest tank', () => {
    const option = tankLevelOption(tanks, {}, true, names) as { yAxis: { max?: number } };
    expect(option.yAxis.max).toBe(16);
  });
});

describe('limitLevelOf and formatValue', () => {
  const limits = { hh: 14, h: 13, l: 2, ll: 1 };
  it('names the worst limit a value is beyond', () => {
    expect([14, 13.5, 7, 2, 0.5].map((v) => limitLevelOf(limits, v))).toEqual(['HH', 'H', null, 'L', 'LL']);
    expect(limitLevelOf(undefined, 99)).toBeNull();
  });
  it('shows a dash when there is no value and trims float noise', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(12.300000001)).toBe('12.3');
    expect(formatValue('open')).toBe('open');
  });
});
