import { parseDurationMs, parseInstantMs } from '../contracts';
import { HOUR_MS, MINUTE_MS, mergeBuckets, planHistory, rollupHorizonMs, toHistoryBucket } from './history.plan';

const NOW = Date.UTC(2026, 10, 23, 8, 30, 12);
const DAY = 86_400_000;

describe('history planner: step, resolution, segments', () => {
  it.each([
    // span, step asked, → resolution, step used
    ['10 min, no step', 10 * MINUTE_MS, undefined, 'raw', 2000],
    ['1 h, no step', HOUR_MS, undefined, 'raw', 10_000],
    ['24 h, no step', DAY, undefined, '1m', 5 * MINUTE_MS],
    ['30 d, no step', 30 * DAY, undefined, '1h', 2 * HOUR_MS],
    ['1 h in 30 s', HOUR_MS, 30_000, 'raw', 30_000],
    ['1 h in 90 s (rounded to whole minutes)', HOUR_MS, 90_000, '1m', 2 * MINUTE_MS],
  ] as const)('%s → %s, step %i', (_name, span, step, resolution, stepMs) => {
    const p = planHistory({
      tag: 'T',
      fromMs: NOW - span,
      toMs: NOW,
      maxPoints: 2000,
      nowMs: NOW,
      ...(step ? { stepMs: step } : {}),
    });
    expect({ resolution: p.resolution, stepMs: p.stepMs }).toEqual({ resolution, stepMs });
  });

  it('widens to the next round step that fits maxPoints, and notes it', () => {
    const p = planHistory({
      tag: 'T',
      fromMs: NOW - 30 * DAY,
      toMs: NOW,
      stepMs: MINUTE_MS,
      maxPoints: 1000,
      nowMs: NOW,
    });
    expect(p).toMatchObject({ widened: true, requestedStepMs: MINUTE_MS, stepMs: HOUR_MS });
    expect(Math.floor(NOW / p.stepMs) - Math.floor((NOW - 30 * DAY) / p.stepMs) + 1).toBeLessThanOrEqual(1000);
    expect(p.note).toMatch(/at most 1000 buckets/);
  });

  it('reads the minutes the rollup has not closed yet from raw samples', () => {
    const p = planHistory({
      tag: 'T',
      fromMs: NOW - 2 * HOUR_MS,
      toMs: NOW,
      stepMs: MINUTE_MS,
      maxPoints: 2000,
      nowMs: NOW,
    });
    const cut = rollupHorizonMs('1m', NOW);
    expect(p.segments).toEqual([
      { source: '1m', fromMs: p.fromMs, untilMs: cut },
      { source: 'raw', fromMs: cut, untilMs: NOW + 1 },
    ]);
  });

  it('merges the two parts of a bucket exactly: min of mins, max of maxes, sums and counts added, newest last', () => {
    const merged = mergeBuckets([
      [{ tsMs: 0, min: 1, max: 5, sum: 12, count: 4, last: 2 }],
      [
        { tsMs: 0, min: 0.5, max: 4, sum: 6, count: 2, last: 3 },
        { tsMs: 60_000, min: 7, max: 7, sum: 7, count: 1, last: 7 },
      ],
    ]);
    expect(merged.map(toHistoryBucket)).toEqual([
      { tsMs: 0, min: 0.5, max: 5, mean: 3, last: 3, count: 6 },
      { tsMs: 60_000, min: 7, max: 7, mean: 7, last: 7, count: 1 },
    ]);
  });
});

describe('history query parameters', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', DAY],
    ['60000', 60_000],
    ['fast', undefined],
    ['0s', undefined],
    ['-5m', undefined],
  ])('duration %s → %p', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each([
    ['1795409065149', 1_795_409_065_149],
    ['2026-11-23T08:00:00Z', Date.UTC(2026, 10, 23, 8)],
    ['2026-11-23T16:00:00+08:00', Date.UTC(2026, 10, 23, 8)],
    ['March 7', undefined],
    ['yesterday', undefined],
  ])('instant %s → %p', (text, ms) => expect(parseInstantMs(text)).toBe(ms));
});
