import { ref } from 'vue';
import { en, zhCN, type MessageKey } from './messages';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'hazard.locale';
const tables: Record<Locale, Partial<Record<MessageKey, string>>> = { 'zh-CN': zhCN, en };

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return saved === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Current locale (reactive); zh-CN unless the user switched. */
export const locale = ref<Locale>(initialLocale());

export function setLocale(next: Locale): void {
  locale.value = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode or kiosk without storage: the switch still applies for this session.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Pure lookup: the locale's string, else zh-CN's, with `{name}` placeholders filled. */
export function translate(loc: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = tables[loc][key] ?? zhCN[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translate in the current locale (reactive inside templates and computed). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale.value, key, params);
}
