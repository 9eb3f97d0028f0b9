import type { Alarm, AlarmEvent, AlarmTransitionKind } from '../contracts';
import {
  ackTimes,
  alarmStats,
  badActors,
  chatteringAlarms,
  floodPeriods,
  isAnnunciation,
  priorityMix,
  rateBuckets,
  standingAlarms,
} from './alarm-stats';

const T = 1_800_000_000_000; // a multiple of 10 minutes
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

let seq = 0;
/** One journal event of point `key` at `atMs` after T; the alarm after it defaults to active and unacknowledged. */
function ev(key: string, transition: AlarmTransitionKind, atMs: number, over: Partial<Alarm> = {}): AlarmEvent {
  const [tag = key] = key.split(':');
  return {
    seq: ++seq,
    tsMs: T + atMs,
    transition,
    fromState: 'normal',
    alarm: {
      id: `${key}@${T + atMs}`,
      key,
      tag,
      enterpriseId: 'e1',
      sourceId: 's1',
      condition: 'H',
      priority: 3,
      state: 'unacked',
      active: true,
      latching: false,
      chattering: false,
      value: 1,
      limit: 0,
      unit: 'm',
      raisedAt: T + atMs,
      updatedAt: T + atMs,
      annunciatedAt: T + atMs,
      message: '',
      ...over,
    },
  };
}
const at = (...offsetsMs: number[]) => offsetsMs.map((o) => T + o);

describe('alarm statistics (EEMUA 191)', () => {
  describe(isAnnunciation.name, () => {
    it.each<[string, AlarmEvent, boolean]>([
      ['a new activation', ev('A:hi', 'raise', 0), true],
      ['an escalation (H → HH re-alarms)', ev('A:hi', 'escalate', 0, { condition: 'HH' }), true],
      ['a de-escalation', ev('A:hi', 'deescalate', 0), false],
      [
        'a raise while shelved',
        ev('A:hi', 'raise', 0, { shelved: { user: 'u', reason: 'r', atMs: T, untilMs: T + H } }),
        false,
      ],
      [
        'a raise suppressed by design',
        ev('A:hi', 'raise', 0, { suppressed: { reason: 'r', byKey: 'X', sinceMs: T } }),
        false,
      ],
      ['a raise out of service', ev('A:hi', 'raise', 0, { outOfService: { user: 'u', reason: 'r', atMs: T } }), false],
      ['a release from shelving that annunciates afresh', ev('A:hi', 'unshelve', 0), false],
      ['an acknowledgement', ev('A:hi', 'ack', 0, { state: 'acked' }), false],
    ])('%s → %s', (_what, e, want) => {
      expect(isAnnunciation(e)).toBe(want);
    });
  });

  describe(floodPeriods.name, () => {
    const every = (fromMs: number, n: number, stepMs: number) =>
      Array.from({ length: n }, (_, i) => T + fromMs + i * stepMs);
    it.each([
      {
        what: 'exactly 10 alarms in 10 minutes is not a flood',
        times: every(0, 10, 30 * S),
        want: [],
      },
      {
        what: '11 alarms in 5 minutes: a flood from the first alarm until the 7th has left the window (4 remain)',
        times: every(60 * S, 11, 30 * S),
        want: [{ startMs: T + 60 * S, endMs: T + 240 * S + 10 * MIN, alarms: 11, peakPer10Min: 11 }],
      },
      {
        what: 'a rate between 5 and 10 per 10 minutes keeps a flood going (hysteresis)',
        times: [...every(0, 11, S), ...every(2 * MIN, 10, 2 * MIN)],
        // The trickle holds 5 in every window until 12:00; at 22:00 the alarm of 12:00 leaves and 4 remain.
        want: [{ startMs: T, endMs: T + 22 * MIN, alarms: 21, peakPer10Min: 15 }],
      },
      {
        what: 'two bursts of 12 an hour apart are two floods, each ending when its 8th alarm leaves the window',
        times: [...every(0, 12, S), ...every(H, 12, S)],
        want: [
          { startMs: T, endMs: T + 7 * S + 10 * MIN, alarms: 12, peakPer10Min: 12 },
          { startMs: T + H, endMs: T + H + 7 * S + 10 * MIN, alarms: 12, peakPer10Min: 12 },
        ],
      },
    ])('$what', ({ times, want }) => {
      expect(floodPeriods(times, T + 10 * H)).toEqual(want);
    });

    it('reports a flood still going at the end of the range with no end', () => {
      expect(floodPeriods(every(0, 20, S), T + 5 * MIN)).toEqual([
        { startMs: T, endMs: null, alarms: 20, peakPer10Min: 20 },
      ]);
    });
  });

  describe(rateBuckets.name, () => {
    it('counts alarms per clock-aligned 10 minutes within the range only', () => {
      const buckets = rateBuckets(at(-MIN, 0, 9 * MIN, 10 * MIN, 25 * MIN, 30 * MIN), T, T + 30 * MIN);
      expect(buckets).toEqual([
        { startMs: T, count: 2 },
        { startMs: T + 10 * MIN, count: 1 },
        { startMs: T + 20 * MIN, count: 1 },
      ]);
    });
  });

  describe(standingAlarms.name, () => {
    it('finds alarms active longer than 24 h, whether they returned in the range or are still active', () => {
      const initial = [
        ev('OLD:hi', 'raise', -30 * H),
        ev('GONE:hi', 'return', -2 * H, { active: false, state: 'normal' }),
      ];
      const events = [
        ev('LONG:lo', 'raise', H),
        ev('SHORT:hi', 'raise', 2 * H),
        ev('LONG:lo', 'ack', 3 * H, { state: 'acked' }),
        ev('SHORT:hi', 'return', 25 * H, { active: false, state: 'rtn_unacked' }),
        ev('LONG:lo', 'return', 26 * H, { active: false, state: 'normal' }),
      ];
      const got = standingAlarms(initial, events, T, T + 48 * H);
      expect(
        got.map((s) => [s.key, s.activeSinceMs - T, s.returnedAtMs === null ? null : s.returnedAtMs - T, s.activeMs]),
      ).toEqual([
        ['OLD:hi', -30 * H, null, 78 * H],
        ['LONG:lo', H, 26 * H, 25 * H],
      ]);
    });
  });

  describe(chatteringAlarms.name, () => {
    const raisesAt = (key: string, seconds: number[]) =>
      seconds.flatMap((s) => [
        ev(key, 'raise', s * S),
        ev(key, 'return', s * S + 5 * S, { active: false, state: 'rtn_unacked' }),
      ]);
    it.each([
      {
        what: '3 activations in 40 s chatter',
        seconds: [0, 20, 40],
        want: [{ maxIn60s: 3, firstChatterAtMs: T + 40 * S, activations: 3 }],
      },
      {
        what: '3 activations spanning exactly 60 s do not (the window is 60 s, the first has left it)',
        seconds: [0, 30, 60],
        want: [],
      },
      {
        what: '5 activations in 50 s, then quiet',
        seconds: [0, 10, 20, 30, 50, 300],
        want: [{ maxIn60s: 5, firstChatterAtMs: T + 20 * S, activations: 6 }],
      },
      { what: 'slow repeats never chatter', seconds: [0, 61, 122, 183], want: [] },
    ])('$what', ({ seconds, want }) => {
      expect(
        chatteringAlarms(raisesAt('FT-1:ROC_RISE', seconds)).map(({ maxIn60s, firstChatterAtMs, activations }) => ({
          maxIn60s,
          firstChatterAtMs,
          activations,
        })),
      ).toEqual(want);
    });
  });

  describe(badActors.name, () => {
    it('ranks the ten most frequent points by count, then key, with their share', () => {
      const events = Array.from({ length: 12 }, (_, k) =>
        Array.from({ length: k + 1 }, (_, i) => ev(`P${String(k).padStart(2, '0')}:hi`, 'raise', i * MIN)),
      ).flat();
      events.push(ev('P00b:hi', 'raise', 0));
      const got = badActors(events, 10);
      expect(got.map((b) => [b.key, b.alarms])).toEqual([
        ['P11:hi', 12],
        ['P10:hi', 11],
        ['P09:hi', 10],
        ['P08:hi', 9],
        ['P07:hi', 8],
        ['P06:hi', 7],
        ['P05:hi', 6],
        ['P04:hi', 5],
        ['P03:hi', 4],
        ['P02:hi', 3],
      ]);
      expect(got[0]!.sharePct).toBe(Math.round((100 * 12 * 100) / 79) / 100);
    });
  });

  describe(priorityMix.name, () => {
    it('counts by priority and compares the classes high (1–2), medium (3), low (4)', () => {
      const events = [
        ev('A:hi', 'raise', 0, { priority: 1 }),
        ev('B:hi', 'raise', 0, { priority: 2 }),
        ...Array.from({ length: 3 }, (_, i) => ev(`C${i}:hi`, 'raise', 0, { priority: 3 })),
        ...Array.from({ length: 15 }, (_, i) => ev(`D${i}:hi`, 'raise', 0, { priority: 4 })),
      ];
      expect(priorityMix(events)).toEqual({
        counts: { '1': 1, '2': 1, '3': 3, '4': 15 },
        sharesPct: { high: 10, medium: 15, low: 75 },
      });
    });
  });

  describe(ackTimes.name, () => {
    it.each([
      { what: 'no acks', delaysS: [], want: { acks: 0, meanMs: null, p90Ms: null } },
      {
        what: 'three acks: mean, and p90 by nearest rank (the 3rd)',
        delaysS: [10, 20, 300],
        want: { acks: 3, meanMs: 110 * S, p90Ms: 300 * S },
      },
      {
        what: 'ten acks: p90 is the 9th',
        delaysS: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100],
        want: { acks: 10, meanMs: 14.5 * S, p90Ms: 9 * S },
      },
    ])('$what', ({ delaysS, want }) => {
      const events = delaysS.map((d, i) =>
        ev(`K${i}:hi`, 'ack', i * H + d * S, { state: 'acked', annunciatedAt: T + i * H, raisedAt: T + i * H - MIN }),
      );
      expect(ackTimes(events)).toEqual(want);
    });
  });

  describe(alarmStats.name, () => {
    it('puts it together per operator position, counting the 10 minutes before the range only for floods', () => {
      const flood = Array.from({ length: 11 }, (_, i) => ev(`F${i}:hi`, 'raise', -5 * MIN + i * S));
      const e2 = ev('X:lo', 'raise', 15 * MIN, { enterpriseId: 'e2', priority: 2 });
      const ack = ev('X:lo', 'ack', 16 * MIN, { enterpriseId: 'e2', state: 'acked', annunciatedAt: T + 15 * MIN });
      const sut = alarmStats({
        fromMs: T,
        toMs: T + 30 * MIN,
        positions: ['e2', 'e1', 'e3'],
        initial: [],
        events: [...flood, e2, ack],
      });
      expect(sut.alarms).toBe(1);
      expect(sut.positions.map((p) => [p.enterpriseId, p.alarms, p.floods.length])).toEqual([
        ['e1', 0, 1],
        ['e2', 1, 0],
        ['e3', 0, 0],
      ]);
      const e1 = sut.positions[0]!;
      expect(e1.floods[0]).toMatchObject({ startMs: T - 5 * MIN, endMs: T + 5 * MIN + 6 * S });
      expect(e1.timeInFloodPct).toBe(Math.round((100 * (5 * MIN + 6 * S) * 100) / (30 * MIN)) / 100);
      expect(sut.positions[1]).toMatchObject({ meanPer10Min: 0.33, maxPer10Min: 1, bucketsOverAcceptablePct: 0 });
      expect(sut.ackTime).toEqual({ acks: 1, meanMs: MIN, p90Ms: MIN });
      expect(sut.priorityMix.counts).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0 });
      expect(sut.reference).toMatchObject({ acceptablePer10Min: 1, manageablePer10Min: 2, floodStartPer10Min: 10 });
    });
  });
});
