import type { Alarm, AlarmCondition, AlarmState, AlarmTransitionKind } from '../contracts';
import {
  applyCondition,
  applyDesign,
  applyOperator,
  idlePoint,
  isRefusal,
  notificationDue,
  recordActivation,
  type ConditionInput,
  type OperatorInput,
  type Step,
} from './lifecycle';

const T0 = 1_700_000_000_000;

function input(active: boolean, condition: AlarmCondition = 'H', over: Partial<ConditionInput> = {}): ConditionInput {
  return {
    key: 'LIA-101:hi',
    tag: 'LIA-101',
    enterpriseId: 'bjpc',
    sourceId: 'tf01',
    condition,
    active,
    value: 12,
    limit: condition === 'HH' ? 14.4 : 13.6,
    priority: condition === 'HH' ? 2 : 3,
    unit: 'm',
    latching: false,
    message: `${condition}`,
    nowMs: T0 + 1000,
    ...over,
  };
}

/** An alarm in a given state, reached through the machine itself. */
function alarmIn(state: AlarmState, opts: { latching?: boolean; active?: boolean } = {}): Alarm {
  const latching = opts.latching ?? false;
  const raised = applyCondition(undefined, input(true, 'H', { latching, nowMs: T0 }))!.alarm;
  const ack = (a: Alarm) => expectStep(applyOperator(a, op('ack'))).alarm;
  const ret = (a: Alarm) => applyCondition(a, input(false, 'H', { latching }))!.alarm;
  switch (state) {
    case 'unacked':
      return raised;
    case 'acked':
      return ack(raised);
    case 'rtn_unacked':
    case 'latched_unacked':
      return ret(raised);
    case 'latched_acked':
      return opts.active === false ? ret(ack(raised)) : ack(ret(raised));
    case 'normal':
      return ret(ack(raised));
  }
}

function op(type: OperatorInput['type'], over: Record<string, unknown> = {}): OperatorInput {
  const base = { user: 'zhangsan', comment: '已通知现场', reason: '仪表检修', nowMs: T0 + 5000 };
  if (type === 'shelve') return { type, ...base, minutes: 30, maxMinutes: 480, ...over } as OperatorInput;
  return { type, ...base, ...over } as OperatorInput;
}

function expectStep(r: Step | { refused: string } | null): Step {
  if (r === null) throw new Error('expected a transition, got none');
  if (isRefusal(r)) throw new Error(`expected a transition, refused: ${r.refused}`);
  return r;
}

describe('ISA-18.2 lifecycle: process condition transitions', () => {
  const cases: {
    name: string;
    from: AlarmState | 'none';
    latching?: boolean;
    active: boolean;
    condition?: AlarmCondition;
    kind: AlarmTransitionKind | null;
    to?: AlarmState;
  }[] = [
    { name: 'crossing from nothing raises, unacknowledged', from: 'none', active: true, kind: 'raise', to: 'unacked' },
    { name: 'inside the limits with nothing open: nothing', from: 'none', active: false, kind: null },
    { name: 'return before ack → RTN-unack', from: 'unacked', active: false, kind: 'return', to: 'rtn_unacked' },
    { name: 'return after ack → normal', from: 'acked', active: false, kind: 'return', to: 'normal' },
    { name: 'RTN-unack back in alarm re-annunciates', from: 'rtn_unacked', active: true, kind: 'raise', to: 'unacked' },
    {
      name: 'closed occurrence crossing again is a new raise',
      from: 'normal',
      active: true,
      kind: 'raise',
      to: 'unacked',
    },
    { name: 'still active at the same level: nothing', from: 'acked', active: true, kind: null },
    {
      name: 'H → HH escalates and re-alarms an acked alarm',
      from: 'acked',
      active: true,
      condition: 'HH',
      kind: 'escalate',
      to: 'unacked',
    },
    {
      name: 'latching: return before ack latches unacked',
      from: 'unacked',
      latching: true,
      active: false,
      kind: 'return',
      to: 'latched_unacked',
    },
    {
      name: 'latching: return after ack latches acked',
      from: 'acked',
      latching: true,
      active: false,
      kind: 'return',
      to: 'latched_acked',
    },
    {
      name: 'latched alarm back in alarm annunciates again',
      from: 'latched_acked',
      latching: true,
      active: true,
      kind: 'raise',
      to: 'unacked',
    },
  ];

  it.each(cases)('$name', ({ from, latching, active, condition, kind, to }) => {
    const current = from === 'none' ? undefined : alarmIn(from, { latching, active: false });
    const r = applyCondition(current, input(active, condition ?? 'H', { latching: latching ?? false }));
    if (kind === null) {
      expect(r).toBeNull();
      return;
    }
    expect(r).not.toBeNull();
    expect({ kind: r!.kind, from: r!.fromState, to: r!.alarm.state, active: r!.alarm.active }).toEqual({
      kind,
      from: from === 'none' ? 'normal' : from,
      to,
      active,
    });
  });

  it('escalation drops the earlier acknowledgement and takes the priority of the worse level', () => {
    const acked = alarmIn('acked');
    expect(acked.ackedBy).toBe('zhangsan');
    const r = expectStep(applyCondition(acked, input(true, 'HH')));
    expect(r.alarm).toMatchObject({ condition: 'HH', priority: 2, state: 'unacked', limit: 14.4 });
    expect(r.alarm.ackedBy).toBeUndefined();
  });

  it('HH → H de-escalates without re-alarming', () => {
    const hh = expectStep(applyCondition(undefined, input(true, 'HH'))).alarm;
    const acked = expectStep(applyOperator(hh, op('ack'))).alarm;
    const r = expectStep(applyCondition(acked, input(true, 'H')));
    expect(r).toMatchObject({ kind: 'deescalate', alarm: { condition: 'H', state: 'acked', priority: 3 } });
  });

  it('a new occurrence gets a new id; a re-raise of an RTN-unack keeps its occurrence', () => {
    const first = alarmIn('normal');
    const again = expectStep(applyCondition(first, input(true, 'H', { nowMs: T0 + 9000 }))).alarm;
    expect(again.id).not.toBe(first.id);
    expect(again.raisedAt).toBe(T0 + 9000);
    const rtn = alarmIn('rtn_unacked');
    expect(expectStep(applyCondition(rtn, input(true))).alarm.id).toBe(rtn.id);
  });
});

describe('ISA-18.2 lifecycle: operator actions', () => {
  const cases: {
    name: string;
    from: AlarmState;
    latching?: boolean;
    action: OperatorInput['type'];
    to?: AlarmState;
    refused?: RegExp;
  }[] = [
    { name: 'ack of unack → acked', from: 'unacked', action: 'ack', to: 'acked' },
    { name: 'ack of RTN-unack → normal', from: 'rtn_unacked', action: 'ack', to: 'normal' },
    {
      name: 'ack of latched-unack → latched-acked',
      from: 'latched_unacked',
      latching: true,
      action: 'ack',
      to: 'latched_acked',
    },
    { name: 'ack of an acked alarm is refused', from: 'acked', action: 'ack', refused: /nothing to acknowledge/ },
    { name: 'reset of latched-acked → normal', from: 'latched_acked', latching: true, action: 'reset', to: 'normal' },
    {
      name: 'reset of latched-unack needs an ack first',
      from: 'latched_unacked',
      latching: true,
      action: 'reset',
      refused: /acknowledge/,
    },
    {
      name: 'reset of a non-latched alarm is refused',
      from: 'acked',
      action: 'reset',
      refused: /only a latched alarm/,
    },
    { name: 'shelving a normal point is refused', from: 'normal', action: 'shelve', refused: /not in alarm/ },
    {
      name: 'unshelve of an alarm that is not shelved is refused',
      from: 'acked',
      action: 'unshelve',
      refused: /not shelved/,
    },
    {
      name: 'return to service of an alarm in service is refused',
      from: 'acked',
      action: 'return_to_service',
      refused: /not out of service/,
    },
  ];

  it.each(cases)('$name', ({ from, latching, action, to, refused }) => {
    const a = alarmIn(from, { latching, active: false });
    const r = applyOperator(a, op(action));
    if (refused) {
      expect(isRefusal(r) ? r.refused : 'not refused').toMatch(refused);
      return;
    }
    const step = expectStep(r);
    expect({ kind: step.kind, to: step.alarm.state, user: step.user }).toEqual({ kind: action, to, user: 'zhangsan' });
  });

  it('records who acknowledged, when, and the comment', () => {
    const step = expectStep(applyOperator(alarmIn('unacked'), op('ack', { comment: '现场确认液位计正常' })));
    expect(step.alarm).toMatchObject({ ackedBy: 'zhangsan', ackedAt: T0 + 5000, ackComment: '现场确认液位计正常' });
    expect(step.comment).toBe('现场确认液位计正常');
  });

  it.each([
    [0, /1 to 480/],
    [481, /1 to 480/],
    [2.5, /whole number/],
  ])('refuses shelving for %p minutes', (minutes, message) => {
    const r = applyOperator(alarmIn('acked'), op('shelve', { minutes }));
    expect(isRefusal(r) ? r.refused : '').toMatch(message);
  });

  it('refuses shelving without a reason', () => {
    const r = applyOperator(alarmIn('acked'), op('shelve', { reason: '  ' }));
    expect(isRefusal(r) ? r.refused : '').toMatch(/reason/);
  });
});

describe('ISA-18.2 lifecycle: shelving, suppression by design, out of service', () => {
  const shelve = (a: Alarm) => expectStep(applyOperator(a, op('shelve'))).alarm;

  it('a shelved alarm keeps following its condition without annunciating, and closes when it returns', () => {
    const shelved = shelve(alarmIn('unacked'));
    expect(shelved.shelved).toMatchObject({ user: 'zhangsan', reason: '仪表检修', untilMs: T0 + 5000 + 30 * 60_000 });
    const returned = expectStep(applyCondition(shelved, input(false))).alarm;
    expect(returned).toMatchObject({ active: false, state: 'normal' });
    expect(returned.shelved).toBeDefined();
  });

  it('shelve expiry while still active annunciates afresh (unacknowledged, even if it had been acknowledged)', () => {
    const shelved = shelve(alarmIn('acked'));
    const step = expectStep(applyOperator(shelved, op('unshelve', { user: 'system', comment: 'shelving time over' })));
    expect(step).toMatchObject({ kind: 'unshelve', user: 'system', alarm: { state: 'unacked', active: true } });
    expect(step.alarm.shelved).toBeUndefined();
    expect(step.alarm.ackedBy).toBeUndefined();
    expect(step.alarm.annunciatedAt).toBe(T0 + 5000);
  });

  it('unshelving a point that returned meanwhile closes it', () => {
    const shelved = expectStep(applyCondition(shelve(alarmIn('unacked')), input(false))).alarm;
    const step = expectStep(applyOperator(shelved, op('unshelve')));
    expect(step.alarm.state).toBe('normal');
  });

  it('a point shelved stays shelved for a new occurrence until the timer runs out', () => {
    const closed = expectStep(applyCondition(shelve(alarmIn('unacked')), input(false))).alarm;
    const again = expectStep(applyCondition(closed, input(true, 'H', { nowMs: T0 + 60_000 }))).alarm;
    expect(again.shelved).toBeDefined();
    expect(again.state).toBe('unacked');
  });

  it('suppression by design hides the alarm; released while active it annunciates, released after return it closes', () => {
    const idle = idlePoint({ ...input(false, 'L'), key: 'FIA-301:lo', tag: 'FIA-301' }, T0);
    const suppressed = applyDesign(idle, {
      type: 'suppress',
      reason: 'SIS-301 跳车',
      byKey: 'SIS-301:SIS_TRIPPED',
      nowMs: T0,
    })!;
    expect(suppressed).toMatchObject({ kind: 'suppress', alarm: { suppressed: { byKey: 'SIS-301:SIS_TRIPPED' } } });
    // The consequential low-flow alarm comes while suppressed: tracked, hidden.
    const low = expectStep(applyCondition(suppressed.alarm, input(true, 'L', { key: 'FIA-301:lo' }))).alarm;
    expect(low).toMatchObject({ state: 'unacked', active: true });
    expect(low.suppressed).toBeDefined();
    const released = applyDesign(low, { type: 'unsuppress', nowMs: T0 + 9000 })!;
    expect(released).toMatchObject({ kind: 'unsuppress', alarm: { state: 'unacked', active: true } });
    expect(released.alarm.suppressed).toBeUndefined();

    const returned = expectStep(applyCondition(low, input(false, 'L', { key: 'FIA-301:lo' }))).alarm;
    expect(applyDesign(returned, { type: 'unsuppress', nowMs: T0 + 9000 })!.alarm.state).toBe('normal');
    expect(applyDesign(returned, { type: 'suppress', reason: 'x', byKey: 'y', nowMs: T0 })).toBeNull();
  });

  it('out of service supersedes shelving, needs a reason, and on return to service annunciates if still active', () => {
    const shelved = shelve(alarmIn('unacked'));
    const noReason = applyOperator(shelved, op('out_of_service', { reason: '' }));
    expect(isRefusal(noReason) ? noReason.refused : '').toMatch(/reason/);
    const oos = expectStep(applyOperator(shelved, op('out_of_service', { user: 'admin' }))).alarm;
    expect(oos.shelved).toBeUndefined();
    expect(oos.outOfService).toMatchObject({ user: 'admin', reason: '仪表检修' });
    const refusedShelve = applyOperator(oos, op('shelve'));
    expect(isRefusal(refusedShelve) ? refusedShelve.refused : '').toMatch(/out of service/);
    const back = expectStep(applyOperator(oos, op('return_to_service', { user: 'admin' })));
    expect(back.alarm).toMatchObject({ state: 'unacked', active: true });
    expect(back.alarm.outOfService).toBeUndefined();
  });

  it('an idle point can be taken out of service before anything happens; its raise stays hidden', () => {
    const idle = idlePoint(input(false), T0);
    const oos = expectStep(applyOperator(idle, op('out_of_service', { user: 'admin' }))).alarm;
    const raised = expectStep(applyCondition(oos, input(true))).alarm;
    expect(raised.outOfService).toBeDefined();
    expect(raised.state).toBe('unacked');
  });

  it('releasing one overlay while another still holds keeps the alarm hidden and its state', () => {
    const shelved = shelve(alarmIn('unacked'));
    const both = applyDesign(shelved, {
      type: 'suppress',
      reason: 'trip',
      byKey: 'SIS-301:SIS_TRIPPED',
      nowMs: T0,
    })!.alarm;
    const unshelved = expectStep(applyOperator(both, op('unshelve'))).alarm;
    expect(unshelved.suppressed).toBeDefined();
    expect(unshelved.state).toBe('unacked');
  });
});

describe('chattering and priority-1 notification', () => {
  it('flags ≥ 3 activations within 60 s, not 3 spread wider', () => {
    const recent: number[] = [];
    expect(recordActivation(recent, T0)).toBe(false);
    expect(recordActivation(recent, T0 + 20_000)).toBe(false);
    expect(recordActivation(recent, T0 + 59_000)).toBe(true);
    const spread: number[] = [];
    expect([0, 40_000, 80_000, 120_000].map((d) => recordActivation(spread, T0 + d))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(spread.length).toBeLessThanOrEqual(2);
  });

  it('notifies for a priority-1 alarm unacknowledged past the limit, once, and not when hidden', () => {
    const p1 = expectStep(applyCondition(undefined, input(true, 'HH', { priority: 1, nowMs: T0 }))).alarm;
    expect(notificationDue(p1, T0 + 4 * 60_000, 5 * 60_000)).toBe(false);
    expect(notificationDue(p1, T0 + 5 * 60_000, 5 * 60_000)).toBe(true);
    expect(notificationDue({ ...p1, notifiedAt: T0 + 1 }, T0 + 6 * 60_000, 5 * 60_000)).toBe(false);
    const acked = expectStep(applyOperator(p1, op('ack'))).alarm;
    expect(notificationDue(acked, T0 + 60 * 60_000, 5 * 60_000)).toBe(false);
    const p3 = alarmIn('unacked');
    expect(notificationDue(p3, T0 + 60 * 60_000, 5 * 60_000)).toBe(false);
    const oos = { ...p1, outOfService: { user: 'admin', reason: 'x', atMs: T0 } };
    expect(notificationDue(oos, T0 + 60 * 60_000, 5 * 60_000)).toBe(false);
  });
});
