import { describe, expect, it } from 'vitest';
import type { AlarmState } from '@hazard/server/contracts';
import { alarmOf } from './alarms.fixtures';
import {
  actionBody,
  alarmsOnTab,
  availableActions,
  canAct,
  compareForSummary,
  discreteLabelKey,
  isFlashing,
  matchesFilter,
  NO_FILTER,
  tabCounts,
  unackedUrgent,
} from './alarms.model';

const shelved = { user: 'op', reason: '检修', atMs: 1, untilMs: 2 };
const oos = { user: 'admin', reason: '仪表检修', atMs: 1 };

describe(availableActions.name, () => {
  it.each<[AlarmState, string[]]>([
    ['unacked', ['ack', 'shelve', 'out-of-service']],
    ['acked', ['shelve', 'out-of-service']],
    ['rtn_unacked', ['ack', 'shelve', 'out-of-service']],
    ['latched_unacked', ['ack', 'shelve', 'out-of-service']],
    ['latched_acked', ['reset', 'shelve', 'out-of-service']],
  ])('offers an admin on a %s alarm: %j', (state, actions) => {
    expect(availableActions(alarmOf({ state }), 'admin')).toEqual(actions);
  });

  it('offers an operator the same without the admin-only removal from service', () => {
    expect(availableActions(alarmOf({ state: 'unacked' }), 'operator')).toEqual(['ack', 'shelve']);
    expect(availableActions(alarmOf({ state: 'acked', outOfService: oos }), 'operator')).toEqual([]);
  });

  it('offers a viewer, or a token without a known user, nothing', () => {
    expect(availableActions(alarmOf(), 'viewer')).toEqual([]);
    expect(availableActions(alarmOf(), null)).toEqual([]);
    expect(canAct('viewer')).toBe(false);
    expect(canAct(null)).toBe(false);
    expect(canAct('operator')).toBe(true);
  });

  it('offers unshelve, not shelve, on a shelved alarm, and only return to service once out of service', () => {
    expect(availableActions(alarmOf({ state: 'unacked', shelved }), 'operator')).toEqual(['ack', 'unshelve']);
    expect(availableActions(alarmOf({ state: 'unacked', outOfService: oos }), 'admin')).toEqual([
      'ack',
      'return-to-service',
    ]);
  });
});

describe(compareForSummary.name, () => {
  it('orders priority 1 first, then newest first (ISA-18.2 alarm summary)', () => {
    const old1 = alarmOf({ tag: 'A', priority: 1, raisedAt: 100 });
    const new1 = alarmOf({ tag: 'B', priority: 1, raisedAt: 300 });
    const new3 = alarmOf({ tag: 'C', priority: 3, raisedAt: 900 });
    expect([new3, old1, new1].sort(compareForSummary).map((a) => a.tag)).toEqual(['B', 'A', 'C']);
  });
});

describe(alarmsOnTab.name, () => {
  const points = Object.fromEntries(
    [
      alarmOf({ tag: 'A', state: 'unacked' }),
      alarmOf({ tag: 'B', state: 'acked', priority: 3, sourceId: 'tf02' }),
      alarmOf({ tag: 'C', state: 'unacked', shelved }),
      alarmOf({ tag: 'D', state: 'normal', active: false, outOfService: oos }),
      alarmOf({ tag: 'E', state: 'normal', active: false }),
      alarmOf({
        tag: 'F',
        state: 'unacked',
        suppressed: { reason: 'SIS-301 联锁', byKey: 'SIS-301:SIS_TRIPPED', sinceMs: 1 },
      }),
    ].map((a) => [a.key, a]),
  );

  it('puts annunciated alarms on the active tab and each overlay on its own; a closed point on none', () => {
    const tags = (tab: Parameters<typeof alarmsOnTab>[1]) => alarmsOnTab(points, tab, NO_FILTER).map((a) => a.tag);
    expect(tags('active')).toEqual(['A', 'B']);
    expect(tags('shelved')).toEqual(['C']);
    expect(tags('out_of_service')).toEqual(['D']);
    expect(tags('suppressed')).toEqual(['F']);
    expect(tabCounts(points)).toEqual({ active: 2, shelved: 1, suppressed: 1, out_of_service: 1 });
  });

  it('filters by state, priority, enterprise and source together', () => {
    expect(alarmsOnTab(points, 'active', { ...NO_FILTER, state: 'acked' }).map((a) => a.tag)).toEqual(['B']);
    expect(alarmsOnTab(points, 'active', { ...NO_FILTER, priority: 2 }).map((a) => a.tag)).toEqual(['A']);
    expect(alarmsOnTab(points, 'active', { ...NO_FILTER, sourceId: 'tf02' }).map((a) => a.tag)).toEqual(['B']);
    expect(alarmsOnTab(points, 'active', { ...NO_FILTER, enterpriseId: 'other' })).toEqual([]);
  });

  it('counts a latched alarm under the latched filter whether acknowledged or not', () => {
    expect(matchesFilter(alarmOf({ state: 'latched_unacked' }), { ...NO_FILTER, state: 'latched' })).toBe(true);
    expect(matchesFilter(alarmOf({ state: 'latched_acked' }), { ...NO_FILTER, state: 'latched' })).toBe(true);
    expect(matchesFilter(alarmOf({ state: 'acked' }), { ...NO_FILTER, state: 'latched' })).toBe(false);
  });
});

describe(isFlashing.name, () => {
  it('flashes unacknowledged annunciated alarms only', () => {
    expect(isFlashing(alarmOf({ state: 'unacked' }))).toBe(true);
    expect(isFlashing(alarmOf({ state: 'rtn_unacked' }))).toBe(true);
    expect(isFlashing(alarmOf({ state: 'latched_unacked' }))).toBe(true);
    expect(isFlashing(alarmOf({ state: 'acked' }))).toBe(false);
    expect(isFlashing(alarmOf({ state: 'latched_acked' }))).toBe(false);
    expect(isFlashing(alarmOf({ state: 'unacked', shelved }))).toBe(false);
  });
});

describe(unackedUrgent.name, () => {
  it('lists unacknowledged priority-1 alarms until each is acknowledged', () => {
    const p1 = alarmOf({ tag: 'SIS-101', key: 'SIS-101:SIS_TRIPPED', priority: 1, condition: 'SIS_TRIPPED' });
    const p2 = alarmOf();
    expect(unackedUrgent({ [p1.key]: p1, [p2.key]: p2 }).map((a) => a.tag)).toEqual(['SIS-101']);
    const acked = { ...p1, state: 'acked' as const };
    expect(unackedUrgent({ [p1.key]: acked, [p2.key]: p2 })).toEqual([]);
  });
});

describe(actionBody.name, () => {
  const input = { comment: '', reason: '', minutes: '30' };

  it('sends a trimmed comment with an ack, also an empty one', () => {
    expect(actionBody('ack', { ...input, comment: '  已通知现场  ' })).toEqual({
      ok: true,
      body: { comment: '已通知现场' },
    });
    expect(actionBody('ack', input)).toEqual({ ok: true, body: { comment: '' } });
  });

  it('refuses shelving without a reason or with a duration that is not whole minutes ≥ 1', () => {
    expect(actionBody('shelve', input)).toEqual({ ok: false, error: 'reasonRequired' });
    expect(actionBody('shelve', { ...input, reason: '   ' })).toEqual({ ok: false, error: 'reasonRequired' });
    for (const minutes of ['0', '-5', '1.5', 'abc', '']) {
      expect(actionBody('shelve', { ...input, minutes, reason: '检修' })).toEqual({
        ok: false,
        error: 'minutesInvalid',
      });
    }
    expect(actionBody('shelve', { ...input, minutes: ' 45 ', reason: ' 检修 ' })).toEqual({
      ok: true,
      body: { minutes: 45, reason: '检修' },
    });
  });

  it('leaves the upper bound of shelving to the server, whose 400 names its maximum', () => {
    expect(actionBody('shelve', { ...input, minutes: '100000', reason: '检修' })).toEqual({
      ok: true,
      body: { minutes: 100000, reason: '检修' },
    });
  });

  it('needs a reason to take an alarm out of service, and refuses text over 500 characters', () => {
    expect(actionBody('out-of-service', input)).toEqual({ ok: false, error: 'reasonRequired' });
    expect(actionBody('ack', { ...input, comment: 'x'.repeat(501) })).toEqual({ ok: false, error: 'tooLong' });
  });
});

describe(discreteLabelKey.name, () => {
  it('names valve and SIS states for the screen, and leaves numbers and unknown words alone', () => {
    expect(discreteLabelKey(alarmOf({ condition: 'SIS_TRIPPED', value: 'tripped' }))).toBe('sis.tripped');
    expect(discreteLabelKey(alarmOf({ condition: 'VALVE_MISMATCH', value: 'open' }))).toBe('valve.open');
    expect(discreteLabelKey(alarmOf({ condition: 'HH', value: 14.6 }))).toBeNull();
    expect(discreteLabelKey(alarmOf({ condition: 'SIS_FAULT', value: 'weird' }))).toBeNull();
  });
});
