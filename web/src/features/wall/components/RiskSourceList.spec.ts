import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { RiskOverview } from '@hazard/server/contracts';
import { bypass, mapSite, sourceRisk } from '../risk-map.fixtures';
import { mapSources } from '../risk-map.options';
import RiskSourceList from './RiskSourceList.vue';

const risk = { sources: [sourceRisk('a', { level: 'orange', score: 70, reasons: [bypass] })] } as RiskOverview;

function sut(live: boolean, kiosk = true) {
  return mount(RiskSourceList, {
    props: { sources: mapSources(mapSite, risk), live, selectedId: 'a', kiosk },
    global: { stubs: { RouterLink: { template: '<a data-testid="source-detail-link"><slot /></a>' } } },
  });
}

describe('RiskSourceList', () => {
  it('gives each source its level, fill and grade, and lists the selected one’s reasons', () => {
    const row = sut(true).get('[data-source="a"]');
    expect(row.attributes('data-risk-level')).toBe('orange');
    expect(row.attributes('data-fill')).toBe('orange');
    expect(row.attributes('data-grade')).toBe('2');
    expect(row.get('[data-testid="risk-source-grade"]').text()).toBe('二级');
    expect(sut(true).get('[data-testid="risk-reasons"]').text()).toContain('旁路已 3 小时 12 分');
  });

  it('greys the fill when not live but keeps the last level for who asks', () => {
    const row = sut(false).get('[data-source="a"]');
    expect(row.attributes('data-fill')).toBe('muted');
    expect(row.attributes('data-risk-level')).toBe('orange');
    expect(row.get('.swatch').text()).toBe('—');
  });

  it('offers the detail link only off kiosk', () => {
    expect(sut(true, true).find('[data-testid="source-detail-link"]').exists()).toBe(false);
    expect(sut(true, false).find('[data-testid="source-detail-link"]').exists()).toBe(true);
  });
});
