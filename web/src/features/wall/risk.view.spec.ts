import { describe, expect, it } from 'vitest';
import type { RiskReason } from '@hazard/server/contracts';
import { translate, type MessageKey } from '../../shared/i18n';
import { bypass, gradeReason } from './risk-map.fixtures';
import { formatDuration, gradeKey, reasonText, type ReasonContext } from './risk.view';

const en: ReasonContext = {
  locale: 'en',
  t: (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params),
  sourceNames: { tf01: 'Tank farm 1' },
};
const zh: ReasonContext = { ...en, locale: 'zh-CN', t: (k, p) => translate('zh-CN', k, p) };

describe(reasonText.name, () => {
  it('shows the server’s own zh-CN sentence in Chinese', () => {
    expect(reasonText(bypass, zh)).toBe('SIS-1 高液位联锁旁路已 3 小时 12 分');
  });

  it('renders English from code and params', () => {
    expect(reasonText(bypass, en)).toBe('SIS-1 bypassed for 3 h 12 min');
    expect(reasonText(gradeReason, en)).toBe('Grade 2 MHS (GB 18218-2018, R = 79.56), live deductions ×1.25');
    const alarm: RiskReason = {
      code: 'alarm',
      points: 18.8,
      text: 'GIA-201 高高（P2），未确认',
      params: { tag: 'GIA-201', condition: 'HH', priority: 2, acked: 0 },
    };
    expect(reasonText(alarm, en)).toBe('GIA-201 HH (P2), unacknowledged');
    expect(reasonText({ ...alarm, params: { ...alarm.params, acked: 1 } }, en)).toContain('acknowledged');
  });

  it('prefixes an enterprise or park reason with the source’s name', () => {
    const r: RiskReason = { ...bypass, text: '一号罐区：SIS-1 旁路', params: { ...bypass.params, source: 'tf01' } };
    expect(reasonText(r, en)).toBe('Tank farm 1: SIS-1 bypassed for 3 h 12 min');
    expect(reasonText(r, zh)).toBe('一号罐区：SIS-1 旁路');
  });

  it('falls back to the Chinese text for a code this screen does not know', () => {
    const r = { code: 'overdue_handling', points: 5, text: '处置超时' } as unknown as RiskReason;
    expect(reasonText(r, en)).toBe('处置超时');
  });
});

describe(formatDuration.name, () => {
  it('counts whole minutes, with hours from an hour on', () => {
    expect(formatDuration(192 * 60_000 + 59_000, 'zh-CN')).toBe('3 小时 12 分');
    expect(formatDuration(59_000, 'zh-CN')).toBe('0 分');
    expect(formatDuration(45 * 60_000, 'en')).toBe('45 min');
    expect(formatDuration(-5, 'en')).toBe('0 min');
  });
});

describe(gradeKey.name, () => {
  it('names 一级…四级 and a unit that is not a major hazard source', () => {
    expect(translate('zh-CN', gradeKey(1))).toBe('一级');
    expect(translate('zh-CN', gradeKey(4))).toBe('四级');
    expect(translate('en', gradeKey(null))).toBe('Not an MHS');
  });
});
