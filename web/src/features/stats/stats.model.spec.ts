import { describe, expect, it } from 'vitest';
import type { AlarmStatsResponse } from '@hazard/server/contracts';
import {
  badActorsOption,
  BUCKET_MS,
  formatDurationMs,
  priorityMixOption,
  rangeOf,
  rateOption,
  summaryOf,
} from './stats.model';

const FROM = 1_700_000_000_000;
const TO = FROM + 3 * BUCKET_MS;

function statsOf(over: Partial<AlarmStatsResponse> = {}): AlarmStatsResponse {
  return {
    fromMs: FROM,
    toMs: TO,
    reference: {
      acceptablePer10Min: 1,
      manageablePer10Min: 2,
      floodStartPer10Min: 10,
      floodEndPer10Min: 5,
      standingMs: 86_400_000,
      chatterActivations: 3,
      chatterWindowMs: 60_000,
      priorityPct: { high: 5, medium: 15, low: 80 },
    },
    alarms: 15,
    positions: [
      {
        enterpriseId: 'bjpc',
        alarms: 15,
        per10Min: [
          { startMs: FROM, count: 0 },
          { startMs: FROM + BUCKET_MS, count: 12 },
          { startMs: FROM + 2 * BUCKET_MS, count: 3 },
        ],
        meanPer10Min: 5,
        maxPer10Min: 12,
        bucketsOverAcceptablePct: 66.7,
        bucketsOverManageablePct: 66.7,
        floods: [{ startMs: FROM + BUCKET_MS + 60_000, endMs: null, alarms: 15, peakPer10Min: 12 }],
        timeInFloodPct: 60,
      },
    ],
    standing: [],
    chattering: [],
    topBadActors: [
      {
        key: 'LIA-101:hi',
        tag: 'LIA-101',
        enterpriseId: 'bjpc',
        sourceId: 'tf01',
        condition: 'HH',
        priority: 2,
        alarms: 10,
        sharePct: 66.67,
      },
      {
        key: 'GIA-201:hi',
        tag: 'GIA-201',
        enterpriseId: 'bjpc',
        sourceId: 'tf01',
        condition: 'H',
        priority: 3,
        alarms: 5,
        sharePct: 33.33,
      },
    ],
    priorityMix: { counts: { '1': 0, '2': 10, '3': 5, '4': 0 }, sharesPct: { high: 66.666, medium: 33.333, low: 0 } },
    ackTime: { acks: 2, meanMs: 65_000, p90Ms: 125_000 },
    truncated: false,
    ...over,
  };
}

const rateLabels = { acceptable: '可接受 1', manageable: '可管理 2', flood: '泛滥', axis: '次/10 min' };

describe(rateOption.name, () => {
  it('draws each 10-minute bucket at its middle, with the 1 and 2 reference lines', () => {
    const option = rateOption(statsOf(), () => '滨江石化', rateLabels);
    const series = option.series as { data: number[][]; markLine: { data: { yAxis: number }[] } }[];

    expect(series[0]!.data).toEqual([
      [FROM + BUCKET_MS / 2, 0],
      [FROM + 1.5 * BUCKET_MS, 12],
      [FROM + 2.5 * BUCKET_MS, 3],
    ]);
    expect(series[0]!.markLine.data.map((d) => d.yAxis)).toEqual([1, 2]);
  });

  it('shades a flood from its start to its end, or to the end of the range while it lasts', () => {
    const option = rateOption(statsOf(), (id) => id, rateLabels);
    const area = (option.series as { markArea: { data: { xAxis: number }[][] } }[])[0]!.markArea.data;
    expect(area).toEqual([[{ name: '泛滥', xAxis: FROM + BUCKET_MS + 60_000 }, { xAxis: TO }]]);
  });

  it('keeps both reference lines in view on a quiet day', () => {
    const quiet = statsOf();
    quiet.positions[0]!.per10Min = quiet.positions[0]!.per10Min.map((b) => ({ ...b, count: 0 }));
    expect((rateOption(quiet, (id) => id, rateLabels).yAxis as { max: number }).max).toBe(3);
    expect((rateOption(statsOf(), (id) => id, rateLabels).yAxis as { max: number }).max).toBe(12);
  });

  it('gives one series per operator position with alarms, with reference lines once', () => {
    const three = statsOf();
    three.positions.unshift({ ...three.positions[0]!, enterpriseId: 'quiet', alarms: 0, floods: [] });
    three.positions.push({ ...three.positions[1]!, enterpriseId: 'hxhg', floods: [] });
    const series = rateOption(three, (id) => id, rateLabels).series as { name: string; markLine?: unknown }[];
    expect(series.map((s) => s.name)).toEqual(['bjpc', 'hxhg']);
    expect(series[0]!.markLine).toBeDefined();
    expect(series[1]!.markLine).toBeUndefined();
  });

  it('still draws the reference lines when no position had an alarm', () => {
    const none = statsOf();
    none.positions[0]!.alarms = 0;
    const series = rateOption(none, (id) => id, rateLabels).series as { markLine?: unknown }[];
    expect(series).toHaveLength(1);
    expect(series[0]!.markLine).toBeDefined();
  });

  it('ends the time axis with the last bucket, so that the newest bar is drawn whole', () => {
    const partial = statsOf({ toMs: TO - 120_000 });
    expect((rateOption(partial, (id) => id, rateLabels).xAxis as { max: number }).max).toBe(TO);
  });
});

describe(badActorsOption.name, () => {
  it('puts the most frequent alarm point on top', () => {
    const option = badActorsOption(statsOf(), (c) => c, '次数');
    expect((option.yAxis as { data: string[] }).data).toEqual(['GIA-201 H', 'LIA-101 HH']);
    expect((option.series as { data: { value: number }[] }[])[0]!.data.map((d) => d.value)).toEqual([5, 10]);
  });
});

describe(priorityMixOption.name, () => {
  it('sets the measured class shares beside the 5 / 15 / 80 % guide', () => {
    const labels = { high: '高', medium: '中', low: '低', measured: '实际', guide: '参考' };
    const series = priorityMixOption(statsOf(), labels).series as { data: number[] }[];
    expect(series[0]!.data).toEqual([66.7, 33.3, 0]);
    expect(series[1]!.data).toEqual([5, 15, 80]);
  });
});

describe(formatDurationMs.name, () => {
  const u = { h: 'h', min: 'min', s: 's' };
  it('prints a duration with its units, and a dash without acks', () => {
    expect(formatDurationMs(42_000, u)).toBe('42 s');
    expect(formatDurationMs(65_000, u)).toBe('1 min 05 s');
    expect(formatDurationMs(3_900_000, u)).toBe('1 h 05 min');
    expect(formatDurationMs(null, u)).toBe('—');
  });
});

describe(rangeOf.name, () => {
  it('ends the presets now and starts them 24 h, 7 d or 30 d before', () => {
    expect(rangeOf('24h', 100_000_000)).toEqual({ fromMs: 100_000_000 - 86_400_000, toMs: 100_000_000 });
    expect(rangeOf('30d', 0).fromMs).toBe(-30 * 86_400_000);
  });
});

describe(summaryOf.name, () => {
  it('reports the busiest position and counts floods over all', () => {
    expect(summaryOf(statsOf())).toEqual({
      alarms: 15,
      meanPer10Min: 5,
      maxPer10Min: 12,
      floods: 1,
      timeInFloodPct: 60,
    });
  });
});
