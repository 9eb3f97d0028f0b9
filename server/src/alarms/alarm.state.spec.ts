import type { Alarm, AlarmState, AlarmTransitionKind, LimitLevel } from '../contracts';
import { acknowledge, applyLimit, type LimitInput } from './alarm.state';

const RAISED_AT = 1_000;
const NOW = 5_000;
const LIMITS: Record<LimitLevel, number> = { HH: 9, H: 8, L: 2, LL: 1 };
const PRIORITY: Record<LimitLevel, 1 | 2 | 3 | 4> = { HH: 2, H: 3, L: 3, LL: 2 };

function input(level: LimitLevel | null, value: number): LimitInput {
  const shown = level ?? 'H';
  return {
    tag: 'LI-1',
    enterpriseId: 'ent1',
    sourceId: 'src1',
    side: 'hi',
    level,
    value,
    limit: LIMITS[shown],
    priority: PRIORITY[shown],
    unit: 'm',
    tagName: '1#储罐液位',
    nowMs: NOW,
  };
}

/** An open high-side alarm of LI-1 raised at RAISED_AT, frozen so that a mutating transition would throw. */
function alarm(state: AlarmState, level: 'H' | 'HH', active = state !== 'rtn_unacked'): Alarm {
  const a: Alarm = {
    id: `LI-1:hi:${RAISED_AT}`,
    tag: 'LI-1',
    enterpriseId: 'ent1',
    sourceId: 'src1',
    side: 'hi',
    level,
    priority: PRIORITY[level],
    state,
    active,
    value: LIMITS[level] + 0.1,
    limit: LIMITS[level],
    unit: 'm',
    raisedAt: RAISED_AT,
    updatedAt: RAISED_AT,
    message: '',
  };
  if (!active) a.returnedAt = RAISED_AT + 1;
  if (state === 'acked') Object.assign(a, { ackedAt: RAISED_AT + 2, ackedBy: 'op1' });
  return Object.freeze(a);
}

interface Row {
  name: string;
  current: Alarm | undefined;
  level: LimitLevel | null;
  kind: AlarmTransitionKind;
  expected: Partial<Alarm>;
}

const SAME_ID = { id: `LI-1:hi:${RAISED_AT}`, raisedAt: RAISED_AT };

describe(applyLimit.name, () => {
  it.each<Row>([
    {
      name: 'no alarm + crossing → raise a new unacked alarm',
      current: undefined,
      level: 'H',
      kind: 'raise',
      expected: { id: `LI-1:hi:${NOW}`, state: 'unacked', active: true, level: 'H', raisedAt: NOW, updatedAt: NOW },
    },
    {
      name: 'normal + crossing → raise a new occurrence with a new id',
      current: alarm('normal', 'H', false),
      level: 'HH',
      kind: 'raise',
      expected: { id: `LI-1:hi:${NOW}`, state: 'unacked', active: true, level: 'HH', priority: 2, raisedAt: NOW },
    },
    {
      name: 'unacked + return → rtn_unacked',
      current: alarm('unacked', 'H'),
      level: null,
      kind: 'return',
      expected: { ...SAME_ID, state: 'rtn_unacked', active: false, level: 'H', returnedAt: NOW, updatedAt: NOW },
    },
    {
      name: 'acked + return → normal',
      current: alarm('acked', 'H'),
      level: null,
      kind: 'return',
      expected: { ...SAME_ID, state: 'normal', active: false, returnedAt: NOW, ackedBy: 'op1' },
    },
    {
      name: 'rtn_unacked + crossing → raise again, same id, unacked',
      current: alarm('rtn_unacked', 'H'),
      level: 'H',
      kind: 'raise',
      expected: { ...SAME_ID, state: 'unacked', active: true, level: 'H', updatedAt: NOW },
    },
    {
      name: 'rtn_unacked + crossing at a worse level → raise again at that level and its priority',
      current: alarm('rtn_unacked', 'H'),
      level: 'HH',
      kind: 'raise',
      expected: { ...SAME_ID, state: 'unacked', active: true, level: 'HH', limit: 9, priority: 2 },
    },
    {
      name: 'unacked H + HH → escalate, stays unacked',
      current: alarm('unacked', 'H'),
      level: 'HH',
      kind: 'escalate',
      expected: { ...SAME_ID, state: 'unacked', active: true, level: 'HH', limit: 9, priority: 2, updatedAt: NOW },
    },
    {
      name: 'acked H + HH → escalate and re-annunciate as unacked',
      current: alarm('acked', 'H'),
      level: 'HH',
      kind: 'escalate',
      expected: { ...SAME_ID, state: 'unacked', active: true, level: 'HH', limit: 9, priority: 2 },
    },
    {
      name: 'unacked HH + H → deescalate, stays unacked',
      current: alarm('unacked', 'HH'),
      level: 'H',
      kind: 'deescalate',
      expected: { ...SAME_ID, state: 'unacked', active: true, level: 'H', limit: 8, updatedAt: NOW },
    },
    {
      name: 'acked HH + H → deescalate, stays acked',
      current: alarm('acked', 'HH'),
      level: 'H',
      kind: 'deescalate',
      expected: { ...SAME_ID, state: 'acked', active: true, level: 'H', limit: 8, ackedBy: 'op1' },
    },
  ])('$name', ({ current, level, kind, expected }) => {
    const value = level === null ? 7 : LIMITS[level] + 0.2;
    const sut = applyLimit(current, input(level, value));

    expect(sut?.kind).toBe(kind);
    expect(sut?.alarm).toMatchObject({ ...expected, value });
  });

  it.each<{ name: string; current: Alarm | undefined; level: LimitLevel | null }>([
    { name: 'no alarm + inside limits', current: undefined, level: null },
    { name: 'normal + inside limits', current: alarm('normal', 'H', false), level: null },
    { name: 'unacked H + still H', current: alarm('unacked', 'H'), level: 'H' },
    { name: 'acked HH + still HH', current: alarm('acked', 'HH'), level: 'HH' },
    { name: 'rtn_unacked + still inside limits', current: alarm('rtn_unacked', 'H'), level: null },
  ])('$name → no transition', ({ current, level }) => {
    expect(applyLimit(current, input(level, 5))).toBeNull();
  });

  it('drops returnedAt when a returned alarm is raised again', () => {
    const sut = applyLimit(alarm('rtn_unacked', 'H'), input('H', 8.5));

    expect(sut?.alarm).not.toHaveProperty('returnedAt');
  });

  it('takes the priority of the level it is now at, on escalation and on de-escalation', () => {
    const up = applyLimit(alarm('unacked', 'H'), { ...input('HH', 9.5), priority: 1 });
    expect(up?.alarm.priority).toBe(1);
    const down = applyLimit(alarm('unacked', 'HH'), { ...input('H', 8.5), priority: 3 });
    expect(down?.alarm.priority).toBe(3);
  });

  it('writes a zh-CN message naming the tag, level, value and limit', () => {
    const sut = applyLimit(undefined, input('HH', 9.3));

    expect(sut?.alarm.message).toBe('1#储罐液位（LI-1）高高报警：9.3m，限值 9m');
  });

  it('renames the message on escalation', () => {
    const sut = applyLimit(alarm('unacked', 'H'), input('HH', 9.3));

    expect(sut?.alarm.message).toContain('高高报警');
  });

  it('copies the site location, side and unit into a raised alarm', () => {
    const sut = applyLimit(undefined, { ...input('L', 1.9), side: 'lo', limit: 2 });

    expect(sut?.alarm).toMatchObject({
      id: `LI-1:lo:${NOW}`,
      tag: 'LI-1',
      enterpriseId: 'ent1',
      sourceId: 'src1',
      side: 'lo',
      level: 'L',
      limit: 2,
      unit: 'm',
    });
  });
});

describe(acknowledge.name, () => {
  it.each<{ from: AlarmState; to: AlarmState }>([
    { from: 'unacked', to: 'acked' },
    { from: 'rtn_unacked', to: 'normal' },
  ])('acknowledges $from → $to, recording who and when', ({ from, to }) => {
    const sut = acknowledge(alarm(from, 'H'), 'op1', NOW);

    expect(sut?.kind).toBe('ack');
    expect(sut?.alarm).toMatchObject({ ...SAME_ID, state: to, ackedAt: NOW, ackedBy: 'op1', updatedAt: NOW });
  });

  it('keeps an acknowledged alarm active when the value is still beyond the limit', () => {
    expect(acknowledge(alarm('unacked', 'H'), 'op1', NOW)?.alarm.active).toBe(true);
  });

  it.each<AlarmState>(['acked', 'normal'])('has nothing to acknowledge on a %s alarm', (state) => {
    expect(acknowledge(alarm(state, 'H', state === 'acked'), 'op2', NOW)).toBeNull();
  });
});

describe(`${applyLimit.name} re-annunciation`, () => {
  it('voids the earlier acknowledgement when an acknowledged alarm escalates to HH', () => {
    const t = applyLimit(alarm('acked', 'H'), input('HH', 9.2));
    expect(t?.kind).toBe('escalate');
    expect(t?.alarm.state).toBe('unacked');
    expect(t?.alarm).not.toHaveProperty('ackedAt');
    expect(t?.alarm).not.toHaveProperty('ackedBy');
  });
});
