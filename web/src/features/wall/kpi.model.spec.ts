import { describe, expect, it } from 'vitest';
import type { DataHealthResponse } from '@hazard/server/contracts';
import { kpiCounts, onlineRateView, tickerAlarms } from './kpi.model';
import { mapSite, sourceRisk } from './risk-map.fixtures';
import { mapSources } from './risk-map.options';
import { alarm } from './wall.fixtures';

describe(kpiCounts.name, () => {
  it('counts sources per colour and the unrated apart', () => {
    const risk = { sources: [sourceRisk('a', { level: 'red' }), sourceRisk('b', { level: 'blue' })] };
    const counts = kpiCounts(mapSources(mapSite, risk as never), []);
    expect(counts.levels).toEqual({ red: 1, orange: 0, yellow: 0, blue: 1 });
    expect(counts.unrated).toBe(1);
  });

  it('counts active alarms and alarms to acknowledge by priority, a returned-unacked one only as unacked', () => {
    const counts = kpiCounts(
      [],
      [
        alarm('A:hi@1', { priority: 1, state: 'unacked' }),
        alarm('B:hi@1', { priority: 2, state: 'acked' }),
        alarm('C:hi@1', { priority: 2, state: 'rtn_unacked', active: false }),
        alarm('D:hi@1', { priority: 4, state: 'latched_unacked', active: false }),
      ],
    );
    expect(counts.active).toEqual({ 1: 1, 2: 1, 3: 0, 4: 0 });
    expect(counts.unacked).toEqual({ 1: 1, 2: 1, 3: 0, 4: 1 });
    expect([counts.activeTotal, counts.unackedTotal]).toEqual([2, 3]);
  });
});

describe(onlineRateView.name, () => {
  const health = {
    serverTime: 9000,
    park: {
      onlineRateHour: { startMs: 0, samples: 3, rate: 0.98765 },
      onlineRateDay: { startMs: 0, samples: 0, rate: null },
    },
  } as unknown as DataHealthResponse;

  it('gives the park’s rates in percent, one decimal, null before a sample', () => {
    expect(onlineRateView(health, 1000, 2000, 150_000)).toEqual({
      hourPct: 98.8,
      dayPct: null,
      stale: false,
      asOfMs: 9000,
    });
  });

  it('turns stale when the last good poll is too old, and is stale before any', () => {
    expect(onlineRateView(health, 1000, 1000 + 150_001, 150_000).stale).toBe(true);
    expect(onlineRateView(null, null, 0, 150_000)).toEqual({ hourPct: null, dayPct: null, stale: true, asOfMs: null });
  });
});

describe(tickerAlarms.name, () => {
  it('keeps the newest alarms first, up to the size', () => {
    const list = [alarm('A:hi@1', { raisedAt: 1 }), alarm('B:hi@3', { raisedAt: 3 }), alarm('C:hi@2', { raisedAt: 2 })];
    expect(tickerAlarms(list, 2).map((a) => a.id)).toEqual(['B:hi@3', 'C:hi@2']);
  });
});
