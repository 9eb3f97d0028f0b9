import type { Alarm, SourceRisk } from '../contracts';
import {
  MAX_SOURCE_REASONS,
  aggregate,
  assessSource,
  durationZh,
  levelOfScore,
  riskChanged,
  type SourceRiskInput,
} from './risk.model';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

function input(over: Partial<SourceRiskInput> = {}): SourceRiskInput {
  return {
    sourceId: 'cl01',
    enterpriseId: 'bjca',
    grade: 3,
    gradeR: 24,
    alarms: [],
    sis: [],
    valves: [],
    data: { tags: 40, stale: 0, badQuality: 0, gatewayOffline: false },
    nowMs: NOW,
    ...over,
  };
}

function alarm(over: Partial<Alarm> = {}): Alarm {
  return {
    id: 'GIA-2103:hi@1',
    key: 'GIA-2103:hi',
    tag: 'GIA-2103',
    enterpriseId: 'bjca',
    sourceId: 'cl01',
    condition: 'HH',
    priority: 2,
    state: 'unacked',
    active: true,
    latching: false,
    value: 3,
    limit: 2,
    unit: 'mg/m³',
    raisedAt: NOW - 60_000,
    updatedAt: NOW - 60_000,
    chattering: false,
    message: '',
    ...over,
  };
}

describe(assessSource.name, () => {
  it('keeps a quiet source blue whatever its grade, the grade taking a few points of its own', () => {
    const first = assessSource(input({ grade: 1, gradeR: 180 }));
    const fourth = assessSource(input({ grade: 4, gradeR: 5 }));

    expect(first).toMatchObject({ level: 'blue', score: 95 });
    expect(first.reasons).toEqual([expect.objectContaining({ code: 'grade', points: 5 })]);
    expect(first.reasons[0]!.text).toContain('一级重大危险源');
    expect(fourth).toMatchObject({ level: 'blue', score: 100 });
  });

  it('turns yellow on an unacknowledged priority-2 alarm and says which, then less after the ack', () => {
    const unacked = assessSource(input({ alarms: [alarm()] }));
    const acked = assessSource(input({ alarms: [alarm({ state: 'acked' })] }));

    expect(unacked).toMatchObject({ level: 'yellow', score: 84 });
    expect(unacked.reasons[0]).toMatchObject({ code: 'alarm', points: 15, ref: 'GIA-2103' });
    expect(unacked.reasons[0]!.text).toBe('GIA-2103 高高报警（P2），未确认');
    expect(acked.score).toBe(89);
  });

  it('weighs the same live fact by the grade: a 一级 source loses 1.5 times the points of a 三级 one', () => {
    const third = assessSource(input({ grade: 3, alarms: [alarm()] }));
    const first = assessSource(input({ grade: 1, alarms: [alarm()] }));

    expect(third.reasons[0]!.points).toBe(15);
    expect(first.reasons[0]!.points).toBe(22.5);
    expect(first.score).toBe(72.5);
    expect(first.level).toBe('orange');
  });

  it('holds a priority-1 alarm at least orange, and a confirmed leak or a leak with the valve open red', () => {
    const p1 = assessSource(input({ grade: 4, alarms: [alarm({ priority: 1, state: 'acked' })] }));
    const vote = assessSource(input({ grade: 4, alarms: [alarm({ condition: 'VOTE', tag: 'VOTE-CL', priority: 1 })] }));
    const valveOpen = assessSource(input({ grade: 4, alarms: [alarm({ condition: 'GAS_VALVE_OPEN', priority: 1 })] }));

    expect(p1).toMatchObject({ level: 'orange', score: 84 });
    expect(vote.level).toBe('red');
    expect(vote.reasons[0]).toMatchObject({ code: 'composite_alarm', floor: 'red' });
    expect(valveOpen.level).toBe('red');
  });

  it('says how long an SIS loop has been bypassed, and treats a bypass past the limit as standing', () => {
    const short = assessSource(
      input({
        sis: [
          { id: 'SIS-301', name: '液氯储槽高液位联锁', state: 'bypassed', sinceMs: NOW - (3 * HOUR + 12 * 60_000) },
        ],
      }),
    );
    const long = assessSource(
      input({ sis: [{ id: 'SIS-301', name: '液氯储槽高液位联锁', state: 'bypassed', sinceMs: NOW - 9 * HOUR }] }),
    );

    expect(short.reasons[0]).toMatchObject({ code: 'sis_bypassed', points: 15, floor: 'yellow' });
    expect(short.reasons[0]!.text).toBe('SIS-301 液氯储槽高液位联锁旁路已 3 小时 12 分');
    expect(short.level).toBe('yellow');
    expect(long.reasons[0]).toMatchObject({ code: 'sis_bypassed_long', points: 25, floor: 'orange' });
    expect(long.level).toBe('orange');
  });

  it('takes the loop’s own bypassMaxMin over the default when the site model gives one', () => {
    const sis = { id: 'SIS-2201', name: '液氯泄漏联锁', state: 'bypassed' as const, sinceMs: NOW - 61 * 60_000 };

    expect(assessSource(input({ sis: [sis] })).reasons[0]!.code).toBe('sis_bypassed');
    expect(assessSource(input({ sis: [{ ...sis, bypassLongMs: 60 * 60_000 }] })).reasons[0]!.code).toBe(
      'sis_bypassed_long',
    );
  });

  it('holds any SIS bypass of a 一/二级 source at least orange (SAWS Order 40 Art. 13: the SIS must be in service)', () => {
    const sut = assessSource(
      input({ grade: 2, sis: [{ id: 'SIS-301', name: '联锁', state: 'bypassed', sinceMs: NOW - 60_000 }] }),
    );

    expect(sut.level).toBe('orange');
  });

  it('counts an SIS trip, an SIS fault and a valve fault as barrier facts', () => {
    const sut = assessSource(
      input({
        sis: [
          { id: 'SIS-301', name: '联锁A', state: 'tripped', sinceMs: NOW - 5 * 60_000 },
          { id: 'SIS-302', name: '联锁B', state: 'fault', sinceMs: NOW },
        ],
        valves: [
          { id: 'XV-301', name: '切断阀', state: 'fault' },
          { id: 'XV-302', name: '切断阀', state: 'closed' },
        ],
      }),
    );

    expect(sut.reasons.map((r) => r.code)).toEqual(['sis_tripped', 'sis_fault', 'valve_fault', 'grade']);
    expect(sut.score).toBe(44);
    expect(sut.level).toBe('red');
  });

  it('does not count barrier and data alarms twice: their states speak through barriers and data health', () => {
    const sut = assessSource(
      input({
        alarms: [
          alarm({ condition: 'SIS_BYPASSED', tag: 'SIS-301-S' }),
          alarm({ condition: 'STALE', tag: 'LIA-2101' }),
          alarm({ condition: 'VALVE_TRAVEL', tag: 'XV-301' }),
        ],
      }),
    );

    expect(sut.reasons.map((r) => r.code)).toEqual(['barrier_alarm', 'grade']);
  });

  it('never shows a source whose gateway is offline as blue', () => {
    const sut = assessSource(input({ grade: 4, data: { tags: 40, stale: 0, badQuality: 0, gatewayOffline: true } }));

    expect(sut.score).toBe(80);
    expect(sut.level).toBe('yellow');
    expect(sut.reasons[0]).toMatchObject({ code: 'gateway_offline', floor: 'yellow' });
  });

  it('deducts for stale and bad-quality tags in proportion', () => {
    const sut = assessSource(input({ data: { tags: 40, stale: 10, badQuality: 2, gatewayOffline: false } }));

    expect(sut.reasons.map((r) => [r.code, r.points])).toEqual([
      ['data_stale', 5],
      ['bad_quality', 4],
      ['grade', 1],
    ]);
  });

  it('counts shelved and out-of-service alarms as hidden risk, not as annunciated alarms', () => {
    const shelved = alarm({ shelved: { user: 'zhang', reason: '检修', atMs: NOW - HOUR, untilMs: NOW + HOUR } });
    const oos = alarm({ tag: 'GIA-2104', outOfService: { user: 'admin', reason: '更换探头', atMs: NOW - HOUR } });

    const sut = assessSource(input({ alarms: [shelved, oos] }));

    expect(sut.reasons.map((r) => [r.code, r.points])).toEqual([
      ['alarm_out_of_service', 3],
      ['alarm_shelved', 2],
      ['grade', 1],
    ]);
    expect(sut.level).toBe('blue');
  });

  it('caps what a flood of process alarms can take, so the barriers still tell', () => {
    const flood = Array.from({ length: 20 }, (_, i) => alarm({ tag: `GIA-${i}`, priority: 2 }));

    const sut = assessSource(input({ grade: 3, alarms: flood }));

    const alarmPoints = sut.reasons.filter((r) => r.code === 'alarm' || r.code === 'more');
    expect(alarmPoints.reduce((s, r) => s + r.points, 0)).toBe(60);
    expect(sut.score).toBe(39);
  });

  it(`carries at most ${MAX_SOURCE_REASONS} reasons: the least are folded into one, and the points still add up`, () => {
    const flood = Array.from({ length: 30 }, (_, i) =>
      alarm({ tag: `GIA-${i}`, priority: i === 29 ? 1 : 3, state: i % 2 === 0 ? 'acked' : 'unacked' }),
    );
    const sis = [{ id: 'SIS-1', name: '联锁', state: 'bypassed' as const, sinceMs: NOW - HOUR }];

    const sut = assessSource(input({ grade: 2, gradeR: 120, alarms: flood, sis }));

    expect(sut.reasons).toHaveLength(MAX_SOURCE_REASONS);
    // The worst stay named: the priority-1 alarm and the bypass hold floors; the grade is always last.
    expect(
      sut.reasons
        .slice(0, 2)
        .map((r) => r.ref)
        .sort(),
    ).toEqual(['GIA-29', 'SIS-1']);
    expect(sut.reasons.at(-1)!.code).toBe('grade');
    const more = sut.reasons.at(-2)!;
    expect(more).toMatchObject({ code: 'more', params: { count: 31 - (MAX_SOURCE_REASONS - 2) } });
    expect(more.text).toMatch(/^另有 21 项（共扣 [\d.]+ 分），详见报警列表$/);
    const deducted = sut.reasons.reduce((s, r) => s + r.points, 0);
    expect(Math.max(0, Math.round((100 - deducted) * 10) / 10)).toBe(sut.score);
  });

  it('leaves a short list as it is', () => {
    const sut = assessSource(input({ alarms: [alarm(), alarm({ tag: 'GIA-2', key: 'GIA-2:hi' })] }));

    expect(sut.reasons.map((r) => r.code)).toEqual(['alarm', 'alarm', 'grade']);
  });
});

describe(levelOfScore.name, () => {
  it.each([
    [100, 'blue'],
    [90, 'blue'],
    [89.9, 'yellow'],
    [75, 'yellow'],
    [74.9, 'orange'],
    [60, 'orange'],
    [59.9, 'red'],
    [0, 'red'],
  ])('bands %d as %s (应急〔2018〕19号)', (score, level) => {
    expect(levelOfScore(score)).toBe(level);
  });
});

describe(aggregate.name, () => {
  const source = (id: string, level: SourceRisk['level'], score: number): SourceRisk => ({
    ...assessSource(input({ sourceId: id })),
    level,
    score,
    reasons: [{ code: 'alarm', points: 100 - score, text: `${id} 报警` }],
  });

  it('takes the worst level and lowest score, counts colours, and names the worst sources first', () => {
    const sut = aggregate(
      [source('a', 'yellow', 85), source('b', 'red', 50), source('c', 'blue', 99)],
      new Map([['b', '液氯储存单元']]),
    );

    expect(sut).toMatchObject({ level: 'red', score: 50, counts: { blue: 1, yellow: 1, orange: 0, red: 1 } });
    expect(sut.reasons.map((r) => r.text)).toEqual(['液氯储存单元：b 报警', 'a：a 报警']);
  });

  it('is blue with no reasons when all is quiet', () => {
    expect(aggregate([source('a', 'blue', 99)], new Map())).toMatchObject({ level: 'blue', reasons: [] });
  });
});

describe(riskChanged.name, () => {
  it('sees a change of level or of a reason, and not a recomputation that shows the same', () => {
    const a = assessSource(input({ alarms: [alarm()] }));
    const same = assessSource(input({ alarms: [alarm()], nowMs: NOW + 1000 }));
    const acked = assessSource(input({ alarms: [alarm({ state: 'acked' })] }));

    expect(riskChanged(undefined, a)).toBe(true);
    expect(riskChanged(a, same)).toBe(false);
    expect(riskChanged(a, acked)).toBe(true);
  });
});

describe(durationZh.name, () => {
  it('writes hours and minutes the way a duty log does', () => {
    expect(durationZh(45 * 60_000)).toBe('45 分');
    expect(durationZh(3 * HOUR + 12 * 60_000 + 59_000)).toBe('3 小时 12 分');
  });
});
