import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { LatestValue, TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from '../data-age';
import { sample } from '../wall.fixtures';
import TagValue from './TagValue.vue';

const def: TagDef = { tag: 'TIA-101', name: '温度', kind: 'temperature', unit: '°C', limits: { hh: 45, h: 40 } };
const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };

function render(s: LatestValue | undefined, c: DisplayClock = clock) {
  return mount(TagValue, { props: { def, sample: s, clock: c } }).get('[data-testid="tag-value"]');
}

describe('TagValue', () => {
  it('shows a dash, without unit, when there is no data', () => {
    const sut = render(undefined);
    expect(sut.attributes('data-tag')).toBe('TIA-101');
    expect(sut.text()).toBe('—');
  });

  it('shows the value with its unit, coloured by the limit it is beyond', () => {
    const sut = render(sample(41.2, 99_000));
    expect(sut.text()).toBe('41.2°C');
    expect(sut.classes()).toContain('warn');
  });

  it('marks bad quality and mutes the value', () => {
    const sut = render(sample(46, 99_000, 'bad'));
    expect(sut.text()).toContain('坏值');
    expect(sut.classes()).toContain('muted');
  });

  it('marks a delayed value and greys everything when offline', () => {
    expect(render(sample(30, 80_000)).text()).toContain('延迟');
    const offline = render(sample(30, 99_000), { ...clock, connected: false });
    expect(offline.classes()).toEqual(expect.arrayContaining(['muted', 'offline']));
    expect(offline.text()).not.toContain('延迟');
  });

  it('greys a delayed value without its own marker when the badge already says all data is delayed', () => {
    const sut = render(sample(30, 80_000), { ...clock, allStale: true });
    expect(sut.classes()).toContain('muted');
    expect(sut.text()).not.toContain('延迟');
  });
});
