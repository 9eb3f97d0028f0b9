import { describe, expect, it } from 'vitest';
import { LOCALE_STORAGE_KEY, MESSAGES, readSavedLocale, saveLocale, translate, type LocaleStorage } from './index';
import { formatClockTime, formatDateTime, formatValue, formatWithUnit } from './format';
import { zhCN, type MessageKey } from './messages';

function memoryStorage(initial: Record<string, string> = {}): LocaleStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

describe('translate', () => {
  it('speaks zh-CN by default and English when asked', () => {
    expect(translate('zh-CN', 'alarms.empty')).toBe('无活动报警');
    expect(translate('en', 'alarms.empty')).toBe('No active alarms');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'badge.stale', { age: '25 秒' })).toBe('数据延迟 25 秒');
    expect(translate('zh-CN', 'badge.stale', {})).toBe('数据延迟 {age}');
  });

  it('falls back to zh-CN for a key the other locale lacks', () => {
    const tables = { 'zh-CN': MESSAGES['zh-CN'], en: { 'alarms.empty': 'None' } };
    expect(translate('en', 'alarms.empty', undefined, tables)).toBe('None');
    expect(translate('en', 'condition.HH', undefined, tables)).toBe('高高');
  });

  it('has every zh-CN key in English too', () => {
    const missing = (Object.keys(zhCN) as MessageKey[]).filter((k) => MESSAGES.en[k] === undefined);
    expect(missing).toEqual([]);
  });
});

describe('locale persistence', () => {
  it('reads the saved locale and defaults to zh-CN for nothing, garbage or broken storage', () => {
    expect(readSavedLocale(memoryStorage({ [LOCALE_STORAGE_KEY]: 'en' }))).toBe('en');
    expect(readSavedLocale(memoryStorage())).toBe('zh-CN');
    expect(readSavedLocale(memoryStorage({ [LOCALE_STORAGE_KEY]: 'fr' }))).toBe('zh-CN');
    expect(readSavedLocale(undefined)).toBe('zh-CN');
    const throwing: LocaleStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readSavedLocale(throwing)).toBe('zh-CN');
    expect(() => saveLocale(throwing, 'en')).not.toThrow();
  });

  it('saves the chosen locale where the next page load reads it', () => {
    const storage = memoryStorage();
    saveLocale(storage, 'en');
    expect(storage.data.get(LOCALE_STORAGE_KEY)).toBe('en');
    expect(readSavedLocale(storage)).toBe('en');
  });
});

describe('formatting', () => {
  it('shows a dash without a value and trims float noise', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatValue(12.300000001)).toBe('12.3');
    expect(formatValue(-0.001)).toBe('0');
    expect(formatValue('open')).toBe('open');
    expect(formatWithUnit(14.6, 'm')).toBe('14.6 m');
    expect(formatWithUnit(undefined, 'm')).toBe('—');
  });

  it('prints local time as HH:mm:ss on a 24 h clock, also just after midnight', () => {
    const justAfterMidnight = new Date(2024, 0, 2, 0, 5, 7).getTime();
    expect(formatClockTime(justAfterMidnight)).toBe('00:05:07');
    expect(formatClockTime(new Date(2024, 0, 2, 23, 59, 9).getTime())).toBe('23:59:09');
    expect(formatDateTime(justAfterMidnight)).toBe('2024-01-02 00:05:07');
  });
});
