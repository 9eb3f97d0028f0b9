import { ref } from 'vue';
import { en, zhCN, type MessageKey } from './messages';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };

/** Message tables by locale; zh-CN is complete, the others may lack keys. */
export type MessageTables = { 'zh-CN': Record<MessageKey, string> } & Record<
  Exclude<Locale, 'zh-CN'>,
  Partial<Record<MessageKey, string>>
>;

export const MESSAGES: MessageTables = { 'zh-CN': zhCN, en };

/** localStorage key of the chosen locale. */
export const LOCALE_STORAGE_KEY = 'hazard.locale';

/** The minimal Storage surface used, so tests pass a Map-backed fake. */
export type LocaleStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): LocaleStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage disabled by policy (some kiosk browsers): the default locale applies.
    return undefined;
  }
}

/** The saved locale, zh-CN when nothing (or something unknown) is saved or storage is unavailable. */
export function readSavedLocale(storage: LocaleStorage | undefined): Locale {
  try {
    return storage?.getItem(LOCALE_STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Saves the locale; a full or forbidden storage only costs persistence, never the switch itself. */
export function saveLocale(storage: LocaleStorage | undefined, next: Locale): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, next);
  } catch {
    // Quota exceeded or storage forbidden: the switch still applies for this session.
  }
}

/** Current locale (reactive); zh-CN unless the user switched. */
export const locale = ref<Locale>(readSavedLocale(browserStorage()));

export function setLocale(next: Locale): void {
  locale.value = next;
  saveLocale(browserStorage(), next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Pure lookup: the locale's string, else zh-CN's, with `{name}` placeholders filled (unknown ones left as is). */
export function translate(
  loc: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
  tables: MessageTables = MESSAGES,
): string {
  const text = (loc === 'zh-CN' ? undefined : tables[loc][key]) ?? tables['zh-CN'][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translate in the current locale (reactive inside templates and computed). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale.value, key, params);
}
