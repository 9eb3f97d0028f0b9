import { describe, expect, it } from 'vitest';
import { translate } from './index';

describe('translate', () => {
  it('speaks zh-CN by default and English when asked', () => {
    expect(translate('zh-CN', 'alarms.empty')).toBe('无活动报警');
    expect(translate('en', 'alarms.empty')).toBe('No active alarms');
  });

  it('fills placeholders', () => {
    expect(translate('zh-CN', 'badge.stale', { age: '25 秒' })).toBe('数据延迟 25 秒');
  });

  it('falls back to zh-CN for a key English lacks', () => {
    expect(translate('en', 'level.HH')).toBe('高高');
  });
});
