import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { LatestValue, TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from '../data-age';
import type { DetectorView } from '../wall.model';
import { sample } from '../wall.fixtures';
import GasReadings from './GasReadings.vue';

const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };

function detector(tag: string, extra: Partial<TagDef> = {}): DetectorView {
  return {
    id: `GD-${tag}`,
    name: tag,
    detection: 'toxic',
    tag: { tag, name: tag, kind: 'gas', unit: 'mg/m³', range: [0, 30], limits: { h: 1, hh: 2 }, ...extra },
  };
}

const many = (n: number): DetectorView[] => Array.from({ length: n }, (_, i) => detector(`GIA-${i + 1}`));

/** happy-dom has no layout (every rectangle is empty): puts the list's bottom and each row's bottom where a test says. */
function layOutRows(boxBottomPx: number, rowHeightPx: number): void {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const bottom = this.matches('ul')
      ? boxBottomPx
      : this.matches('li')
        ? ([...(this.parentElement?.children ?? [])].indexOf(this) + 1) * rowHeightPx
        : 0;
    return { top: 0, left: 0, right: 0, bottom, width: 0, height: bottom, x: 0, y: 0, toJSON: () => ({}) } as DOMRect;
  });
}

describe('GasReadings', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('marks limits that are GB/T 50493-2019 defaults, and only those', () => {
    const sut = mount(GasReadings, {
      props: {
        detectors: [
          detector('GIA-1', { limitsSource: 'GB/T 50493-2019 default' }),
          detector('GIA-2', { limitsSource: 'site' }),
        ],
        latest: {},
        clock,
      },
    });

    const rows = sut.findAll('li');
    expect(rows[0]?.find('[data-testid="limits-default"]').text()).toBe('GB/T 50493 默认值');
    expect(rows[1]?.find('[data-testid="limits-default"]').exists()).toBe(false);
    expect(rows[0]?.text()).toContain('一级报警 1');
  });

  it('draws two-line rows on the wall, still with value, unit and both setpoints', () => {
    const detectors = [detector('GIA-1', { limitsSource: 'GB/T 50493-2019 default' }), ...many(5)];
    const latest: Record<string, LatestValue> = { 'GIA-1': sample(0.42, 99_000) };

    const sut = mount(GasReadings, { props: { detectors, latest, clock, fit: true } });

    expect(sut.get('ul').attributes('data-density')).toBe('compact');
    const first = sut.get('[data-testid="gas-detector"][data-tag="GIA-1"]');
    expect(first.get('[data-testid="tag-value"]').text()).toBe('0.42mg/m³');
    expect(first.get('[data-testid="gas-first"]').text()).toBe('一级 1');
    expect(first.get('[data-testid="gas-second"]').text()).toBe('二级 2');
    expect(first.get('[data-testid="limits-default"]').text()).toBe('默认');
    expect(first.findAll('.mark').length).toBe(2);
  });

  it('keeps three-line rows on a scrolling page', () => {
    const sut = mount(GasReadings, { props: { detectors: many(12), latest: {}, clock } });
    expect(sut.get('ul').attributes('data-density')).toBe('full');
    expect(sut.find('.gauge [data-testid="gas-first"]').exists()).toBe(false);
    expect(sut.get('[data-testid="gas-first"]').text()).toBe('一级报警 1 mg/m³');
  });

  it('hides the detectors that do not fit whole and counts them, naming those in alarm', async () => {
    layOutRows(200, 60);
    const latest: Record<string, LatestValue> = {
      'GIA-2': sample(1.5, 99_000), // first alarm, shown
      'GIA-4': sample(2.5, 99_000), // second alarm, left out
      'GIA-5': sample(1.2, 99_000), // first alarm, left out
      'GIA-6': sample(0.1, 99_000),
    };

    const sut = mount(GasReadings, { props: { detectors: many(6), latest, clock, fit: true } });
    await nextTick();

    const fits = sut.findAll('[data-testid="gas-detector"]').map((li) => li.attributes('data-fit'));
    expect(fits).toEqual(['shown', 'shown', 'shown', 'hidden', 'hidden', 'hidden']);
    const more = sut.get('[data-testid="gas-more"]');
    expect(more.attributes('data-hidden')).toBe('3');
    expect(more.attributes('data-attention')).toBe('2');
    expect(more.text()).toContain('另有 3 个探测器未显示');
    expect(more.text()).toContain('其中 2 个报警');
  });

  it('shows every detector and no count line when they all fit, or when not fitted to a box', async () => {
    layOutRows(200, 60);
    const fitting = mount(GasReadings, { props: { detectors: many(3), latest: {}, clock, fit: true } });
    const page = mount(GasReadings, { props: { detectors: many(6), latest: {}, clock } });
    await nextTick();

    for (const sut of [fitting, page]) {
      expect(sut.findAll('[data-fit="hidden"]')).toHaveLength(0);
      expect(sut.find('[data-testid="gas-more"]').exists()).toBe(false);
    }
  });
});
