import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { TagDef } from '@hazard/server/contracts';
import type { DisplayClock } from '../data-age';
import type { DetectorView } from '../wall.model';
import GasReadings from './GasReadings.vue';

const clock: DisplayClock = { connected: true, serverNowMs: 100_000, staleAfterMs: 10_000, allStale: false };

function detector(tag: string, extra: Partial<TagDef>): DetectorView {
  return {
    id: `GD-${tag}`,
    name: tag,
    detection: 'toxic',
    tag: { tag, name: tag, kind: 'gas', unit: 'mg/m³', range: [0, 30], limits: { h: 1, hh: 2 }, ...extra },
  };
}

describe('GasReadings', () => {
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
});
