import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { alarm } from '../wall.fixtures';
import AlarmList from './AlarmList.vue';

const hh = alarm('LIA-101:hi:1', { raisedAt: new Date(2024, 0, 2, 0, 5, 7).getTime(), value: 14.6, limit: 14.4 });

describe('AlarmList', () => {
  it('shows one row per alarm with the data attributes the e2e test reads; unacknowledged rows flash', () => {
    const sut = mount(AlarmList, {
      props: {
        alarms: [
          hh,
          alarm('GIA-201:hi:1', { condition: 'H', state: 'acked', priority: 3 }),
          alarm('TIA-104:lo:1', { condition: 'L', state: 'rtn_unacked', priority: 3 }),
        ],
        tagNames: { 'LIA-101': '1#甲醇储罐液位' },
      },
    });
    const rows = sut.findAll('[data-testid="alarm-row"]');
    expect(
      rows.map((r) => [
        r.attributes('data-tag'),
        r.attributes('data-level'),
        r.attributes('data-state'),
        r.classes('flashing'),
      ]),
    ).toEqual([
      ['LIA-101', 'HH', 'unacked', true],
      ['GIA-201', 'H', 'acked', false],
      ['TIA-104', 'L', 'rtn_unacked', true],
    ]);
    expect(rows[0]!.classes()).toContain('p2');
    expect(sut.get('[data-testid="active-alarm-count"]').text()).toBe('3');
    expect(sut.get('[data-testid="unacked-alarm-count"]').text()).toBe('2');
  });

  it('renders time, name, level, value and limit with unit, and state in words', () => {
    const sut = mount(AlarmList, { props: { alarms: [hh], tagNames: { 'LIA-101': '1#甲醇储罐液位' } } });
    const cells = sut
      .get('[data-testid="alarm-row"]')
      .findAll('td')
      .map((c) => c.text());
    expect(cells).toEqual(['00:05:07', 'LIA-101', '1#甲醇储罐液位', '高高P2', '14.6 m', '14.4 m', '未确认']);
  });

  it('says there are no active alarms when the list is empty', () => {
    const sut = mount(AlarmList, { props: { alarms: [], tagNames: {} } });
    expect(sut.text()).toContain('无活动报警');
    expect(sut.get('[data-testid="active-alarm-count"]').text()).toBe('0');
    expect(sut.findAll('[data-testid="alarm-row"]')).toHaveLength(0);
  });

  it('says when the list may be out of date: disconnected, or resynchronising after a gap', () => {
    const offline = mount(AlarmList, { props: { alarms: [hh], tagNames: {}, outdated: true } });
    expect(offline.text()).toContain('连接中断');
    const syncing = mount(AlarmList, { props: { alarms: [hh], tagNames: {}, syncing: true } });
    expect(syncing.find('[data-testid="alarm-syncing"]').exists()).toBe(true);
  });
});
