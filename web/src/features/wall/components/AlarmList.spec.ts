import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { Alarm } from '@hazard/server/contracts';
import AlarmList from './AlarmList.vue';

const base: Alarm = {
  id: 'LIA-101:hi:1',
  tag: 'LIA-101',
  enterpriseId: 'e',
  sourceId: 's',
  side: 'hi',
  level: 'HH',
  priority: 2,
  state: 'unacked',
  active: true,
  value: 14.6,
  limit: 14.4,
  unit: 'm',
  raisedAt: 1000,
  updatedAt: 1000,
  message: '',
};

describe('AlarmList', () => {
  it('shows one flashing row per unacknowledged alarm with the data attributes the e2e test reads', () => {
    const sut = mount(AlarmList, {
      props: {
        alarms: [base, { ...base, id: 'x', tag: 'GIA-201', level: 'H', state: 'acked' }],
        tagNames: { 'LIA-101': '1#甲醇储罐液位' },
      },
    });
    const rows = sut.findAll('[data-testid="alarm-row"]');
    expect(rows.map((r) => [r.attributes('data-tag'), r.attributes('data-level'), r.classes('flashing')])).toEqual([
      ['LIA-101', 'HH', true],
      ['GIA-201', 'H', false],
    ]);
    expect(sut.get('[data-testid="active-alarm-count"]').text()).toBe('2');
    expect(rows[0]!.text()).toContain('1#甲醇储罐液位');
    expect(rows[0]!.text()).toContain('高高');
  });

  it('says there are no active alarms when the list is empty', () => {
    const sut = mount(AlarmList, { props: { alarms: [], tagNames: {} } });
    expect(sut.text()).toContain('无活动报警');
    expect(sut.findAll('[data-testid="alarm-row"]')).toHaveLength(0);
  });
});
